"""Who comes on a simulated day, and when (see :mod:`app.sim.day`). No Qt.

Reservations are booked through :class:`~app.reservations.bookings.ReservationService` at about the
booking rate of the day's free seats; their visitors arrive around the slot (a few late, some
not at all). Walk-ins arrive through the open hours, more in the late morning and after lunch.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from app.core.actor import SYSTEM
from app.core.settings import Hours
from app.model.clock import to_datetime, to_ms
from app.reservations.bookings import ReservationError, ReservationService

if TYPE_CHECKING:
    from app.core.node import Node

MINUTE = 60_000
#: Relative walk-in arrivals by hour of day: more in the late morning and after lunch.
HOUR_WEIGHT = {8: 0.2, 9: 0.6, 10: 0.9, 11: 1.3, 12: 0.9, 13: 1.2, 14: 1.4, 15: 1.1,
               16: 0.9, 17: 0.6, 18: 0.4}  # fmt: skip
_FAMILY = ("ヨコスカ", "ウラガ", "クリハマ", "タケヤマ", "ハシリミズ", "オッパマ", "ツルガオカ")
_GIVEN = ("ハルト", "ミナト", "ユイ", "アオイ", "ソウタ", "リコ", "レン", "メイ")


@dataclass(frozen=True)
class Arrival:
    """A visitor arriving at reception at ``at_ms``.

    ``reservation`` is the booking row of a reserved visitor (None for a walk-in); ``late``
    tells that the reserved visitor is past the grace time (checked in without priority).
    """

    at_ms: int
    procedure: str
    applicant: str
    reservation: Mapping[str, Any] | None = None
    late: bool = False


def gamma_ms(rng: random.Random, mean_minutes: float, shape: float = 4.0) -> int:
    """Draws a service time (ms) around a mean, never under two minutes."""
    minutes = rng.gammavariate(shape, mean_minutes / shape)
    return int(max(2.0, minutes) * MINUTE)


def poisson(rng: random.Random, mean: float) -> int:
    """Draws a Poisson-distributed count (Knuth's method; means up to a few hundred)."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def book_day(
    node: Node, day: date, slots: tuple[time, ...], rng: random.Random, rate: float
) -> list[dict[str, Any]]:
    """Books about ``rate`` of the day's free seats; returns the day's open bookings.

    Bookings made before (another import, a test) are kept and counted as taken seats.
    """
    service = ReservationService(node)
    taken = Counter(r["slot"] for r in service.for_day(day) if r["state"] != "cancelled")
    seats = node.settings.reservations.seats_per_slot
    for slot in slots:
        hhmm = slot.strftime("%H:%M")
        for seat in range(seats - taken[hhmm]):
            if rng.random() >= rate:
                continue
            applicant = rng.choices(("self", "legal", "agent"), (93, 6, 1))[0]
            name = f"{rng.choice(_FAMILY)} {rng.choice(_GIVEN)}"
            number = f"S{day:%Y%m%d}{slot:%H%M}{seat}"
            try:
                service.book(SYSTEM, number, day, hhmm, "issuance", applicant, name)
            except ReservationError:
                continue
    return [r for r in service.for_day(day) if r["state"] == "booked"]


def reserved_arrivals(
    day: date, hours: Hours, bookings: list[dict[str, Any]], rng: random.Random,
    noshow_rate: float, late_rate: float, grace_minutes: int,
) -> list[Arrival]:  # fmt: skip
    """Draws when each booked visitor arrives (or that they do not come)."""
    earliest = to_ms(day, hours.staff_start) + 5 * MINUTE
    close = to_ms(day, hours.close)
    arrivals: list[Arrival] = []
    for r in bookings:
        if rng.random() < noshow_rate:
            continue
        hour, minute = (int(x) for x in r["slot"].split(":"))
        slot_ms = to_ms(day, time(hour, minute))
        draw = rng.random()
        if draw < 1 - late_rate - 0.1:
            offset = rng.uniform(-25, 5)
        elif draw < 1 - late_rate:
            offset = rng.uniform(5, 14.5)
        else:
            offset = rng.uniform(16, 45)
        when = max(earliest, slot_ms + int(offset * MINUTE))
        if when < close:
            late = when > slot_ms + grace_minutes * MINUTE
            arrivals.append(Arrival(when, r["procedure"], r["applicant"], r, late))
    return arrivals


def walk_in_arrivals(
    day: date, hours: Hours, means: Mapping[str, float], rng: random.Random
) -> list[Arrival]:
    """Draws the walk-ins of a day: a Poisson count per procedure, times shaped by the hour."""
    open_ms, close = to_ms(day, hours.open), to_ms(day, hours.close)
    minutes = list(range(open_ms, close - 10 * MINUTE, MINUTE))
    cumulative = list(accumulate(HOUR_WEIGHT.get(to_datetime(m).hour, 0.3) for m in minutes))
    arrivals: list[Arrival] = []
    for procedure, mean in means.items():
        for _ in range(poisson(rng, mean)):
            applicant = rng.choices(("self", "legal", "agent"), (85, 8, 7))[0]
            when = rng.choices(minutes, cum_weights=cumulative)[0] + rng.randrange(MINUTE)
            arrivals.append(Arrival(when, procedure, applicant))
    return arrivals
