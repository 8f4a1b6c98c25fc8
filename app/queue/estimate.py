"""How long a ticket will wait: the estimate the ticket, reception and the status page show.

People ahead are the waiting tickets before a ticket in its lane's calling order. The
estimated wait is simple on purpose: every ticket ahead counts the mean service time
(start → end) of the lane's last :data:`RECENT_SERVICES` tickets done that day, or, before
the lane has finished any, its own procedure's catalog ``service_minutes``; the sum is
divided by the counters serving the lane and rounded up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


def estimate_for(node: Node, row: dict[str, Any], counters: int = 1) -> Estimate:
    """Returns the people ahead of a ticket and its estimated wait (0 once it is no longer
    waiting).

    Args:
        node: the node holding the ticket.
        row: the ticket row (``TicketService.get``).
        counters: how many counters serve the ticket's lane, at least 1.

    Raises:
        ValueError: ``counters`` is below 1.
    """
    if counters < 1:
        raise ValueError(f"counters = {counters} must be at least 1")
    catalog = node.catalog
    queue = TicketService(node).queue((row["lane"],))
    ids = [t["ticket_id"] for t in queue]
    ahead = queue[: ids.index(row["ticket_id"])] if row["ticket_id"] in ids else []
    mean = recent_service_minutes(node, row["lane"], row["day"])
    minutes = [
        mean if mean is not None else catalog.procedure(t["procedure"]).service_minutes
        for t in ahead
    ]
    return Estimate(len(ahead), math.ceil(round(sum(minutes) / counters, 6)))
