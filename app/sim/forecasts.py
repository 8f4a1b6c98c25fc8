"""How right reception's expected end was on simulated days (:mod:`app.queue.forecast`). No Qt.

A :class:`ForecastLog` handed to :func:`app.sim.simulate.simulate` notes, at every walk-in
the simulated floor manager issues, what reception would have shown:

- **the visit's expected end**: when the new visitor would be done (the question asked
  before an overrun), and beside it a **naive baseline**: now, plus the catalog minutes of
  everyone waiting in the lane divided by its open counters, plus the visitor's own;
- **the lane's expected end** once the ticket is issued (本日の受付終了見込み).

After each day it looks up what happened: when each visit really ended (its last ticket,
transfers followed) and when the lane's last service really ended. The errors are
``actual − predicted`` in minutes: positive means later than said.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from app.queue.forecast import ServiceMinutes, forecast
from app.queue.serving import counters_open
from app.queue.tickets import TicketService

if TYPE_CHECKING:
    from app.core.node import Node

MINUTE = 60_000


@dataclass
class _Visit:
    ticket_id: str
    day: date
    predicted_ms: int
    baseline_ms: int


@dataclass
class ForecastLog:
    """What reception said at each simulated walk-in, and what happened (see the module)."""

    visits: list[_Visit] = field(default_factory=list)
    #: (day, lane) → the lane's expected end after its last walk-in of the day.
    last_said: dict[tuple[date, str], int] = field(default_factory=dict)
    #: Errors in minutes, filled by :meth:`finish_day`.
    visit_errors: list[float] = field(default_factory=list)
    baseline_errors: list[float] = field(default_factory=list)
    last_service_errors: list[float] = field(default_factory=list)
    #: How long each estimate of a visit took (ms), as reception makes it at a tap.
    costs_ms: list[float] = field(default_factory=list)

    def before_issue(
        self, node: Node, lane: str, procedures: list[str], now: int
    ) -> tuple[int, int] | None:
        """Returns what reception says of a visit about to be issued: its expected end and
        the naive baseline's (None when no counter serves the lane)."""
        started = time.perf_counter()
        minutes = ServiceMinutes(node, node.today().isoformat())
        own = minutes.of(procedures)
        expected = forecast(node, now, [lane]).visit_end_ms(lane, own)
        self.costs_ms.append((time.perf_counter() - started) * 1000)
        if expected is None:
            return None
        catalog = node.catalog
        ahead = sum(
            catalog.procedure(t["procedure"]).service_minutes
            for t in TicketService(node).queue((lane,))
        )
        counters = max(1, len(counters_open(node, now)[lane]))
        naive = now + round(
            (ahead / counters + catalog.procedure(procedures[0]).service_minutes) * MINUTE
        )
        return expected, naive

    def issued(self, node: Node, ticket_id: str, lane: str, said: tuple[int, int] | None) -> None:
        """Notes an issued walk-in with what was said before, and the lane's expected end."""
        now = node.now_ms()
        if said is not None:
            self.visits.append(_Visit(ticket_id, node.today(), said[0], said[1]))
        end = forecast(node, now, [lane]).lane_end_ms[lane]
        if end is not None:
            self.last_said[(node.today(), lane)] = end

    def finish_day(self, node: Node, day: date) -> None:
        """Looks up when the day's visits and lanes really ended."""
        rows = {r["ticket_id"]: r for r in node.store.rows(
            "SELECT ticket_id, lane, state, ended_at, transferred_to FROM tickets WHERE day = ?",
            (day.isoformat(),))}  # fmt: skip
        for visit in (v for v in self.visits if v.day == day):
            row = rows.get(visit.ticket_id)
            for _ in range(5):  # follow the visit to its last ticket
                if row is None or row["state"] != "transferred":
                    break
                row = rows.get(row["transferred_to"])
            if row is None or row["state"] != "done" or row["ended_at"] is None:
                continue  # left, cancelled, not come to the counter: no end to compare
            self.visit_errors.append((row["ended_at"] - visit.predicted_ms) / MINUTE)
            self.baseline_errors.append((row["ended_at"] - visit.baseline_ms) / MINUTE)
        for (when, lane), said in self.last_said.items():
            if when != day:
                continue
            ends = [r["ended_at"] for r in rows.values() if r["lane"] == lane
                    and r["state"] in ("done", "transferred") and r["ended_at"] is not None]  # fmt: skip
            if ends:
                self.last_service_errors.append((max(ends) - said) / MINUTE)


def summary(errors: list[float]) -> dict[str, float]:
    """Returns the count, mean error (bias), mean absolute error and P90 of |error|."""
    if not errors:
        return {"n": 0, "bias": math.nan, "mae": math.nan, "p90": math.nan}
    absolute = sorted(abs(e) for e in errors)
    p90 = absolute[max(0, math.ceil(0.9 * len(absolute)) - 1)]
    return {"n": len(errors), "bias": sum(errors) / len(errors),
            "mae": sum(absolute) / len(absolute), "p90": p90}  # fmt: skip
