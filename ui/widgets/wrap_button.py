"""A push button whose text wraps onto more lines instead of being cut off."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class WrapButton(QPushButton):
    """A checkable-or-not push button showing its text in a word-wrapping label.

    Args:
        parent: the parent widget.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # The button's own padding stays the button's: the label fills what is inside it.
        self.label.setStyleSheet("padding: 0px; margin: 0px; background: transparent;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 6, 2)
        layout.addWidget(self.label)

    def setText(self, text: str) -> None:
        """Shows the text (wrapped) in the button."""
        self.label.setText(text)
        self.updateGeometry()

    def text(self) -> str:
        """Returns the text shown."""
        return self.label.text()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self.label.sizeHint().height() + 8))
