"""The demo site works at any hour: a demo clock inside the opening hours of an open day."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from app.core.actor import SYSTEM
from app.core.errors import InputError
from app.core.node import Node
from app.model.clock import to_datetime
from app.reservations.bookings import ReservationService
from app.sim.demo import create_demo
from tests.helpers.clock import clock_at

WEDNESDAY = date(2026, 11, 25)  # closed; the next open day is Friday 11-27, 10:30–18:30
TUESDAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("day", "at", "demo_day"),
    [
        (WEDNESDAY, time(21, 40), "2026-11-27"),  # a closed day, at night
        (TUESDAY, time(3, 10), "2026-11-24"),  # an open day, before dawn
        (TUESDAY, time(20, 0), "2026-11-24"),  # an open day, after closing
    ],
)
def test_a_demo_made_at_any_hour_runs_inside_opening_hours(
    tmp_path: Path, day: date, at: time, demo_day: str
) -> None:
    clock = clock_at(day, at)
    summary = create_demo(tmp_path / "demo", wall_ms=clock)
    assert summary["day"] == demo_day and summary["reservations"] == 80
    assert "デモ時刻" in summary["text"]
    counter = Node(tmp_path / "demo" / "counter-1", wall_ms=clock)
    reception = Node(tmp_path / "demo" / "reception", wall_ms=clock)
    try:
        assert counter.demo_clock and counter.today().isoformat() == demo_day
        assert to_datetime(counter.now_ms()).time() == time(10, 35)
        # Nothing is overdue when the demo starts: not one reservation is a no-show.
        assert ReservationService(reception).sweep_noshows(SYSTEM) == []
        clock.advance(minutes=40)  # the clock runs at the real pace: 11:15, the first is due
        assert len(ReservationService(reception).sweep_noshows(SYSTEM)) == 5
    finally:
        counter.close()
        reception.close()


def test_a_demo_on_a_closed_day_given_by_hand_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="閉庁日"):
        create_demo(tmp_path / "demo", day=WEDNESDAY, wall_ms=clock_at())
