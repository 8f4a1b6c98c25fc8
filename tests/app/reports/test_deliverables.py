"""The contract's deliverables and their due dates from the calendar, across the year-end
break; meetings and hand-ins as events every PC agrees on."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.actor import Actor, AuthError
from app.core.errors import InputError
from app.core.node import Node
from app.core.privacy import PrivacyError
from app.reports.deliverables import Deliverables
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import assert_converged, site_node, sync_rounds

SM = Actor("sm", "site_manager")


def _due(node: Node, key: str) -> date:
    [found] = [d for d in Deliverables(node).all(date(2027, 4, 30)) if d.key == key]
    return found.due


def test_monthly_reports_are_due_on_the_third_open_day_of_the_next_month(node: Node) -> None:
    # 2026-12 → 2027-01: 1–3 closed (year-end), 4 Mon, 5 Tue, 6–7 Wed/Thu closed, 8 Fri.
    for code in ("monthly", "training", "sla"):
        assert _due(node, f"{code}:2026-12") == date(2027, 1, 8)
    # 2026-11 → 12-01 Tue, 12-04 Fri, 12-05 Sat.
    assert _due(node, "monthly:2026-11") == date(2026, 12, 5)
    # 2027-01 → 02-01 Mon, 02-02 Tue, 02-05 Fri.
    assert _due(node, "sla:2027-01") == date(2027, 2, 5)
    # The last month's are due after the contract: the 3rd city office day (4/1, 4/2, 4/5).
    assert _due(node, "monthly:2027-03") == date(2027, 4, 5)
    assert _due(node, "annual:2027") == date(2027, 3, 31)
    assert _due(node, "daily:2026-12-28") == date(2026, 12, 28)
    keys = {d.key for d in Deliverables(node).all(date(2027, 1, 10))}
    assert "daily:2026-12-29" not in keys and "daily:2027-01-03" not in keys  # the break
    assert "daily:2026-12-30" not in keys and "inquiries:2027-01-04" in keys


@pytest.mark.parametrize(("held", "due"), [
    (date(2026, 12, 25), date(2027, 1, 5)),   # 12/28 Mon, then 1/4, 1/5 (12/29–1/3 closed)
    (date(2026, 12, 28), date(2027, 1, 6)),   # 1/4, 1/5, 1/6 (the city works on Wednesdays)
    (date(2027, 1, 8), date(2027, 1, 14)),    # 1/11 is a holiday: 1/12, 1/13, 1/14
    (date(2026, 12, 5), date(2026, 12, 9)),   # a Saturday meeting: 12/7, 12/8, 12/9
])  # fmt: skip
def test_minutes_are_due_three_city_office_days_after_the_meeting(node: Node, held: date,
                                                                   due: date) -> None:  # fmt: skip
    meeting = Deliverables(node).add_meeting(SM, held, "monthly", "11月の実績")
    assert _due(node, f"minutes:{meeting}") == due


def test_overdue_until_handed_in(node: Node, clock: FakeClock) -> None:
    service = Deliverables(node)
    clock.set(date(2027, 1, 9), time(10, 0))
    late = {d.key for d in service.overdue(date(2027, 1, 9))}
    assert "monthly:2026-12" in late and "daily:2027-01-08" in late
    service.mark(SM, "monthly:2026-12", date(2027, 1, 9))
    [monthly] = [d for d in service.listing(date(2027, 1, 9)) if d.key == "monthly:2026-12"]
    assert monthly.state(date(2027, 1, 9)) == "submitted"
    assert "monthly:2026-12" not in {d.key for d in service.overdue(date(2027, 1, 9))}
    service.mark(SM, "monthly:2026-12", None)
    assert "monthly:2026-12" in {d.key for d in service.overdue(date(2027, 1, 9))}
    soon = {d.key: d.state(date(2027, 1, 9)) for d in service.listing(date(2027, 1, 9))}
    assert soon["daily:2027-01-09"] == "due_today" and soon["monthly:2027-01"] == "open"
    with pytest.raises(InputError):
        service.mark(SM, "monthly:2031-01", date(2027, 1, 9))
    with pytest.raises(InputError):
        service.mark(SM, "monthly:2026-12", date(2027, 1, 10))  # a day still to come
    with pytest.raises(AuthError):
        service.mark(Actor("cl", "clerk", "1"), "monthly:2026-12", date(2027, 1, 9))
    with pytest.raises(PrivacyError):
        service.add_meeting(SM, date(2027, 1, 8), "daily", "担当 090-1234-5678")


def test_meetings_and_hand_ins_converge(tmp_path: Path, clock: FakeClock) -> None:
    a = site_node(tmp_path, "admin", clock, block=0, role="admin")
    b = site_node(tmp_path, "admin-2", clock, block=1, role="admin")
    meeting = Deliverables(a).add_meeting(SM, date(2026, 11, 20), "monthly")
    Deliverables(a).mark(SM, "daily:2026-11-20", date(2026, 11, 20))
    clock.advance(seconds=3)
    Deliverables(b).mark(SM, "daily:2026-11-20", None)  # B, later, takes the mark back
    sync_rounds(a, b)
    assert_converged(a, b)
    assert [m["meeting_id"] for m in Deliverables(b).meetings()] == [meeting]
    assert "daily:2026-11-20" in {d.key for d in Deliverables(a).overdue(date(2026, 11, 24))}
    Deliverables(b).remove_meeting(SM, meeting)
    sync_rounds(b, a)
    assert Deliverables(a).meetings() == []
    assert_converged(a, b)
    a.close()
    b.close()


def test_cli_lists_marks_and_records_meetings(node: Node, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    folder = str(node.data_dir)
    node.close()
    monkeypatch.setenv("MADOGUCHI_PIN", "4444")
    base = ["--data-dir", folder, "--staff", "sm"]
    assert main([*base, "--json", "meeting", "add", "2026-12-25", "--kind", "monthly"]) == 0
    assert '"minutes_due": "2027-01-05"' in capsys.readouterr().out
    assert main([*base, "deliverables", "submit", "daily:2026-10-02", "--on", "2026-10-02"]) == 0
    assert "提出済み" in capsys.readouterr().out
    assert main([*base, "--json", "deliverables", "list", "--all", "--until", "2027-01-05"]) == 0
    listed = {d["key"]: d for d in json.loads(capsys.readouterr().out)}
    assert listed["daily:2026-10-02"]["submitted_on"] == "2026-10-02"
    assert any(k.startswith("minutes:") and d["due"] == "2027-01-05" for k, d in listed.items())
    assert main([*base, "deliverables", "list"]) == 0
    assert "期限切れ" in capsys.readouterr().out
    assert main([*base, "--json", "deliverables", "submit-daily", "--through", "2026-10-05"]) == 0
    # (22 + 20 + 4 open days from August to 10/5) × 2, less the one handed in above
    assert '"marked": 91' in capsys.readouterr().out
