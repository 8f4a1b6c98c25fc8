"""Staffing advice: how many counters each lane needs in the coming hours. No Qt.

The queueing model is Erlang C (M/M/c): arrivals at random (Poisson) at rate λ an hour,
service times exponential with mean 1/μ, ``c`` counters serving one queue. The contract asks
for quick adjustment of staff when visits exceed the plan; :func:`advice` turns the arrivals
seen today into the number of counters that keeps the wait target.

How :func:`advice` estimates, per lane (kept simple on purpose, so staff can follow it):

- **arrivals an hour** = the walk-in tickets issued into the lane in the last 60 minutes (or
  since opening, counted as at least 15 minutes) scaled to an hour, plus the reservations
  booked for the slots of that hour whose procedure and applicant type route to the lane
  (cancelled and no-show ones left out). Transfers into a lane count as its walk-ins.
- **counters needed** = walk-ins arrive at random, so they get Erlang C; booked visitors
  arrive on schedule, which Erlang C would overstaff (8 bookings a 30-minute slot at
  30 minutes each need 8 counters, not 11), so they add their load, rounded up:
  ``ceil(booked × service ÷ 60) + counters_needed(walk-ins)``.
- **service minutes** = the mean time from call to end of the lane's tickets finished today
  (walking to the counter keeps it busy too); before any is finished, the catalog's
  ``service_minutes`` of the procedures seen in the lane today, or of every procedure routed
  to it.
- **counters open** = counters where a staff member who may serve signed in today
  (:func:`app.queue.serving.counters_open`). The staff table does not say which lanes a
  counter calls, so a counter is taken to serve the lanes of its operator (city staff: city
  lanes; contractor clerks: contractor lanes; a site manager: all) plus any lane it has
  called today. A counter serving several lanes counts in each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app.core.catalog import CatalogError
from app.model.clock import JST, to_datetime, to_ms
from app.queue.serving import counters_open
from app.reports.sla import load_targets

if TYPE_CHECKING:
    from app.core.node import Node

#: The wait target: a visitor is called within this many minutes (SLA indicator wait_within_15).
WAIT_TARGET_MINUTES = 15.0
#: The share of visitors who must be called within the target when the site sets none.
TARGET_SHARE = 0.8
#: Least window of the arrival rate, so the first walk-in of the day is not read as 60 an hour.
_MIN_WINDOW_MINUTES = 15.0
_DEFAULT_SERVICE_MINUTES = 15.0


def _check(arrival_per_hour: float, service_minutes: float, servers: int) -> None:
    if arrival_per_hour < 0 or service_minutes <= 0 or servers < 0:
        raise ValueError(
            f"arrivals {arrival_per_hour}/h, service {service_minutes} min and servers "
            f"{servers} must be >= 0, > 0 and >= 0"
        )


def erlang_c(arrival_per_hour: float, service_minutes: float, servers: int) -> float:
    """Returns the probability that an arriving visitor has to wait (Erlang C).

    Computed through the Erlang B recursion, which stays exact for many servers.

    Args:
        arrival_per_hour: λ, visitors an hour.
        service_minutes: mean service time, 1/μ, in minutes.
        servers: c, the counters serving the queue.

    Returns:
        P(W > 0); 1.0 when the system is unstable (λ ≥ cμ) or has no counter.

    Raises:
        ValueError: a negative rate or count, or a service time that is not positive.
    """
    _check(arrival_per_hour, service_minutes, servers)
    load = arrival_per_hour * service_minutes / 60  # a = λ/μ, in Erlangs
    if load == 0:
        return 0.0
    if servers == 0 or load >= servers:
        return 1.0
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return servers * blocking / (servers - load * (1 - blocking))


def mean_wait_minutes(arrival_per_hour: float, service_minutes: float, servers: int) -> float:
    """Returns the mean wait in the queue, Wq = C / (cμ − λ), in minutes.

    Returns:
        The mean wait; ``math.inf`` when the system is unstable.
    """
    waiting = erlang_c(arrival_per_hour, service_minutes, servers)
    if waiting == 0:
        return 0.0
    spare = servers * 60 / service_minutes - arrival_per_hour  # cμ − λ, an hour
    return math.inf if spare <= 0 else waiting / spare * 60


def share_within(
    target_minutes: float, arrival_per_hour: float, service_minutes: float, servers: int
) -> float:
    """Returns the service level P(W ≤ t) = 1 − C·e^(−(cμ−λ)t).

    Returns:
        The share of visitors called within ``target_minutes``; 0.0 when unstable.
    """
    waiting = erlang_c(arrival_per_hour, service_minutes, servers)
    if waiting == 0:
        return 1.0
    spare = servers * 60 / service_minutes - arrival_per_hour
    if spare <= 0:
        return 0.0
    return 1 - waiting * math.exp(-spare * target_minutes / 60)


def counters_needed(
    arrivals_per_hour: float,
    service_minutes: float,
    target_minutes: float,
    target_share: float = TARGET_SHARE,
    max_counters: int = 20,
) -> int:
    """Returns the fewest counters that call ``target_share`` of visitors within the target.

    Returns:
        0 when nobody is expected; ``max_counters`` when even that many would not do.
    """
    _check(arrivals_per_hour, service_minutes, 0)
    if arrivals_per_hour == 0:
        return 0
    for servers in range(1, max_counters + 1):
        level = share_within(target_minutes, arrivals_per_hour, service_minutes, servers)
        if level >= target_share - 1e-12:
            return servers
    return max_counters


@dataclass(frozen=True)
class HourAdvice:
    """The advice for one lane in one hour band (``hour`` = 11 for 11:00–12:00)."""

    hour: int
    lane: str
    expected_arrivals: float
    service_minutes: float
    counters_needed: int
    counters_open: int

    @property
    def shortfall(self) -> int:
        """Counters to add (positive) or that could move elsewhere (negative)."""
        return self.counters_needed - self.counters_open

    @property
    def severity(self) -> str:
        """Returns ``red`` (two or more counters short), ``amber`` (one short), ``spare``
        (counters could go elsewhere) or ``ok``."""
        gap = self.shortfall
        if gap >= 2:
            return "red"
        if gap > 0:
            return "amber"
        return "spare" if gap < 0 else "ok"


def wait_target(node: Node) -> tuple[float, float]:
    """Returns the wait target in minutes and the share to call within it (site ``sla.toml``)."""
    try:
        targets = {i.key: i.target for i in load_targets(node.data_dir)}
    except ValueError:
        return WAIT_TARGET_MINUTES, TARGET_SHARE
    return WAIT_TARGET_MINUTES, targets.get("wait_within_15", TARGET_SHARE * 100) / 100


def lane_service_minutes(node: Node, lane: str, day_iso: str) -> float:
    """Returns the mean minutes a counter is busy with a ticket of the lane (call → end)."""
    row = node.store.row(
        "SELECT avg(ended_at - called_at) AS ms FROM tickets WHERE day = ? AND lane = ? "
        "AND state IN ('done', 'transferred') AND called_at IS NOT NULL",
        (day_iso, lane),
    )
    if row is not None and row["ms"] is not None and row["ms"] > 0:
        return float(row["ms"]) / 60_000
    procedures = node.catalog.procedures
    seen = {r["procedure"]: int(r["n"]) for r in node.store.rows(
        "SELECT procedure, count(*) AS n FROM tickets WHERE day = ? AND lane = ? "
        "GROUP BY procedure", (day_iso, lane)) if r["procedure"] in procedures}  # fmt: skip
    weights = seen or {p.code: 1 for p in procedures.values() if lane in p.route.values()}
    if not weights:
        return _DEFAULT_SERVICE_MINUTES
    total = sum(procedures[code].service_minutes * n for code, n in weights.items())
    return total / sum(weights.values())


def walk_in_rates(node: Node, now_ms: int) -> dict[str, float]:
    """Returns lane → walk-in tickets an hour, from the last 60 minutes (see the module)."""
    now = to_datetime(now_ms)
    hours = node.calendar().hours(now.date())
    start = now_ms - 60 * 60_000
    if hours is not None:
        start = max(start, to_ms(now.date(), hours.open))
    minutes = max((now_ms - start) / 60_000, _MIN_WINDOW_MINUTES)
    rows = node.store.rows(
        "SELECT lane, count(*) AS n FROM tickets WHERE day = ? AND reservation_id IS NULL "
        "AND issued_at > ? AND issued_at <= ? GROUP BY lane",
        (now.date().isoformat(), start, now_ms),
    )
    counts = {r["lane"]: int(r["n"]) for r in rows}
    return {lane: counts.get(lane, 0) * 60 / minutes for lane in node.catalog.lanes}


def booked_by_hour(node: Node, day_iso: str) -> dict[tuple[int, str], int]:
    """Returns (hour, lane) → reservations booked for that day's slots (still expected)."""
    rows = node.store.rows(
        "SELECT slot, procedure, applicant FROM reservations WHERE day = ? "
        "AND state NOT IN ('cancelled', 'noshow')",
        (day_iso,),
    )
    booked: dict[tuple[int, str], int] = {}
    for r in rows:
        try:
            lane = node.catalog.lane_for(r["procedure"], r["applicant"]).id
        except CatalogError:
            continue
        key = (int(r["slot"].split(":")[0]), lane)
        booked[key] = booked.get(key, 0) + 1
    return booked


def advice(node: Node, now_ms: int, hours: int = 3) -> list[HourAdvice]:
    """Returns the counters each lane needs in the current and coming hour bands.

    Args:
        node: the node whose data is read.
        now_ms: now, epoch ms.
        hours: how many hour bands, starting with the current one.

    Returns:
        One row per hour band and lane, in that order; only the hours the center is open
        today (none on a closed day).
    """
    now = to_datetime(now_ms)
    today = now.date()
    open_hours = node.calendar().hours(today)
    if open_hours is None:
        return []
    opens = datetime.combine(today, open_hours.open, tzinfo=JST)
    closes = datetime.combine(today, open_hours.close, tzinfo=JST)
    first = now.replace(minute=0, second=0, microsecond=0)
    bands = [first + timedelta(hours=i) for i in range(hours)]
    bands = [b for b in bands if b < closes and b + timedelta(hours=1) > opens]
    target, share = wait_target(node)
    walk_ins = walk_in_rates(node, now_ms)
    booked = booked_by_hour(node, today.isoformat())
    open_now = counters_open(node, now_ms)
    services = {lane: lane_service_minutes(node, lane, today.isoformat())
                for lane in node.catalog.lanes}  # fmt: skip
    rows: list[HourAdvice] = []
    for band in bands:
        for lane, service in services.items():
            scheduled = booked.get((band.hour, lane), 0)
            arrivals = walk_ins[lane] + scheduled
            needed = math.ceil(scheduled * service / 60 - 1e-9)
            needed += counters_needed(walk_ins[lane], service, target, share)
            rows.append(HourAdvice(band.hour, lane, round(arrivals, 2), round(service, 1),
                                   needed, len(open_now[lane])))  # fmt: skip
    return rows
