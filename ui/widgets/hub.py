"""The signal hub: news that crosses windows and widgets.

The hub watches the node's database for commits made by anyone (this window, the
command line, the sync) through SQLite's ``data_version`` and tells the views to refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.node import Node


class Hub(QObject):
    """Signals shared by one window tree.

    Signals:
        changed: the node's data changed (any writer); views re-read what they show.
        tick: once a second, for clocks and waiting times.
        message(str): a short message for the status bar.
    """

    changed = Signal()
    tick = Signal()
    message = Signal(str)

    def __init__(self, node: Node, poll_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._node = node
        self._version = self._data_version()
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.poll)
        self._poll.start()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self.tick)
        self._clock.start()

    def _data_version(self) -> int:
        return int(self._node.store.conn.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> None:
        """Emits ``changed`` if another connection committed since the last poll."""
        version = self._data_version()
        if version != self._version:
            self._version = version
            self.changed.emit()

    def notify(self) -> None:
        """Tells the views that this window itself changed something."""
        self.changed.emit()

    def stop(self) -> None:
        """Stops the timers (before the node is closed)."""
        self._poll.stop()
        self._clock.stop()
