"""Logging an inquiry at the counter, with the Q&A collection at hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.actor import Actor
from app.core.node import Node
from app.inquiries.inquiry_log import InquiryService
from app.inquiries.qa import seed_default_qa
from app.services import Services
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import make_node
from ui.counter.inquiry_panel import InquiryPanel
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts

CLERK = Actor("cl", "clerk", "1")


@pytest.fixture
def panel(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Node, InquiryPanel]]:
    node = make_node(tmp_path / "c1", clock, role="counter", counter="1")
    seed_default_qa(node, Actor("sm", "site_manager"))
    window = MainWindow(Services.of(node), CLERK, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    yield node, window.inquiry
    node.close()


def test_search_use_an_answer_and_log(panel: tuple[Node, InquiryPanel]) -> None:
    node, p = panel
    total = p.results.count()
    p.search.setText("暗証番号　忘れ")  # full-width space between the words
    assert 0 < p.results.count() < total
    assert "暗証番号" in p.entry.text()
    p.use_answer()
    assert p.qa_id is not None and p.answer.toPlainText()
    p.question.setText("暗証番号を忘れたがどうすればよいか")
    p.log()
    assert p.done.text() == "記録しました" and p.question.text() == ""
    [row] = InquiryService(node).list()
    assert row["qa_id"] is not None and row["counter"] == "1"
    assert p.today.count() == 1


def test_personal_data_is_refused_and_the_form_kept(panel: tuple[Node, InquiryPanel]) -> None:
    node, p = panel
    p.question.setText("090-1234-5678 の方から予約変更の相談")
    p.answer.setPlainText("Web予約から変更できると案内")
    p.log()
    assert "電話番号" in p.error.text() and "直して" in p.error.text()
    assert p.question.text().startswith("090")  # nothing lost: the clerk rephrases
    assert InquiryService(node).list() == []
    p.question.setText("電話で予約変更の相談")
    p.log()
    assert len(InquiryService(node).list()) == 1
