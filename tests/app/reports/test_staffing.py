"""Erlang C and the staffing advice of the site manager's window."""

from __future__ import annotations

import math
from datetime import date, time

import pytest

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.queue.serving import counters_open
from app.queue.tickets import TicketService
from app.reports.staffing import (
    HourAdvice,
    advice,
    counters_needed,
    erlang_c,
    mean_wait_minutes,
    share_within,
    wait_target,
)
from app.reservations.bookings import ReservationService
from tests.helpers.clock import OPEN_DAY, FakeClock

# -- the formulas ------------------------------------------------------------------------


def test_erlang_c_matches_the_closed_form() -> None:
    # λ = 10/h, 12 min → μ = 5/h, a = 2 Erlangs, c = 3.
    # C = (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)) = 4 / (1 + 2 + 2 + 4) = 4/9
    assert erlang_c(10, 12, 3) == pytest.approx(4 / 9, abs=1e-6)
    # Wq = C / (cμ − λ) = (4/9) / 5 h = 16/3 min
    assert mean_wait_minutes(10, 12, 3) == pytest.approx(16 / 3, abs=1e-6)
    # P(W ≤ 15 min) = 1 − C·e^(−(cμ−λ)t) = 1 − 4/9·e^(−5 · 0.25)
    assert share_within(15, 10, 12, 3) == pytest.approx(1 - 4 / 9 * math.exp(-1.25), abs=1e-6)


def test_one_counter_is_m_m_1() -> None:
    # M/M/1: P(wait) = ρ and Wq = ρ / (μ − λ); λ = 30/h, 1 min → ρ = 0.5, Wq = 1 min.
    assert erlang_c(30, 1, 1) == pytest.approx(0.5, abs=1e-9)
    assert mean_wait_minutes(30, 1, 1) == pytest.approx(1.0, abs=1e-9)


def test_many_counters_stay_exact() -> None:
    # a = 100 Erlangs on 110 counters: the factorials overflow floats; the recursion does not.
    value = erlang_c(600, 10, 110)
    assert 0 < value < 1
    assert erlang_c(600, 10, 100) == 1.0


def test_more_counters_mean_less_waiting() -> None:
    waits = [erlang_c(20, 12, c) for c in range(5, 12)]
    means = [mean_wait_minutes(20, 12, c) for c in range(5, 12)]
    levels = [share_within(15, 20, 12, c) for c in range(5, 12)]
    assert waits == sorted(waits, reverse=True) and len(set(waits)) == len(waits)
    assert means == sorted(means, reverse=True)
    assert levels == sorted(levels)


def test_an_unstable_lane_waits_forever_and_needs_more_counters() -> None:
    # λ = 20/h at 12 min: a = 4 Erlangs; 4 counters cannot keep up.
    assert erlang_c(20, 12, 4) == 1.0
    assert mean_wait_minutes(20, 12, 4) == math.inf
    assert share_within(15, 20, 12, 4) == 0.0
    assert counters_needed(20, 12, 15) >= 5


def test_counters_needed_is_the_fewest_that_meet_the_target() -> None:
    for arrivals, service in ((10, 12), (20, 12), (37.5, 25), (4, 30), (90, 8)):
        c = counters_needed(arrivals, service, 15, 0.8)
        assert share_within(15, arrivals, service, c) >= 0.8
        assert c == 1 or share_within(15, arrivals, service, c - 1) < 0.8
    assert counters_needed(10, 12, 15, 0.8) == 3  # a = 2 Erlangs: 2 counters cannot keep up
    assert counters_needed(0, 12, 15) == 0
    assert counters_needed(1000, 30, 15, max_counters=20) == 20
    assert counters_needed(20, 12, 15, 0.95) >= counters_needed(20, 12, 15, 0.8)


def test_no_arrivals_never_wait_and_bad_values_are_refused() -> None:
    assert erlang_c(0, 12, 1) == 0.0 and mean_wait_minutes(0, 12, 0) == 0.0
    assert share_within(15, 0, 12, 2) == 1.0
    assert erlang_c(5, 12, 0) == 1.0
    with pytest.raises(ValueError):
        erlang_c(-1, 12, 2)
    with pytest.raises(ValueError):
        counters_needed(5, 0, 15)


# -- the advice from today's data -----------------------------------------------------------

FLOOR = Actor("fm", "floor_manager")


def _busy_morning(node: Node, clock: FakeClock) -> None:
    """Three certificate walk-ins 10:40–10:55, bookings at 11:00, 11:30 and 12:00."""
    tickets = TicketService(node)
    clock.set(OPEN_DAY, time(10, 40))
    for _ in range(3):
        tickets.issue(FLOOR, "certificate", "self")
        clock.advance(minutes=5)
    bookings = ReservationService(node)
    for n, slot in enumerate(("11:00", "11:30", "12:00"), start=1):
        bookings.book(SYSTEM, f"R20261124000{n}", OPEN_DAY, slot, "issuance", "self")
    clock.set(OPEN_DAY, time(11, 0))


def test_advice_counts_walk_ins_of_the_last_hour_and_the_bookings(
    node: Node, clock: FakeClock
) -> None:
    _busy_morning(node, clock)
    StaffService(node).sign_in("cl", "2222", "1")
    StaffService(node).sign_in("city", "3333", "5")
    StaffService(node).sign_in("fm", "1111", "R")  # reception does not serve a lane
    rows = advice(node, clock(), hours=3)
    assert [r.hour for r in rows] == [11] * 3 + [12] * 3 + [13] * 3
    by = {(r.hour, r.lane): r for r in rows}
    # Open at 10:30: 3 walk-ins in the 30 minutes since → 6 an hour.
    assert by[(11, "general")].expected_arrivals == pytest.approx(6.0)
    assert by[(11, "general")].service_minutes == 25  # catalog: certificate
    assert by[(11, "reserved")].expected_arrivals == pytest.approx(2.0)
    assert by[(12, "reserved")].expected_arrivals == pytest.approx(1.0)
    assert by[(13, "reserved")].expected_arrivals == 0
    assert by[(11, "city")].expected_arrivals == 0 and by[(11, "city")].counters_needed == 0
    general = by[(11, "general")]
    assert general.counters_needed == counters_needed(6.0, 25, 15) == 4  # a = 2.5 Erlangs
    # Bookings arrive on schedule: their load in counters, rounded up (2 × 30 min, 1 × 30 min).
    assert (by[(11, "reserved")].counters_needed, by[(12, "reserved")].counters_needed) == (1, 1)
    assert by[(13, "reserved")].counters_needed == 0
    assert (by[(11, "general")].counters_open, by[(11, "reserved")].counters_open) == (1, 1)
    assert by[(11, "city")].counters_open == 1
    assert counters_open(node, clock()) == {"reserved": ["1"], "general": ["1"], "city": ["5"]}
    assert by[(11, "general")].shortfall == by[(11, "general")].counters_needed - 1


def test_a_full_hour_of_bookings_needs_a_counter_per_seat_not_erlang_c(
    node: Node, clock: FakeClock
) -> None:
    bookings = ReservationService(node)
    for n in range(16):  # two full slots of 8 seats, 30 minutes each
        bookings.book(SYSTEM, f"R2026112412{n:02d}", OPEN_DAY, ("12:00", "12:30")[n // 8],
                      "issuance", "self")  # fmt: skip
    (reserved,) = [
        r for r in advice(node, clock(), hours=2) if (r.hour, r.lane) == (12, "reserved")
    ]
    assert reserved.expected_arrivals == 16 and reserved.service_minutes == 30
    assert reserved.counters_needed == 8  # Erlang C on random arrivals would ask for more
    assert counters_needed(16, 30, 15) > 8


def test_the_service_time_is_measured_once_a_ticket_is_done(node: Node, clock: FakeClock) -> None:
    _busy_morning(node, clock)
    clerk = StaffService(node).sign_in("cl", "2222", "1")
    tickets = TicketService(node)
    first = tickets.call_next(clerk, ("general",))
    assert first is not None
    clock.advance(minutes=2)
    tickets.start(clerk, first["ticket_id"])
    clock.advance(minutes=18)
    tickets.done(clerk, first["ticket_id"])
    (general,) = [r for r in advice(node, clock(), hours=1) if r.lane == "general"]
    assert general.service_minutes == pytest.approx(20.0, abs=0.1)  # call → end


def test_the_window_is_an_hour_and_the_day_ends_at_closing(node: Node, clock: FakeClock) -> None:
    _busy_morning(node, clock)
    clock.set(OPEN_DAY, time(17, 50))  # the walk-ins are long past; 18:30 closes
    rows = advice(node, clock(), hours=3)
    assert {r.hour for r in rows} == {17, 18}
    assert all(r.expected_arrivals == 0 for r in rows)
    assert all(r.counters_open == 0 for r in rows)


def test_no_advice_on_a_closed_day(node: Node, clock: FakeClock) -> None:
    clock.set(date(2026, 11, 25), time(11, 0))  # a Wednesday
    assert advice(node, clock()) == []


def test_the_site_sets_the_share_to_call_within_the_target(node: Node) -> None:
    assert wait_target(node) == (15, 0.8)
    (node.data_dir / "sla.toml").write_text("[targets]\nwait_within_15 = 90\n", encoding="utf-8")
    assert wait_target(node) == (15, 0.9)
    (node.data_dir / "sla.toml").write_text("[targets\n", encoding="utf-8")
    assert wait_target(node) == (15, 0.8)  # a broken file never stops the window


def test_shortfall_sign() -> None:
    row = HourAdvice(11, "general", 10, 12, 3, 1)
    assert row.shortfall == 2
