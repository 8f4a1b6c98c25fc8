"""Operating modes: 縮小運転, J-LIS停止 and 臨時閉庁 of part of a day, set by a site manager
with their times; walk-ins they leave out are refused with the reason, reserved visitors
are still received, and the daily report lists the periods."""

from __future__ import annotations

from datetime import date, time

import pytest

from app.core.actor import SYSTEM, Actor, AuthError
from app.core.errors import InputError
from app.core.mynumber import check_digit
from app.core.node import Node
from app.core.privacy import PrivacyError
from app.queue.hours import OutsideHours
from app.queue.modes import ModeRefusal, ModeService
from app.queue.tickets import TicketService
from app.reports.periodic import build_report
from app.reservations.bookings import ReservationService
from tests.helpers.clock import OPEN_DAY, FakeClock

MANAGER = Actor("sm", "site_manager")
FLOOR = Actor("fm", "floor_manager")


def book(node: Node, number: str, slot: str) -> str:
    reservation = f"R2026112400{number}"
    ReservationService(node).book(SYSTEM, reservation, OPEN_DAY, slot, "issuance", "self", "テスト")
    return reservation


def test_jlis_down_refuses_the_jlis_walk_ins_and_still_receives_the_booked(
    node: Node, clock: FakeClock
) -> None:
    modes, tickets = ModeService(node), TicketService(node)
    booked = book(node, "01", "14:00")
    clock.set(OPEN_DAY, time(14, 0))
    modes.start(MANAGER, "jlis", "J-LIS 障害（14:00〜）")
    assert (modes.now().names("ja"), modes.now().names("en")) == ("J-LIS停止", "J-LIS down")
    for procedure in ("certificate", "pin", "unsuspend", "face_auth"):
        with pytest.raises(ModeRefusal) as refused:
            tickets.issue(FLOOR, procedure, "self")
        assert "J-LIS停止中のため" in str(refused.value) and "J-LIS 障害（14:00〜）" in str(
            refused.value
        )
        assert refused.value.in_language("en").startswith("J-LIS down: ")
    assert tickets.issue(FLOOR, "loss", "self")["number"] == "A-001"
    assert tickets.issue(FLOOR, "issuance", "self", reservation_id=booked)["number"] == "K-001"
    clock.set(OPEN_DAY, time(14, 40))
    assert modes.back_to_normal(MANAGER) == 1
    assert modes.now().normal
    assert (modes.now().names("ja"), modes.now().names("en")) == ("通常", "Normal")
    assert tickets.issue(FLOOR, "certificate", "self")["number"] == "A-002"


def test_a_reduced_operation_takes_only_its_procedures_and_lanes_and_closes_early(
    node: Node, clock: FakeClock
) -> None:
    modes, tickets = ModeService(node), TicketService(node)
    clock.set(OPEN_DAY, time(12, 0))
    modes.start(MANAGER, "reduced", "計画運休のため", start=time(13, 0),
                procedures=("certificate", "loss"), lanes=("general",), close_at=time(16, 0))  # fmt: skip
    assert tickets.issue(FLOOR, "pin", "self")["number"] == "A-001"  # not yet: normal
    clock.set(OPEN_DAY, time(13, 30))
    with pytest.raises(ModeRefusal, match="縮小運転中のため「暗証番号"):
        tickets.issue(FLOOR, "pin", "self")
    with pytest.raises(ModeRefusal, match="市窓口は閉じています"):
        tickets.issue(FLOOR, "certificate", "agent")  # an agent's renewal is the city's
    assert tickets.issue(FLOOR, "certificate", "self")["number"] == "A-002"
    clock.set(OPEN_DAY, time(15, 40))  # certificates end 30 minutes before the early close
    with pytest.raises(OutsideHours, match="15:30で終了しました（閉庁 16:00）"):
        tickets.issue(FLOOR, "certificate", "self")
    clock.set(OPEN_DAY, time(16, 5))
    with pytest.raises(OutsideHours, match="縮小運転のため受付時間（16:00まで）"):
        tickets.issue(FLOOR, "loss", "self")


def test_a_half_day_closure_refuses_every_ticket_until_it_ends(
    node: Node, clock: FakeClock
) -> None:
    modes, tickets = ModeService(node), TicketService(node)
    booked = book(node, "02", "13:30")
    clock.set(OPEN_DAY, time(12, 50))
    modes.start(MANAGER, "closed", "停電", start=time(13, 0), end=time(15, 0))
    clock.set(OPEN_DAY, time(13, 20))
    for args, kwargs in ((("pin", "self"), {}), (("issuance", "self"), {"reservation_id": booked})):
        with pytest.raises(ModeRefusal, match="臨時閉庁中です（13:00〜15:00、停電）"):
            tickets.issue(FLOOR, *args, confirm_closed=True, **kwargs)
    clock.set(OPEN_DAY, time(15, 0))
    assert tickets.issue(FLOOR, "pin", "self")["number"] == "A-001"


def test_a_period_planned_ahead_and_ended_before_it_began_never_runs(
    node: Node, clock: FakeClock
) -> None:
    modes = ModeService(node)
    friday = date(2026, 11, 27)
    period = modes.start(MANAGER, "reduced", "台風の接近", day=friday, start=time(10, 30),
                         close_at=time(15, 0))  # fmt: skip
    assert [p.period_id for p in modes.periods(friday)] == [period]
    clock.set(friday, time(9, 0))
    modes.end(MANAGER, period, time(10, 0))  # the typhoon turned away
    assert modes.periods(friday) == [] and modes.close_ms(friday) is None
    clock.set(friday, time(17, 0))
    assert TicketService(node).issue(FLOOR, "loss", "self")["number"] == "A-001"


def test_only_a_site_manager_sets_modes_and_a_mode_must_make_sense(node: Node) -> None:
    modes = ModeService(node)
    with pytest.raises(AuthError):
        modes.start(FLOOR, "jlis", "J-LIS 障害")
    bad = [
        ({"kind": "storm", "reason": "x"}, "運転モード storm はありません"),
        ({"kind": "jlis", "reason": " "}, "理由"),
        ({"kind": "jlis", "reason": "x", "day": date(2026, 11, 25)}, "閉庁日"),
        ({"kind": "jlis", "reason": "x", "start": time(14), "end": time(13)}, "終了時刻"),
        ({"kind": "jlis", "reason": "x", "procedures": ("pin",)}, "縮小運転にだけ"),
        ({"kind": "reduced", "reason": "x", "procedures": ("nap",)}, "手続 nap"),
        ({"kind": "reduced", "reason": "x", "close_at": time(19, 0)}, "開庁時間"),
    ]
    for kwargs, message in bad:
        with pytest.raises(InputError, match=message):
            modes.start(MANAGER, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="期間 nope はありません"):
        modes.end(MANAGER, "nope")
    assert modes.periods(OPEN_DAY) == []


def test_the_daily_report_lists_the_periods_of_each_mode(node: Node, clock: FakeClock) -> None:
    modes = ModeService(node)
    clock.set(OPEN_DAY, time(11, 0))
    modes.start(MANAGER, "jlis", "J-LIS 障害", start=time(11, 0), end=time(12, 0))
    modes.start(MANAGER, "reduced", "計画運休", start=time(15, 0), procedures=("certificate",),
                close_at=time(17, 0))  # fmt: skip
    clock.set(OPEN_DAY, time(21, 0))
    report = build_report(node, "daily", OPEN_DAY.isoformat())
    [table] = [t for t in report.tables() if t.title == "運転モード"]
    assert [r[:3] for r in table.rows] == [
        ["10:30", "11:00", "通常"], ["11:00", "12:00", "J-LIS停止"], ["12:00", "15:00", "通常"],
        ["15:00", "18:30", "縮小運転"],
    ]  # fmt: skip
    assert table.rows[3][3] == "受け付ける手続: 電子証明書の新規発行・更新／17:00 で受付終了"
    assert table.rows[1][3].startswith("当日受付を停止: 電子証明書の新規発行・更新、暗証番号")
    assert table.rows[1][4:] == ["J-LIS 障害", "sm"]
    closed = build_report(node, "daily", "2026-11-25")
    [table] = [t for t in closed.tables() if t.title == "運転モード"]
    assert table.rows == [["", "", "閉庁", "水曜日は定休日", "", ""]]


def test_a_my_number_in_a_modes_reason_is_refused_and_never_stored(node: Node) -> None:
    first = "12345678901"
    my_number = first + str(check_digit(first))
    with pytest.raises(PrivacyError):
        ModeService(node).start(MANAGER, "jlis", f"障害 {my_number}")
    assert ModeService(node).periods(OPEN_DAY) == []
    assert not any(my_number in str(e.payload) for e in node.store.events())
