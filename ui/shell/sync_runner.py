"""Runs the shared-folder sync in a background thread and reports each round.

The thread opens its own connection to the node's database (SQLite connections stay in
the thread that made them); its commits reach the windows through the hub, which
watches the database. Reports cross to the window's thread as a queued Qt signal.
A plain daemon thread is used rather than a QThread so that a window torn down without
``stop()`` (a crash, a test failure) cannot abort the program.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.actor import SYSTEM
from app.core.node import Node
from app.reservations.bookings import ReservationService
from app.sync.service import SyncService

log = logging.getLogger(__name__)


class SyncRunner(QObject):
    """Owns the sync thread of one window.

    Args:
        data_dir: the node's folder.
        interval_s: time between rounds (about a second, design.md §4).

    Signals:
        report(dict): the outcome of a round (see :class:`app.sync.service.SyncReport`).
    """

    report = Signal(dict)

    def __init__(
        self, data_dir: Path, interval_s: float = 1.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._interval_s = interval_s
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="madoguchi-sync", daemon=True)

    def start(self) -> None:
        """Starts the rounds."""
        self._thread.start()

    def stop(self) -> None:
        """Stops the rounds and waits for the current one (at most a few seconds)."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        node = Node(self._data_dir)
        try:
            service = SyncService(node)
            reservations = ReservationService(node)
            while not self._stopping.is_set():
                try:
                    result: dict[str, Any] = service.once().to_json()
                    # Any PC that sees a slot end first records its no-shows.
                    reservations.sweep_noshows(SYSTEM)
                except Exception as exc:  # a bug must not end sync silently
                    log.exception("sync round failed")
                    result = {"offline": True, "message": f"同期でエラーが起きました: {exc}",
                              "exported": 0, "imported": 0, "waiting": -1, "problems": [],
                              "clone_alarm": False}  # fmt: skip
                try:
                    self.report.emit(result)
                except RuntimeError:  # the window is gone
                    return
                self._stopping.wait(self._interval_s)
        finally:
            node.close()
