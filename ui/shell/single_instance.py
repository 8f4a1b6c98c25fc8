"""One window per PC folder: a second start brings the running window forward.

Two programs on one data folder would be two counters with one identity (or two boards
announcing every call twice). The first program listens on a local socket (a named pipe
on Windows) whose name comes from the data folder; a second program on the same folder
finds it, asks it to come forward, and ends.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

#: How long a second start waits for the first one to answer (ms).
ANSWER_MS = 1500


def server_name(data_dir: Path) -> str:
    """Returns the local socket's name of a data folder (one per folder and user)."""
    folder = os.path.normcase(str(Path(data_dir).resolve()))
    return "madoguchi-" + hashlib.sha256(folder.encode("utf-8")).hexdigest()[:20]


class SingleInstance(QObject):
    """The running program's claim on its data folder.

    Args:
        data_dir: the PC's data folder.

    Signals:
        raised: another start asked this program to bring its window forward.
    """

    raised = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self._server: QLocalServer | None = None

    def forward(self) -> bool:
        """Asks a program already running on the folder to come forward.

        Returns:
            True when one answered (this start should end).
        """
        socket = QLocalSocket(self)
        try:
            socket.connectToServer(self.name)
            if not socket.waitForConnected(ANSWER_MS):
                return False
            socket.write(b"raise\n")
            socket.waitForBytesWritten(ANSWER_MS)
            socket.disconnectFromServer()
            return True
        finally:
            socket.deleteLater()

    def claim(self) -> bool:
        """Listens for later starts on the folder.

        Returns:
            False when another program claimed the folder first (this start should end
            after :meth:`forward`); True otherwise.
        """
        # No socket options: with them Qt replaces a socket already there, and two programs
        # would both believe they hold the folder.
        server = QLocalServer(self)
        if not server.listen(self.name):
            if self.forward():
                return False  # started at the same moment: the other one won
            QLocalServer.removeServer(self.name)  # left behind by a program that crashed
            if not server.listen(self.name):
                return True  # cannot listen here (unusual): run without the claim
        server.newConnection.connect(self._answer)
        self._server = server
        return True

    def _answer(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.disconnected.connect(socket.deleteLater)
        self.raised.emit()

    def release(self) -> None:
        """Stops listening (the program ends)."""
        if self._server is not None:
            self._server.close()
            self._server = None
