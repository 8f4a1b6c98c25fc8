"""Keyboard shortcuts of a panel: every move of the counter and the reception by key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def bind_key(widget: QWidget, key: str, slot: Callable[[], object],
             context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QShortcut:  # fmt: skip
    """Runs ``slot`` when ``key`` (e.g. ``F1``, ``Ctrl+Return``) is pressed in the widget's
    window (``context`` narrows it, e.g. to the widget and its children)."""
    shortcut = QShortcut(QKeySequence(key), widget)
    shortcut.setContext(context)
    shortcut.activated.connect(slot)
    return shortcut
