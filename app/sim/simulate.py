"""Simulated days at the center, made through the real services (reports, benchmarks, demos).

:func:`simulate` fills a node with open days as the center would live them: reservations
booked through :class:`~app.reservations.bookings.ReservationService`, visitors checked in and walk-ins
issued through :class:`~app.queue.tickets.TicketService`, called, served, transferred to the city
counter or turned back for missing documents, and staff signing in and out with
:class:`~app.core.staff.StaffService`. Time comes from a :class:`SimClock` the simulation moves, so
every event carries the simulated time. The loop of one day is in :mod:`app.sim.day`. No Qt.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from datetime import time as dtime
from typing import Any

from app.core.actor import SYSTEM
from app.core.errors import InputError
from app.core.staff import hash_pin
from app.inquiries.qa import seed_default_qa
from app.model.clock import JST, day_of, to_ms
from app.reports.figures import CERTIFICATE_PLAN
from app.sim.config import SimConfig, SimNode
from app.sim.day import DayCounts, IssueHook, SimStaff, run_day
from app.sim.forecasts import ForecastLog
from db.hlc import wall_of

#: The site id of every simulated node; a node of any other site is never filled.
SIM_SITE = "simulation"

_SIM_PIN = "0000"
_CHEAP_SCRYPT_N = 2**8

Progress = Callable[[int, int], None]


@dataclass
class SimulationSummary:
    """What a simulation made."""

    first: str
    last: str
    open_days: int
    reservations: int
    tickets: int
    turned_back: int
    transfers: int
    events: int
    seconds: float
    refused: int = 0
    priority: int = 0
    several: int = 0

    def to_json(self) -> dict[str, Any]:
        """Returns the summary as a JSON object."""
        return asdict(self)


def sim_staff(config: SimConfig) -> SimStaff:
    """Returns the staff pools of a simulated site (a few more than the counters)."""
    return SimStaff(
        floor=("fm01", "fm02"),
        clerks=tuple(f"cl{i:02d}" for i in range(1, config.contractor_counters + 3)),
        city=tuple(f"city{i:02d}" for i in range(1, config.city_counters + 2)),
        pin=_SIM_PIN,
    )


def _prepare(node: SimNode, staff: SimStaff) -> None:
    """Initialises a new simulated node with its staff, or checks an existing one."""
    if node.initialised:
        if node.identity.site_id != SIM_SITE:
            raise InputError(
                f"{node.data_dir} は拠点 {node.identity.site_id} の端末です。"
                "シミュレーションは新しいフォルダに作ってください"
            )
        if node.store.row("SELECT 1 FROM staff WHERE staff_id = ?", (staff.floor[0],)):
            return
    else:
        node.initialise(site_id=SIM_SITE, name="simulation", role="admin")
    roles = [(s, "floor_manager") for s in staff.floor] + [(s, "clerk") for s in staff.clerks]
    roles += [(s, "city_staff") for s in staff.city] + [("sm01", "site_manager")]
    with node.write() as w:
        for staff_id, role in roles:
            w.append("staff.added", SYSTEM, payload={
                "staff_id": staff_id, "name": f"模擬職員 {staff_id}", "role": role,
                "pin_hash": hash_pin(staff.pin, cost=_CHEAP_SCRYPT_N)})  # fmt: skip
    seed_default_qa(node, SYSTEM)  # the collection the counters search and the manager edits


def simulate(
    node: SimNode,
    first: date,
    last: date,
    seed: int = 1,
    progress: Progress | None = None,
    config: SimConfig | None = None,
    on_issue: IssueHook | None = None,
    log: ForecastLog | None = None,
) -> SimulationSummary:
    """Fills a node with simulated open days from ``first`` to ``last``.

    Args:
        node: a :class:`SimNode` (new, or filled by earlier simulations of earlier days).
        first: the first day.
        last: the last day, inclusive.
        seed: the random seed; the same seed on a new node gives the same days.
        progress: called as ``progress(days done, days)`` after each day.
        config: volumes and rates (the defaults describe a normal month).
        on_issue: called with each ticket the moment reception has issued it.
        log: notes what reception's expected end said at each walk-in and what happened
            (:mod:`app.sim.forecasts`; slower).

    Returns:
        What was made.

    Raises:
        ValueError: ``first`` is after ``last``, the node is not a simulated one, or it
            already holds events on or after ``first`` (simulated time only moves forward).
    """
    started = time.perf_counter()
    if first > last:
        raise InputError(f"開始日 {first} が終了日 {last} より後です")
    config = config or SimConfig()
    staff = sim_staff(config)
    _prepare(node, staff)
    # Clocks never go back: events already stamped on or after the first simulated day
    # (even the staff added by `madoguchi init` today) would stamp every simulated event
    # with their time, and the days would be empty in every report.
    newest = node.store.row("SELECT max(hlc) AS h FROM events")
    if newest and newest["h"] is not None and wall_of(newest["h"]) > to_ms(first, dtime(8, 0)):
        raise InputError(
            f"このフォルダには {day_of(wall_of(newest['h']))} のイベントがあります"
            "（シミュレーション済みの日より後から始めるか、新しいフォルダに作ってください）"
        )
    rng = random.Random(seed)
    calendar = node.calendar()
    open_days = calendar.open_days(first, last)
    outages = _jlis_outages(open_days, rng)
    events_before = node.store.event_count()
    totals = DayCounts()
    for n, day in enumerate(open_days, start=1):
        month = day.strftime("%Y-%m")
        summary = calendar.month(day.year, day.month)
        certificates = CERTIFICATE_PLAN.get(month, 300) / max(1, summary.open_days)
        counts = run_day(node, node.clock, day, rng, config, staff, certificates,
                         outages.get(day), on_issue, log)  # fmt: skip
        totals.add(counts)
        if progress is not None:
            progress(n, len(open_days))
    return SimulationSummary(
        first=first.isoformat(),
        last=last.isoformat(),
        open_days=len(open_days),
        reservations=totals.reservations,
        tickets=totals.tickets,
        turned_back=totals.turned_back,
        transfers=totals.transfers,
        refused=totals.refused,
        priority=totals.priority,
        several=totals.several,
        events=node.store.event_count() - events_before,
        seconds=round(time.perf_counter() - started, 2),
    )


def _jlis_outages(days: list[date], rng: random.Random) -> dict[date, tuple[int, int]]:
    """Picks one open day a month when J-LIS is down 14:00–15:00 (visits end deferred)."""
    by_month: dict[str, list[date]] = {}
    for day in days:
        by_month.setdefault(day.strftime("%Y-%m"), []).append(day)
    outages: dict[date, tuple[int, int]] = {}
    for month_days in by_month.values():
        day = rng.choice(month_days)
        start = datetime.combine(day, dtime(14, 0), tzinfo=JST)
        outages[day] = (int(start.timestamp() * 1000), int(start.timestamp() * 1000) + 3_600_000)
    return outages
