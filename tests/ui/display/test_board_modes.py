"""The board tells the waiting room the operating mode when it is not 通常, in both
languages, from the moment a period starts (even one planned earlier)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.actor import Actor
from app.queue.modes import ModeService
from app.services import Services
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import make_node
from ui.display.board import DisplayBoard
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts


def test_the_board_shows_the_operating_mode_when_it_is_not_normal(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    node = make_node(tmp_path / "display", clock, role="display")
    hub = Hub(node.data_version)
    board = DisplayBoard(Services.of(node).board(), Texts("ja"), hub, switch_ms=60_000)
    qtbot.addWidget(board)
    assert not board.mode_band.isVisibleTo(board)
    ModeService(node).start(Actor("sm", "site_manager"), "reduced", "計画運休",
                            start=time(13, 0), close_at=time(16, 0))  # fmt: skip
    board.show_clock()  # 11:00: planned for 13:00, nothing yet
    assert not board.mode_band.isVisibleTo(board)
    clock.set(OPEN_DAY, time(13, 0))
    board.show_clock()  # the second's tick: the period has begun
    assert board.mode_band.isVisibleTo(board)
    assert board.mode_line.text() == "運転モード: 縮小運転（本日の受付は16:00までです）"
    board.switch_language()
    assert board.mode_line.text() == (
        "Operating mode: Reduced operation (reception ends at 16:00 today)"
    )
    ModeService(node).back_to_normal(Actor("sm", "site_manager"))
    board.refresh()
    board.show_clock()
    assert not board.mode_band.isVisibleTo(board)
    node.close()
