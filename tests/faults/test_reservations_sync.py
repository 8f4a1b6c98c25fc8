"""Check-in search, no-show sweeps on two PCs, and purging names everywhere."""

from __future__ import annotations

import os
from datetime import date, time
from pathlib import Path

import pytest

from app.core.actor import SYSTEM, Actor
from app.queue.tickets import LateCheckIn, TicketService
from app.reservations.bookings import ReservationService, kana_key
from app.sync.loop import SyncLoop, sweeps_noshows
from app.sync.service import SyncService
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import site_node

NAME = "ヤマグチ ショウタロウ"  # distinctive, to search for in raw bytes


@pytest.mark.parametrize("query", ["ﾔﾏｸﾞﾁ", "やまぐち　しょうたろう", "ヤマグチショウタロウ",
                                   "ヤマクチ"[:2] + "グチ", "ショウタロウ"])  # fmt: skip
def test_name_search_is_tolerant(tmp_path: Path, clock: FakeClock, query: str) -> None:
    node = site_node(tmp_path, "reception", clock, block=0, role="reception")
    service = ReservationService(node)
    service.book(SYSTEM, "R0001", OPEN_DAY, "11:00", "issuance", "self", NAME)
    service.book(SYSTEM, "R0002", OPEN_DAY, "11:00", "issuance", "self", "タナカ ハナコ")
    assert [r["reservation_id"] for r in service.find(OPEN_DAY, query)] == ["R0001"]
    assert [r["reservation_id"] for r in service.find(OPEN_DAY, "r0002")] == ["R0002"]
    assert kana_key("ｼｮｳﾀ") == kana_key("しょうた") == kana_key("シヨウタ")


def test_the_current_and_next_slots(tmp_path: Path, clock: FakeClock) -> None:
    node = site_node(tmp_path, "reception", clock, block=0, role="reception")
    service = ReservationService(node)
    for i, slot in enumerate(("10:30", "11:00", "11:30", "12:00")):
        service.book(SYSTEM, f"R000{i}", OPEN_DAY, slot, "issuance", "self", "テスト")
    clock.set(OPEN_DAY, time(11, 10))
    assert [r["slot"] for r in service.around(OPEN_DAY, clock.ms)] == ["11:00", "11:30"]


@pytest.mark.usefixtures("windows_share")
def test_a_sweep_on_two_pcs_gives_one_noshow(tmp_path: Path, clock: FakeClock) -> None:
    a = site_node(tmp_path, "reception", clock, block=0, role="reception")
    b = site_node(tmp_path, "admin", clock, block=1, role="admin")
    ReservationService(a).book(SYSTEM, "R0001", OPEN_DAY, "11:00", "issuance", "self", NAME)
    ReservationService(a).book(SYSTEM, "R0002", OPEN_DAY, "11:00", "issuance", "self", "タナカ")
    TicketService(a).issue(Actor("fm", "floor_manager"), "issuance", "self", reservation_id="R0002")
    sa, sb = SyncService(a), SyncService(b)
    for s in (sa, sb):
        s.once()
    clock.set(OPEN_DAY, time(11, 44))  # slot 11:00–11:30 + 15 min grace not over yet
    assert ReservationService(a).sweep_noshows(SYSTEM) == []
    clock.set(OPEN_DAY, time(11, 45))
    assert ReservationService(a).sweep_noshows(SYSTEM) == ["R0001"]
    assert ReservationService(b).sweep_noshows(SYSTEM) == ["R0001"]  # cut off: both saw it
    assert ReservationService(a).sweep_noshows(SYSTEM) == []  # never twice on one PC
    for _ in range(2):
        for s in (sa, sb):
            s.once()
    for node in (a, b):
        states = {
            r["reservation_id"]: r["state"] for r in ReservationService(node).for_day(OPEN_DAY)
        }
        assert states == {"R0001": "noshow", "R0002": "checked_in"}
    assert a.store.projection_dump() == b.store.projection_dump()
    # A no-show who turns up after all is checked in with the floor manager's confirmation.
    with pytest.raises(LateCheckIn, match="過ぎています"):
        TicketService(a).issue(
            Actor("fm", "floor_manager"), "issuance", "self", reservation_id="R0001"
        )
    late = TicketService(a).issue(Actor("fm", "floor_manager"), "issuance", "self",
                                  reservation_id="R0001", confirm_late=True)  # fmt: skip
    assert late["priority"] == 0
    assert ReservationService(a).for_day(OPEN_DAY)[0]["state"] == "checked_in"


def test_the_rounds_of_every_pc_give_one_noshow_mark_per_reservation(
    tmp_path: Path, clock: FakeClock
) -> None:
    pcs = [site_node(tmp_path, "reception", clock, block=0, role="reception"),
           site_node(tmp_path, "counter-1", clock, block=1, counter="1"),
           site_node(tmp_path, "counter-2", clock, block=2, counter="2"),
           site_node(tmp_path, "display", clock, block=3, role="display")]  # fmt: skip
    for n in range(3):
        ReservationService(pcs[0]).book(SYSTEM, f"R000{n}", OPEN_DAY, "11:00", "issuance", "self")
    loops = [SyncLoop(pc) for pc in pcs]
    for loop in loops:
        loop.round()
    clock.set(OPEN_DAY, time(11, 50))  # the slot and its grace are over: three no-shows
    for _ in range(3):
        for loop in reversed(loops):  # the reception PC's round comes last
            loop.round()
    assert [sweeps_noshows(pc) for pc in pcs] == [True, False, False, False]
    for pc in pcs:
        marks = pc.store.rows("SELECT count(*) AS n FROM events WHERE type = 'reservation.noshow'")
        assert marks == [{"n": 3}]
    # The reception PC stays away for hours (its heartbeat file ages on the share): the next
    # PC by role takes the task over.
    clock.advance(minutes=150)
    beat = next((tmp_path / "share").rglob(f"registry/{pcs[0].identity.node_id}.json"))
    os.utime(beat, (beat.stat().st_mtime - 150 * 60,) * 2)
    for loop in loops[1:]:
        loop.round()
    takers = [pc.identity.name for pc in pcs[1:] if sweeps_noshows(pc)]
    assert len(takers) == 1 and takers[0].startswith("counter")
    for pc in pcs:
        pc.close()


@pytest.mark.usefixtures("windows_share")
def test_purge_leaves_no_name_in_the_databases_wal_or_share(
    tmp_path: Path, clock: FakeClock
) -> None:
    a = site_node(tmp_path, "reception", clock, block=0, role="reception")
    b = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    ReservationService(a).book(SYSTEM, "R0001", OPEN_DAY, "11:00", "issuance", "self", NAME)
    TicketService(a).issue(Actor("fm", "floor_manager"), "issuance", "self", reservation_id="R0001")
    sa, sb = SyncService(a), SyncService(b)
    for s in (sa, sb, sa):
        s.once()
    encoded = NAME.encode("utf-8")
    escaped = NAME.encode("unicode_escape").replace(b"\\u", b"\\\\u")  # as JSON on the share
    assert (
        encoded
        in (tmp_path / "reception" / "node.sqlite3-wal").read_bytes()
        + (tmp_path / "reception" / "node.sqlite3").read_bytes()
    )
    clock.set(date(2026, 11, 30), time(10, 0))
    assert ReservationService(a).purge(Actor("sm", "site_manager")) == 0  # 6 days: not yet
    clock.set(date(2026, 12, 1), time(10, 0))  # 7 days after the visit
    assert ReservationService(a).purge(Actor("sm", "site_manager")) == 1
    for _ in range(2):
        for s in (sa, sb):
            s.once()
    for node in (a, b):
        node.store.checkpoint()
        res = ReservationService(node).for_day(OPEN_DAY)
        assert res[0]["name_kana"] is None and res[0]["state"] == "checked_in"  # still counted
        for suffix in ("", "-wal"):
            raw = node.data_dir / f"node.sqlite3{suffix}"
            if raw.exists():
                data = raw.read_bytes()
                assert encoded not in data and escaped not in data, f"{node.data_dir}{suffix}"
    for path in (tmp_path / "share").rglob("*.log"):
        data = path.read_bytes()
        assert b"\\u30e4\\u30de\\u30b0\\u30c1" not in data.lower(), path  # ヤマグチ as JSON
        assert encoded not in data
    fresh = site_node(tmp_path, "new-pc", clock, block=7, staff=False)
    SyncService(fresh).once()
    assert ReservationService(fresh).for_day(OPEN_DAY)[0]["name_kana"] is None
