"""The wait estimate the ticket, reception and the status page share."""

from __future__ import annotations

import pytest

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.queue.estimate import counters_serving, estimate_for, lane_wait
from app.queue.tickets import TicketService
from tests.helpers.clock import FakeClock


def test_the_counters_signed_in_share_the_wait(node: Node, floor: Actor) -> None:
    tickets = TicketService(node)
    for _ in range(4):
        tickets.issue(floor, "certificate", "self")  # 25 min each in the catalog
    mine = tickets.issue(floor, "certificate", "self")
    assert counters_serving(node, "general") == 1  # nobody signed in: still one, never zero
    assert estimate_for(node, mine).minutes == 100
    staff = StaffService(node)
    staff.add(SYSTEM, "cl9", "職員 cl9", "clerk", "9999")
    staff.sign_in("cl", "2222", "1")
    staff.sign_in("cl9", "9999", "2")
    assert counters_serving(node, "general") == 2
    assert estimate_for(node, mine) == estimate_for(node, mine, counters=2)
    assert estimate_for(node, mine).minutes == 50
    assert counters_serving(node, "city") == 1  # clerks do not serve the city's lane


def test_a_lane_gives_every_waiting_ticket_its_own_estimate(
    node: Node, floor: Actor, clerk: Actor, clock: FakeClock
) -> None:
    tickets = TicketService(node)
    for _ in range(3):
        tickets.issue(floor, "pin", "self")  # 10 min each
    wait = lane_wait(node, "general", counters=1)
    assert [t["number"] for t in wait.waiting] == ["A-001", "A-002", "A-003"]
    assert [wait.minutes_behind(k) for k in range(4)] == [0, 10, 20, 30]
    assert wait.newcomer_minutes == 30
    for k, ticket in enumerate(wait.waiting):
        assert estimate_for(node, ticket, counters=1).minutes == wait.minutes_behind(k)
    tickets.call(clerk, "A-001")
    assert estimate_for(node, tickets.get("A-001")).people_ahead == 0
    with pytest.raises(ValueError, match="counters"):
        lane_wait(node, "general", counters=0)
