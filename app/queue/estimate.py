"""How long a ticket will wait: the estimate the ticket, reception and the status page show.

People ahead are the waiting tickets before a ticket in its lane's calling order. The
estimated wait is simple on purpose: every ticket ahead counts the mean service time
(start → end) of the lane's last :data:`RECENT_SERVICES` tickets done that day, or, before
the lane has finished any, its own procedure's catalog ``service_minutes``; the sum is
divided by the counters serving the lane now (:func:`app.queue.serving.counters_open`, at
least 1) and rounded up.

The error of this estimate on a simulated month is measured by
:mod:`app.sim.estimates` (``madoguchi simulate --estimates``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.queue.serving import counters_open
from app.queue.tickets import TicketService

if TYPE_CHECKING:
    from app.core.node import Node

RECENT_SERVICES = 10  # how many of the lane's latest services today make the mean


@dataclass(frozen=True)
class Estimate:
    """People ahead of a ticket and its estimated wait in minutes."""

    people_ahead: int
    minutes: int


def recent_service_minutes(node: Node, lane: str, day: str) -> float | None:
    """Returns the mean service time (start → end) of the lane's latest finished tickets."""
    rows = node.store.rows(
        "SELECT started_at, ended_at FROM tickets WHERE day = ? AND lane = ? AND state = 'done' "
        "AND started_at IS NOT NULL AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT ?",
        (day, lane, RECENT_SERVICES),
    )
    if not rows:
        return None
    return float(sum(r["ended_at"] - r["started_at"] for r in rows)) / len(rows) / 60_000


@dataclass(frozen=True)
class LaneWait:
    """A lane's waiting tickets and what each counts in the estimate.

    Attributes:
        lane: the lane.
        counters: the counters serving it now (at least 1).
        waiting: its waiting tickets in calling order.
        per_person: the minutes each of them counts, in the same order.
    """

    lane: str
    counters: int
    waiting: tuple[dict[str, Any], ...]
    per_person: tuple[float, ...]

    def minutes_behind(self, ahead: int) -> int:
        """Returns the estimated wait of a ticket with the first ``ahead`` tickets ahead."""
        return math.ceil(round(sum(self.per_person[:ahead]) / self.counters, 6))

    @property
    def newcomer_minutes(self) -> int:
        """Returns the estimated wait of a walk-in joining the lane now (everyone ahead)."""
        return self.minutes_behind(len(self.waiting))


def counters_serving(node: Node, lane: str) -> int:
    """Returns how many counters serve a lane now, at least 1 (see
    :func:`app.queue.serving.counters_open`)."""
    return max(1, len(counters_open(node, node.now_ms()).get(lane, [])))


def lane_wait(node: Node, lane: str, counters: int | None = None) -> LaneWait:
    """Returns a lane's waiting tickets and what each counts.

    Args:
        node: the node.
        lane: the lane.
        counters: how many counters serve it (at least 1); by default those serving it now.

    Raises:
        ValueError: ``counters`` is below 1.
    """
    if counters is None:
        counters = counters_serving(node, lane)
    if counters < 1:
        raise ValueError(f"counters = {counters} must be at least 1")
    catalog = node.catalog
    queue = TicketService(node).queue((lane,))
    mean = recent_service_minutes(node, lane, node.today().isoformat())
    minutes = tuple(
        mean if mean is not None else float(catalog.procedure(t["procedure"]).service_minutes)
        for t in queue
    )
    return LaneWait(lane, counters, tuple(queue), minutes)


def estimate_for(node: Node, row: dict[str, Any], counters: int | None = None) -> Estimate:
    """Returns the people ahead of a ticket and its estimated wait (0 once it is no longer
    waiting).

    Args:
        node: the node holding the ticket.
        row: the ticket row (``TicketService.get``).
        counters: how many counters serve the ticket's lane (at least 1); by default those
            serving it now.

    Raises:
        ValueError: ``counters`` is below 1.
    """
    wait = lane_wait(node, row["lane"], counters)
    ids = [t["ticket_id"] for t in wait.waiting]
    ahead = ids.index(row["ticket_id"]) if row["ticket_id"] in ids else 0
    return Estimate(ahead, wait.minutes_behind(ahead))
