"""Table model of today's tickets on this PC (the live queue under each role's panel)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from app.core.catalog import Catalog
from app.model.clock import hhmm
from app.model.ticket_states import CALLED, HELD, SERVING, WAITING
from app.queue.queries import ACTIVE
from app.queue.routes import procedures_of
from app.queue.tickets import PRIORITY_REASONS, STATE_NAMES
from ui.widgets.i18n import Texts
from ui.widgets.table_model import KeyedTableModel, Row

COLUMNS = ("number", "state", "procedure", "applicant", "lane", "issued", "waited")
COL_NUMBER, COL_STATE, COL_PROCEDURE, COL_APPLICANT, COL_LANE, COL_ISSUED, COL_WAITED = range(7)
_TONES = {CALLED: "called", SERVING: "serving", HELD: "held"}


class QueueModel(KeyedTableModel):
    """Today's tickets: at a counter first, then the waiting queue in calling order, then the
    closed ones (latest first). Rows are keyed by ticket id.

    Args:
        catalog: the names of procedures, applicant types and lanes.
        texts: the window's language.
    """

    COLUMNS = COLUMNS
    CENTRE = frozenset({COL_NUMBER, COL_ISSUED, COL_WAITED})

    def __init__(self, catalog: Catalog, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._texts = texts
        self._tickets: list[dict[str, Any]] = []
        self._now = 0

    def header(self, column: int) -> str:
        return self._texts(COLUMNS[column])

    def show(self, tickets: list[dict[str, Any]], now_ms: int) -> None:
        """Shows these tickets (``QueueQueries.live_queue``) as of ``now_ms``."""
        self._tickets, self._now = list(tickets), now_ms
        self.set_rows([self._row(t) for t in self._tickets])

    def set_now(self, now_ms: int) -> None:
        """Moves the clock of the waited column (the rows stay)."""
        self.show(self._tickets, now_ms)

    def ticket_at(self, row: int) -> dict[str, Any]:
        """Returns the ticket shown in a row."""
        return self._tickets[row]

    def waiting_count(self) -> int:
        """Returns how many tickets wait to be called."""
        return sum(1 for t in self._tickets if t["state"] == WAITING)

    def _row(self, t: dict[str, Any]) -> Row:
        texts, catalog = self._texts, self._catalog
        state = texts.msg(STATE_NAMES[t["state"]])
        if t["counter"] and t["state"] in ACTIVE:
            state = f"{state} {t['counter']}"
        reason = PRIORITY_REASONS.get(t.get("priority_reason") or "")
        if reason is not None:  # 優先: the clerk sees why this visitor comes first
            state = f"{state} · {texts('priority_mark', r=texts.msg(reason))}"
        a = catalog.applicants[t["applicant"]]
        lane = catalog.lane(t["lane"])
        waited, waited_ms = "", -1
        if t["state"] == WAITING or t["called_at"] is not None:
            end = t["called_at"] if t["called_at"] is not None else self._now
            waited_ms = max(0, end - t["issued_at"])
            waited = self._texts("minutes", m=waited_ms // 60_000)
        number = str(t["number"])
        if t.get("internal_number"):  # a transferred visitor: called by the number they hold
            number = f"{number} ({t['internal_number']})"
        cells = (number, state, self._procedures(t),
                 texts.name("applicant", a), texts.name("lane", lane),
                 hhmm(t["issued_at"]), waited)  # fmt: skip
        sort = (t["number"], t["state"], t["procedure"], t["applicant"], t["lane"],
                t["issued_at"], waited_ms)  # fmt: skip
        return Row(t["ticket_id"], cells, sort, _TONES.get(t["state"]))

    def _procedures(self, t: dict[str, Any]) -> str:
        """Returns the names of the visit's procedures (several in one visit: each)."""
        return " + ".join(self._texts.name("procedure", self._catalog.procedure(c))
                          for c in procedures_of(t))  # fmt: skip
