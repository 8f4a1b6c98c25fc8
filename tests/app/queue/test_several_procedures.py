"""Several procedures in one visit: one ticket, an outcome per procedure, the visit moved on
to the city counter when a procedure needs it, and the figures counting each procedure once
and the visit once."""

from __future__ import annotations

from datetime import time

import pytest

from app.core.actor import Actor
from app.core.node import Node
from app.queue.modes import ModeRefusal, ModeService
from app.queue.queries import QueueQueries
from app.queue.routes import stops
from app.queue.tickets import TicketError, TicketService
from app.reports.figures import figures_for
from tests.helpers.clock import OPEN_DAY, FakeClock

FLOOR = Actor("fm", "floor_manager")
CLERK = Actor("cl", "clerk", "1")
CITY = Actor("city", "city_staff", "5")


def serve(tickets: TicketService, clerk: Actor, ref: str) -> dict[str, object]:
    called = tickets.call(clerk, ref)
    return tickets.start(clerk, called["ticket_id"])


def test_renewal_and_pin_reset_take_one_ticket_and_an_outcome_each(
    node: Node, clock: FakeClock
) -> None:
    tickets = TicketService(node)
    row = tickets.issue(FLOOR, "certificate", "self", others=("pin",))
    assert (row["number"], row["lane"], row["procedure"]) == ("A-001", "general", "certificate")
    serve(tickets, CLERK, "A-001")
    clock.advance(minutes=30)
    done = tickets.done(CLERK, "A-001", outcomes={"certificate": "completed", "pin": "deferred"})
    assert done["state"] == "done" and done["outcome"] == "deferred"
    clock.set(OPEN_DAY, time(21, 0))
    figures = figures_for(node, OPEN_DAY.isoformat())
    assert figures.count("visits") == 1 and figures.count("procedures") == 2
    assert figures.count("served") == 1 and figures.count("served", procedure="certificate") == 1
    assert figures.count("deferred", procedure="pin") == 1


def test_a_procedure_of_the_city_moves_the_visit_on_with_its_number(
    node: Node, clock: FakeClock
) -> None:
    tickets, queue = TicketService(node), QueueQueries(node)
    route = stops(node.catalog, ["face_auth", "certificate"], "self")
    assert [(s.lane.id, s.procedures) for s in route] == [
        ("general", ("certificate",)), ("city", ("face_auth",))]  # fmt: skip
    row = tickets.issue(FLOOR, "face_auth", "self", others=("certificate",))
    assert row["lane"] == "general" and row["number"] == "A-001"  # the contractor first
    serve(tickets, CLERK, "A-001")
    clock.advance(minutes=25)
    moved = tickets.done(CLERK, "A-001")  # the renewal done here: on to the city counter
    assert moved["lane"] == "city" and moved["procedure"] == "face_auth"
    assert queue.held_number(moved) == "A-001"
    first = tickets.get("A-001")
    assert first["state"] == "transferred" and first["reason"] == "続けて市窓口の手続"
    assert first["outcomes"] == '{"certificate": "completed"}'
    assert [t["ticket_id"] for t in tickets.queue(("city",))] == [moved["ticket_id"]]
    called = tickets.call(CITY, "A-001")  # the visitor's number calls the linked ticket
    tickets.start(CITY, called["ticket_id"])
    clock.advance(minutes=15)
    tickets.done(CITY, called["ticket_id"])
    clock.set(OPEN_DAY, time(21, 0))
    figures = figures_for(node, OPEN_DAY.isoformat())
    assert figures.count("visits") == 1 and figures.count("procedures") == 2
    assert figures.by("served", "procedure", "operator", "counter") == {
        ("certificate", "contractor", "1"): 1, ("face_auth", "city", "5"): 1}  # fmt: skip


def test_procedures_all_of_the_city_go_straight_to_the_city_lane(node: Node) -> None:
    row = TicketService(node).issue(FLOOR, "express", "self", others=("application",))
    assert row["lane"] == "city" and row["number"] == "C-001"


def test_several_procedures_are_checked_each(node: Node, clock: FakeClock) -> None:
    tickets = TicketService(node)
    with pytest.raises(TicketError, match="二度"):
        tickets.issue(FLOOR, "pin", "self", others=("pin",))
    with pytest.raises(TicketError, match="予約制"):
        tickets.issue(FLOOR, "pin", "self", others=("issuance",))
    ModeService(node).start(Actor("sm", "site_manager"), "jlis", "J-LIS 障害")
    with pytest.raises(ModeRefusal, match="電子証明書"):
        tickets.issue(FLOOR, "loss", "self", others=("certificate",))
    assert tickets.tickets() == []


def test_a_transfer_for_a_double_check_keeps_every_procedure(node: Node) -> None:
    tickets = TicketService(node)
    tickets.issue(FLOOR, "certificate", "self", others=("pin",))
    serve(tickets, CLERK, "A-001")
    new = tickets.transfer(CLERK, "A-001", "city", "ダブルチェック（シ）")
    assert new["procedure"] == "certificate"
    called = tickets.call(CITY, "A-001")
    tickets.start(CITY, called["ticket_id"])
    done = tickets.done(CITY, called["ticket_id"], outcomes={"pin": "revisit"})
    assert done["state"] == "done" and done["outcome"] == "revisit"  # both served there


def test_moving_on_takes_no_fee_and_unknown_procedures_are_refused(node: Node) -> None:
    tickets = TicketService(node)
    tickets.issue(FLOOR, "face_auth", "self", others=("certificate",))
    serve(tickets, CLERK, "A-001")
    with pytest.raises(TicketError, match="最後の窓口"):
        tickets.done(CLERK, "A-001", fee="reissue")
    with pytest.raises(TicketError, match="face_auth はありません"):
        tickets.done(CLERK, "A-001", outcomes={"face_auth": "completed"})
    assert tickets.get("A-001")["state"] == "serving"


def test_a_correction_gives_back_the_outcomes_it_undoes(node: Node) -> None:
    tickets = TicketService(node)
    tickets.issue(FLOOR, "certificate", "self", others=("pin",))
    serve(tickets, CLERK, "A-001")
    tickets.done(CLERK, "A-001", "revisit")
    reopened = tickets.reopen(CLERK, "A-001", "押し間違い")
    assert reopened["state"] == "serving" and reopened["outcomes"] == "{}"
    done = tickets.done(CLERK, "A-001")
    assert done["outcomes"] == '{"certificate": "completed", "pin": "completed"}'
