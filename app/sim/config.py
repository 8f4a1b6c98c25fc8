"""The simulation's clock, its node and how busy and troubled the simulated days are.

Shared by the whole simulation (:mod:`app.sim.simulate` runs the days, :mod:`app.sim.day` one
day) so neither needs the other for them. No Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from datetime import time as dtime
from pathlib import Path
from types import MappingProxyType

from app.core.node import Node
from app.model.clock import to_ms

#: Other walk-ins per open day (mean), by procedure.
WALK_INS: Mapping[str, float] = MappingProxyType(
    {"pin": 8.0, "loss": 3.0, "unsuspend": 1.0, "surface": 4.0, "face_auth": 3.0, "express": 1.0,
     "application": 3.0, "other": 5.0}
)  # fmt: skip


class SimClock:
    """A wall clock the simulation moves forward (epoch ms); never goes back.

    Args:
        ms: the starting time, epoch milliseconds.
    """

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms

    def set_ms(self, ms: int) -> None:
        """Moves the clock to ``ms`` (or leaves it where it is if that is earlier)."""
        self.ms = max(self.ms, ms)

    def set(self, day: date, at: dtime) -> None:
        """Moves the clock to a JST day and time (never backwards)."""
        self.set_ms(to_ms(day, at))


class SimNode(Node):
    """A node whose wall clock is a :class:`SimClock`.

    Args:
        data_dir: the node's folder (a new one, or one filled by earlier simulations).
        start: the day the clock starts on (08:00 JST).
    """

    def __init__(self, data_dir: Path, start: date = date(2026, 8, 1)) -> None:
        self.clock = SimClock(to_ms(start, dtime(8, 0)))
        super().__init__(data_dir, wall_ms=self.clock)


@dataclass(frozen=True)
class SimConfig:
    """How busy and how troubled the simulated days are.

    With the catalog's 30 minutes a card issuance, 128 reservations a day keep eight
    contractor counters busy most of the day; four would leave a queue that never clears.
    """

    contractor_counters: int = 10
    city_counters: int = 2
    booking_rate: float = 0.9
    noshow_rate: float = 0.1
    late_rate: float = 0.05
    walk_ins: Mapping[str, float] = field(default_factory=lambda: WALK_INS)
    turned_back_rate: float = 0.05
    transfer_rate: float = 0.03
    revisit_rate: float = 0.015
    deferred_rate: float = 0.01
    give_up_rate: float = 0.02
    call_noshow_rate: float = 0.01
    #: The paperwork of a day besides the tickets: each issued ticket's print record, an
    #: inquiry logged after some visits, a mistaken close corrected (reopen), a Q&A edit
    #: now and then, a closure entered by mistake and removed.
    print_rate: float = 1.0
    inquiry_rate: float = 0.08
    correction_rate: float = 0.004
    qa_edit_rate: float = 0.3
    closure_slip_rate: float = 0.05
    #: The day as the center runs it: priority walk-ins (優先), renewals that come with
    #: another procedure, and days with an afternoon 縮小運転 (a planned train suspension).
    priority_rate: float = 0.05
    several_rate: float = 0.12
    reduced_rate: float = 0.04
