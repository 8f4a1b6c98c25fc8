"""Editing the Q&A collection from the site manager's window."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.actor import Actor
from app.core.node import Node
from app.inquiries.qa import QaService
from app.services import Services
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import make_node
from ui.admin.panel import AdminPanel
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts


def admin_node(tmp_path: Path, clock: FakeClock) -> Node:
    return make_node(tmp_path / "admin", clock, role="admin")


def test_add_edit_retire_with_history(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> None:
    node = admin_node(tmp_path, clock)
    window = MainWindow(Services.of(node), Actor("sm", "site_manager"), Texts("ja"), sync=False)
    qtbot.addWidget(window)
    assert isinstance(window.panel, AdminPanel)
    tab = window.panel.qa
    tab.new_entry()
    tab.question.setText("駐輪場はありますか。")
    tab.answer.setPlainText("建物の地下に駐輪場があります。")
    tab.save()
    assert tab.status.text() == "保存しました" and tab.entries.count() == 1
    tab.entries.setCurrentRow(0)
    tab.answer.setPlainText("建物の地下に無料の駐輪場があります。")
    tab.save()
    [row] = QaService(node).all()
    assert row["version"] == 2 and "無料" in row["answer"]
    tab.load()
    assert tab.history.text().count("sm") == 2
    tab.answer.setPlainText("問い合わせは 046-822-4000 まで")
    tab.save()
    assert "電話番号" in tab.error.text() and QaService(node).all()[0]["version"] == 2
    tab.retire()
    assert QaService(node).all() == [] and tab.entries.count() == 0


def test_only_managers_edit(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> None:
    node = admin_node(tmp_path, clock)
    window = MainWindow(Services.of(node), Actor("fm", "floor_manager"), Texts("ja"), sync=False)
    qtbot.addWidget(window)
    assert isinstance(window.panel, AdminPanel)
    assert not window.panel.qa.save_button.isEnabled()
    assert "現地管理者" in window.panel.qa.status.text()
