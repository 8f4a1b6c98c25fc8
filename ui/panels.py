"""The role panel at the top of each window: reception issues, counters call and serve,
the display shows calls, the site manager sees the lanes. The full role screens grow
from these."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.node import Node
from app.privacy import PrivacyError
from app.staff import Actor, AuthError
from app.ticket_fold import CALLED, HELD, SERVING
from app.tickets import STATE_NAMES, TicketError, TicketService
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


class CounterPanel(QWidget):
    """Calls, starts and closes tickets at this counter, by button or function key."""

    def __init__(self, node: Node, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__()
        self._node, self._actor, self._texts, self._hub = node, actor, texts, hub
        self._tickets = TicketService(node)
        self.current = big_label(40)
        self.detail = QLabel()
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error = error_label()
        grid = QGridLayout()
        actions = (("call_next", "F1", self.call_next), ("start", "F2", self.start),
                   ("done", "F3", self.done), ("noshow", "F4", self.noshow),
                   ("recall", "F5", self.recall))  # fmt: skip
        self.buttons: dict[str, QPushButton] = {}
        for i, (key, shortcut, slot) in enumerate(actions):
            button = QPushButton(texts(key))
            button.setMinimumHeight(56 if key == "call_next" else 40)
            button.clicked.connect(slot)
            QShortcut(QKeySequence(shortcut), self, activated=slot)
            grid.addWidget(button, 0, i)
            self.buttons[key] = button
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.current)
        layout.addWidget(self.detail)
        layout.addWidget(self.error)
        hub.changed.connect(self.refresh)
        self.refresh()

    def current_ticket(self) -> dict[str, Any] | None:
        """Returns the ticket this counter is calling or serving, if any."""
        active = [
            t
            for t in self._tickets.tickets(states=(CALLED, SERVING, HELD))
            if t["counter"] == self._actor.counter
        ]
        return max(active, key=lambda t: t["last_hlc"]) if active else None

    def _act(self, method: str, *args: Any) -> None:
        ticket = self.current_ticket()
        try:
            if method == "call_next":
                if self._tickets.call_next(self._actor) is None:
                    self.error.setText(self._texts("nobody"))
                    return
            elif ticket is None:
                self.error.setText(self._texts("nobody"))
                return
            else:
                getattr(self._tickets, method)(self._actor, ticket["ticket_id"], *args)
        except USER_ERRORS as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self._hub.notify()

    def call_next(self) -> None:
        """Calls the next visitor of this counter's lanes."""
        self._act("call_next")

    def start(self) -> None:
        """Starts serving the called visitor."""
        self._act("start")

    def done(self) -> None:
        """Closes the current ticket as completed."""
        self._act("done", "completed")

    def noshow(self) -> None:
        """Closes the called ticket as a no-show."""
        self._act("noshow")

    def recall(self) -> None:
        """Calls the current ticket again."""
        self._act("recall")

    def refresh(self) -> None:
        """Shows the current ticket."""
        ticket = self.current_ticket()
        if ticket is None:
            self.current.setText("—")
            self.detail.setText(self._texts("to_counter", c=self._actor.counter or "?"))
            return
        proc = self._node.catalog.procedure(ticket["procedure"])
        self.current.setText(ticket["number"])
        self.detail.setText(
            f"{self._texts.pick(STATE_NAMES[ticket['state']])} — "
            f"{self._texts.pick((proc.name_ja, proc.name_en))}"
        )


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
