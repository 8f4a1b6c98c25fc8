"""Runs the shared-folder rounds in a background thread and reports each one.

The thread opens its own node on the PC's folder (SQLite connections stay in the thread
that made them) and runs :class:`app.sync.loop.SyncLoop`, the same rounds as
``madoguchi sync --watch``; its commits reach the windows through the hub, which watches
the database. Reports cross to the window's thread as a queued Qt signal. A plain daemon
thread is used rather than a QThread so that a window torn down without ``stop()`` (a
crash, a test failure) cannot abort the program.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.node import Node
from app.sync.loop import RoundReport, SyncLoop


class _WindowGone(Exception):
    """The window that listened to the rounds was deleted."""


class SyncRunner(QObject):
    """Owns the sync thread of one window.

    Args:
        data_dir: the node's folder.
        interval_s: time between rounds (setting ``sync.interval_seconds``).

    Signals:
        report(dict): the outcome of a round (see :class:`app.sync.loop.RoundReport`).
    """

    report = Signal(dict)

    def __init__(
        self, data_dir: Path, interval_s: float = 1.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._interval_s = interval_s
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="madoguchi-sync", daemon=True)

    def start(self) -> None:
        """Starts the rounds."""
        self._thread.start()

    def wake(self) -> None:
        """Starts the next round now (this PC wrote something the others should see)."""
        self._wake.set()

    def stop(self) -> None:
        """Stops the rounds and waits for the current one (at most a few seconds)."""
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _tell(self, report: RoundReport) -> None:
        try:
            self.report.emit(report.to_json())
        except RuntimeError as exc:  # the window is gone
            raise _WindowGone from exc

    def _run(self) -> None:
        node = Node(self._data_dir)
        try:
            SyncLoop(node).run(self._stopping, self._interval_s, self._tell, self._wake)
        except _WindowGone:
            pass
        finally:
            node.close()
