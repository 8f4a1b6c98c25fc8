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
from app.queue.pauses import JLIS
from app.services import ManagerServices
from ui.admin.models import ClosuresModel, PausesModel
from ui.admin.texts import ADMIN_TEXTS
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.labels import error_label
from ui.widgets.tables import selected_key, table_view


class EditTab(QWidget):
    """A list, a form and the lines that tell how the last action went.

    Args:
        services: what the site manager's window uses.
        actor: the signed-in staff member.
        texts: the language.
        hub: told after every change.
        permission: the action of :data:`app.core.staff.PERMISSIONS` the tab's buttons need.
    """

    def __init__(self, services: ManagerServices, actor: Actor, texts: Texts, hub: Hub,
                 permission: str) -> None:  # fmt: skip
        super().__init__()
        self._services, self._actor, self._texts, self._hub = services, actor, texts, hub
        self.allowed = actor.may(permission)
        self.error = error_label()
        self.info = QLabel()
        self.info.setStyleSheet("color: #005a32; font-weight: bold; font-size: 14px;")
        self.layout_ = QVBoxLayout(self)

    def place(self, title: str, view: QTableView, remove: QWidget, form: QFormLayout,
              add: QPushButton) -> None:  # fmt: skip
        """Lays out the list with its remove button (left) and the form to add (right)."""
        listing = QGroupBox(title)
        left = QVBoxLayout(listing)
        left.addWidget(view, 1)
        row = QHBoxLayout()
        row.addWidget(remove)
        row.addStretch(1)
        left.addLayout(row)
        adding = QGroupBox(self._texts.msg(ADMIN_TEXTS["add_title"]))
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
            self.layout_.addWidget(QLabel(self._texts.msg(ADMIN_TEXTS["no_permission"])))
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
            self.error.setText(self._texts.error(exc))
            return False
        self.error.clear()
        self.info.setText(done)
        self._hub.notify()
        return True

    def refuse(self, key: str) -> bool:
        """Shows a refusal of the window itself (nothing chosen, PINs differ)."""
        self.info.clear()
        self.error.setText(self._texts.msg(ADMIN_TEXTS[key]))
        return False


def qdate_day(value: QDate) -> date:
    """Returns a Python date of a QDate."""
    return date(value.year(), value.month(), value.day())


class ClosuresTab(EditTab):
    """開庁日: the ad-hoc closures (臨時閉庁), added and removed."""

    def __init__(self, services: ManagerServices, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__(services, actor, texts, hub, "calendar.edit")
        t = texts
        self.model = ClosuresModel(t, self)
        self.view = table_view(self.model, fit=(ClosuresModel.COL_DAY,))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        tomorrow = services.here.today() + timedelta(days=1)
        self.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        self.reason = QLineEdit()
        self.add_button = QPushButton(t.msg(ADMIN_TEXTS["add_closure"]))
        self.add_button.clicked.connect(lambda: self.add_closure())
        self.remove_button = QPushButton(t.msg(ADMIN_TEXTS["remove_closure"]))
        self.remove_button.clicked.connect(lambda: self.remove_closure())
        form = QFormLayout()
        form.addRow(t.msg(ADMIN_TEXTS["closure_day"]), self.day)
        form.addRow(t.msg(ADMIN_TEXTS["reason"]), self.reason)
        self.place(
            t.msg(ADMIN_TEXTS["closures_title"]),
            self.view,
            self.remove_button,
            form,
            self.add_button,
        )
        self.finish([self.day, self.reason, self.add_button, self.remove_button])
        self.refresh()

    def add_closure(self, day: date | None = None, reason: str | None = None) -> bool:
        """Closes the center on ``day`` (default: the form's) for ``reason``."""
        the_day = day or qdate_day(self.day.date())
        why = self.reason.text() if reason is None else reason
        service = self._services.closures
        ok = self.run(lambda: service.add(self._actor, the_day, why),
                      self._texts.msg(ADMIN_TEXTS["closure_added"], d=the_day.isoformat()))  # fmt: skip
        if ok:
            self.reason.clear()
        return ok

    def remove_closure(self, day: date | None = None) -> bool:
        """Removes the closure of ``day`` (default: the selected row)."""
        the_day = day or selected_key(self.view)
        if the_day is None:
            return self.refuse("choose_row")
        service = self._services.closures
        return self.run(lambda: service.remove(self._actor, the_day),
                        self._texts.msg(ADMIN_TEXTS["closure_removed"], d=the_day.isoformat()))  # fmt: skip

    def refresh(self) -> None:
        """Re-reads the closures."""
        self.model.show(self._services.closures.all())


class PausesTab(EditTab):
    """受付停止: pause J-LIS (every J-LIS procedure) or one procedure, and resume."""

    def __init__(self, services: ManagerServices, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__(services, actor, texts, hub, "calendar.edit")
        t = texts
        self.model = PausesModel(t, self)
        self.view = table_view(self.model, fit=(PausesModel.COL_TARGET, PausesModel.COL_PAUSED_AT))
        self.target = QComboBox()
        self.target.addItem(t.msg(ADMIN_TEXTS["jlis_all"]), JLIS)
        for proc in services.here.catalog.procedures.values():
            self.target.addItem(t.name("procedure", proc), proc.code)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(t("pause_hint"))
        self.pause_button = QPushButton(t.msg(ADMIN_TEXTS["pause"]))
        self.pause_button.clicked.connect(lambda: self.pause())
        self.resume_button = QPushButton(t.msg(ADMIN_TEXTS["resume"]))
        self.resume_button.clicked.connect(lambda: self.resume())
        form = QFormLayout()
        form.addRow(t.msg(ADMIN_TEXTS["pause_target"]), self.target)
        form.addRow(t.msg(ADMIN_TEXTS["reason"]), self.reason)
        self.place(
            t.msg(ADMIN_TEXTS["pauses_title"]),
            self.view,
            self.resume_button,
            form,
            self.pause_button,
        )
        self.finish([self.target, self.reason, self.pause_button, self.resume_button])
        self.refresh()

    def name(self, target: str) -> str:
        """Returns the shown name of ``jlis`` or a procedure code."""
        catalog = self._services.here.catalog
        if target == JLIS or target not in catalog.procedures:
            return self._texts.msg(ADMIN_TEXTS["jlis_all"]) if target == JLIS else target
        proc = catalog.procedure(target)
        return self._texts.name("procedure", proc)

    def pause(self, target: str | None = None, reason: str | None = None) -> bool:
        """Pauses ``target`` (default: the form's choice) for ``reason``."""
        what = target or str(self.target.currentData())
        why = self.reason.text() if reason is None else reason
        service = self._services.pauses
        ok = self.run(lambda: service.pause(self._actor, what, why),
                      self._texts.msg(ADMIN_TEXTS["paused_done"], p=self.name(what)))  # fmt: skip
        if ok:
            self.reason.clear()
        return ok

    def resume(self, target: str | None = None) -> bool:
        """Ends the pause of ``target`` (default: the selected row)."""
        what = target or selected_key(self.view)
        if what is None:
            return self.refuse("choose_row")
        service = self._services.pauses
        return self.run(lambda: service.resume(self._actor, what),
                        self._texts.msg(ADMIN_TEXTS["resumed_done"], p=self.name(what)))  # fmt: skip

    def refresh(self) -> None:
        """Re-reads the pauses."""
        rows = self._services.pauses.rows()
        self.model.show(rows, {r["procedure"]: self.name(r["procedure"]) for r in rows})
