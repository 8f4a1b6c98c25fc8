"""How long a ticket will wait: the estimate the ticket, reception and the status page show.

People ahead are the waiting tickets called before a ticket by the counters that serve its
lane: its lane's and those of the lanes the same counters call (contractor clerks call
reserved visitors of a begun slot before walk-ins). The estimated wait is simple on
purpose: every ticket ahead counts the mean time a counter was busy (call → end) with its
lane's last :data:`RECENT_SERVICES` tickets done that day, or, before the lane has finished
any, its own procedure's catalog ``service_minutes``; the sum is divided by the counters
serving the lane now (:func:`app.queue.serving.counters_open`, at least 1) and rounded up.
The visit at each counter now is not counted: the estimate errs short rather than long,
since a visitor who leaves and comes back when told must not miss the call.

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
    """Returns the mean time a counter is busy (call → end: the visitor walks over, then is
    served) with the lane's latest finished tickets."""
    rows = node.store.rows(
        "SELECT called_at, ended_at FROM tickets WHERE day = ? AND lane = ? AND state = 'done' "
        "AND called_at IS NOT NULL AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT ?",
        (day, lane, RECENT_SERVICES),
    )
    if not rows:
        return None
    return float(sum(r["ended_at"] - r["called_at"] for r in rows)) / len(rows) / 60_000


@dataclass(frozen=True)
class LaneWait:
    """A lane's waiting tickets and what each counts in the estimate.

    Attributes:
        lane: the lane.
        counters: the counters serving it now (at least 1).
        waiting: the waiting tickets its counters call, in their calling order: those of
            the lane and of the lanes the same counters serve (:func:`sibling_lanes`).
        per_person: the minutes each of them counts, in the same order.

    """

    lane: str
    counters: int
    waiting: tuple[dict[str, Any], ...]
    per_person: tuple[float, ...]

    def ahead_of(self, ticket_id: str) -> int | None:
        """Returns how many tickets are called before a waiting one (None: not waiting)."""
        for index, ticket in enumerate(self.waiting):
            if ticket["ticket_id"] == ticket_id:
                return index
        return None

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
    lanes = sibling_lanes(node, lane)
    queue = TicketService(node).queue(lanes)
    day = node.today().isoformat()
    means = {lane_id: recent_service_minutes(node, lane_id, day) for lane_id in lanes}

    def minutes(ticket: dict[str, Any]) -> float:
        mean = means[ticket["lane"]]
        return mean if mean is not None else float(
            catalog.procedure(ticket["procedure"]).service_minutes)  # fmt: skip

    return LaneWait(lane, counters, tuple(queue), tuple(minutes(t) for t in queue))


def sibling_lanes(node: Node, lane: str) -> tuple[str, ...]:
    """Returns the lanes whose tickets the counters of a lane also call, the lane among
    them: those of its operator (contractor clerks call the reserved and the general lane
    in one calling order, reserved visitors of a begun slot first)."""
    operator = node.catalog.lane(lane).operator
    return tuple(x.id for x in node.catalog.lanes.values() if x.operator == operator)


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
    ahead = wait.ahead_of(row["ticket_id"]) or 0
    return Estimate(ahead, wait.minutes_behind(ahead))
