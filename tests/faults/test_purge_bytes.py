"""A purge leaves no name in any byte: not in the database file, its WAL, nor the share."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.queue.tickets import TicketService
from app.reservations.bookings import ReservationService
from app.sim.config import SimNode
from app.sim.simulate import simulate
from app.sync.loop import SyncLoop
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import site_node

FAMILY = ("ヨコスカ", "ウラガ", "クリハマ", "タケヤマ", "ハシリミズ", "オッパマ", "ツルガオカ")


def names_in(paths: list[Path], names: tuple[str, ...]) -> int:
    """Counts the names found in the bytes of the files."""
    data = b"".join(p.read_bytes() for p in paths if p.is_file())
    return sum(data.count(n.encode("utf-8")) for n in names)


@pytest.mark.slow
def test_a_purge_after_two_busy_weeks_leaves_no_name_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "sim"
    node = SimNode(folder, start=date(2026, 10, 1))
    simulate(node, date(2026, 10, 1), date(2026, 10, 14), seed=5)
    node.close()
    files = sorted(folder.glob("node.sqlite3*"))
    assert names_in(files, FAMILY) > 100  # the bookings' names are there before
    monkeypatch.setenv("MADOGUCHI_PIN", "0000")
    assert main(["--data-dir", str(folder), "--staff", "sm01", "purge", "--keep-days", "0"]) == 0
    assert "氏名を消去しました" in capsys.readouterr().out
    assert names_in(sorted(folder.glob("node.sqlite3*")), FAMILY) == 0


def test_a_purge_from_another_pc_is_compacted_here_once_nobody_works(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    bookings = ReservationService(reception)
    day = date(2026, 11, 20)
    names = tuple(f"ヤマテ{n:02d}" for n in range(24))
    for n, name in enumerate(names):
        bookings.book(SYSTEM, f"R{n:06d}", day, ("10:30", "11:00", "11:30")[n % 3], "issuance",
                      "self", name)  # fmt: skip
    for n in range(0, 24, 2):  # half of them come, each at their slot
        clock.set(day, (time(10, 25), time(10, 55), time(11, 25))[n % 3])
        TicketService(reception).issue(Actor("fm", "floor_manager"), "issuance", "self",
                                       reservation_id=f"R{n:06d}")  # fmt: skip
    for node in (reception, counter, reception):
        SyncService(node).once()
    clock.set(day + timedelta(days=8), time(11, 0))  # a week later, during the day
    assert bookings.purge(SYSTEM) == 24
    SyncService(reception).once()
    loop = SyncLoop(counter)
    assert not loop.round().compacted  # the counter is busy: the file is rewritten later
    assert (
        counter.store.rows("SELECT name_kana FROM reservations WHERE name_kana IS NOT NULL") == []
    )
    clock.set(day + timedelta(days=8), time(19, 30))  # after staff hours
    assert loop.round().compacted
    counter.close()
    files = sorted((tmp_path / "counter-1").glob("node.sqlite3*"))
    assert names_in(files, names) == 0
    reception.close()
    assert names_in(sorted((tmp_path / "reception").glob("node.sqlite3*")), names) == 0
    assert names_in(sorted((tmp_path / "share").rglob("*.log")), names) == 0
    after = Node(tmp_path / "counter-1", wall_ms=clock)
    assert after.store.integrity_check() == "ok"
    after.close()


def test_names_are_purged_on_schedule_once_nobody_works(tmp_path: Path, clock: FakeClock) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    day = date(2026, 11, 20)
    names = tuple(f"ヨテイ{n:02d}" for n in range(6))
    for n, name in enumerate(names):
        ReservationService(reception).book(SYSTEM, f"R{n:06d}", day, "10:30", "issuance", "self",
                                           name)  # fmt: skip
    ReservationService(reception).book(SYSTEM, "R999999", day + timedelta(days=4), "10:30",
                                       "issuance", "self", "マダノコル")  # fmt: skip
    loop = SyncLoop(reception)
    clock.set(day + timedelta(days=6), time(19, 30))  # six days after: kept
    assert loop.round().purged == 0
    clock.set(day + timedelta(days=7), time(12, 0))  # due, but staff are working
    assert loop.round().purged == 0
    clock.set(day + timedelta(days=7), time(19, 30))
    report = loop.round()
    assert report.purged == 6 and loop.round().purged == 0
    kept = reception.store.rows("SELECT name_kana FROM reservations WHERE name_kana IS NOT NULL")
    assert kept == [{"name_kana": "マダノコル"}]  # a booking four days later keeps its name
    reception.close()
    assert names_in(sorted((tmp_path / "reception").glob("node.sqlite3*")), names) == 0
    assert names_in(sorted((tmp_path / "share").rglob("*.log")), names) == 0
