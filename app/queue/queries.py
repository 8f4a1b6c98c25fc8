"""The read side of the queue: what the windows show, as plain rows. No Qt.

Every query the reception, counter, display and live queue need lives here, so the windows
hold no SQL and each query can be tested and measured on its own. Rows are dicts of the
``tickets`` projection (see :mod:`app.model.projection`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.i18n import Msg
from app.model import ticket_states as ts
from app.queue.forecast import Forecast, ServiceMinutes, forecast
from app.queue.hours import ReceptionDay, reception_day
from app.queue.tickets import TicketService

if TYPE_CHECKING:
    from app.core.node import Node

Row = dict[str, Any]

#: The states of a ticket at a counter (called, being served, parked there).
ACTIVE = (ts.CALLED, ts.SERVING, ts.HELD)

#: What the counter's buttons do, in the order the counter shows them.
COUNTER_ACTIONS = ("call_next", "recall", "start", "done", "done_revisit", "done_deferred",
                   "hold", "resume", "noshow", "transfer")  # fmt: skip


#: The counter's moves that end a visit without the service (the visitor must come back
#: another day, or is gone): a slip of the key would lose the visit, so each is confirmed.
ENDING_MOVES: dict[str, Msg] = {
    "done_revisit": Msg(
        "counter", "End {n} as missing documents? The visitor must come back another day."
    ),
    "done_deferred": Msg(
        "counter", "End {n} because J-LIS is down? The visitor must come back another day."
    ),
    "noshow": Msg("counter", "Close {n} as a no-show (called {c} times)?"),
}


def confirmation(action: str, ticket: Row | None, lang: str) -> str | None:
    """Returns the question to ask before a counter action, in a language, or None.

    Args:
        action: the counter's action key (:data:`COUNTER_ACTIONS`).
        ticket: the ticket it acts on.
        lang: the window's language.
    """
    question = ENDING_MOVES.get(action)
    if question is None or ticket is None:
        return None
    return question.text_in(lang, n=ticket["number"], c=ticket["call_count"])


@dataclass(frozen=True)
class LostCall:
    """A call this counter made that another counter's earlier call won (cut off from
    each other): the visitor went there, and this counter should call the next one."""

    ticket_id: str
    number: str
    winner: str


def allowed_actions(
    ticket: Row | None, held_here: bool, noshow_after_calls: int
) -> dict[str, bool]:
    """Returns which of the counter's actions are possible now.

    Args:
        ticket: the ticket the counter is calling or serving, or None.
        held_here: the counter has parked tickets it could resume.
        noshow_after_calls: calls needed before a no-show may be recorded (settings).
    """
    state = None if ticket is None else ticket["state"]
    calls = 0 if ticket is None else int(ticket["call_count"])
    return {
        "call_next": state is None, "recall": state == ts.CALLED, "start": state == ts.CALLED,
        "done": state == ts.SERVING, "done_revisit": state == ts.SERVING,
        "done_deferred": state == ts.SERVING, "hold": state in (ts.CALLED, ts.SERVING),
        "resume": state is None and held_here,
        "noshow": state == ts.CALLED and calls >= noshow_after_calls,
        "transfer": state in (ts.CALLED, ts.SERVING),
        "check": state in (ts.CALLED, ts.SERVING),
    }  # fmt: skip


class QueueQueries:
    """Reads today's queue for the windows.

    Args:
        node: the node whose tables are read.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def _day(self, day: date | None) -> str:
        return (day or self.node.today()).isoformat()

    def waiting_counts(self, day: date | None = None) -> dict[str, int]:
        """Returns lane → how many wait to be called (lanes with nobody are left out)."""
        rows = self.node.store.rows(
            "SELECT lane, count(*) AS n FROM tickets WHERE day = ? AND state = 'waiting' "
            "GROUP BY lane",
            (self._day(day),),
        )
        return {r["lane"]: int(r["n"]) for r in rows}

    def called_now(self, day: date | None = None) -> list[Row]:
        """Returns the tickets being called now, oldest call first (the board's rows).

        ``number`` is the number the visitor holds: a transferred visitor's linked ticket is
        called by the number of the ticket they were given (see :meth:`held_number`).
        """
        rows = self.node.store.rows(
            "SELECT ticket_id, number, counter, lane, called_at, call_count, transferred_from "
            "FROM tickets WHERE day = ? AND state = 'called' ORDER BY called_at, ticket_id",
            (self._day(day),),
        )
        return [self._as_held(r) for r in rows]

    def recent_calls(self, limit: int, day: date | None = None) -> list[Row]:
        """Returns the latest calls of the day (any state since), newest first, by the number
        each visitor holds."""
        rows = self.node.store.rows(
            "SELECT ticket_id, number, counter, state, transferred_from FROM tickets "
            "WHERE day = ? AND called_at IS NOT NULL ORDER BY called_at DESC, ticket_id DESC "
            "LIMIT ?",
            (self._day(day), limit),
        )
        return [self._as_held(r) for r in rows]

    def held_number(self, ticket: Row) -> str:
        """Returns the number the visitor of a ticket holds in their hand.

        A transfer gives the visitor no new ticket: the linked ticket in the target lane
        (internal, its own number kept for the records) is called by the number of the
        first ticket of the chain.
        """
        number, origin = str(ticket["number"]), ticket.get("transferred_from")
        for _ in range(20):  # a chain of transfers is short; never loop on bad data
            if not origin:
                break
            source = self.node.store.row(
                "SELECT number, transferred_from FROM tickets WHERE ticket_id = ?", (origin,)
            )
            if source is None:
                break
            number, origin = str(source["number"]), source["transferred_from"]
        return number

    def _as_held(self, row: Row) -> Row:
        if row.get("transferred_from"):
            row = dict(row, internal_number=row["number"], number=self.held_number(row))
        return row

    def at_counter(self, counter: str | None, states: tuple[str, ...]) -> list[Row]:
        """Returns today's tickets at a counter in the given states, latest move first."""
        if counter is None:
            return []
        marks = ",".join("?" * len(states))
        return self.node.store.rows(
            f"SELECT * FROM tickets WHERE day = ? AND counter = ? AND state IN ({marks}) "
            "ORDER BY last_hlc DESC",
            (self._day(None), counter, *states),
        )

    def current_at(self, counter: str | None) -> Row | None:
        """Returns the ticket a counter is calling or serving, if any."""
        active = self.at_counter(counter, (ts.CALLED, ts.SERVING))
        return active[0] if active else None

    def lost_calls(self, counter: str | None) -> list[LostCall]:
        """Returns today's calls of this counter that another counter won (see LostCall)."""
        rows = self.node.store.rows(
            "SELECT ticket_id, number, conflicts FROM tickets WHERE day = ? AND conflicts != '[]'",
            (self._day(None),),
        )
        lost = []
        for row in rows:
            for c in json.loads(row["conflicts"]):
                if c.get("counter") == counter and c.get("type") == "ticket.called":
                    lost.append(LostCall(row["ticket_id"], row["number"], c.get("winner") or "?"))
                    break
        return lost

    def reception_day(self) -> ReceptionDay:
        """Returns today as reception sees it: open or not, opening and closing (a 縮小運転
        may close early)."""
        return reception_day(self.node, self.node.today())

    def forecast(self) -> Forecast:
        """Returns the expected end of today's reception per lane, and when a walk-in issued
        now would be called in each lane (:mod:`app.queue.forecast`)."""
        return forecast(self.node, self.node.now_ms())

    def visit_minutes(self, procedures: list[str]) -> float:
        """Returns the minutes a visit for these procedures takes today."""
        return ServiceMinutes(self.node, self.node.today().isoformat()).of(procedures)

    def live_queue(self, lanes: tuple[str, ...] = ()) -> list[Row]:
        """Returns today's tickets of the lanes (all when empty) as the live queue shows them:
        at a counter first, then the waiting ones in calling order, then the closed ones,
        latest first."""
        tickets = TicketService(self.node)
        everything = tickets.tickets(lanes=lanes)
        active = [t for t in everything if t["state"] in ACTIVE]
        waiting = tickets.queue(lanes or tuple(self.node.catalog.lanes))
        closed = [t for t in reversed(everything) if t["state"] not in (*ACTIVE, ts.WAITING)]
        return [self._as_held(t) for t in active + waiting + closed]
