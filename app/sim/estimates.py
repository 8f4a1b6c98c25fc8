"""How wrong the wait estimate is: a simulated period, the estimate each visitor was given
and the wait they had. No Qt.

Each walk-in ticket's estimate (:func:`app.queue.estimate.estimate_for`, what its ticket
printed and what the status page showed then) is taken the moment reception issues it;
its wait is from issue to its first call (:func:`app.model.ticket_fold.timings`). Tickets
that never were called (the visitor left, the day ended) have no wait and are left out, as
are reserved visitors, whose turn follows their slot rather than the queue.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from app.model import ticket_fold as tf
from app.queue.estimate import estimate_for
from app.sim.config import SimConfig, SimNode
from app.sim.simulate import simulate


@dataclass(frozen=True)
class EstimateErrors:
    """The estimate against the wait, in minutes (error = estimate − wait).

    Attributes:
        tickets: walk-in tickets measured.
        mean_wait: their mean wait.
        mean_abs: mean absolute error.
        bias: mean error (positive: the estimate was too long).
        p50_abs: median absolute error.
        p90_abs: 90th percentile of the absolute error.
        within_10: share of tickets whose estimate was within 10 minutes of the wait.
        under_by_15: share told at least 15 minutes less than they waited.
        over_by_15: share told at least 15 minutes more than they waited (a visitor who
            leaves and comes back on time would have missed the call).
    """

    tickets: int
    mean_wait: float
    mean_abs: float
    bias: float
    p50_abs: float
    p90_abs: float
    within_10: float
    under_by_15: float
    over_by_15: float

    def to_json(self) -> dict[str, Any]:
        """Returns the figures as a JSON object."""
        return asdict(self)


def errors_of(pairs: list[tuple[float, float]]) -> EstimateErrors:
    """Returns the figures of (estimate, wait) pairs in minutes.

    Raises:
        ValueError: there are no pairs.
    """
    if not pairs:
        raise ValueError("no ticket to measure")
    errors = [e - w for e, w in pairs]
    absolute = sorted(abs(x) for x in errors)

    def share(count: int) -> float:
        return round(count / len(pairs), 3)

    return EstimateErrors(
        tickets=len(pairs),
        mean_wait=round(statistics.fmean(w for _, w in pairs), 1),
        mean_abs=round(statistics.fmean(absolute), 1),
        bias=round(statistics.fmean(errors), 1),
        p50_abs=round(statistics.median(absolute), 1),
        p90_abs=round(absolute[min(len(absolute) - 1, int(0.9 * len(absolute)))], 1),
        within_10=share(sum(1 for x in absolute if x <= 10)),
        under_by_15=share(sum(1 for x in errors if x <= -15)),
        over_by_15=share(sum(1 for x in errors if x >= 15)),
    )


def measure(node: SimNode, first: date, last: date, seed: int = 1,
            config: SimConfig | None = None) -> EstimateErrors:  # fmt: skip
    """Simulates the days from ``first`` to ``last`` on a new simulated node and returns how
    far each walk-in's estimate was from its wait."""
    given: dict[str, int] = {}

    def on_issue(row: dict[str, Any]) -> None:
        if row["reservation_id"] is None:
            given[row["ticket_id"]] = estimate_for(node, row).minutes

    simulate(node, first, last, seed=seed, config=config, on_issue=on_issue)
    pairs = []
    for ticket_id, minutes in given.items():
        row = node.store.row("SELECT * FROM tickets WHERE ticket_id = ?", (ticket_id,))
        waited = None if row is None else tf.timings(row)["waiting_ms"]
        if waited is not None:
            pairs.append((float(minutes), waited / 60_000))
    return errors_of(pairs)
