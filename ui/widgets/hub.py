"""The signal hub: news that crosses windows and widgets.

The hub watches the PC's database for commits made by anyone (this window, the command
line, the sync thread) through a data version it polls, and tells the views to refresh.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal


class Hub(QObject):
    """Signals shared by one window tree.

    Args:
        data_version: returns a number that changes whenever the PC's data changed
            (``NodeView.data_version``).
        poll_ms: how often it is asked (setting ``screens.poll_ms``).

    Signals:
        changed: the PC's data changed (any writer); views re-read what they show.
        wrote: this window itself changed something (it goes out to the other PCs now).
        tick: once a second, for clocks and waiting times.
        message(str): a short message for the status bar.
    """

    changed = Signal()
    wrote = Signal()
    tick = Signal()
    message = Signal(str)

    def __init__(self, data_version: Callable[[], int], poll_ms: int = 500,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._data_version = data_version
        self._version = data_version()
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.poll)
        self._poll.start()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self.tick)
        self._clock.start()

    def poll(self) -> None:
        """Emits ``changed`` if another connection committed since the last poll."""
        version = self._data_version()
        if version != self._version:
            self._version = version
            self.changed.emit()

    def notify(self) -> None:
        """Tells the views that this window itself changed something."""
        self.wrote.emit()
        self.changed.emit()

    def stop(self) -> None:
        """Stops the timers (before the node is closed)."""
        self._poll.stop()
        self._clock.stop()
