"""The site manager's editing tabs: 開庁日 (ad-hoc closures) and 受付停止 (pauses); 職員 is in
:mod:`ui.admin.staff_tab`.

Every action is a slot that takes its values as arguments, defaulting to what the form
shows, so tests (and later dialogs) can call it directly. Errors appear in a red line; an
action the signed-in role may not do is disabled, with a note saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.actor import Actor
from app.core.errors import UserError
from app.core.node import Node
from app.model.clock import to_datetime
from app.queue.closures import ClosureService
from app.queue.pauses import JLIS, PauseService
from ui.admin.rows_model import RowsModel, selected_key, table_view
from ui.admin.texts import tr
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.labels import error_label

WEEKDAYS = (("月", "Mon"), ("火", "Tue"), ("水", "Wed"), ("木", "Thu"), ("金", "Fri"),
            ("土", "Sat"), ("日", "Sun"))  # fmt: skip


class EditTab(QWidget):
    """A list, a form and the lines that tell how the last action went.

    Args:
        node: the node edited.
        actor: the signed-in staff member.
        texts: the language.
        hub: told after every change.
        permission: the action of :data:`app.core.staff.PERMISSIONS` the tab's buttons need.
    """

    def __init__(self, node: Node, actor: Actor, texts: Texts, hub: Hub, permission: str) -> None:
        super().__init__()
        self._node, self._actor, self._texts, self._hub = node, actor, texts, hub
        self.allowed = actor.may(permission)
        self.error = error_label()
        self.info = QLabel()
        self.info.setStyleSheet("color: #005a32; font-weight: bold; font-size: 14px;")
        self.layout_ = QVBoxLayout(self)

    def place(self, title: str, view: QTableView, remove: QPushButton, form: QFormLayout,
              add: QPushButton) -> None:  # fmt: skip
        """Lays out the list with its remove button (left) and the form to add (right)."""
        listing = QGroupBox(title)
        left = QVBoxLayout(listing)
        left.addWidget(view, 1)
        row = QHBoxLayout()
        row.addWidget(remove)
        row.addStretch(1)
        left.addLayout(row)
        adding = QGroupBox(tr(self._texts, "add_title"))
        right = QVBoxLayout(adding)
        right.addLayout(form)
        right.addWidget(add)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(listing, 3)
        columns.addWidget(adding, 2)
        self.layout_.addLayout(columns, 1)

    def finish(self, actions: list[QWidget]) -> None:
        """Adds the message lines and disables the actions the role may not do."""
        if not self.allowed:
            self.layout_.addWidget(QLabel(tr(self._texts, "no_permission")))
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.info)
        for widget in actions:
            widget.setEnabled(self.allowed)

    def run(self, action: Callable[[], None], done: str) -> bool:
        """Runs an action; shows its error (red) or ``done`` and tells the hub."""
        try:
            action()
        except UserError as exc:
            self.info.clear()
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.info.setText(done)
        self._hub.notify()
        return True

    def refuse(self, key: str) -> bool:
        """Shows a refusal of the window itself (nothing chosen, PINs differ)."""
        self.info.clear()
        self.error.setText(tr(self._texts, key))
        return False


def qdate_day(value: QDate) -> date:
    """Returns a Python date of a QDate."""
    return date(value.year(), value.month(), value.day())


def day_text(texts: Texts, day: date) -> str:
    """Returns ``2026-12-01（火）``."""
    return f"{day.isoformat()}（{texts.pick(WEEKDAYS[day.weekday()])}）"


class ClosuresTab(EditTab):
    """開庁日: the ad-hoc closures (臨時閉庁), added and removed."""

    def __init__(self, node: Node, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__(node, actor, texts, hub, "calendar.edit")
        t = texts
        self.model = RowsModel([tr(t, "col_day"), tr(t, "col_reason"), tr(t, "col_by")], self)
        self.view = table_view(self.model, fit=(0,))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        tomorrow = node.today() + timedelta(days=1)
        self.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        self.reason = QLineEdit()
        self.add_button = QPushButton(tr(t, "add_closure"))
        self.add_button.clicked.connect(lambda: self.add_closure())
        self.remove_button = QPushButton(tr(t, "remove_closure"))
        self.remove_button.clicked.connect(lambda: self.remove_closure())
        form = QFormLayout()
        form.addRow(tr(t, "closure_day"), self.day)
        form.addRow(tr(t, "reason"), self.reason)
        self.place(tr(t, "closures_title"), self.view, self.remove_button, form, self.add_button)
        self.finish([self.day, self.reason, self.add_button, self.remove_button])
        self.refresh()

    def add_closure(self, day: date | None = None, reason: str | None = None) -> bool:
        """Closes the center on ``day`` (default: the form's) for ``reason``."""
        the_day = day or qdate_day(self.day.date())
        why = self.reason.text() if reason is None else reason
        service = ClosureService(self._node)
        ok = self.run(lambda: service.add(self._actor, the_day, why),
                      tr(self._texts, "closure_added", d=the_day.isoformat()))  # fmt: skip
        if ok:
            self.reason.clear()
        return ok

    def remove_closure(self, day: date | None = None) -> bool:
        """Removes the closure of ``day`` (default: the selected row)."""
        the_day = day or selected_key(self.view)
        if the_day is None:
            return self.refuse("choose_row")
        service = ClosureService(self._node)
        return self.run(lambda: service.remove(self._actor, the_day),
                        tr(self._texts, "closure_removed", d=the_day.isoformat()))  # fmt: skip

    def refresh(self) -> None:
        """Re-reads the closures."""
        rows = ClosureService(self._node).all()
        days = [date.fromisoformat(r["day"]) for r in rows]
        self.model.set_rows([[day_text(self._texts, d), r["reason"], r["staff_id"]]
                             for d, r in zip(days, rows, strict=True)], keys=days)  # fmt: skip


class PausesTab(EditTab):
    """受付停止: pause J-LIS (every J-LIS procedure) or one procedure, and resume."""

    def __init__(self, node: Node, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__(node, actor, texts, hub, "calendar.edit")
        t = texts
        self.model = RowsModel([tr(t, "col_target"), tr(t, "col_reason"), tr(t, "col_by"),
                                tr(t, "col_paused_at")], self)  # fmt: skip
        self.view = table_view(self.model, fit=(0, 3))
        self.target = QComboBox()
        self.target.addItem(tr(t, "jlis_all"), JLIS)
        for proc in node.catalog.procedures.values():
            self.target.addItem(t.pick((proc.name_ja, proc.name_en)), proc.code)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("J-LIS 障害")
        self.pause_button = QPushButton(tr(t, "pause"))
        self.pause_button.clicked.connect(lambda: self.pause())
        self.resume_button = QPushButton(tr(t, "resume"))
        self.resume_button.clicked.connect(lambda: self.resume())
        form = QFormLayout()
        form.addRow(tr(t, "pause_target"), self.target)
        form.addRow(tr(t, "reason"), self.reason)
        self.place(tr(t, "pauses_title"), self.view, self.resume_button, form, self.pause_button)
        self.finish([self.target, self.reason, self.pause_button, self.resume_button])
        self.refresh()

    def name(self, target: str) -> str:
        """Returns the shown name of ``jlis`` or a procedure code."""
        if target == JLIS or target not in self._node.catalog.procedures:
            return tr(self._texts, "jlis_all") if target == JLIS else target
        proc = self._node.catalog.procedure(target)
        return self._texts.pick((proc.name_ja, proc.name_en))

    def pause(self, target: str | None = None, reason: str | None = None) -> bool:
        """Pauses ``target`` (default: the form's choice) for ``reason``."""
        what = target or str(self.target.currentData())
        why = self.reason.text() if reason is None else reason
        service = PauseService(self._node)
        ok = self.run(lambda: service.pause(self._actor, what, why),
                      tr(self._texts, "paused_done", p=self.name(what)))  # fmt: skip
        if ok:
            self.reason.clear()
        return ok

    def resume(self, target: str | None = None) -> bool:
        """Ends the pause of ``target`` (default: the selected row)."""
        what = target or selected_key(self.view)
        if what is None:
            return self.refuse("choose_row")
        service = PauseService(self._node)
        return self.run(lambda: service.resume(self._actor, what),
                        tr(self._texts, "resumed_done", p=self.name(what)))  # fmt: skip

    def refresh(self) -> None:
        """Re-reads the pauses."""
        rows = PauseService(self._node).rows()
        self.model.set_rows(
            [[self.name(r["procedure"]), r["reason"], r["staff_id"],
              to_datetime(r["paused_at"]).strftime("%m-%d %H:%M")] for r in rows],
            keys=[r["procedure"] for r in rows], tones=["amber"] * len(rows),
        )  # fmt: skip
