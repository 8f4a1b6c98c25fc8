"""English mode is complete: no Japanese on an English window but the data itself
(people's names, the Q&A collection's text) and the switch back to 日本語."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.core.actor import SYSTEM, Actor
from app.printing.printers import PdfFolderPrinter
from app.queue.tickets import TicketService
from app.reservations.bookings import ReservationService
from app.services import Services
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import make_node
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
#: Data shown as it is, in any language: names in kana, staff names, the switch back.
DATA = re.compile(r"^(職員 \w+|ヤマダ ハナコ|日本語)$")


def shown_texts(window: QWidget) -> list[str]:
    texts = [w.text() for w in window.findChildren(QLabel)]
    texts += [w.text() for w in window.findChildren(QAbstractButton)]
    texts += [w.title() for w in window.findChildren(QGroupBox)]
    texts += [w.placeholderText() for w in window.findChildren(QLineEdit)]
    texts += [w.itemText(i) for w in window.findChildren(QComboBox) for i in range(w.count())]
    texts += [w.tabText(i) for w in window.findChildren(QTabWidget) for i in range(w.count())]
    for view in window.findChildren(QTableView):
        model = view.model()
        if model is None:
            continue
        for column in range(model.columnCount()):
            texts.append(str(model.headerData(column, Qt.Orientation.Horizontal)))
            texts += [str(model.index(r, column).data()) for r in range(model.rowCount())]
    if isinstance(window, MainWindow):
        for action in window.menuBar().actions():
            texts.append(action.text())
            menu = action.menu()
            texts += [a.text() for a in menu.actions()] if menu is not None else []
    return texts


def japanese_in(window: QWidget) -> list[str]:
    return [t for t in shown_texts(window) if JAPANESE.search(t) and not DATA.match(t)]


@pytest.mark.parametrize(("role", "actor"), [("reception", Actor("fm", "floor_manager")),
                                             ("counter", Actor("cl", "clerk", "1")),
                                             ("admin", Actor("sm", "site_manager"))])  # fmt: skip
def test_an_english_window_speaks_english(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, role: str, actor: Actor
) -> None:
    node = make_node(tmp_path / role, clock, role=role, counter=actor.counter)
    ReservationService(node).book(SYSTEM, "R202611240001", OPEN_DAY, "11:00", "issuance", "self",
                                  "ヤマダ ハナコ")  # fmt: skip
    TicketService(node).issue(Actor("fm", "floor_manager"), "pin", "self")
    window = MainWindow(Services.of(node), actor, Texts("en"), sync=False)
    qtbot.addWidget(window)
    window.confirm_close = lambda question: True  # type: ignore[method-assign]
    window.show_sync({"offline": True, "waiting": 2, "message": "共有フォルダに接続できません"})
    if role == "reception":
        window.walk_in._printer = PdfFolderPrinter(tmp_path)
        window.walk_in._confirm = lambda question: bool(questions.append(question)) or True
        questions: list[str] = []
        clock.set(OPEN_DAY, time(18, 45))  # after closing: the question is in English
        window.walk_in.choose_procedure("pin")
        window.walk_in.choose_applicant("self")
        window.walk_in.tick_all()
        window.walk_in.issue()
        assert questions and not JAPANESE.search(questions[0])
        window.checkin.name.setText("nakamura")
        window.checkin.search_name()  # nothing found: said in English
    if role == "counter":
        panel = window.counter_panel
        panel.run("call_next")
        panel.call_field.setText("A-999")
        panel.call_number()  # an error from the ticket service, in English
        assert panel.error.text() == "No ticket A-999"
    assert japanese_in(window) == []
    window.close()
    node.close()
