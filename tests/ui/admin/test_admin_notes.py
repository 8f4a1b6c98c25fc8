"""The site manager's 報告事項 tab: entries of a day or a month, added, replaced, removed,
refused with a message when they hold personal data, and read-only for other roles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.actor import Actor
from app.core.node import Node
from app.reports.notes import ReportNotes
from app.services import Services
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import make_node
from ui.admin.notes_tab import NotesModel, NotesTab
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts

MANAGER = Actor("sm", "site_manager")


@pytest.fixture
def site(tmp_path: Path, clock: FakeClock) -> Iterator[Node]:
    node = make_node(tmp_path / "admin", clock, role="admin")
    yield node
    node.close()


def _tab(qtbot: QtBot, node: Node, actor: Actor = MANAGER, lang: str = "ja") -> NotesTab:
    hub = Hub(node.data_version, poll_ms=3_600_000)  # the test refreshes by itself
    tab = NotesTab(Services.of(node).manager(), actor, Texts(lang), hub)
    hub.setParent(tab)
    qtbot.addWidget(tab)
    return tab


def _texts(tab: NotesTab) -> list[str]:
    model = tab.model
    return [model.index(r, NotesModel.COL_TEXT).data() for r in range(model.rowCount())]


def test_entries_of_a_day_and_a_month(qtbot: QtBot, site: Node, clock: FakeClock) -> None:
    tab = _tab(qtbot, site)
    ModelTester(qtbot).check(tab.model, force_py=True)
    tab.text.setPlainText("案内表示を増やした")
    tab.kind.setCurrentIndex(tab.kind.findData("improvement"))
    assert tab.add_note()
    assert _texts(tab) == ["案内表示を増やした"] and tab.text.toPlainText() == ""
    tab.by_month.setChecked(True)
    assert tab.period() == OPEN_DAY.strftime("%Y-%m")
    assert tab.add_note("city", "12月の臨時閉庁日を市と確認した")
    assert _texts(tab) == ["12月の臨時閉庁日を市と確認した", "案内表示を増やした"]
    tab.view.selectRow(1)
    tab.text.setPlainText("案内表示を2倍にした")
    assert tab.replace_note()
    assert _texts(tab) == ["12月の臨時閉庁日を市と確認した", "案内表示を2倍にした"]
    tab.view.selectRow(0)
    assert tab.remove_note()
    assert _texts(tab) == ["案内表示を2倍にした"]
    assert (
        ReportNotes(site).of_month_days(OPEN_DAY.strftime("%Y-%m"))[0]["text"]
        == "案内表示を2倍にした"
    )


def test_personal_data_is_refused_with_a_message(qtbot: QtBot, site: Node) -> None:
    tab = _tab(qtbot, site)
    tab.text.setPlainText("折り返しは 090-1234-5678")
    assert not tab.add_note()
    assert "個人情報" in tab.error.text() and tab.text.toPlainText() != ""
    assert _texts(tab) == []
    assert not tab.remove_note()  # nothing chosen
    assert tab.error.text()


def test_other_roles_only_read(qtbot: QtBot, site: Node) -> None:
    ReportNotes(site).set(MANAGER, OPEN_DAY.isoformat(), "problem", "混雑した")
    tab = _tab(qtbot, site, Actor("cl", "clerk", "1"), lang="en")
    assert _texts(tab) == ["混雑した"]
    assert tab.model.index(0, NotesModel.COL_KIND).data() == "Problems"
    assert not tab.add_button.isEnabled() and not tab.text.isEnabled()
