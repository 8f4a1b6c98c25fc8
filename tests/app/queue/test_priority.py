"""Priority visitors (優先) go ahead of the regular visitors who came shortly before them, by
a rule that cannot starve anyone.

The rule (:meth:`app.queue.tickets.TicketService.queue`): a priority visitor counts as
issued D = ``reception.priority_head_start_minutes`` (10) minutes earlier. The bound: with
``c`` counters, every visit at most ``S`` minutes from call to end, ``A`` visitors ahead
when a regular visitor's ticket is issued and ``P`` priority visitors issued in the D
minutes after it, the regular visitor is called within ``S × ⌈(A + P + 1) / c⌉`` minutes;
with a steady stream of one priority visitor every ``p`` minutes, ``P ≤ ⌈D / p⌉``.

The property test runs days through the real ticket service (issue, call, start, done on
a clock moved by hand) with a steady stream of priority visitors, far more than the
counters can serve, and checks every regular visitor against the bound; the same day with
strict priority (an endless head start) starves a regular visitor far beyond it.
"""

from __future__ import annotations

import heapq
import math
import tempfile
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.actor import Actor
from app.core.node import Node
from app.queue.tickets import TicketError, TicketService
from app.reports.periodic import build_report
from tests.helpers.clock import OPEN_DAY, FakeClock, clock_at
from tests.helpers.nodes import make_node

FLOOR = Actor("fm", "floor_manager")
HEAD_START_MINUTES = 10  # the setting's default (resources/site.toml)


@dataclass(frozen=True)
class Regular:
    """A regular visitor of a simulated day: when issued, who was ahead, when called."""

    issued_s: int
    ahead: int
    overtakers: int
    wait_s: int


def run_day(folder: Path, counters: int, services_s: list[int], every_s: int, phase_s: int,
            regular_s: list[int], horizon_s: int, head_start: int | None = None) -> list[Regular]:  # fmt: skip
    """Runs one lane from 11:00: priority visitors every ``every_s`` seconds from
    ``phase_s`` until ``horizon_s``, regular ones at ``regular_s``; each counter calls the
    next visitor as soon as it is free and serves them for the next of ``services_s``."""
    folder.mkdir()
    if head_start is not None:
        (folder / "site.toml").write_text(
            f"[reception]\npriority_head_start_minutes = {head_start}\n", encoding="utf-8"
        )
    clock = clock_at(OPEN_DAY, time(11, 0))
    start_ms = clock()
    node = make_node(folder, clock)
    tickets = TicketService(node)
    arrivals = [(t, True) for t in range(phase_s, horizon_s, every_s)]
    arrivals += [(t, False) for t in regular_s if t not in {a for a, _ in arrivals}]
    events: list[tuple[int, int, int, str]] = [(t, 1, int(p), "") for t, p in arrivals]
    heapq.heapify(events)
    free = [True] * counters
    served = 0
    regular: dict[str, tuple[int, int]] = {}
    priority_times = sorted(t for t, p in arrivals if p)
    while events:
        now_s = events[0][0]
        while events and events[0][0] == now_s:
            _, kind, value, ticket = heapq.heappop(events)
            clock.ms = start_ms + now_s * 1000
            if kind == 0:  # a counter finishes its visitor
                tickets.done(Actor("cl", "clerk", str(value + 1)), ticket)
                free[value] = True
            else:
                row = tickets.issue(FLOOR, "pin", "self",
                                    priority_reason="elderly" if value else None)  # fmt: skip
                if not value:
                    ahead = [t["ticket_id"] for t in tickets.queue(("general",))]
                    regular[row["ticket_id"]] = (now_s, ahead.index(row["ticket_id"]))
        for index in range(counters):
            if not free[index]:
                continue
            clerk = Actor("cl", "clerk", str(index + 1))
            called = tickets.call_next(clerk, ("general",))
            if called is None:
                break
            tickets.start(clerk, called["ticket_id"])
            free[index] = False
            heapq.heappush(events, (now_s + services_s[served % len(services_s)], 0, index,
                                    called["ticket_id"]))  # fmt: skip
            served += 1
    found = []
    head_start_s = node.settings.reception.priority_head_start_minutes * 60
    for ticket_id, (issued_s, ahead) in regular.items():
        row = tickets.get(ticket_id)
        overtakers = sum(1 for t in priority_times if issued_s <= t < issued_s + head_start_s)
        found.append(
            Regular(issued_s, ahead, overtakers, (row["called_at"] - row["issued_at"]) // 1000)
        )
    node.close()
    return found


def bound_s(visitor: Regular, service_max_s: int, counters: int) -> int:
    """The stated bound: S × ⌈(A + P + 1) / c⌉."""
    return service_max_s * math.ceil((visitor.ahead + visitor.overtakers + 1) / counters)


SERVICE_MAX_S = 12 * 60


@settings(max_examples=20, deadline=None)
@given(
    counters=st.integers(1, 3),
    services=st.lists(st.integers(60, SERVICE_MAX_S), min_size=1, max_size=8),
    every_minutes=st.integers(2, 8),
    phase=st.integers(0, 59),
    regular=st.lists(st.integers(0, 50 * 60), min_size=1, max_size=6),
)
def test_with_a_steady_stream_of_priority_visitors_no_regular_visitor_waits_past_the_bound(
    counters: int, services: list[int], every_minutes: int, phase: int, regular: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        visitors = run_day(Path(tmp) / "node", counters, services, every_minutes * 60, phase,
                           [r + 17 for r in regular], horizon_s=60 * 60)  # fmt: skip
    steady = math.ceil(HEAD_START_MINUTES / every_minutes)
    for visitor in visitors:
        assert visitor.overtakers <= steady
        assert visitor.wait_s <= bound_s(visitor, SERVICE_MAX_S, counters), visitor


def test_strict_priority_would_starve_a_regular_visitor_the_rule_does_not(
    tmp_path: Path,
) -> None:
    # One counter, ten minutes a visit, a priority visitor every nine minutes for two hours:
    # more than the counter can serve. A regular visitor comes at 11:01.
    day = {"counters": 1, "services_s": [600], "every_s": 540, "phase_s": 5,
           "regular_s": [60], "horizon_s": 120 * 60}  # fmt: skip
    [ruled] = run_day(tmp_path / "rule", **day)  # type: ignore[arg-type]
    [strict] = run_day(tmp_path / "strict", **day, head_start=10**6)  # type: ignore[arg-type]
    stated = bound_s(ruled, 600, 1)
    assert ruled.overtakers <= math.ceil(HEAD_START_MINUTES * 60 / 540)
    assert ruled.wait_s <= stated <= 40 * 60
    assert strict.wait_s > 2 * 60 * 60 > stated  # called only once the stream has dried up


def test_priority_goes_ahead_of_those_who_came_shortly_before_only(
    node: Node, clock: FakeClock
) -> None:
    tickets = TicketService(node)
    early = tickets.issue(FLOOR, "pin", "self")
    clock.advance(minutes=11)
    recent = tickets.issue(FLOOR, "pin", "self")
    clock.advance(minutes=5)
    first = tickets.issue(FLOOR, "pin", "self", priority_reason="pregnant")
    order = [t["number"] for t in tickets.queue(("general",))]
    # Issued 16 and 5 minutes before the priority visitor: only the later one is passed.
    assert order == [early["number"], first["number"], recent["number"]]
    row = tickets.get(first["ticket_id"])
    assert row["priority_reason"] == "pregnant" and row["priority"] == 0


def test_only_reasons_of_the_fixed_list(node: Node) -> None:
    with pytest.raises(TicketError, match="優先の理由 VIP はありません"):
        TicketService(node).issue(FLOOR, "pin", "self", priority_reason="VIP")


def test_reports_count_priority_visitors_by_reason_once_a_visit(
    node: Node, clock: FakeClock
) -> None:
    tickets = TicketService(node)
    clerk = Actor("cl", "clerk", "1")
    for reason in ("elderly", "elderly", "children", None):
        tickets.issue(FLOOR, "pin", "self", priority_reason=reason)
        clock.advance(minutes=1)
    first = tickets.call_next(clerk, ("general",))
    assert first is not None and first["priority_reason"] == "elderly"
    tickets.transfer(clerk, first["ticket_id"], "city", "市の確認")  # still one visit
    clock.set(OPEN_DAY, time(21, 0))
    report = build_report(node, "daily", OPEN_DAY.isoformat())
    [table] = [t for t in report.tables() if t.title == "優先案内（理由別）"]
    counts = {row[0]: row[1] for row in table.rows}
    assert counts["高齢の方"] == 2 and counts["乳幼児連れの方"] == 1 and counts["妊娠中の方"] == 0
    assert counts["優先案内 計"] == 3 and counts["（参考）優先なしの当日来庁"] == 1
    assert "10分早めた順" in table.note
