"""The site manager's 提出物 tab: every deliverable with its due date from the calendar,
what is overdue in red, marking hand-ins, and the meetings whose minutes are due
(:class:`app.reports.deliverables.Deliverables`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.core.actor import Actor
from app.reports.deliverables import (
    DUE_SOON,
    DUE_TODAY,
    MEETING_KINDS,
    OVERDUE,
    STATE_NAMES,
    SUBMITTED_STATE,
    Deliverable,
)
from app.services import ManagerServices
from ui.admin.edit_tabs import EditTab, qdate_day
from ui.admin.models import AdminModel, day_text
from ui.admin.texts import ADMIN_TEXTS
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.table_model import TONES, Row
from ui.widgets.tables import selected_key, table_view

#: state → (sign, tone): the sign says what the colour says.
_LOOKS = {OVERDUE: ("× ", "red"), DUE_TODAY: ("! ", "amber"), DUE_SOON: ("▲ ", "blue"),
          SUBMITTED_STATE: ("✓ ", "grey")}  # fmt: skip


class DeliverablesModel(AdminModel):
    """提出物: deliverables by due date, toned by their state, keyed by deliverable key."""

    COLUMNS = ("col_due", "col_deliverable", "col_period", "col_rule", "col_state",
               "col_submitted")  # fmt: skip
    COL_DUE, COL_DELIVERABLE, COL_PERIOD, COL_RULE, COL_STATE, COL_SUBMITTED = range(6)

    def show(self, items: list[Deliverable], today: date) -> None:
        """Shows the deliverables (``Deliverables.listing``) as they stand ``today``."""
        t = self._texts
        rows = []
        for d in items:
            state = d.state(today)
            sign, tone = _LOOKS.get(state, ("", None))
            handed = "" if d.submitted_on is None else d.submitted_on.isoformat()
            title, period, rule = (d.title, d.period, d.rule) if t.lang == "ja" else d.english()
            cells = (day_text(t, d.due), title, period, rule,
                     sign + t.msg(STATE_NAMES[state]), handed)  # fmt: skip
            rows.append(Row(d.key, cells, (d.due, d.title, d.period, d.rule, state, handed), tone))
        self.set_rows(rows)


class MeetingsModel(AdminModel):
    """Meetings entered, keyed by meeting id."""

    COLUMNS = ("meeting_day", "meeting_kind", "meeting_title")
    COL_DAY, COL_KIND, COL_TITLE = range(3)

    def show(self, meetings: list[dict[str, Any]]) -> None:
        """Shows the meetings (``Deliverables.meetings``)."""
        t = self._texts
        self.set_rows([
            Row(m["meeting_id"], (m["day"], t.msg_or(MEETING_KINDS.get(m["kind"]), m["kind"]),
                                  m["title"]))
            for m in meetings
        ])  # fmt: skip


class DeliverablesTab(EditTab):
    """提出物: the list with its overdue banner, hand-ins, and the meetings."""

    def __init__(self, services: ManagerServices, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__(services, actor, texts, hub, "report.record")
        t = texts
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.model = DeliverablesModel(t, self)
        self.view = table_view(self.model, fit=(DeliverablesModel.COL_DUE,
                                                DeliverablesModel.COL_STATE,
                                                DeliverablesModel.COL_SUBMITTED))  # fmt: skip
        self.mark_button = QPushButton(t.msg(ADMIN_TEXTS["mark_submitted"]))
        self.mark_button.clicked.connect(lambda: self.mark())
        self.unmark_button = QPushButton(t.msg(ADMIN_TEXTS["unmark_submitted"]))
        self.unmark_button.clicked.connect(lambda: self.unmark())
        self.through_button = QPushButton(t.msg(ADMIN_TEXTS["mark_daily_through"]))
        self.through_button.clicked.connect(lambda: self.mark_daily_through())
        listing = QGroupBox(t.msg(ADMIN_TEXTS["deliverables_title"]))
        box = QVBoxLayout(listing)
        box.addWidget(self.banner)
        box.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.unmark_button)
        buttons.addWidget(self.through_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.meetings = MeetingsModel(t, self)
        self.meetings_view = table_view(self.meetings, fit=(MeetingsModel.COL_DAY,))
        self.meetings_view.setMaximumHeight(130)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        today = services.here.today()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.kind = QComboBox()
        for code, name in MEETING_KINDS.items():
            self.kind.addItem(t.msg(name), code)
        self.title = QLineEdit()
        self.add_button = QPushButton(t.msg(ADMIN_TEXTS["add_meeting"]))
        self.add_button.clicked.connect(lambda: self.add_meeting())
        self.remove_button = QPushButton(t.msg(ADMIN_TEXTS["remove_meeting"]))
        self.remove_button.clicked.connect(lambda: self.remove_meeting())
        form = QFormLayout()
        form.addRow(t.msg(ADMIN_TEXTS["meeting_day"]), self.day)
        form.addRow(t.msg(ADMIN_TEXTS["meeting_kind"]), self.kind)
        form.addRow(t.msg(ADMIN_TEXTS["meeting_title"]), self.title)
        form.addRow(self.add_button)
        meetings = QGroupBox(t.msg(ADMIN_TEXTS["meetings_title"]))
        row = QHBoxLayout(meetings)
        left = QVBoxLayout()
        left.addWidget(self.meetings_view)
        left.addWidget(self.remove_button)
        row.addLayout(left, 3)
        row.addLayout(form, 2)
        self.layout_.addWidget(listing, 1)
        self.layout_.addWidget(meetings)
        self.finish([self.mark_button, self.unmark_button, self.through_button, self.day, self.kind, self.title,
                     self.add_button, self.remove_button])  # fmt: skip
        self.refresh()

    def mark(self, key: str | None = None, undo: bool = False) -> bool:
        """Marks a deliverable (default: the selected row) handed in today, or not."""
        which = key or selected_key(self.view)
        if which is None:
            return self.refuse("choose_row")
        service, today = self._services.deliverables, self._services.here.today()
        ok = self.run(lambda: service.mark(self._actor, which, None if undo else today),
                      self._texts.msg(ADMIN_TEXTS["unmarked" if undo else "marked"], k=which))  # fmt: skip
        if ok:
            self.refresh()
        return ok

    def mark_daily_through(self, key: str | None = None) -> bool:
        """Marks every daily deliverable due up to the selected row's due day handed in
        today (the site manager confirms a run of daily reports at once)."""
        which = key or selected_key(self.view)
        row = None if which is None else self.model.row_of(which)
        if which is None or row is None:
            return self.refuse("choose_row")
        due = self.model.sort_value(row, DeliverablesModel.COL_DUE)
        service = self._services.deliverables

        def record() -> None:
            self._marked = service.mark_daily_through(self._actor, due, self._services.here.today())

        self._marked = 0
        ok = self.run(record, "")
        if ok:
            self.info.setText(
                self._texts.msg(ADMIN_TEXTS["marked_daily"], n=self._marked, d=due.isoformat())
            )
            self.refresh()
        return ok

    def unmark(self, key: str | None = None) -> bool:
        """Takes a hand-in mark back (default: the selected row)."""
        return self.mark(key, undo=True)

    def add_meeting(self, day: date | None = None, kind: str | None = None,
                    title: str | None = None) -> bool:  # fmt: skip
        """Records a meeting (default: what the form shows)."""
        held = day or qdate_day(self.day.date())
        what = kind or str(self.kind.currentData())
        subject = self.title.text() if title is None else title
        service = self._services.deliverables
        due = self._services.here.calendar().nth_city_office_day_after(held, 3)

        def record() -> None:
            service.add_meeting(self._actor, held, what, subject)

        ok = self.run(record, self._texts.msg(ADMIN_TEXTS["meeting_added"], d=held.isoformat(),
                                 due=due.isoformat()))  # fmt: skip
        if ok:
            self.title.clear()
            self.refresh()
        return ok

    def remove_meeting(self, meeting_id: str | None = None) -> bool:
        """Removes a meeting (default: the selected one)."""
        which = meeting_id or selected_key(self.meetings_view)
        if which is None:
            return self.refuse("choose_row")
        service = self._services.deliverables
        ok = self.run(lambda: service.remove_meeting(self._actor, which),
                      self._texts.msg(ADMIN_TEXTS["meeting_removed"]))  # fmt: skip
        if ok:
            self.refresh()
        return ok

    def refresh(self) -> None:
        """Re-reads the deliverables (as they stand today) and the meetings."""
        service, today = self._services.deliverables, self._services.here.today()
        items = service.listing(today)
        self.model.show(items, today)
        late = sum(1 for d in items if d.state(today) == OVERDUE)
        background, color = TONES["red"] if late else ("#e8f1fa", "#000000")
        self.banner.setText(self._texts.msg(ADMIN_TEXTS["overdue_banner"], n=late) if late
                            else self._texts.msg(ADMIN_TEXTS["none_overdue"]))  # fmt: skip
        self.banner.setStyleSheet(f"background: {background}; color: {color}; padding: 6px; "
                                  "font-size: 14px; font-weight: bold;")  # fmt: skip
        self.meetings.show(service.meetings())
        self.day.setMaximumDate(QDate(today.year, today.month, today.day).addYears(1))
