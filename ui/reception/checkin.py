"""Check-in of reserved visitors: scan or type the booking number, or search the name
(katakana, hiragana or romaji), or pick from the current and next slots; Enter checks in
the selected row and the reserved ticket prints.

Two fields, because a barcode scanner and a Japanese name need opposite things: the scan
field has the input method off (a scanner types like a keyboard, and an input method
would swallow its characters), the name field has it on (kana are typed through it)."""

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
from ui.reception.reservation_model import COL_NAME, ReservationModel
from ui.reception.touch import TOUCH_STYLE
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.keys import bind_key
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
        self.setStyleSheet(TOUCH_STYLE)
        self.scan = QLineEdit()
        # A barcode scanner types like a keyboard: no input method may swallow its digits.
        self.scan.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.scan.setInputMethodHints(
            Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.scan.setPlaceholderText(texts("scan_hint"))
        self.scan.setStyleSheet("font-size: 20px; padding: 6px;")
        self.scan.returnPressed.connect(self.scan_number)
        # Names are typed in kana through the input method (or in romaji, or hiragana).
        self.name = QLineEdit()
        self.name.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.name.setPlaceholderText(texts("name_hint"))
        self.name.setStyleSheet("font-size: 20px; padding: 6px;")
        self.name.returnPressed.connect(self.search_name)
        self.model = ReservationModel(services.here.catalog, texts, self)
        self.table = KeyedTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(44)  # a row is a touch target
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        # The whole booking number stays visible (two bookings of one name at one slot
        # differ only there); the name takes what is left.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _: self.check_in_selected())
        for key in ("Return", "Enter"):
            bind_key(self.table, key, self.check_in_selected, Qt.ShortcutContext.WidgetShortcut)
        self.button = QPushButton(texts("check_in"))
        self.button.setMinimumHeight(56)
        self.button.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.button.clicked.connect(self.check_in_selected)
        self.number = big_label(56)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = error_label()
        fields = QHBoxLayout()
        fields.addWidget(self.scan, 1)
        fields.addWidget(self.name, 1)
        left = QVBoxLayout()
        left.addLayout(fields)
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
        if not self.scan.text().strip() and not self.name.text().strip():
            self.model.show(self._reservations.around(self._here.today(), self._here.now_ms()))
            if self.model.rowCount() and not self.table.selectionModel().hasSelection():
                self.table.selectRow(0)

    def scan_number(self) -> None:
        """Finds the booking number scanned or typed; one exact match is checked in at once."""
        text = self.scan.text().strip()
        self.name.clear()
        rows = self._find(text)
        if len(rows) == 1 and rows[0]["reservation_id"].upper() == text.upper():
            self.check_in(rows[0])

    def search_name(self) -> None:
        """Finds a name; the first match is selected and Enter checks it in."""
        self.scan.clear()
        if self._find(self.name.text().strip()):
            self.table.setFocus()

    def _find(self, text: str) -> list[dict[str, Any]]:
        if not text:
            self.show_coming()
            return []
        rows = self._reservations.find(self._here.today(), text)
        self.model.show(rows)
        if not rows:
            self.error.setText(self._texts("not_found", q=text))
            return []
        self.error.clear()
        self.table.selectRow(0)
        return rows

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
                if not self._confirm(self._texts.error(exc)):
                    raise
                row = tickets.issue(*args, reservation_id=res["reservation_id"], confirm_late=True)
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.error.clear()
        self.number.setText(row["number"])
        self.scan.clear()
        self.name.clear()
        self._print(row["ticket_id"])
        self._hub.notify()
        self.scan.setFocus()

    def _print(self, ticket_id: str) -> None:
        print_and_show(self._services.printing, self._actor, ticket_id, self._printer, self.status,
                       self._texts.lang)  # fmt: skip

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self._texts("check_in"), question)
        return answer == QMessageBox.StandardButton.Yes
