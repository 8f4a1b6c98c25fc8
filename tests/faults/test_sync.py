"""Nodes converge through the shared folder whatever happens to it."""

from __future__ import annotations

from pathlib import Path

import pytest

import db.segments
from app.core.actor import Actor
from app.queue.tickets import TicketError, TicketService
from app.sync.service import SyncService
from db.event import Event
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import site_node

FLOOR = Actor("fm", "floor_manager")

pytestmark = pytest.mark.usefixtures("windows_share")


def sync_all(*services: SyncService, rounds: int = 2) -> None:
    for _ in range(rounds):
        for service in services:
            report = service.once()
            assert not report.offline, report.message


def test_a_ticket_reaches_the_other_pcs_and_a_call_comes_back(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    t = TicketService(reception).issue(FLOOR, "pin", "self")
    sync_all(a, b)
    called = TicketService(counter).call_next(Actor("cl", "clerk", "1"), ("general",))
    assert called is not None and called["ticket_id"] == t["ticket_id"]
    sync_all(b, a)
    assert TicketService(reception).get(t["ticket_id"])["state"] == "called"
    assert reception.store.projection_dump() == counter.store.projection_dump()


def test_two_counters_calling_the_same_ticket_while_cut_off(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    c1 = site_node(tmp_path, "c1", clock, block=1, counter="1")
    c2 = site_node(tmp_path, "c2", clock, block=2, counter="2")
    services = [SyncService(n) for n in (reception, c1, c2)]
    t = TicketService(reception).issue(FLOOR, "pin", "self")
    sync_all(*services)
    # Cut off from each other: both call the same visitor.
    TicketService(c2).call(Actor("cl", "clerk", "2"), t["number"])
    clock.advance(seconds=2)
    TicketService(c1).call(Actor("cl", "clerk", "1"), t["number"])
    TicketService(c1).start(Actor("cl", "clerk", "1"), t["number"])
    sync_all(*services)
    rows = [TicketService(n).get(t["ticket_id"]) for n in (reception, c1, c2)]
    assert all(r == rows[0] for r in rows)
    assert rows[0]["counter"] == "2" and rows[0]["state"] == "called"
    import json

    losers = {c["counter"] for c in json.loads(rows[0]["conflicts"])}
    assert losers == {"1"}
    with pytest.raises(TicketError, match="2番窓口"):
        TicketService(c1).done(Actor("cl", "clerk", "1"), t["number"])


def test_the_share_disappearing_never_stops_a_counter(tmp_path: Path, clock: FakeClock) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    sync_all(a, b)
    share = tmp_path / "share"
    share.rename(tmp_path / "share-unplugged")
    for _ in range(3):
        TicketService(reception).issue(FLOOR, "loss", "self")
    report = a.once()
    assert report.offline and "そのまま使えます" in report.message and report.waiting >= 3
    assert b.once().offline
    (tmp_path / "share-unplugged").rename(share)
    sync_all(a, b)
    assert len(TicketService(counter).tickets()) == 3
    assert a.once().waiting == 0


def test_a_failed_write_starts_a_new_segment(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    sync_all(a, b)
    TicketService(reception).issue(FLOOR, "pin", "self")
    real_write = db.segments.SegmentWriter._write

    def torn_write(self: db.segments.SegmentWriter, lines: list[bytes], mode: str = "ab") -> None:
        with open(self.path, mode) as f:
            f.write(b"".join(lines)[:30])  # half a record reaches the server
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db.segments.SegmentWriter, "_write", torn_write)
    failed = a.once()
    assert failed.write_failed and not failed.offline and failed.waiting == 1
    monkeypatch.setattr(db.segments.SegmentWriter, "_write", real_write)
    TicketService(reception).issue(FLOOR, "pin", "self")
    sync_all(a, b)
    assert [t["number"] for t in TicketService(counter).tickets()] == ["A-001", "A-002"]
    segments = list((tmp_path / "share").rglob(f"nodes/{reception.identity.node_id}/seg-*.log"))
    assert len(segments) == 2  # the torn one is never appended to again


def test_torn_empty_garbage_and_forged_files_are_ignored_and_reported(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    TicketService(reception).issue(FLOOR, "pin", "self")
    sync_all(a)
    day = next((tmp_path / "share").rglob("days/*/nodes")).parent
    intruder = day / "nodes" / "ffffffffffff"
    intruder.mkdir()
    (intruder / "seg-000000001-x-y.log").write_bytes(b"garbage\n")
    (intruder / "seg-000000002-x-y.log").write_bytes(b"")
    forged = db.segments.SegmentWriter(intruder / "seg-000000003-x-y.log", b"wrong key" * 4,
                                       db.segments.Header("test", "ffffffffffff", "x", 3))  # fmt: skip
    real = next(e for e in reception.store.events() if e.type == "ticket.issued")
    fake = Event(node_id="ffffffffffff", seq=3, hlc=real.hlc + 1, type="ticket.issued",
                 staff_id="fm", ticket_id="ffffffffffff-3", payload=dict(real.payload))  # fmt: skip
    forged.append([fake])
    report = b.once()
    assert report.imported > 0 and len(report.problems) == 2
    assert all("ffffffffffff" not in t["ticket_id"] for t in TicketService(counter).tickets())
    assert len(TicketService(counter).tickets()) == 1
    assert b.once().problems == []  # reported once, then left alone


@pytest.mark.parametrize("skew_minutes", [60, -60])
def test_a_clock_an_hour_off_still_converges_and_raises_the_alarm(
    tmp_path: Path, clock: FakeClock, skew_minutes: int
) -> None:
    skewed = FakeClock.__new__(FakeClock)
    skewed.ms = clock.ms + skew_minutes * 60_000
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", skewed, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    t = TicketService(reception).issue(FLOOR, "pin", "self")
    sync_all(a, b)
    clerk = Actor("cl", "clerk", "1")
    TicketService(counter).call(clerk, t["number"])
    TicketService(counter).start(clerk, t["number"])
    sync_all(b, a)
    assert reception.store.projection_dump() == counter.store.projection_dump()
    alarms = {r["name"]: r["clock_alarm"] for r in a.status()}
    assert alarms["counter-1"] is True


def test_bulk_catch_up_gives_the_same_tables_and_survives_a_crash(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    clerk = Actor("cl", "clerk", "1")
    for _ in range(30):
        TicketService(reception).issue(FLOOR, "pin", "self")
        clock.advance(minutes=1)
    sync_all(a, b)
    for _ in range(10):
        called = TicketService(counter).call_next(clerk, ("general",))
        assert called is not None
        TicketService(counter).start(clerk, called["number"])
    sync_all(b, a)
    late = site_node(tmp_path, "late", clock, block=5, staff=False)
    real_rebuild = late.store.rebuild
    monkeypatch.setattr(late.store, "rebuild", lambda: (_ for _ in ()).throw(OSError("power cut")))
    with pytest.raises(OSError):
        SyncService(late, bulk_bytes=0).import_all([])  # any backlog counts as a long absence
    assert late.store.projections_stale and late.store.rows("SELECT * FROM tickets") == []
    monkeypatch.setattr(late.store, "rebuild", real_rebuild)
    SyncService(late).once()  # the next round repairs the projections first
    assert not late.store.projections_stale
    assert late.store.projection_dump() == reception.store.projection_dump()
