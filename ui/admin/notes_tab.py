"""The site manager's 報告事項 tab: problems, improvements and matters agreed with the city,
written for a day's or a month's report (:class:`app.reports.notes.ReportNotes`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from app.core.actor import Actor
from app.model.clock import to_datetime
from app.reports.notes import NOTE_KINDS
from app.services import ManagerServices
from ui.admin.edit_tabs import EditTab, qdate_day
from ui.admin.models import AdminModel
from ui.admin.texts import ADMIN_TEXTS
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.table_model import Row
from ui.widgets.tables import selected_key, table_view


class NotesModel(AdminModel):
    """報告事項: the entries of a day, or of a month and its days, keyed by entry id."""

    COLUMNS = ("col_period", "col_kind", "col_text", "col_by", "col_at")
    COL_PERIOD, COL_KIND, COL_TEXT, COL_BY, COL_AT = range(5)

    def show(self, notes: list[dict[str, Any]]) -> None:
        """Shows the entries (``ReportNotes.of`` and ``of_month_days``)."""
        t = self._texts
        self.set_rows([
            Row(r["note_id"],
                (r["period"], t.msg_or(NOTE_KINDS.get(r["kind"]), r["kind"]), r["text"],
                 r["staff_id"], to_datetime(r["at"]).strftime("%m-%d %H:%M")),
                (r["period"], r["kind"], r["text"], r["staff_id"], r["at"]))
            for r in notes
        ])  # fmt: skip


class NotesTab(EditTab):
    """報告事項: choose a day or a month, see its entries, add, replace or remove one."""

    def __init__(self, services: ManagerServices, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__(services, actor, texts, hub, "report.record")
        t = texts
        today = services.here.today()
        self.model = NotesModel(t, self)
        self.view = table_view(self.model, fit=(NotesModel.COL_PERIOD, NotesModel.COL_BY,
                                                NotesModel.COL_AT))  # fmt: skip
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NotesModel.COL_KIND, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(NotesModel.COL_KIND, 110)
        self.view.setWordWrap(True)  # an entry is read whole, over several lines
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.by_day = QRadioButton(t.msg(ADMIN_TEXTS["scope_day"]))
        self.by_month = QRadioButton(t.msg(ADMIN_TEXTS["scope_month"]))
        self.by_day.setChecked(True)
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        for signal in (self.by_day.toggled, self.day.dateChanged):
            signal.connect(lambda *_: self.refresh())
        self.kind = QComboBox()
        for code, name in NOTE_KINDS.items():
            self.kind.addItem(t.msg(name), code)
        self.text = QPlainTextEdit()
        self.text.setMaximumHeight(120)
        self.add_button = QPushButton(t.msg(ADMIN_TEXTS["add_note"]))
        self.add_button.clicked.connect(lambda: self.add_note())
        self.replace_button = QPushButton(t.msg(ADMIN_TEXTS["replace_note"]))
        self.replace_button.clicked.connect(lambda: self.replace_note())
        self.remove_button = QPushButton(t.msg(ADMIN_TEXTS["remove_note"]))
        self.remove_button.clicked.connect(lambda: self.remove_note())
        scope = QHBoxLayout()
        scope.addWidget(self.by_day)
        scope.addWidget(self.by_month)
        scope.addStretch(1)
        scope_box = QWidget()
        scope_box.setLayout(scope)
        form = QFormLayout()
        form.addRow(t.msg(ADMIN_TEXTS["notes_scope"]), scope_box)
        form.addRow(t.msg(ADMIN_TEXTS["col_period"]), self.day)
        form.addRow(t.msg(ADMIN_TEXTS["note_kind"]), self.kind)
        form.addRow(t.msg(ADMIN_TEXTS["note_text"]), self.text)
        form.addRow("", self.replace_button)
        hint = QLabel(t.msg(ADMIN_TEXTS["notes_hint"]))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #444444; font-size: 12px;")
        form.addRow(hint)
        self.place(
            t.msg(ADMIN_TEXTS["notes_title"]), self.view, self.remove_button, form, self.add_button
        )
        self.finish([self.kind, self.text, self.add_button, self.replace_button,
                     self.remove_button])  # fmt: skip
        self.refresh()

    def period(self) -> str:
        """Returns the day (``YYYY-MM-DD``) or month (``YYYY-MM``) the form names."""
        day: date = qdate_day(self.day.date())
        return day.strftime("%Y-%m") if self.by_month.isChecked() else day.isoformat()

    def add_note(self, kind: str | None = None, text: str | None = None,
                 period: str | None = None) -> bool:  # fmt: skip
        """Records an entry (default: what the form shows)."""
        what = kind or str(self.kind.currentData())
        body = self.text.toPlainText() if text is None else text
        when = period or self.period()
        notes = self._services.notes

        def record() -> None:
            notes.set(self._actor, when, what, body)

        ok = self.run(record, self._texts.msg(ADMIN_TEXTS["note_added"], p=when))
        if ok:
            self.text.clear()
            self.refresh()
        return ok

    def replace_note(self, note_id: str | None = None, text: str | None = None) -> bool:
        """Replaces the text of an entry (default: the selected row) with the form's."""
        which = note_id or selected_key(self.view)
        if which is None:
            return self.refuse("choose_row")
        row = self.model.row_of(which)
        body = self.text.toPlainText() if text is None else text
        notes = self._services.notes
        period = self.model.cell(row, NotesModel.COL_PERIOD) if row is not None else self.period()
        kind = str(self.kind.currentData())

        def record() -> None:
            notes.set(self._actor, period, kind, body, note_id=which)

        ok = self.run(record, self._texts.msg(ADMIN_TEXTS["note_replaced"]))
        if ok:
            self.text.clear()
            self.refresh()
        return ok

    def remove_note(self, note_id: str | None = None) -> bool:
        """Removes an entry (default: the selected row)."""
        which = note_id or selected_key(self.view)
        if which is None:
            return self.refuse("choose_row")
        notes = self._services.notes
        ok = self.run(
            lambda: notes.remove(self._actor, which), self._texts.msg(ADMIN_TEXTS["note_removed"])
        )
        if ok:
            self.refresh()
        return ok

    def refresh(self) -> None:
        """Re-reads the entries of the chosen day, or of the month and its days."""
        period = self.period()
        notes = self._services.notes
        rows = notes.of(period)
        if len(period) == 7:
            rows += notes.of_month_days(period)
        self.model.show(rows)
