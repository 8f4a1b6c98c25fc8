"""The role panel at the top of each window: reception issues, counters call and serve,
the display shows calls, the site manager sees the lanes. The full role screens grow
from these."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.node import Node
from app.privacy import PrivacyError
from app.staff import AuthError
from app.tickets import TicketError
from ui.hub import Hub
from ui.i18n import Texts

USER_ERRORS = (TicketError, AuthError, PrivacyError)


def big_label(points: int, bold: bool = True) -> QLabel:
    """Returns a centred label with a large font."""
    label = QLabel()
    font = label.font()
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def error_label() -> QLabel:
    """Returns the red, bold line where user errors are shown."""
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold; font-size: 15px;")
    return label


def lane_counts(node: Node, texts: Texts) -> str:
    """Returns 'lane: n waiting' for every lane."""
    rows = node.store.rows(
        "SELECT lane, count(*) AS n FROM tickets WHERE day = ? AND state = 'waiting' GROUP BY lane",
        (node.today().isoformat(),),
    )
    counts = {r["lane"]: r["n"] for r in rows}
    parts = []
    for lane in node.catalog.lanes.values():
        name = texts.pick((lane.name_ja, lane.name_en))
        parts.append(f"{lane.prefix} {name}: {texts('waiting_count', n=counts.get(lane.id, 0))}")
    return "   ".join(parts)


class DisplayPanel(QWidget):
    """The numbers being called now, with their counter, very large."""

    def __init__(self, node: Node, texts: Texts, hub: Hub) -> None:
        super().__init__()
        self._node, self._texts = node, texts
        self.title = big_label(28)
        self.calls = big_label(64)
        self.counts = QLabel()
        self.counts.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #000000; color: #ffffff;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.calls, 1)
        layout.addWidget(self.counts)
        hub.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Shows the latest calls."""
        rows = self._node.store.rows(
            "SELECT number, counter FROM tickets WHERE day = ? AND state = 'called' "
            "ORDER BY called_at DESC LIMIT 4",
            (self._node.today().isoformat(),),
        )
        self.title.setText(self._texts("now_calling"))
        lines = [f"{r['number']}  →  {self._texts('to_counter', c=r['counter'])}" for r in rows]
        self.calls.setText("\n".join(lines) or "—")
        self.counts.setText(lane_counts(self._node, self._texts))


class AdminPanel(QWidget):
    """Waiting per lane and the longest current wait."""

    def __init__(self, node: Node, texts: Texts, hub: Hub) -> None:
        super().__init__()
        self._node, self._texts = node, texts
        self.counts = QLabel()
        self.longest = big_label(20)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.longest)
        hub.changed.connect(self.refresh)
        hub.tick.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Re-reads the lanes' waiting counts."""
        self.counts.setText(lane_counts(self._node, self._texts))
        row = self._node.store.row(
            "SELECT min(issued_at) AS first FROM tickets WHERE day = ? AND state = 'waiting'",
            (self._node.today().isoformat(),),
        )
        first = (row or {}).get("first")
        minutes = 0 if first is None else (self._node.now_ms() - first) // 60_000
        self.longest.setText(f"{self._texts('waited')}: {self._texts('minutes', m=minutes)}")
