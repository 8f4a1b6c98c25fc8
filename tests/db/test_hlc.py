"""Hybrid logical clock."""

from __future__ import annotations

from db.hlc import HybridClock, pack, wall_of


def test_values_strictly_increase_even_if_the_wall_clock_stalls_or_goes_back() -> None:
    wall = [1000]
    clock = HybridClock(lambda: wall[0])
    a, b = clock.now(), clock.now()
    wall[0] = 900  # NTP stepped the clock back
    c = clock.now()
    assert a < b < c and wall_of(c) == 1000


def test_observing_a_remote_event_moves_past_it() -> None:
    clock = HybridClock(lambda: 1000)
    result = clock.observe(pack(1500, 3))
    assert result.ahead_ms == 500 and not result.clamped
    assert clock.now() > pack(1500, 3)


def test_a_clock_far_ahead_is_clamped_not_followed() -> None:
    clock = HybridClock(lambda: 1000, max_drift_ms=60_000)
    hour = 3_600_000
    result = clock.observe(pack(1000 + hour))
    assert result.clamped and result.ahead_ms == hour
    assert wall_of(clock.now()) <= 1000 + 60_000


def test_resumes_after_restart() -> None:
    clock = HybridClock(lambda: 10, last=pack(5000, 7))
    assert clock.now() == pack(5000, 8)
