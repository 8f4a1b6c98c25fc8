"""Runs the PC's LAN path (:mod:`app.lan.path`) in a background thread.

The thread opens its own node on the PC's folder (SQLite connections stay in the thread
that made them). The window wakes it right after it wrote (a call goes out at once), and it
tells the window when events that arrived were new here, as a queued Qt signal, so the
views re-read at once instead of at the hub's next look (a burst of packets makes one look,
not one per packet). A plain daemon thread, as for the
sync rounds, so a window torn down without ``stop()`` cannot abort the program.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.node import Node
from app.lan.path import LanPath


class LanRunner(QObject):
    """Owns the LAN thread of one window.

    Args:
        data_dir: the node's folder.

    Signals:
        news: events that arrived over the LAN were new here.
    """

    news = Signal()
    _arrived = Signal()  # from the LAN thread; delivered in the window's thread

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._stopping = threading.Event()
        self._pending = threading.Event()  # told, not yet delivered: a burst makes one look
        self._arrived.connect(self._deliver)
        self._path: LanPath | None = None
        self._thread = threading.Thread(target=self._run, name="madoguchi-lan", daemon=True)
        self.problem = ""

    def start(self) -> None:
        """Starts the path."""
        self._thread.start()

    def wake(self) -> None:
        """Pushes what this PC just wrote now (else within the loop's next turn)."""
        path = self._path
        if path is not None:
            path.wake()

    def stop(self) -> None:
        """Stops the path and waits for its thread (a fraction of a second)."""
        self._stopping.set()
        self.wake()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _tell(self) -> None:
        if self._pending.is_set():
            return  # the window has not looked yet: it will see this too
        self._pending.set()
        try:
            self._arrived.emit()
        except RuntimeError:  # the window is gone
            self._stopping.set()

    def _deliver(self) -> None:
        self._pending.clear()  # before the look: what arrives after it is told again
        self.news.emit()

    def _run(self) -> None:
        node = Node(self._data_dir)
        path = LanPath(node, on_news=self._tell)
        try:
            if not path.open():
                self.problem = path.status.problem
                return
            self._path = path
            path.run(self._stopping.is_set)
        finally:
            self._path = None
            path.close()
            node.close()
