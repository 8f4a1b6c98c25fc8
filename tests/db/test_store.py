"""The store: events and projections move together; projections rebuild identically."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from app.core.actor import SYSTEM, Actor, AuthError
from app.core.node import Node, NodeError
from app.core.staff import StaffService
from app.queue.closures import ClosureService
from app.queue.tickets import TicketService
from app.reservations.bookings import ReservationService
from db.store import StoreError
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import make_node


def busy_day(node: Node, clock: FakeClock) -> None:
    """Every kind of event: tickets through each move, closures, staff, reservations."""
    floor, c1, c2 = (
        Actor("fm", "floor_manager"),
        Actor("cl", "clerk", "1"),
        Actor("cl2", "clerk", "2"),
    )
    svc = TicketService(node)
    res = ReservationService(node)
    res.book(SYSTEM, "R0001", OPEN_DAY, "11:00", "issuance", "self", "ヤマダ ハナコ")
    res.book(SYSTEM, "R0002", OPEN_DAY, "11:00", "issuance", "legal", "ヤマダ タロウ")
    svc.issue(floor, "issuance", "self", reservation_id="R0001")
    for i in range(12):
        clock.advance(minutes=1)
        svc.issue(floor, ("pin", "certificate", "loss", "face_auth")[i % 4],
                  ("self", "legal", "agent")[i % 3])  # fmt: skip
    for clerk in (c1, c2, c1):
        t = svc.call_next(clerk, ("reserved", "general"))
        assert t is not None
        clock.advance(minutes=1)
        svc.start(clerk, t["number"])
    serving = svc.tickets(states=("serving",))
    svc.done(c1, serving[0]["number"], "revisit")
    svc.hold(c2, serving[1]["number"])
    svc.transfer(c1, serving[2]["number"], "city", "ダブルチェック")
    waiting = svc.tickets(states=("waiting",))
    svc.cancel(floor, waiting[-1]["number"], "お帰りになった")
    t = svc.call_next(c2, ("general",))
    assert t is not None
    svc.recall(c2, t["number"])
    svc.noshow(c2, t["number"])
    closures = ClosureService(node)
    manager = Actor("sm", "site_manager")
    closures.add(manager, date(2026, 12, 7), "システム保守")
    closures.add(manager, date(2026, 12, 8), "研修")
    closures.remove(manager, date(2026, 12, 8))
    staff = StaffService(node)
    staff.sign_in("cl", "2222", "1")
    with pytest.raises(AuthError):
        staff.authenticate("cl2", "9999")


def test_rebuild_gives_identical_tables(node: Node, clock: FakeClock) -> None:
    busy_day(node, clock)
    live = node.store.projection_dump()
    assert len(live["tickets"]) == 14
    node.store.rebuild()
    assert node.store.projection_dump() == live


def test_every_change_is_an_event_with_node_and_staff(node: Node, clock: FakeClock) -> None:
    busy_day(node, clock)
    events = list(node.store.events())
    assert [e.seq for e in sorted(events, key=lambda e: e.seq)] == list(range(1, len(events) + 1))
    assert all(e.node_id == node.identity.node_id and e.staff_id for e in events)
    assert [e.hlc for e in events] == sorted(e.hlc for e in events)


def test_a_failed_write_leaves_no_event(node: Node) -> None:
    before = node.store.event_count()
    with pytest.raises(RuntimeError), node.write() as w:
        w.append("closure.added", SYSTEM, payload={"day": "2026-12-07", "reason": "x"})
        raise RuntimeError("power cut")
    assert node.store.event_count() == before
    assert node.store.rows("SELECT * FROM closures") == []


def test_seq_is_never_reused_after_restart(tmp_path: Path, clock: FakeClock) -> None:
    node = make_node(tmp_path / "n", clock)
    last = max(e.seq for e in node.store.events())
    node.close()
    again = Node(tmp_path / "n", wall_ms=clock)
    with again.write() as w:
        event = w.append("closure.added", SYSTEM, payload={"day": "2026-12-07", "reason": "x"})
    assert event.seq == last + 1
    again.close()


def test_uninitialised_node_refuses_to_write(tmp_path: Path, clock: FakeClock) -> None:
    node = Node(tmp_path / "empty", wall_ms=clock)
    with pytest.raises(StoreError, match="初期設定"), node.write():
        pass
    node.close()


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "node.sqlite3").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(NodeError, match="データベースを開けません"):
        Node(folder)


def test_durable_writes_switch_back_to_normal_sync(node: Node) -> None:
    TicketService(node).issue(Actor("fm", "floor_manager"), "pin", "self")
    assert node.store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert node.store.integrity_check() == "ok"
    assert node.store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_clock_day_boundary_uses_japan_time(tmp_path: Path) -> None:
    # 2026-11-24 23:59:30 JST is 14:59:30 UTC the same day; 00:00:30 JST is the next day.
    from app.model.clock import to_ms

    clock = FakeClock.__new__(FakeClock)
    clock.ms = to_ms(OPEN_DAY, time(23, 59, 30))
    node = make_node(tmp_path / "n", clock)
    assert node.today() == OPEN_DAY
    clock.advance(minutes=1)
    assert node.today() == date(2026, 11, 25)
    node.close()
