"""The site manager's 職員 tab: the staff list, adding a staff member, deactivating one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.core.actor import ROLES, Actor
from app.services import ManagerServices
from ui.admin.edit_tabs import EditTab
from ui.admin.models import StaffModel
from ui.admin.texts import ADMIN_TEXTS
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.tables import selected_key, table_view


class StaffTab(EditTab):
    """職員: the staff list; add a staff member with a PIN typed twice, or deactivate one."""

    def __init__(self, services: ManagerServices, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__(services, actor, texts, hub, "staff.manage")
        t = texts
        self.model = StaffModel(t, self)
        self.view = table_view(self.model, fit=(StaffModel.COL_ROLE, StaffModel.COL_SIGNED_IN))
        self.staff_id, self.name, self.pin, self.pin_again = (QLineEdit() for _ in range(4))
        for field in (self.pin, self.pin_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(12)
        self.role = QComboBox()
        for code, name in ROLES.items():
            self.role.addItem(t.msg(name), code)
        self.add_button = QPushButton(t.msg(ADMIN_TEXTS["add_staff"]))
        self.add_button.clicked.connect(lambda: self.add_staff())
        self.deactivate_button = QPushButton(t.msg(ADMIN_TEXTS["deactivate"]))
        self.deactivate_button.clicked.connect(lambda: self.deactivate())
        form = QFormLayout()
        fields: tuple[tuple[str, QWidget], ...] = (
            (t.msg(ADMIN_TEXTS["col_staff_id"]), self.staff_id), (t.msg(ADMIN_TEXTS["col_name"]), self.name),
            (t.msg(ADMIN_TEXTS["col_role"]), self.role), (t("pin"), self.pin),
            (t.msg(ADMIN_TEXTS["pin_again"]), self.pin_again))  # fmt: skip
        for label, widget in fields:
            form.addRow(label, widget)
        self.place(
            t.msg(ADMIN_TEXTS["staff_title"]),
            self.view,
            self.deactivate_button,
            form,
            self.add_button,
        )
        self.finish([self.staff_id, self.name, self.role, self.pin, self.pin_again,
                     self.add_button, self.deactivate_button])  # fmt: skip
        self.refresh()

    def add_staff(self, staff_id: str | None = None, name: str | None = None,
                  role: str | None = None, pin: str | None = None,
                  pin_again: str | None = None) -> bool:  # fmt: skip
        """Adds a staff member; the PIN must be typed the same twice."""
        sid = self.staff_id.text().strip() if staff_id is None else staff_id
        who = self.name.text() if name is None else name
        what = str(self.role.currentData()) if role is None else role
        first = self.pin.text() if pin is None else pin
        second = self.pin_again.text() if pin_again is None else pin_again
        self.pin.clear()
        self.pin_again.clear()
        if first != second:
            return self.refuse("pin_mismatch")
        service = self._services.staff
        ok = self.run(lambda: service.add(self._actor, sid, who, what, first),
                      self._texts.msg(ADMIN_TEXTS["staff_added"], s=sid))  # fmt: skip
        if ok:
            self.staff_id.clear()
            self.name.clear()
        return ok

    def deactivate(self, staff_id: str | None = None) -> bool:
        """Stops a staff member (default: the selected row) from signing in."""
        sid = staff_id or selected_key(self.view)
        if sid is None:
            return self.refuse("choose_row")
        service = self._services.staff
        return self.run(lambda: service.deactivate(self._actor, sid),
                        self._texts.msg(ADMIN_TEXTS["staff_deactivated"], s=sid))  # fmt: skip

    def refresh(self) -> None:
        """Re-reads the staff."""
        self.model.show(self._services.staff.all())
