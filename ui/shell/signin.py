"""Sign-in with staff ID and PIN (and the counter number at a counter PC)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.actor import Actor
from app.core.errors import UserError
from app.core.node_view import NodeView
from app.core.staff import StaffService
from ui.widgets.i18n import Texts


class SignInDialog(QDialog):
    """Asks for staff ID and PIN; wrong PINs count towards the lockout.

    Args:
        here: the PC signed in at.
        staff: the staff service that checks the PIN.
        texts: the window's language.
        leave: only check the PIN of a staff member who closes the full-screen board
            (no shift starts: nothing is recorded but wrong PINs).
    """

    def __init__(self, here: NodeView, staff: StaffService, texts: Texts,
                 parent: QWidget | None = None, leave: bool = False) -> None:  # fmt: skip
        super().__init__(parent)
        self._staff = staff
        self._texts = texts
        self._leave = leave
        self.actor: Actor | None = None
        identity = here.identity
        action = texts("leave_board") if leave else texts("sign_in")
        self.setWindowTitle(f"{action} — {identity.name}")
        self.staff_id = QLineEdit()
        self.staff_id.setInputMethodHints(Qt.InputMethodHint.ImhLatinOnly)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setInputMethodHints(
            Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
        )
        self.counter = QLineEdit(identity.counter or "")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        form = QFormLayout()
        form.addRow(texts("staff_id"), self.staff_id)
        form.addRow(texts("pin"), self.pin)
        if identity.role == "counter" and not leave:
            form.addRow(texts("counter"), self.counter)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(action)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(texts("cancel"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel(texts("app"))
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(420, 240)

    def try_sign_in(self) -> None:
        """Checks the PIN; accepts the dialog or shows why not."""
        counter = self.counter.text().strip() or None
        check = self._staff.authenticate if self._leave else self._staff.sign_in
        try:
            self.actor = check(self.staff_id.text().strip(), self.pin.text(), counter)
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            self.pin.clear()
            self.pin.setFocus()
            return
        self.accept()
