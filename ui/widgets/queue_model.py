"""Table model of today's tickets on this node (the live queue)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.core.node import Node
from app.model.clock import hhmm
from app.model.ticket_fold import CALLED, HELD, SERVING, WAITING
from app.queue.tickets import STATE_NAMES, TicketService
from ui.widgets.i18n import Texts

COLUMNS = ("number", "state", "procedure", "applicant", "lane", "issued", "waited")
_ACTIVE = (CALLED, SERVING, HELD)
# Colour-blind-safe tints (Okabe–Ito palette, lightened) for the active states.
_TINTS = {CALLED: "#fde6b3", SERVING: "#cfe8f7", HELD: "#e8d5e8"}

Index = QModelIndex | QPersistentModelIndex


class QueueModel(QAbstractTableModel):
    """Today's tickets: active ones first, then the waiting queue in calling order,
    then closed ones (latest first).

    Args:
        node: the node whose tickets are shown.
        texts: the window's language.
        lanes: only these lanes (all when empty).
    """

    def __init__(
        self,
        node: Node,
        texts: Texts,
        lanes: tuple[str, ...] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._node = node
        self._tickets = TicketService(node)
        self._texts = texts
        self._lanes = lanes
        self._rows: list[dict[str, Any]] = []
        self._now = node.now_ms()
        self.refresh()

    def refresh(self) -> None:
        """Re-reads the tickets from the store."""
        self.beginResetModel()
        self._now = self._node.now_ms()
        everything = self._tickets.tickets(lanes=self._lanes)
        active = [t for t in everything if t["state"] in _ACTIVE]
        waiting = self._tickets.queue(self._lanes or tuple(self._node.catalog.lanes))
        closed = [t for t in reversed(everything) if t["state"] not in (*_ACTIVE, WAITING)]
        self._rows = active + waiting + closed
        self.endResetModel()

    def set_texts(self, texts: Texts) -> None:
        """Switches the language of the headers and cells."""
        self._texts = texts
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.refresh()

    def ticket_at(self, row: int) -> dict[str, Any]:
        """Returns the ticket shown in a row."""
        return self._rows[row]

    def waiting_count(self) -> int:
        """Returns how many tickets wait to be called."""
        return sum(1 for t in self._rows if t["state"] == WAITING)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return self._texts(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ticket = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(ticket, COLUMNS[index.column()])
        if role == Qt.ItemDataRole.BackgroundRole and ticket["state"] in _TINTS:
            return QBrush(QColor(_TINTS[ticket["state"]]))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 5, 6):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _cell(self, t: dict[str, Any], column: str) -> str:
        catalog = self._node.catalog
        pick = self._texts.pick
        if column == "number":
            return str(t["number"])
        if column == "state":
            state = pick(STATE_NAMES[t["state"]])
            return f"{state} {t['counter']}" if t["counter"] and t["state"] in _ACTIVE else state
        if column == "procedure":
            p = catalog.procedure(t["procedure"])
            return pick((p.name_ja, p.name_en))
        if column == "applicant":
            a = catalog.applicants[t["applicant"]]
            return pick((a.name_ja, a.name_en))
        if column == "lane":
            lane = catalog.lane(t["lane"])
            return pick((lane.name_ja, lane.name_en))
        if column == "issued":
            return hhmm(t["issued_at"])
        end = t["called_at"] if t["called_at"] is not None else self._now
        if t["state"] in (WAITING,) or t["called_at"] is not None:
            return self._texts("minutes", m=max(0, (end - t["issued_at"]) // 60_000))
        return ""
