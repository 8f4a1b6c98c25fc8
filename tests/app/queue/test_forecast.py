"""The expected end of today's reception: the counters replayed as they call."""

from __future__ import annotations

from datetime import time

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.model.clock import hhmm
from app.queue.counter_pauses import CounterPauses
from app.queue.forecast import ServiceMinutes, forecast
from app.queue.tickets import TicketService
from app.reservations.bookings import ReservationService
from tests.helpers.clock import OPEN_DAY, FakeClock

FLOOR = Actor("fm", "floor_manager")


def open_counters(node: Node, *numbers: str) -> None:
    """Signs a clerk in at each counter (``cl<number>x``)."""
    staff = StaffService(node)
    for number in numbers:
        staff.add(SYSTEM, f"cl{number}x", "窓口", "clerk", "2222")
        staff.sign_in(f"cl{number}x", "2222", number)


def test_two_counters_share_the_waiting_visitors(node: Node, clock: FakeClock) -> None:
    open_counters(node, "1", "2")
    for _ in range(4):
        TicketService(node).issue(FLOOR, "certificate", "self")  # 25 + 1 minutes each
    expected = forecast(node, clock())
    assert hhmm(expected.lane_end_ms["general"] or 0) == "11:52"
    assert hhmm(expected.walk_in_start_ms["general"]) == "11:52"
    assert expected.lane_end_ms["city"] is None and expected.counters["city"] == []
    assert "city" not in expected.walk_in_start_ms  # no counter serves it: no estimate


def test_a_visit_being_served_keeps_its_counter_for_what_is_left(
    node: Node, clock: FakeClock
) -> None:
    open_counters(node, "1")
    tickets = TicketService(node)
    tickets.issue(FLOOR, "certificate", "self")
    tickets.call(Actor("cl1x", "clerk", "1"), "A-001")
    clock.advance(minutes=20)  # 6 of its 26 minutes left
    expected = forecast(node, clock())
    assert hhmm(expected.walk_in_start_ms["general"]) == "11:26"


def test_a_paused_counter_serves_again_once_its_break_is_expected_to_end(
    node: Node, clock: FakeClock
) -> None:
    open_counters(node, "1")
    TicketService(node).issue(FLOOR, "pin", "self")
    CounterPauses(node).pause(Actor("cl1x", "clerk", "1"), "break")
    expected = forecast(node, clock())
    assert hhmm(expected.walk_in_start_ms["general"]) == "11:41"  # 11:30 back, 11 minutes
    clock.set(OPEN_DAY, time(11, 40))  # the break runs over: back in five minutes, as said
    assert hhmm(forecast(node, clock()).walk_in_start_ms["general"]) == "11:56"


def test_a_booking_still_to_come_never_holds_up_those_already_here(
    node: Node, clock: FakeClock
) -> None:
    open_counters(node, "1")
    ReservationService(node).book(SYSTEM, "R202611240001", OPEN_DAY, "12:00", "issuance",
                                  "self", "テスト")  # fmt: skip
    TicketService(node).issue(FLOOR, "pin", "self")
    expected = forecast(node, clock())
    assert hhmm(expected.walk_in_start_ms["general"]) == "11:11"  # after the PIN reset
    assert hhmm(expected.lane_end_ms["reserved"] or 0) == "12:31"  # the booking at 12:00


def test_the_minutes_come_from_today_s_finished_visits_of_the_procedure(
    node: Node, clock: FakeClock
) -> None:
    open_counters(node, "1")
    tickets, clerk = TicketService(node), Actor("cl1x", "clerk", "1")
    assert ServiceMinutes(node, OPEN_DAY.isoformat()).of(["pin"]) == 11  # 10 + walking
    for minutes in (4, 6):
        row = tickets.issue(FLOOR, "pin", "self")
        tickets.call(clerk, row["ticket_id"])
        tickets.start(clerk, row["ticket_id"])
        clock.advance(minutes=minutes)
        tickets.done(clerk, row["ticket_id"])
    assert ServiceMinutes(node, OPEN_DAY.isoformat()).of(["pin", "certificate"]) == 5 + 26


def test_a_visit_of_several_procedures_comes_on_to_the_city_counter(
    node: Node, clock: FakeClock
) -> None:
    open_counters(node, "1")
    StaffService(node).sign_in("city", "3333", "5")
    TicketService(node).issue(FLOOR, "certificate", "self", others=("face_auth",))
    expected = forecast(node, clock())
    assert hhmm(expected.lane_end_ms["general"] or 0) == "11:26"
    assert hhmm(expected.lane_end_ms["city"] or 0) == "11:42"  # 15 + 1 after the renewal
    assert hhmm(expected.walk_in_start_ms["city"]) == "11:00"  # the city counter is free now
