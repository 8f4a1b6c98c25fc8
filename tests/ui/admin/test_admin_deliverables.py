"""The site manager's 提出物 tab: due dates, what is overdue in red, hand-ins, meetings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.actor import Actor
from app.core.node import Node
from app.services import Services
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import make_node
from ui.admin.deliverables_tab import DeliverablesModel, DeliverablesTab
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts

MANAGER = Actor("sm", "site_manager")


@pytest.fixture
def site(tmp_path: Path, clock: FakeClock) -> Iterator[Node]:
    clock.set(date(2027, 1, 9), time(10, 0))  # a Saturday after the year-end break
    node = make_node(tmp_path / "admin", clock, role="admin")
    yield node
    node.close()


def _tab(qtbot: QtBot, node: Node, actor: Actor = MANAGER, lang: str = "ja") -> DeliverablesTab:
    hub = Hub(node.data_version, poll_ms=3_600_000)  # the test refreshes by itself
    tab = DeliverablesTab(Services.of(node).manager(), actor, Texts(lang), hub)
    hub.setParent(tab)
    qtbot.addWidget(tab)
    return tab


def _row(tab: DeliverablesTab, key: str) -> int:
    row = tab.model.row_of(key)
    assert row is not None, key
    return row


def test_overdue_in_red_until_handed_in(qtbot: QtBot, site: Node) -> None:
    tab = _tab(qtbot, site)
    ModelTester(qtbot).check(tab.model, force_py=True)
    monthly = _row(tab, "monthly:2026-12")
    assert tab.model.cell(monthly, DeliverablesModel.COL_DUE) == "2027-01-08（金）"
    assert tab.model.cell(monthly, DeliverablesModel.COL_STATE) == "× 期限切れ"
    brush = tab.model.index(monthly, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color().name() == "#b00020"
    assert "期限切れの成果物が" in tab.banner.text()
    today = _row(tab, "daily:2027-01-09")
    assert tab.model.cell(today, DeliverablesModel.COL_STATE) == "! 本日期限"
    assert tab.mark("monthly:2026-12")
    monthly = _row(tab, "monthly:2026-12")
    assert tab.model.cell(monthly, DeliverablesModel.COL_STATE) == "✓ 提出済み"
    assert tab.model.cell(monthly, DeliverablesModel.COL_SUBMITTED) == "2027-01-09"
    tab.view.selectRow(monthly)
    assert tab.unmark()
    assert tab.model.cell(_row(tab, "monthly:2026-12"), DeliverablesModel.COL_STATE) == "× 期限切れ"
    tab.view.selectRow(_row(tab, "daily:2027-01-08"))
    assert tab.mark_daily_through()
    assert "2027-01-08 までの日次の成果物" in tab.info.text()
    late = [tab.model.key(r) for r in range(tab.model.rowCount())
            if tab.model.cell(r, DeliverablesModel.COL_STATE) == "× 期限切れ"]  # fmt: skip
    assert len(late) == 15 and all(not k.startswith(("daily", "inquiries")) for k in late)
    assert late[-3:] == ["monthly:2026-12", "sla:2026-12", "training:2026-12"]


def test_a_meeting_adds_its_minutes(qtbot: QtBot, site: Node) -> None:
    tab = _tab(qtbot, site)
    assert tab.add_meeting(date(2027, 1, 8), "monthly", "12月の実績")
    assert "議事録の期限 2027-01-14" in tab.info.text()
    assert tab.meetings.rowCount() == 1
    [key] = [tab.model.key(r) for r in range(tab.model.rowCount())
             if str(tab.model.key(r)).startswith("minutes:")]  # fmt: skip
    assert tab.model.cell(_row(tab, key), DeliverablesModel.COL_PERIOD).startswith("2027-01-08")
    tab.meetings_view.selectRow(0)
    assert tab.remove_meeting()
    assert tab.meetings.rowCount() == 0 and tab.model.row_of(key) is None


def test_other_roles_see_but_do_not_mark(qtbot: QtBot, site: Node) -> None:
    tab = _tab(qtbot, site, Actor("cl", "clerk", "1"), lang="en")
    assert tab.model.cell(_row(tab, "monthly:2026-12"), DeliverablesModel.COL_STATE) == "× Overdue"
    assert not tab.mark_button.isEnabled() and not tab.add_button.isEnabled()
