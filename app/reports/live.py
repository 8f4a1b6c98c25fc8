"""The live figures of the site manager's 現況 tab, read from the node's tables. No Qt.

Waits follow :func:`app.model.ticket_fold.timings`: from issue to call, and for a reserved visitor
who kept priority from the start of the slot (an early check-in is not the center's wait).

The plan per hour band (documented on the tab too) is the seats of the reservation slots that
start in the band plus a flat number of walk-ins per hour (setting ``live.walk_ins_per_hour``),
pro-rated for a band the center is open only part of (10:30–11:00 counts half). The flat figure is the specification's ~10–30
certificate renewals a day plus other walk-ins over the 8 open hours. The actual is the
tickets issued in the band (transfers are not new visits) plus the visitors turned back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from app.model import ticket_fold as tf
from app.model import ticket_states as ts
from app.model.clock import JST, to_datetime, to_ms
from app.queue.counter_pauses import paused_now
from app.queue.serving import counters_open
from app.queue.visits import TURNED_BACK
from app.reports.staffing import HourAdvice, advice, wait_target
from db.hlc import pack, wall_of

if TYPE_CHECKING:
    from app.core.node import Node


@dataclass(frozen=True)
class LaneLive:
    """One lane now: waiting count, longest current wait and today's mean wait (ms)."""

    lane: str
    waiting: int
    longest_ms: int
    mean_wait_ms: int | None
    called: int


@dataclass(frozen=True)
class HourPlan:
    """Visits planned and seen in one hour band today."""

    hour: int
    plan: int
    actual: int


def waits_from(row: dict[str, Any]) -> int:
    """Returns when a ticket's wait began (epoch ms)."""
    start: int = row["issued_at"]
    if row["priority"] and row["reservation_id"] and row["slot_start"] is not None:
        start = max(start, row["slot_start"])
    return start


def lane_live(node: Node, now_ms: int) -> list[LaneLive]:
    """Returns every lane of the catalog, in its order, as it stands at ``now_ms``."""
    rows = node.store.rows(
        "SELECT * FROM tickets WHERE day = ?", (to_datetime(now_ms).date().isoformat(),)
    )
    out = []
    for lane in node.catalog.lanes:
        mine = [r for r in rows if r["lane"] == lane]
        waiting = [max(0, now_ms - waits_from(r)) for r in mine if r["state"] == ts.WAITING]
        waits = [w for r in mine if (w := tf.timings(r)["waiting_ms"]) is not None]
        mean = round(sum(waits) / len(waits)) if waits else None
        out.append(LaneLive(lane, len(waiting), max(waiting, default=0), mean, len(waits)))
    return out


def _bands(node: Node, day: date) -> dict[int, float]:
    """Returns hour → the share of the band the center is open (empty on a closed day)."""
    hours = node.calendar().hours(day)
    if hours is None:
        return {}
    opens = datetime.combine(day, hours.open, tzinfo=JST)
    closes = datetime.combine(day, hours.close, tzinfo=JST)
    band = opens.replace(minute=0)
    shares: dict[int, float] = {}
    while band < closes:
        end = band + timedelta(hours=1)
        shares[band.hour] = (min(end, closes) - max(band, opens)) / timedelta(hours=1)
        band = end
    return shares


def hourly_plan(node: Node, day: date) -> list[HourPlan]:
    """Returns plan and actual visits per hour band of a day (see the module docstring)."""
    seats = node.settings.reservations.seats_per_slot
    per_hour = node.settings.live.walk_ins_per_hour
    planned: dict[int, float] = {h: per_hour * share for h, share in _bands(node, day).items()}
    for slot in node.calendar().slots(day):
        planned[slot.hour] = planned.get(slot.hour, 0) + seats
    actual: dict[int, int] = {}
    for r in node.store.rows(
        "SELECT issued_at FROM tickets WHERE day = ? AND transferred_from IS NULL",
        (day.isoformat(),),
    ):
        hour = to_datetime(r["issued_at"]).hour
        actual[hour] = actual.get(hour, 0) + 1
    start, end = to_ms(day, time(0, 0)), to_ms(day + timedelta(days=1), time(0, 0))
    for event in node.store.events("type = ? AND hlc >= ? AND hlc < ?",
                                   (TURNED_BACK, pack(start), pack(end))):  # fmt: skip
        hour = to_datetime(wall_of(event.hlc)).hour
        actual[hour] = actual.get(hour, 0) + 1
    hours = sorted(set(planned) | set(actual))
    return [HourPlan(h, round(planned.get(h, 0)), actual.get(h, 0)) for h in hours]


def signed_in_today(node: Node, now_ms: int) -> list[dict[str, Any]]:
    """Returns the staff signed in since midnight, by counter then staff id."""
    midnight = to_ms(to_datetime(now_ms).date(), time(0, 0))
    return node.store.rows(
        "SELECT staff_id, name, role, signed_in_at, signed_in_counter FROM staff "
        "WHERE active = 1 AND signed_in_at >= ? "
        "ORDER BY signed_in_counter IS NULL, signed_in_counter, staff_id",
        (midnight,),
    )


#: Alert levels of a lane's wait, from none to the worst.
OK, AMBER, RED = "ok", "amber", "red"


@dataclass(frozen=True)
class LaneStatus:
    """One lane now, with its alert level and the counters serving it."""

    live: LaneLive
    alert: str
    counters: tuple[str, ...]


class LiveFigures:
    """The site manager's live view of today, for the windows (see the module docstring).

    Args:
        node: the node read.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def wait_target(self) -> tuple[float, float]:
        """Returns the wait target in minutes and the share to call within it."""
        return wait_target(self.node)

    def alert(self, live: LaneLive, target_minutes: float) -> str:
        """Returns a lane's alert level: its longest current wait against the target."""
        rules = self.node.settings.live
        longest = live.longest_ms / 60_000
        if live.waiting and longest > rules.red_factor * target_minutes:
            return RED
        if live.waiting and longest > rules.amber_factor * target_minutes:
            return AMBER
        return OK

    def lanes(self, now_ms: int) -> list[LaneStatus]:
        """Returns every lane of the catalog with its waits, alert and open counters."""
        target, _ = self.wait_target()
        open_now = counters_open(self.node, now_ms)
        return [LaneStatus(live, self.alert(live, target), tuple(open_now.get(live.lane, [])))
                for live in lane_live(self.node, now_ms)]  # fmt: skip

    def hours(self, day: date) -> list[HourPlan]:
        """Returns plan and actual visits per hour band of a day."""
        return hourly_plan(self.node, day)

    def signed_in(self, now_ms: int) -> list[dict[str, Any]]:
        """Returns the staff signed in since midnight."""
        return signed_in_today(self.node, now_ms)

    def paused(self, now_ms: int) -> dict[str, dict[str, Any]]:
        """Returns counter → its pause (reason, since) for the counters paused now."""
        return paused_now(self.node, now_ms)

    def advice(self, now_ms: int, hours: int) -> list[HourAdvice]:
        """Returns the staffing advice for the coming hours."""
        return advice(self.node, now_ms, hours)
