"""Pauses (J-LIS down), turned-back visits and the reprint queue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.actor import Actor, AuthError
from app.core.node import Node
from app.printing.jobs import print_and_record, reprint_queue
from app.printing.printer import PrinterError
from app.printing.printers import PdfFolderPrinter
from app.queue.pauses import PauseService
from app.queue.tickets import TicketError, TicketService
from app.queue.visits import TURNED_BACK, turn_back
from tests.helpers.clock import FakeClock

MANAGER = Actor("sm", "site_manager")


def test_a_jlis_pause_stops_only_jlis_procedures(node: Node, floor: Actor) -> None:
    pauses = PauseService(node)
    with pytest.raises(AuthError):
        pauses.pause(Actor("cl", "clerk"), "jlis", "J-LIS 障害")
    pauses.pause(MANAGER, "jlis", "J-LIS 障害（10:40〜）")
    assert pauses.reason("certificate") == "J-LIS 障害（10:40〜）"
    assert pauses.reason("loss") is None
    tickets = TicketService(node)
    with pytest.raises(TicketError, match="受付を停止しています（J-LIS 障害"):
        tickets.issue(floor, "certificate", "self")
    assert tickets.issue(floor, "loss", "self")["number"] == "A-001"
    pauses.resume(MANAGER, "jlis")
    assert tickets.issue(floor, "certificate", "self")["number"] == "A-002"
    with pytest.raises(ValueError, match="停止されていません"):
        pauses.resume(MANAGER, "jlis")


def test_a_single_procedure_pause_and_a_reason_is_required(node: Node) -> None:
    pauses = PauseService(node)
    with pytest.raises(ValueError, match="理由"):
        pauses.pause(MANAGER, "pin", " ")
    pauses.pause(MANAGER, "pin", "端末故障")
    assert pauses.all() == {"pin": "端末故障"}
    with pytest.raises(ValueError):
        pauses.pause(MANAGER, "no-such-procedure", "x")


def test_turned_back_visits_are_counted_without_a_ticket(node: Node, floor: Actor) -> None:
    checklist = node.catalog.documents("certificate", "agent")
    text = turn_back(node, floor, "certificate", "agent", [checklist[0]])
    assert text == f"次回お持ちいただくもの: {checklist[0]}"
    events = list(node.store.events("type = ?", (TURNED_BACK,)))
    assert len(events) == 1 and events[0].payload["missing"] == [checklist[0]]
    assert TicketService(node).tickets() == []
    with pytest.raises(ValueError, match="選んで"):
        turn_back(node, floor, "certificate", "agent", [])
    with pytest.raises(ValueError, match="一覧にない"):
        turn_back(node, floor, "certificate", "agent", ["住民票"])


class BrokenPrinter:
    def print_ticket(self, pdf: bytes, png: bytes, name: str) -> None:
        raise PrinterError("プリンタの用紙がありません")


def test_a_failed_print_stays_in_the_reprint_queue_until_it_prints(
    node: Node, floor: Actor, tmp_path: Path
) -> None:
    t = TicketService(node).issue(floor, "pin", "self")
    result = print_and_record(node, floor, t["ticket_id"], BrokenPrinter())
    assert not result.ok and "用紙" in result.message and "手書き" in result.message
    assert result.pdf.startswith(b"%PDF")
    assert [r["number"] for r in reprint_queue(node)] == ["A-001"]
    (tmp_path / "out").mkdir()
    again = print_and_record(node, floor, t["ticket_id"], PdfFolderPrinter(tmp_path / "out"))
    assert again.ok and reprint_queue(node) == []
    row = TicketService(node).get(t["ticket_id"])
    assert row["state"] == "waiting" and json.loads(row["conflicts"]) == []
    node.store.rebuild()
    assert TicketService(node).get(t["ticket_id"]) == row


def test_the_reprint_queue_holds_only_todays_tickets(
    node: Node, floor: Actor, clock: FakeClock
) -> None:
    t = TicketService(node).issue(floor, "pin", "self")
    print_and_record(node, floor, t["ticket_id"], BrokenPrinter())
    assert len(reprint_queue(node)) == 1
    clock.advance(minutes=24 * 60)
    assert reprint_queue(node) == []
