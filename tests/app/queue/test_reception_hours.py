"""Reception follows the center's calendar: a closed day is refused with its reasons, a
walk-in before opening, after a procedure's cut-off (受付終了) or after closing is asked
first. Every case on a fixed clock."""

from __future__ import annotations

from datetime import date, time

import pytest

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.model.clock import hhmm
from app.queue.closures import ClosureService
from app.queue.forecast import forecast
from app.queue.hours import ClosedDay, OutsideHours
from app.queue.tickets import TicketService
from app.reservations.bookings import ReservationService
from tests.helpers.clock import OPEN_DAY, FakeClock

FLOOR = Actor("fm", "floor_manager")
WEDNESDAY = date(2026, 11, 25)
YEAR_END = date(2026, 12, 30)  # a Wednesday inside the year-end break
YEAR_END_TUESDAY = date(2026, 12, 29)
JLIS_SUNDAY = date(2026, 11, 22)  # the Sunday after the 3rd Saturday (11/21)
HOLIDAY_MONDAY = date(2026, 11, 23)  # 勤労感謝の日: open, with a weekday's hours


@pytest.mark.parametrize(
    ("day", "reasons"),
    [
        (WEDNESDAY, ["水曜日は定休日"]),
        (YEAR_END, ["水曜日は定休日", "年末年始（12月29日〜1月3日）"]),
        (YEAR_END_TUESDAY, ["年末年始（12月29日〜1月3日）"]),
        (JLIS_SUNDAY, ["第3土曜日の翌日曜日"]),
    ],
)
def test_a_closed_day_refuses_every_ticket_with_its_reasons(
    node: Node, clock: FakeClock, day: date, reasons: list[str]
) -> None:
    clock.set(day, time(11, 0))
    tickets = TicketService(node)
    for confirmed in (False, True):  # no confirmation opens a closed day
        with pytest.raises(ClosedDay) as refused:
            tickets.issue(FLOOR, "pin", "self", confirm_closed=confirmed)
        assert "閉庁日" in str(refused.value)
        for reason in reasons:
            assert reason in str(refused.value)
        assert refused.value.in_language("en").startswith("The center is closed today")
    assert tickets.tickets() == []


def test_an_ad_hoc_closure_refuses_with_its_reason_also_a_booked_visitor(
    node: Node, clock: FakeClock
) -> None:
    ReservationService(node).book(
        SYSTEM, "R202611240001", OPEN_DAY, "11:00", "issuance", "self", "テスト"
    )
    ClosureService(node).add(Actor("sm", "site_manager"), OPEN_DAY, "システム保守")
    tickets = TicketService(node)
    with pytest.raises(ClosedDay, match="臨時閉庁: システム保守"):
        tickets.issue(FLOOR, "pin", "self")
    with pytest.raises(ClosedDay, match="臨時閉庁: システム保守"):
        tickets.issue(FLOOR, "issuance", "self", reservation_id="R202611240001")
    assert tickets.tickets() == []


def test_a_holiday_monday_is_open_with_a_weekdays_hours(node: Node, clock: FakeClock) -> None:
    clock.set(HOLIDAY_MONDAY, time(11, 0))
    row = TicketService(node).issue(FLOOR, "certificate", "self")
    assert row["number"] == "A-001" and row["day"] == HOLIDAY_MONDAY.isoformat()
    clock.set(HOLIDAY_MONDAY, time(10, 0))  # weekday hours: it opens at 10:30
    with pytest.raises(OutsideHours, match="10:30から"):
        TicketService(node).issue(FLOOR, "pin", "self")


def test_before_opening_the_floor_manager_is_asked(node: Node, clock: FakeClock) -> None:
    clock.set(OPEN_DAY, time(10, 20))
    tickets = TicketService(node)
    with pytest.raises(OutsideHours) as asked:
        tickets.issue(FLOOR, "pin", "self")
    assert "開庁前" in str(asked.value) and "opens at 10:30" in asked.value.in_language("en")
    assert tickets.issue(FLOOR, "pin", "self", confirm_closed=True)["number"] == "A-001"


def test_at_18_25_the_long_procedures_are_past_their_cut_off(node: Node, clock: FakeClock) -> None:
    tickets = TicketService(node)
    staff = StaffService(node)
    staff.sign_in("cl", "2222", "1")
    staff.sign_in("cl2", "2223", "2")  # two counters: the PIN reset is done before closing
    clock.set(OPEN_DAY, time(17, 59))
    assert tickets.issue(FLOOR, "certificate", "self")["number"] == "A-001"
    clock.set(OPEN_DAY, time(18, 10))  # certificates end at 18:00, PIN resets at 18:15
    with pytest.raises(OutsideHours, match="18:00で終了"):
        tickets.issue(FLOOR, "certificate", "self")
    assert tickets.issue(FLOOR, "pin", "self")["number"] == "A-002"
    clock.set(OPEN_DAY, time(18, 25))
    for procedure, ends in (("certificate", "18:00"), ("pin", "18:15"), ("face_auth", "18:10")):
        with pytest.raises(OutsideHours) as asked:
            tickets.issue(FLOOR, procedure, "self")
        assert f"{ends}で終了しました（閉庁 18:30）" in str(asked.value)
        assert f"ended at {ends}" in asked.value.in_language("en")
    row = tickets.issue(FLOOR, "certificate", "self", confirm_closed=True)
    assert row["number"] == "A-003"


def test_at_22_00_reception_has_closed(node: Node, clock: FakeClock) -> None:
    clock.set(OPEN_DAY, time(22, 0))
    tickets = TicketService(node)
    with pytest.raises(OutsideHours, match="18:30まで"):
        tickets.issue(FLOOR, "loss", "self")
    assert tickets.issue(FLOOR, "loss", "self", confirm_closed=True)["number"] == "A-001"


def test_a_weekend_day_closes_at_17_00(node: Node, clock: FakeClock) -> None:
    saturday = date(2026, 11, 28)
    clock.set(saturday, time(16, 50))
    with pytest.raises(OutsideHours, match="16:45で終了しました（閉庁 17:00）"):
        TicketService(node).issue(FLOOR, "pin", "self")


def test_a_booked_visitor_is_received_by_the_booking_not_the_cut_off(
    node: Node, clock: FakeClock
) -> None:
    ReservationService(node).book(
        SYSTEM, "R202611240009", OPEN_DAY, "18:00", "issuance", "self", "テスト"
    )
    clock.set(OPEN_DAY, time(18, 5))
    row = TicketService(node).issue(FLOOR, "issuance", "self", reservation_id="R202611240009")
    assert row["number"] == "K-001" and row["priority"] == 1


def test_a_walk_in_expected_to_end_after_closing_is_asked_first(
    node: Node, clock: FakeClock
) -> None:
    """The specification's example: a 25-minute renewal at 16:30 with six renewals ahead
    and one counter open would end about 19:30, after the 18:30 closing."""
    StaffService(node).sign_in("cl", "2222", "1")
    tickets = TicketService(node)
    clock.set(OPEN_DAY, time(16, 30))
    for n in range(6):  # from the fifth on, each was asked already
        tickets.issue(FLOOR, "certificate", "self", confirm_closed=n >= 4)
    expected = forecast(node, clock(), ["general"])
    assert hhmm(expected.lane_end_ms["general"] or 0) == "19:06"  # 6 × (25 + 1) minutes
    with pytest.raises(OutsideHours) as asked:
        tickets.issue(FLOOR, "certificate", "self")
    assert "本日の受付終了見込みは19:32で、閉庁（18:30）までに終わらない見込み" in str(asked.value)
    assert "expected to end at 19:32, after closing (18:30)" in asked.value.in_language("en")
    assert tickets.issue(FLOOR, "certificate", "self", confirm_closed=True)["number"] == "A-007"
    StaffService(node).sign_in("cl2", "2223", "2")  # a second counter opens
    StaffService(node).sign_in("sm", "4444", "3")  # and the site manager takes a third
    assert tickets.issue(FLOOR, "pin", "self")["number"] == "A-008"
