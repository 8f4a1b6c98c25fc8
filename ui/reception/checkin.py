"""Check-in of reserved visitors: scan or type the reservation number, or search the
name in kana, or pick from the current and next slots; the reserved ticket prints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from app.core.actor import Actor
from app.core.errors import UserError
from app.printing.printer import Printer
from app.queue.tickets import LateCheckIn
from app.services import ReceptionServices
from ui.reception.reservation_model import ReservationModel
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.labels import big_label, error_label
from ui.widgets.qt_printer import print_and_show
from ui.widgets.tables import KeyedTableView

Confirm = Callable[[str], bool]


class CheckinPanel(QWidget):
    """The reception window's check-in tab.

    Args:
        confirm: asks the floor manager a yes/no question (a dialog; tests replace it).
    """

    def __init__(self, services: ReceptionServices, actor: Actor, texts: Texts, hub: Hub,
                 printer: Printer | None = None, confirm: Confirm | None = None) -> None:  # fmt: skip
        super().__init__()
        self._services, self._actor, self._texts, self._hub = services, actor, texts, hub
        self._here = services.here
        self._printer = printer
        self._confirm = confirm or self._ask
        self._reservations = services.reservations
        self.search = QLineEdit()
        # A barcode scanner types like a keyboard: no input method may swallow its digits.
        self.search.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.search.setInputMethodHints(Qt.InputMethodHint.ImhLatinOnly)
        self.search.setPlaceholderText(texts("search_hint"))
        self.search.setStyleSheet("font-size: 20px; padding: 6px;")
        self.search.returnPressed.connect(self.search_reservations)
        self.model = ReservationModel(services.here.catalog, texts, self)
        self.table = KeyedTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _: self.check_in_selected())
        self.button = QPushButton(texts("check_in"))
        self.button.setMinimumHeight(56)
        self.button.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.button.clicked.connect(self.check_in_selected)
        self.number = big_label(56)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = error_label()
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.table, 1)
        left.addWidget(self.button)
        right = QVBoxLayout()
        right.addWidget(self.number)
        right.addWidget(self.status)
        right.addWidget(self.error)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        hub.changed.connect(self.show_coming)
        self.show_coming()

    def show_coming(self) -> None:
        """Lists the reservations of the current and next slots (unless a search is shown)."""
        if not self.search.text().strip():
            self.model.show(self._reservations.around(self._here.today(), self._here.now_ms()))

    def search_reservations(self) -> None:
        """Searches; a single match by reservation number (a scan) is checked in at once."""
        text = self.search.text().strip()
        if not text:
            self.show_coming()
            return
        rows = self._reservations.find(self._here.today(), text)
        self.model.show(rows)
        if not rows:
            self.error.setText(self._texts("not_found", q=text))
            return
        self.error.clear()
        if len(rows) == 1 and rows[0]["reservation_id"].upper() == text.upper():
            self.check_in(rows[0])
        else:
            self.table.selectRow(0)

    def check_in_selected(self) -> None:
        """Checks in the selected reservation."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.check_in(self.model.reservation_at(rows[0].row()))

    def check_in(self, res: dict[str, Any]) -> None:
        """Issues the reserved ticket; a visitor too late for priority needs confirmation."""
        tickets = self._services.tickets
        args = (self._actor, res["procedure"], res["applicant"])
        try:
            try:
                row = tickets.issue(*args, reservation_id=res["reservation_id"])
            except LateCheckIn as exc:
                if not self._confirm(str(exc)):
                    raise
                row = tickets.issue(*args, reservation_id=res["reservation_id"], confirm_late=True)
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.number.setText(row["number"])
        self.search.clear()
        self._print(row["ticket_id"])
        self._hub.notify()
        self.search.setFocus()

    def _print(self, ticket_id: str) -> None:
        print_and_show(self._services.printing, self._actor, ticket_id, self._printer, self.status)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self._texts("check_in"), question)
        return answer == QMessageBox.StandardButton.Yes
