"""A site manager changes a counter PC's number and the lanes it calls."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from app.core.actor import Actor
from app.core.errors import InputError, UserError
from app.core.node_view import NodeView
from ui.widgets.i18n import Texts


class CounterSetupDialog(QDialog):
    """Counter number and lanes of this PC (changes only this PC's settings)."""

    def __init__(self, here: NodeView, actor: Actor, texts: Texts) -> None:
        super().__init__()
        self._here, self._actor, self._lang = here, actor, texts.lang
        identity = here.identity
        self.setWindowTitle(texts("counter_setup"))
        self.number = QLineEdit(identity.counter or "")
        self.lanes: dict[str, QCheckBox] = {}
        form = QFormLayout(self)
        form.addRow(texts("counter"), self.number)
        for lane in here.catalog.lanes.values():
            box = QCheckBox(f"{lane.prefix}  {texts.name('lane', lane)}")
            box.setChecked(lane.id in identity.lanes)
            self.lanes[lane.id] = box
            form.addRow("", box)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        """Stores the settings, or says why not."""
        lanes = [lane for lane, box in self.lanes.items() if box.isChecked()]
        try:
            if not lanes:
                raise InputError("呼び出す列を1つ以上選んでください",
                                 en="Choose at least one lane to call")  # fmt: skip
            self._here.configure_counter(self._actor, self.number.text(), lanes)
        except UserError as exc:
            self.error.setText(exc.in_language(self._lang))
            return
        self.accept()
