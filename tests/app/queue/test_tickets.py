"""Ticket lifecycle: every move, every refused move, calling order, numbering."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from app.core.actor import SYSTEM, Actor, AuthError
from app.core.node import Node
from app.queue.calls import CallWatcher, sentence
from app.queue.queries import QueueQueries
from app.queue.tickets import LateCheckIn, TicketError, TicketService
from app.reservations.bookings import ReservationService
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import make_node


@pytest.fixture
def svc(node: Node) -> TicketService:
    return TicketService(node)


def test_walk_in_numbers_are_consecutive_per_lane(svc: TicketService, floor: Actor) -> None:
    a1 = svc.issue(floor, "certificate", "self")
    a2 = svc.issue(floor, "pin", "legal")
    c1 = svc.issue(floor, "certificate", "agent")
    a3 = svc.issue(floor, "loss", "agent")
    assert [a1["number"], a2["number"], a3["number"]] == ["A-001", "A-002", "A-003"]
    assert c1["number"] == "C-001" and c1["lane"] == "city"
    assert a1["state"] == "waiting" and a1["day"] == OPEN_DAY.isoformat()


def test_card_issuance_needs_a_reservation(svc: TicketService, floor: Actor) -> None:
    with pytest.raises(TicketError, match="予約制"):
        svc.issue(floor, "issuance", "self")
    assert svc.tickets() == []


def test_full_lifecycle_and_times(svc: TicketService, floor: Actor, clerk: Actor,
                                  clock: FakeClock) -> None:  # fmt: skip
    t = svc.issue(floor, "certificate", "self")
    clock.advance(minutes=12)
    called = svc.call_next(clerk)
    assert called is not None and called["ticket_id"] == t["ticket_id"]
    assert called["state"] == "called" and called["counter"] == "1"
    clock.advance(seconds=30)
    svc.recall(clerk, t["number"])
    clock.advance(seconds=45)
    svc.start(clerk, t["number"])
    clock.advance(minutes=20)
    done = svc.done(clerk, t["number"], "completed")
    assert done["state"] == "done" and done["outcome"] == "completed"
    assert done["call_count"] == 2
    from app.model.ticket_fold import timings

    assert timings(done) == {"waiting_ms": 12 * 60_000, "walking_ms": 75_000,
                             "service_ms": 20 * 60_000}  # fmt: skip


@pytest.mark.parametrize("outcome", ["completed", "revisit", "deferred"])
def test_done_outcomes(svc: TicketService, floor: Actor, clerk: Actor, outcome: str) -> None:
    t = svc.issue(floor, "pin", "self")
    svc.call(clerk, t["number"])
    svc.start(clerk, t["number"])
    assert svc.done(clerk, t["number"], outcome)["outcome"] == outcome


def test_unknown_outcome_refused(svc: TicketService, floor: Actor, clerk: Actor) -> None:
    t = svc.issue(floor, "pin", "self")
    svc.call(clerk, t["number"])
    svc.start(clerk, t["number"])
    with pytest.raises(TicketError, match="結果"):
        svc.done(clerk, t["number"], "finished")


def test_hold_and_resume(svc: TicketService, floor: Actor, clerk: Actor) -> None:
    t = svc.issue(floor, "surface", "self")
    svc.call(clerk, t["number"])
    svc.start(clerk, t["number"])
    assert svc.hold(clerk, t["number"], "書類を取りに戻る")["state"] == "held"
    assert svc.resume(clerk, t["number"])["state"] == "serving"
    assert svc.done(clerk, t["number"])["state"] == "done"


def test_noshow_only_after_the_configured_calls(
    svc: TicketService, floor: Actor, clerk: Actor
) -> None:
    t = svc.issue(floor, "loss", "self")
    svc.call(clerk, t["number"])
    with pytest.raises(TicketError, match="あと1回呼び出して"):
        svc.noshow(clerk, t["number"])
    svc.recall(clerk, t["number"])
    assert svc.noshow(clerk, t["number"])["state"] == "noshow"


def test_cancel_needs_reason_and_is_final(svc: TicketService, floor: Actor, clerk: Actor) -> None:
    t = svc.issue(floor, "loss", "self")
    with pytest.raises(TicketError, match="理由"):
        svc.cancel(floor, t["number"], "  ")
    assert svc.cancel(floor, t["number"], "お帰りになった")["state"] == "cancelled"
    with pytest.raises(TicketError, match="取消"):
        svc.call(clerk, t["number"])


@pytest.mark.parametrize(
    ("setup", "move"),
    [
        ([], "start"),  # waiting: not called yet
        ([], "done"),
        ([], "noshow"),
        ([], "recall"),
        ([], "resume"),
        (["call"], "call"),  # already called
        (["call"], "done"),  # must start first
        (["call"], "resume"),
        (["call", "start"], "noshow"),  # is being served
        (["call", "start"], "start"),
        (["call", "start"], "cancel"),
        (["call", "start", "done"], "call"),  # closed
        (["call", "start", "done"], "hold"),
        (["call", "recall", "noshow"], "start"),
    ],
)
def test_impossible_moves_are_refused(
    svc: TicketService, floor: Actor, clerk: Actor, setup: list[str], move: str
) -> None:
    t = svc.issue(floor, "pin", "self")
    for step in setup:
        getattr(svc, step)(clerk, t["number"])
    before = svc.get(t["ticket_id"])
    with pytest.raises(TicketError, match="できません"):
        if move == "cancel":
            svc.cancel(clerk, t["number"], "理由")
        else:
            getattr(svc, move)(clerk, t["number"])
    assert svc.get(t["ticket_id"]) == before


def test_another_counter_cannot_serve_a_called_ticket(
    svc: TicketService, floor: Actor, clerk: Actor, clerk2: Actor
) -> None:
    t = svc.issue(floor, "pin", "self")
    svc.call(clerk, t["number"])
    with pytest.raises(TicketError, match="1番窓口が対応中"):
        svc.start(clerk2, t["number"])
    with pytest.raises(TicketError):
        svc.call(clerk2, t["number"])


def test_roles_are_enforced(svc: TicketService, floor: Actor, clerk: Actor) -> None:
    with pytest.raises(AuthError, match="権限"):
        svc.issue(clerk, "pin", "self")
    t = svc.issue(floor, "pin", "self")
    with pytest.raises(AuthError, match="権限"):
        svc.call(Actor("fm", "floor_manager", "9"), t["number"])


def test_call_needs_a_counter(svc: TicketService, floor: Actor) -> None:
    t = svc.issue(floor, "pin", "self")
    with pytest.raises(TicketError, match="窓口番号"):
        svc.call(Actor("cl", "clerk", None), t["number"])


def test_call_next_follows_issue_order_not_numbers(
    node: Node, svc: TicketService, floor: Actor, clerk: Actor, clock: FakeClock, tmp_path: Path
) -> None:
    first = svc.issue(floor, "pin", "self")
    clock.advance(seconds=5)
    second = svc.issue(floor, "loss", "self")
    got = [svc.call_next(clerk, ("general",)) for _ in range(2)]
    assert [g["ticket_id"] for g in got if g] == [first["ticket_id"], second["ticket_id"]]
    assert svc.call_next(clerk, ("general",)) is None


def test_call_next_only_takes_the_counters_lanes(
    svc: TicketService, floor: Actor, clerk: Actor
) -> None:
    svc.issue(floor, "face_auth", "self")  # city lane
    assert svc.call_next(clerk, ("general",)) is None
    assert svc.call_next(clerk, ("city",)) is not None


def _reserve(node: Node, rid: str, slot: str, applicant: str = "self") -> None:
    ReservationService(node).book(
        SYSTEM, rid, OPEN_DAY, slot, "issuance", applicant, "テスト タロウ"
    )


def test_reserved_visitors_in_their_slot_go_first(
    node: Node, svc: TicketService, floor: Actor, clerk: Actor, clock: FakeClock
) -> None:
    _reserve(node, "R0001", "11:30")
    _reserve(node, "R0002", "11:00")
    clock.set(OPEN_DAY, time(11, 5))
    walk_in = svc.issue(floor, "certificate", "self")
    clock.advance(minutes=1)
    early = svc.issue(floor, "issuance", "self", reservation_id="R0001")  # slot not begun yet
    clock.advance(minutes=1)
    due = svc.issue(floor, "issuance", "self", reservation_id="R0002")  # slot began 11:00
    assert due["number"] == "K-002" and due["priority"] == 1
    order = [t["ticket_id"] for t in svc.queue(("reserved", "general"))]
    assert order == [due["ticket_id"], walk_in["ticket_id"], early["ticket_id"]]
    clock.set(OPEN_DAY, time(11, 30))
    order = [t["ticket_id"] for t in svc.queue(("reserved", "general"))]
    assert order == [due["ticket_id"], early["ticket_id"], walk_in["ticket_id"]]


def test_reservation_checkin_rules(
    node: Node, svc: TicketService, floor: Actor, clock: FakeClock
) -> None:
    _reserve(node, "R0010", "12:00")
    clock.set(OPEN_DAY, time(11, 29))
    with pytest.raises(TicketError, match="11:30 から"):
        svc.issue(floor, "issuance", "self", reservation_id="R0010")
    with pytest.raises(TicketError, match="手続"):
        svc.issue(floor, "issuance", "legal", reservation_id="R0010")
    clock.set(OPEN_DAY, time(12, 16))
    with pytest.raises(LateCheckIn, match="15分以上過ぎて"):
        svc.issue(floor, "issuance", "self", reservation_id="R0010")
    late = svc.issue(floor, "issuance", "self", reservation_id="R0010", confirm_late=True)
    assert late["priority"] == 0
    res = node.store.row("SELECT * FROM reservations WHERE reservation_id = 'R0010'")
    assert (
        res is not None and res["state"] == "checked_in" and res["ticket_id"] == late["ticket_id"]
    )
    with pytest.raises(TicketError, match="受付済み"):
        svc.issue(floor, "issuance", "self", reservation_id="R0010")


def test_reservation_on_time_edge_keeps_priority(
    node: Node, svc: TicketService, floor: Actor, clock: FakeClock
) -> None:
    _reserve(node, "R0011", "12:00")
    clock.set(OPEN_DAY, time(11, 30))  # exactly 30 min early: allowed
    assert svc.issue(floor, "issuance", "self", reservation_id="R0011")["priority"] == 1
    _reserve(node, "R0012", "12:00")
    clock.set(OPEN_DAY, time(12, 15))  # exactly 15 min late: keeps priority
    assert svc.issue(floor, "issuance", "self", reservation_id="R0012")["priority"] == 1


def test_transfer_creates_a_linked_ticket_ahead_of_walk_ins(
    svc: TicketService, floor: Actor, clerk: Actor, clock: FakeClock
) -> None:
    waiting = svc.issue(floor, "face_auth", "self")  # already waiting in the city lane
    t = svc.issue(floor, "certificate", "self")
    svc.call(clerk, t["number"])
    svc.start(clerk, t["number"])
    clock.advance(minutes=3)
    new = svc.transfer(clerk, t["number"], "city", "ダブルチェック（シ）")
    old = svc.get(t["ticket_id"])
    assert old["state"] == "transferred" and old["transferred_to"] == new["ticket_id"]
    assert new["transferred_from"] == t["ticket_id"] and new["lane"] == "city"
    assert new["number"] == "C-002" and new["state"] == "waiting"
    assert [q["ticket_id"] for q in svc.queue(("city",))] == [
        new["ticket_id"],
        waiting["ticket_id"],
    ]
    with pytest.raises(TicketError, match="理由"):
        svc.transfer(clerk, new["number"], "general", "")


def test_numbers_survive_a_restart(tmp_path: Path, clock: FakeClock, floor: Actor) -> None:
    node = make_node(tmp_path / "n", clock)
    TicketService(node).issue(floor, "pin", "self")
    node.close()
    again = Node(tmp_path / "n", wall_ms=clock)
    assert TicketService(again).issue(floor, "pin", "self")["number"] == "A-002"
    again.close()


def test_two_issuing_pcs_cut_off_never_share_a_number(
    tmp_path: Path, clock: FakeClock, floor: Actor
) -> None:
    a = make_node(tmp_path / "a", clock, block=0)
    b = make_node(tmp_path / "b", clock, block=1)
    numbers = [TicketService(n).issue(floor, "pin", "self")["number"] for n in (a, b) * 5]
    assert len(set(numbers)) == 10
    assert "A-001" in numbers and "A-1001" in numbers
    a.close()
    b.close()


def test_numbers_restart_each_day(svc: TicketService, floor: Actor, clock: FakeClock) -> None:
    assert svc.issue(floor, "pin", "self")["number"] == "A-001"
    clock.advance(minutes=3 * 24 * 60)  # Friday: Wednesday and Thursday are closed
    assert svc.issue(floor, "pin", "self")["number"] == "A-001"


def test_lookup_by_number_and_unknown(svc: TicketService, floor: Actor) -> None:
    t = svc.issue(floor, "pin", "self")
    assert svc.get("a1")["ticket_id"] == t["ticket_id"]
    assert svc.get("A-001")["ticket_id"] == t["ticket_id"]
    with pytest.raises(TicketError, match="見つかりません"):
        svc.get("A-999")


def test_free_text_with_a_my_number_is_refused(svc: TicketService, floor: Actor) -> None:
    from app.core.privacy import PrivacyError

    t = svc.issue(floor, "pin", "self")
    with pytest.raises(PrivacyError):
        svc.cancel(floor, t["number"], "番号 1234 5678 9018 の方")
    assert svc.get(t["ticket_id"])["state"] == "waiting"


def test_reopen_corrects_a_mistaken_close(svc: TicketService, floor: Actor, clerk: Actor) -> None:
    t = svc.issue(floor, "pin", "self")
    svc.call(clerk, t["number"])
    svc.recall(clerk, t["number"])
    svc.noshow(clerk, t["number"])
    with pytest.raises(TicketError, match="理由"):
        svc.reopen(clerk, t["number"], " ")
    back = svc.reopen(clerk, t["number"], "遅れて来られた")
    assert back["state"] == "called" and back["counter"] == "1" and back["ended_at"] is None
    svc.start(clerk, t["number"])
    svc.done(clerk, t["number"])
    assert svc.reopen(clerk, t["number"], "完了を押し間違えた")["state"] == "serving"
    with pytest.raises(TicketError, match="訂正できません"):
        svc.reopen(clerk, t["number"], "もう一度")


def test_a_pause_stops_walk_ins_but_not_reserved_visitors(
    node: Node, svc: TicketService, floor: Actor, clock: FakeClock
) -> None:
    from app.queue.pauses import PauseService

    _reserve(node, "R0020", "11:00")
    PauseService(node).pause(Actor("sm", "site_manager"), "jlis", "J-LIS 障害")
    with pytest.raises(TicketError, match="停止"):
        svc.issue(floor, "certificate", "self")
    assert svc.issue(floor, "issuance", "self", reservation_id="R0020")["number"] == "K-001"


def test_an_early_reserved_visitor_waits_from_the_slot(
    node: Node, svc: TicketService, floor: Actor, clerk: Actor, clock: FakeClock
) -> None:
    from app.model.ticket_fold import timings

    _reserve(node, "R0021", "11:30")
    clock.set(OPEN_DAY, time(11, 5))  # 25 minutes early
    t = svc.issue(floor, "issuance", "self", reservation_id="R0021")
    clock.set(OPEN_DAY, time(11, 38))
    called = svc.call(Actor("cl", "clerk", "1"), t["number"])
    assert timings(called)["waiting_ms"] == 8 * 60_000


def test_the_board_and_the_voice_call_a_transferred_visitor_by_their_number(
    svc: TicketService, floor: Actor, clerk: Actor, node: Node
) -> None:
    t = svc.issue(floor, "pin", "self")
    svc.call(clerk, t["number"])
    first = svc.transfer(clerk, t["number"], "city", "ダブルチェック（シ）")
    second = svc.transfer(Actor("city", "city_staff", "5"), svc.call(
        Actor("city", "city_staff", "5"), "A-001")["ticket_id"], "general", "戻り")  # fmt: skip
    queries = QueueQueries(node)
    assert [first["number"], second["number"]] == ["C-001", "A-002"]
    assert queries.held_number(second) == "A-001"  # through two transfers
    svc.call(clerk, "A-001")  # the number in the visitor's hand calls the latest link
    [called] = queries.called_now()
    assert (called["number"], called["internal_number"]) == ("A-001", "A-002")
    watcher = CallWatcher(4, 8)
    watcher.look([], [])
    svc.recall(clerk, "A-002")
    fresh = watcher.look(queries.called_now(), queries.recent_calls(12)).fresh
    assert [c.number for c in fresh] == ["A-001"]
    assert sentence(fresh[0], "ja") == "受付番号 A 1番の方、1番窓口へお越しください"
