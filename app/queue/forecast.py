"""When today's reception will end: the expected end per lane (本日の受付終了見込み). No Qt.

How it is computed, in the steps staff can follow:

1. **Counters**: the counters signed in now (:func:`app.queue.counters.counters_open`) with
   the lanes each serves; a paused one (休憩 …) serves again once its pause is expected to
   end (today's mean pause of that reason, or 30 minutes for a break, 15 for paperwork, 10
   for a double check), or in five minutes if that has passed; a lane with none signed in
   counts the counters that called in it today (back from a break); a lane no counter has
   served at all today has no estimate.
2. **Minutes a visit takes**: per procedure, the mean call-to-end time of today's last ten
   finished visits of that procedure alone, or before any, the catalog's
   ``service_minutes`` plus a minute to walk to the counter; a visit of several
   procedures takes the sum of those served at that lane.
3. **The work still to come**: the visitors waiting, in calling order (reserved visitors
   whose slot has begun and transferred ones first, then by issue time, a priority
   visitor's counted ``priority_head_start_minutes`` earlier); the visitors at a counter,
   for what is left of their visit (at least a minute); the booked visitors not checked
   in yet, arriving at their slot; and a visit of several procedures coming on to the city
   counter once its first stop is done.
4. **The replay**: each counter, as soon as it is free, takes the first visitor there of
   the lanes it serves, exactly as ``call_next`` would; the lane's expected end is when
   its last visitor is done. A new walk-in of a lane is replayed at the end of its
   lane's walk-ins (after the bookings that arrive before it is called): their start plus
   the minutes of their procedures is when *their* visit would end.

The estimate knows only the visitors already here and booked: walk-ins still to come make
the real end later. Reception shows each lane's expected end, and asks before issuing a
walk-in whose own expected end passes closing.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Any

from app.model.clock import to_datetime, to_ms
from app.queue.counter_pauses import expected_minutes, paused_now
from app.queue.routes import split_here, stops
from app.queue.serving import counters_open

if TYPE_CHECKING:
    from app.core.node import Node

MINUTE = 60_000
#: Finished visits of a procedure that make its mean minutes.
RECENT = 10
#: Minutes added to the catalog's service time before a procedure has finished visits of
#: its own today (calling and walking to the counter).
WALK_MINUTES = 1


@dataclass(order=True)
class _Item:
    """A visit to replay: its calling order, and what it needs."""

    rank: tuple[Any, ...]
    lane: str = field(compare=False)
    arrives: int = field(compare=False)
    minutes: float = field(compare=False)
    key: str = field(compare=False)
    then: tuple[str, float] | None = field(compare=False, default=None)


@dataclass(frozen=True)
class Forecast:
    """The expected end of today's reception (see the module docstring).

    Attributes:
        now_ms: when it was made.
        lane_end_ms: lane → when its last known visitor is done (None: nobody to serve, or
            no counter to serve them).
        walk_in_start_ms: lane → when a walk-in issued now would be called (lanes without
            a counter are left out).
        counters: lane → the counters taken to serve it.
    """

    now_ms: int
    lane_end_ms: dict[str, int | None]
    walk_in_start_ms: dict[str, int]
    counters: dict[str, list[str]]

    def visit_end_ms(self, lane: str, minutes: float) -> int | None:
        """Returns when a walk-in issued now in ``lane`` for ``minutes`` would be done
        (None: no counter serves the lane today)."""
        start = self.walk_in_start_ms.get(lane)
        return None if start is None else start + round(minutes * MINUTE)


class ServiceMinutes:
    """The minutes a procedure takes today (step 2 of the module docstring)."""

    def __init__(self, node: Node, day: str) -> None:
        self._catalog = node.catalog
        self._means: dict[str, float] = {}
        rows = node.store.rows(
            "SELECT procedure, ended_at - called_at AS ms FROM tickets WHERE day = ? "
            "AND state = 'done' AND called_at IS NOT NULL AND procedures IN ('[]', "
            "json_array(procedure)) ORDER BY ended_at DESC",
            (day,),
        )
        seen: dict[str, list[int]] = {}
        for row in rows:
            mine = seen.setdefault(row["procedure"], [])
            if len(mine) < RECENT:
                mine.append(int(row["ms"]))
        self._means = {code: sum(ms) / len(ms) / MINUTE for code, ms in seen.items()}

    def of(self, procedures: Sequence[str]) -> float:
        """Returns the minutes of a visit for these procedures."""
        total = 0.0
        for code in procedures:
            mean = self._means.get(code)
            if mean is None:
                proc = self._catalog.procedures.get(code)
                mean = (proc.service_minutes if proc else 15) + WALK_MINUTES
            total += mean
        return total


def forecast(node: Node, now_ms: int, walk_in_lanes: Sequence[str] = ()) -> Forecast:
    """Returns the expected end of each lane today and when a walk-in would be called.

    Args:
        node: the node whose tables are read.
        now_ms: now.
        walk_in_lanes: the lanes to place a walk-in in (default: every lane).
    """
    day = to_datetime(now_ms).date()
    iso = day.isoformat()
    catalog = node.catalog
    minutes = ServiceMinutes(node, iso)
    serving = _counters(node, now_ms, iso)
    head_start = node.settings.reception.priority_head_start_minutes * MINUTE
    items: list[_Item] = []
    busy = _back_from_pauses(node, now_ms)
    for row in node.store.rows(
        "SELECT * FROM tickets WHERE day = ? AND state IN ('waiting', 'called', 'serving')",
        (iso,),
    ):
        here, rest = split_here(catalog, row)
        need = minutes.of(here)
        then = None
        if rest:
            next_lane = stops(catalog, rest, row["applicant"])[0].lane.id
            then = (next_lane, minutes.of(rest))
        if row["state"] == "waiting":
            items.append(_Item(_rank(row, head_start, now_ms), row["lane"], now_ms, need,
                               row["ticket_id"], then))  # fmt: skip
        elif row["counter"] in serving["by_counter"]:
            spent = (now_ms - (row["called_at"] or now_ms)) / MINUTE
            done_at = now_ms + round(max(need - spent, 1.0) * MINUTE)
            busy[row["counter"]] = max(busy.get(row["counter"], now_ms), done_at)
    items += _bookings(node, iso, now_ms, minutes)
    for lane in walk_in_lanes or catalog.lanes:  # a walk-in issued now, of no length
        if serving["by_lane"][lane]:
            items.append(_Item((1, 0, now_ms, 2**62, "~"), lane, now_ms, 0.0, f"new:{lane}"))
    ends = _replay(items, serving["by_counter"], busy, now_ms)
    lane_end: dict[str, int | None] = {lane: None for lane in catalog.lanes}
    starts: dict[str, int] = {}
    for key, (lane, start, end) in ends.items():
        if key.startswith("new:"):
            starts[lane] = start
        elif lane_end[lane] is None or end > (lane_end[lane] or 0):
            lane_end[lane] = end
    return Forecast(now_ms, lane_end, starts, serving["by_lane"])


def _rank(row: dict[str, Any], head_start: int, now_ms: int) -> tuple[Any, ...]:
    """The calling order of :meth:`app.queue.tickets.TicketService.queue` now, as a sort
    key."""
    if row["priority"] and row["slot_start"] is not None and row["slot_start"] <= now_ms:
        return (0, row["slot_start"], 0, 0, row["ticket_id"])
    shift = head_start if row["priority_reason"] is not None else 0
    return (1, 0, row["issued_at"] - shift, row["issued_hlc"], row["ticket_id"])


def _back_from_pauses(node: Node, now_ms: int) -> dict[str, int]:
    """Counter → when a paused counter is expected to serve again (step 1)."""
    minutes = expected_minutes(node, now_ms)
    back = {}
    for counter, pause in paused_now(node, now_ms).items():
        expected = pause["at"] + round(minutes.get(pause["reason"], 15.0) * MINUTE)
        back[counter] = expected if expected > now_ms else now_ms + 5 * MINUTE
    return back


def _counters(node: Node, now_ms: int, day: str) -> dict[str, Any]:
    """The counters taken to serve each lane (step 1 of the module docstring)."""
    by_lane = counters_open(node, now_ms, paused_too=True)
    for lane, found in by_lane.items():
        if not found:
            called = node.store.rows(
                "SELECT DISTINCT counter FROM tickets WHERE day = ? AND lane = ? "
                "AND counter IS NOT NULL ORDER BY counter",
                (day, lane),
            )
            by_lane[lane] = [str(r["counter"]) for r in called]
    by_counter: dict[str, list[str]] = {}
    for lane, found in by_lane.items():
        for counter in found:
            by_counter.setdefault(counter, []).append(lane)
    return {"by_lane": by_lane, "by_counter": by_counter}


def _bookings(node: Node, day: str, now_ms: int, minutes: ServiceMinutes) -> list[_Item]:
    """The booked visitors not checked in yet, still expected (step 3)."""
    rules = node.settings.reservations
    date_ = to_datetime(now_ms).date()
    items = []
    for row in node.store.rows(
        "SELECT reservation_id, slot, procedure, applicant FROM reservations WHERE day = ? "
        "AND state = 'booked'",
        (day,),
    ):
        hour, minute = (int(x) for x in row["slot"].split(":"))
        slot = to_ms(date_, time(hour, minute))
        if slot + (rules.slot_minutes + rules.late_grace_minutes) * MINUTE < now_ms:
            continue  # past its slot and grace: a no-show
        try:
            lane = node.catalog.lane_for(row["procedure"], row["applicant"]).id
        except ValueError:
            continue
        items.append(_Item((0, slot, 0, 0, row["reservation_id"]), lane, max(slot, now_ms),
                           minutes.of([row["procedure"]]), row["reservation_id"]))  # fmt: skip
    return items


def _replay(items: list[_Item], by_counter: dict[str, list[str]], busy: dict[str, int],
            now_ms: int) -> dict[str, tuple[str, int, int]]:  # fmt: skip
    """Replays the counters calling the items (step 4): item key → (lane, start, end).

    Each lane keeps the visitors here (by calling order) apart from those still to come
    (by arrival): a counter takes the first of those here, never one not yet arrived.
    """
    here: dict[str, list[_Item]] = {}
    coming: dict[str, list[tuple[int, _Item]]] = {}

    def add(item: _Item) -> None:
        heapq.heappush(coming.setdefault(item.lane, []), (item.arrives, item))

    for item in items:
        add(item)
    free = [(busy.get(counter, now_ms), counter) for counter in sorted(by_counter)]
    heapq.heapify(free)
    done: dict[str, tuple[str, int, int]] = {}
    while free:
        at, counter = heapq.heappop(free)
        lanes = by_counter[counter]
        for lane in lanes:  # who has arrived by now
            arriving = coming.get(lane, [])
            while arriving and arriving[0][0] <= at:
                heapq.heappush(here.setdefault(lane, []), heapq.heappop(arriving)[1])
        ready = [here[lane][0] for lane in lanes if here.get(lane)]
        if not ready:
            later = [coming[lane][0][0] for lane in lanes if coming.get(lane)]
            if later:  # the next visitor of its lanes comes later
                heapq.heappush(free, (min(later), counter))
            continue  # otherwise nothing is left that this counter serves
        item = min(ready)
        heapq.heappop(here[item.lane])
        end = at + round(item.minutes * MINUTE)
        done[item.key] = (item.lane, at, end)
        if item.then is not None:  # on to the next stop, ahead of walk-ins there
            lane, need = item.then
            add(_Item((0, end, 0, 0, item.key), lane, end, need, f"{item.key}+"))
        heapq.heappush(free, (end, counter))
    return done
