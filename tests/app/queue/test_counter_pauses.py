"""A counter paused with a reason: it calls nobody, it is not open for the staffing advice,
and its minutes reach the reports."""

from __future__ import annotations

from datetime import time

import pytest

from app.core.actor import Actor, AuthError
from app.core.errors import InputError
from app.core.mynumber import check_digit
from app.core.node import Node
from app.core.privacy import PrivacyError
from app.core.staff import StaffService
from app.queue.counter_pauses import CounterPaused, CounterPauses
from app.queue.serving import counters_open
from app.queue.tickets import TicketService
from app.reports.periodic import build_report
from app.reports.staffing import advice
from tests.helpers.clock import OPEN_DAY, FakeClock

FLOOR = Actor("fm", "floor_manager")
CLERK = Actor("cl", "clerk", "1")


def test_a_paused_counter_calls_nobody_until_it_is_reopened(node: Node, clock: FakeClock) -> None:
    tickets, pauses = TicketService(node), CounterPauses(node)
    tickets.issue(FLOOR, "pin", "self")
    pauses.pause(CLERK, "break")
    with pytest.raises(CounterPaused) as refused:
        tickets.call_next(CLERK)
    assert "一時停止中です（休憩、11:00〜）" in str(refused.value)
    assert "paused (break, since 11:00)" in refused.value.in_language("en")
    assert tickets.call_next(Actor("cl2", "clerk", "2")) is not None  # other counters call
    clock.advance(minutes=15)
    pauses.resume(CLERK)
    assert pauses.state("1") is None
    with pytest.raises(InputError, match="一時停止していません"):
        pauses.resume(CLERK)


def test_reasons_come_from_a_fixed_list_and_only_counters_pause(node: Node) -> None:
    pauses = CounterPauses(node)
    with pytest.raises(InputError, match="理由 lunch はありません"):
        pauses.pause(CLERK, "lunch")
    with pytest.raises(AuthError):
        pauses.pause(Actor("fm", "floor_manager", "1"), "break")
    with pytest.raises(InputError, match="窓口番号"):
        pauses.pause(Actor("cl", "clerk"), "break")
    assert pauses.all() == {}


def test_a_pause_holds_for_its_day_only(node: Node, clock: FakeClock) -> None:
    CounterPauses(node).pause(CLERK, "paperwork")
    assert set(CounterPauses(node).all()) == {"1"}
    clock.advance(minutes=3 * 24 * 60)  # Friday
    assert CounterPauses(node).all() == {}


def test_a_paused_counter_is_not_open_in_the_staffing_advice(node: Node, clock: FakeClock) -> None:
    staff = StaffService(node)
    staff.sign_in("cl", "2222", "1")
    staff.sign_in("cl2", "2223", "2")
    for _ in range(6):
        TicketService(node).issue(FLOOR, "certificate", "self")
    before = {(a.hour, a.lane): a.counters_open for a in advice(node, clock(), 1)}
    assert counters_open(node, clock())["general"] == ["1", "2"]
    CounterPauses(node).pause(CLERK, "double_check")
    assert counters_open(node, clock())["general"] == ["2"]
    after = {(a.hour, a.lane): a.counters_open for a in advice(node, clock(), 1)}
    assert before[(11, "general")] == 2 and after[(11, "general")] == 1


def test_pause_minutes_per_counter_reach_the_monthly_and_daily_reports(
    node: Node, clock: FakeClock
) -> None:
    pauses = CounterPauses(node)
    clock.set(OPEN_DAY, time(12, 0))
    pauses.pause(CLERK, "break")
    clock.set(OPEN_DAY, time(12, 45))
    pauses.pause(CLERK, "paperwork")  # straight from the break to paperwork
    clock.set(OPEN_DAY, time(13, 0))
    pauses.resume(CLERK)
    clock.set(OPEN_DAY, time(18, 50))
    pauses.pause(Actor("cl2", "clerk", "2"), "other")  # never reopened: ends at 19:00
    clock.set(OPEN_DAY, time(21, 0))
    for kind, spec in (("monthly", "2026-11"), ("daily", OPEN_DAY.isoformat())):
        report = build_report(node, kind, spec)
        [table] = [t for t in report.tables() if t.title == "窓口の一時停止（分）"]
        assert [c.title for c in table.columns] == [
            "窓口", "回数", "休憩", "事務作業", "ダブルチェック対応", "その他", "計"]  # fmt: skip
        assert table.rows == [["1", 2, 45.0, 15.0, 0.0, 0.0, 60.0],
                              ["2", 1, 0.0, 0.0, 0.0, 10.0, 10.0],
                              ["合計", 3, 45.0, 15.0, 0.0, 10.0, 70.0]]  # fmt: skip


def test_a_my_number_typed_as_the_counter_is_refused_and_never_stored(node: Node) -> None:
    first = "12345678901"
    my_number = first + str(check_digit(first))
    with pytest.raises(PrivacyError):
        CounterPauses(node).pause(Actor("cl", "clerk", my_number), "break")
    assert CounterPauses(node).all() == {}
    assert not any(e.type == "counter.paused" for e in node.store.events())
