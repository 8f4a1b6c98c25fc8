"""A wall clock tests move by hand, and the open day most tests live on."""

from __future__ import annotations

from datetime import date, datetime, time

from app.model.clock import JST

# A Tuesday the center is open: 10:30–18:30.
OPEN_DAY = date(2026, 11, 24)


class FakeClock:
    """A wall clock tests move by hand (epoch ms)."""

    def __init__(self, at: datetime) -> None:
        self.ms = int(at.timestamp() * 1000)

    def __call__(self) -> int:
        return self.ms

    def advance(self, minutes: float = 0, seconds: float = 0) -> None:
        self.ms += int(minutes * 60_000 + seconds * 1000)

    def set(self, day: date, at: time) -> None:
        self.ms = int(datetime.combine(day, at, tzinfo=JST).timestamp() * 1000)


def clock_at(day: date = OPEN_DAY, at: time = time(11, 0)) -> FakeClock:
    """Returns a clock standing at ``at`` on ``day`` (JST)."""
    return FakeClock(datetime.combine(day, at, tzinfo=JST))
