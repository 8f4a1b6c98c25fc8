"""The site manager's 運転モード tab: periods of 縮小運転, J-LIS停止 and 臨時閉庁 (part of a
day) started, planned and ended (:class:`app.queue.modes.ModeService`).

A whole day's 臨時閉庁 is a closure of the calendar (the 開庁日 tab). Every action is a slot
that takes its values as arguments, defaulting to the form, so tests call it directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QWidget,
)

from app.core.actor import Actor
from app.core.catalog import Catalog
from app.model.clock import to_datetime
from app.queue.modes import KINDS, Period, detail
from app.services import ManagerServices
from ui.admin.edit_tabs import EditTab, qdate_day
from ui.admin.models import AdminModel, day_text
from ui.admin.texts import ADMIN_TEXTS
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.table_model import Row
from ui.widgets.tables import selected_key, table_view

#: How many days ahead the tab lists planned periods.
AHEAD_DAYS = 31


class ModesModel(AdminModel):
    """運転モード: today's and the coming periods, keyed by period id; running ones amber."""

    COLUMNS = ("col_day", "col_span", "col_mode", "col_detail", "col_reason", "col_by")
    COL_DAY, COL_SPAN, COL_MODE, COL_DETAIL, COL_REASON, COL_BY = range(6)

    def show(self, periods: list[Period], catalog: Catalog, now_ms: int) -> None:
        """Shows the periods (``ModeService.periods``); those running now are toned."""
        t = self._texts
        self.set_rows([
            Row(p.period_id,
                (day_text(t, p.day), p.span(), p.name(t.lang), detail(p, catalog, t.lang),
                 p.reason, p.staff_id),
                (p.day.isoformat(), p.start_ms, p.kind, "", p.reason, p.staff_id),
                "amber" if p.covers(now_ms) else None)
            for p in periods
        ])  # fmt: skip


def _checklist(items: Sequence[tuple[str, str]]) -> QListWidget:
    """A list of checkable items (code, shown name), none ticked."""
    widget = QListWidget()
    for code, name in items:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMaximumHeight(120)
    return widget


def _ticked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(str(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)  # fmt: skip


def _time(edit: QTimeEdit) -> time:
    value = edit.time()
    return time(value.hour(), value.minute())


class ModesTab(EditTab):
    """運転モード: start a period (now or planned), end the selected one, back to normal."""

    def __init__(self, services: ManagerServices, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__(services, actor, texts, hub, "calendar.edit")
        t, here = texts, services.here
        self._modes = services.modes
        self.model = ModesModel(t, self)
        self.view = table_view(self.model, fit=(ModesModel.COL_DAY, ModesModel.COL_SPAN,
                                                ModesModel.COL_MODE))  # fmt: skip
        self.kind = QComboBox()
        for code, name in KINDS.items():
            self.kind.addItem(t.msg(name), code)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        today = here.today()
        self.day.setDate(QDate(today.year, today.month, today.day))
        now = to_datetime(here.now_ms())
        self.start = QTimeEdit(QTime(now.hour, now.minute))
        self.from_now = QCheckBox(
            t.msg(ADMIN_TEXTS["mode_now"])
        )  # today: from the minute it is started
        self.from_now.setChecked(True)
        self.has_end = QCheckBox(t.msg(ADMIN_TEXTS["mode_until"]))
        self.end = QTimeEdit(QTime(min(now.hour + 1, 23), now.minute))
        catalog = here.catalog
        self.procedures = _checklist([(p.code, t.name("procedure", p))
                                      for p in catalog.procedures.values() if not p.reservation])  # fmt: skip
        self.lanes = _checklist([(lane.id, t.name("lane", lane))
                                 for lane in catalog.lanes.values()])  # fmt: skip
        self.has_close = QCheckBox(t.msg(ADMIN_TEXTS["mode_close"]))
        self.close_at = QTimeEdit(QTime(16, 0))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(t.msg(ADMIN_TEXTS["mode_reason_hint"]))
        self.start_button = QPushButton(t.msg(ADMIN_TEXTS["mode_start"]))
        self.start_button.clicked.connect(lambda: self.start_mode())
        self.end_button = QPushButton(t.msg(ADMIN_TEXTS["mode_end"]))
        self.end_button.clicked.connect(lambda: self.end_mode())
        self.normal_button = QPushButton(t.msg(ADMIN_TEXTS["mode_normal"]))
        self.normal_button.clicked.connect(lambda: self.back_to_normal())
        form = QFormLayout()
        form.addRow(t.msg(ADMIN_TEXTS["col_mode"]), self.kind)
        form.addRow(t.msg(ADMIN_TEXTS["mode_day"]), self.day)
        starts = QWidget()
        row = QHBoxLayout(starts)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.from_now)
        row.addWidget(self.start, 1)
        form.addRow(t.msg(ADMIN_TEXTS["mode_from"]), starts)
        form.addRow(self.has_end, self.end)
        form.addRow(t.msg(ADMIN_TEXTS["mode_procedures"]), self.procedures)
        form.addRow(t.msg(ADMIN_TEXTS["mode_lanes"]), self.lanes)
        form.addRow(self.has_close, self.close_at)
        form.addRow(t.msg(ADMIN_TEXTS["reason"]), self.reason)
        ends = QWidget()
        row = QHBoxLayout(ends)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.end_button)
        row.addWidget(self.normal_button)
        self.place(t.msg(ADMIN_TEXTS["modes_title"]), self.view, ends, form, self.start_button)
        hint = QLabel(t.msg(ADMIN_TEXTS["modes_note"]))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #444444; font-size: 12px;")
        self.layout_.addWidget(hint)
        self.finish([self.kind, self.day, self.from_now, self.start, self.has_end, self.end, self.procedures,
                     self.lanes, self.has_close, self.close_at, self.reason, self.start_button,
                     self.end_button, self.normal_button])  # fmt: skip
        self.refresh()

    def start_mode(self, kind: str | None = None, reason: str | None = None, *,
                   day: date | None = None, start: time | None = None, end: time | None = None,
                   procedures: Sequence[str] | None = None, lanes: Sequence[str] | None = None,
                   close_at: time | None = None) -> bool:  # fmt: skip
        """Starts a period of a mode (default: what the form shows)."""
        what = kind or str(self.kind.currentData())
        why = self.reason.text() if reason is None else reason
        reduced = what == "reduced"
        the_day = day or qdate_day(self.day.date())
        if start is None and not (self.from_now.isChecked() and the_day == self._today()):
            start = _time(self.start)  # None: from now
        args = dict(
            day=the_day, start=start,
            end=end if end is not None else (_time(self.end) if self.has_end.isChecked() else None),
            procedures=procedures if procedures is not None else
            (_ticked(self.procedures) if reduced else ()),
            lanes=lanes if lanes is not None else (_ticked(self.lanes) if reduced else ()),
            close_at=close_at if close_at is not None else
            (_time(self.close_at) if reduced and self.has_close.isChecked() else None),
        )  # fmt: skip
        service = self._modes
        ok = self.run(lambda: service.start(self._actor, what, why, **args),  # type: ignore[arg-type]
                      self._texts.msg(ADMIN_TEXTS["mode_started"], m=self._texts.msg(KINDS[what]))
                      if what in KINDS else "")  # fmt: skip
        if ok:
            self.reason.clear()
        return ok

    def _today(self) -> date:
        return self._services.here.today()

    def end_mode(self, period_id: str | None = None) -> bool:
        """Ends the selected period now."""
        which = period_id or selected_key(self.view)
        if which is None:
            return self.refuse("choose_row")
        service = self._modes
        return self.run(
            lambda: service.end(self._actor, which), self._texts.msg(ADMIN_TEXTS["mode_ended"])
        )

    def back_to_normal(self) -> bool:
        """Ends every period of today (通常に戻す)."""

        def action() -> None:
            self._modes.back_to_normal(self._actor)

        return self.run(action, self._texts.msg(ADMIN_TEXTS["mode_normal_done"]))

    def refresh(self) -> None:
        """Re-reads today's and the coming periods."""
        here = self._services.here
        today = here.today()
        periods = self._modes.periods(today, today + timedelta(days=AHEAD_DAYS))
        self.model.show(periods, here.catalog, here.now_ms())
