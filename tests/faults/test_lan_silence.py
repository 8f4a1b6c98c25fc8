"""The board's PC is switched off (its process killed): the counter's window says so within
five seconds, though the board's heartbeat on the share is still fresh."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.actor import Actor
from app.core.node import Node
from app.services import Services
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import site_node
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_the_counter_knows_within_five_seconds_that_the_board_is_gone(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    display = site_node(tmp_path, "display", clock, block=3, role="display", staff=False)
    command = [sys.executable, "-m", "tests.faults.lan_pc", str(display.data_dir)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as board:
        assert board.stdout is not None and board.stdout.readline().startswith("ready")
        # The board announces its LAN address on the share (on the real clock, as the
        # windows' background threads are).
        board_pc = Node(display.data_dir)
        SyncService(board_pc).once()
        board_pc.close()
        window = MainWindow(Services.of(counter), Actor("cl", "clerk", "1"), Texts("ja"))
        qtbot.addWidget(window)
        panel = window.counter_panel

        def heard() -> bool:
            row = counter.store.row("SELECT lan_up FROM sync_nodes WHERE role = 'display'")
            return row is not None and row["lan_up"] == 1

        try:
            qtbot.waitUntil(heard, timeout=10_000)
            assert panel.board_notice.isHidden()
        finally:
            board.send_signal(signal.SIGKILL)  # the board's PC is switched off
            board.wait()
    killed = time.monotonic()
    qtbot.waitUntil(lambda: not panel.board_notice.isHidden(), timeout=8_000)
    took = time.monotonic() - killed
    assert took <= 5.0, took
    assert panel.board_notice.text().startswith("呼出表示に届いていません。口頭でお呼びください")
    window.close()
    counter.close()
    display.close()
