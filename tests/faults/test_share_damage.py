"""Odd, locked, damaged and vanished files on the share cost nothing but themselves: every
authentic record still arrives, and what a damaged file lost is written again by its PC."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.actor import Actor
from app.core.node import Node
from app.queue.tickets import TicketService
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import site_node

FLOOR = Actor("fm", "floor_manager")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("windows_share")


def numbers(node: Node) -> list[str]:
    return sorted(t["number"] for t in TicketService(node).tickets())


def own_segments(tmp_path: Path, node: Node) -> list[Path]:
    return sorted((tmp_path / "share").rglob(f"nodes/{node.identity.node_id}/seg-*.log"))


def flip_byte(path: Path, at: int) -> bytes:
    """Flips one bit of the byte at ``at`` on disk; returns the file as it was."""
    before = path.read_bytes()
    with open(path, "r+b") as f:
        f.seek(at)
        f.write(bytes([before[at] ^ 0x04]))
    return before


def record_of(path: Path, node: Node, seq: int) -> int:
    """Returns the byte offset of the record of event ``seq`` in a segment."""
    mark = f'["{node.identity.node_id}",{seq},'.encode()
    at = 0
    for line in path.read_bytes().splitlines(keepends=True):
        if mark in line:
            return at
        at += len(line)
    raise AssertionError(f"no record of {seq} in {path}")


def ticket_seq(node: Node, number: str) -> int:
    """Returns the sequence number of the event that issued a ticket."""
    ticket_id = TicketService(node).get(number)["ticket_id"]
    return next(e.seq for e in node.store.ticket_events(ticket_id) if e.type == "ticket.issued")


def without_dac_override() -> None:
    """Drops root's power to read any file, for the process about to start (Linux)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl")


def test_odd_entries_named_like_segments_are_reported_and_passed_over(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()
    folder = own_segments(tmp_path, reception)[0].parent
    (folder / "seg-000000000-aaaa-bb-cc.log").mkdir()  # a folder named like a segment
    (folder / "seg-000000000-dddd-ee-ff.log").symlink_to(tmp_path / "nowhere")  # dangling
    report = SyncService(counter).once()
    assert not report.offline
    assert numbers(counter) == ["A-001"]
    assert any("フォルダ" in p for p in report.problems)
    assert any("ファイルがありません" in p for p in report.problems)
    TicketService(reception).issue(FLOOR, "pin", "self")  # later files still arrive
    SyncService(reception).once()
    again = SyncService(counter).once()
    assert numbers(counter) == ["A-001", "A-002"] and again.problems == []  # told once


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_segment_does_not_stop_the_others(tmp_path: Path, clock: FakeClock) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()
    clock.advance(minutes=1)
    TicketService(reception).issue(FLOOR, "pin", "self")
    reception.close()
    reception = Node(tmp_path / "reception", wall_ms=clock)  # a new run writes a new segment
    SyncService(reception).once()
    first, _second = own_segments(tmp_path, reception)
    counter.close()
    first.chmod(0o000)  # an ACL set by IT, or a file held by antivirus
    if os.geteuid() == 0:  # root reads anything: the round runs without that power
        done = subprocess.run([sys.executable, "-m", "tests.faults.sync_round",
                               str(tmp_path / "counter-1")], cwd=ROOT,
                              preexec_fn=without_dac_override, capture_output=True, text=True,
                              timeout=60, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
    else:
        node = Node(tmp_path / "counter-1")
        report = SyncService(node).once().to_json()
        node.close()
    assert not report["offline"]
    assert any(first.name in p and "権限" in p for p in report["problems"])
    counter = Node(tmp_path / "counter-1", wall_ms=clock)
    assert numbers(counter) == ["A-002"]  # the readable file's ticket arrived
    first.chmod(0o644)  # the ACL is fixed: the file is read at the next round
    SyncService(counter).once()
    assert numbers(counter) == ["A-001", "A-002"]


def test_a_flipped_byte_loses_one_record_until_its_writer_publishes_it_again(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    for _ in range(5):
        TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()
    segment = own_segments(tmp_path, reception)[0]
    flip_byte(segment, record_of(segment, reception, ticket_seq(reception, "A-003")) + 90)
    report = SyncService(counter).once()
    assert numbers(counter) == ["A-001", "A-002", "A-004", "A-005"]
    assert any("署名" in p for p in report.problems)
    mended = SyncService(reception).once()  # the writer reads back what changed
    assert mended.republished >= 1
    SyncService(counter).once()
    assert numbers(counter) == ["A-001", "A-002", "A-003", "A-004", "A-005"]
    before = counter.store.projection_dump()
    counter.store.rebuild()
    assert counter.store.projection_dump() == before == reception.store.projection_dump()


def test_a_damaged_file_restored_from_backup_is_read_again(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    for _ in range(3):
        TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()
    segment = own_segments(tmp_path, reception)[0]
    at = record_of(segment, reception, ticket_seq(reception, "A-003")) + 90
    reception.close()  # the reception PC is off: nobody republishes
    good = flip_byte(segment, at)
    SyncService(counter).once()
    assert len(numbers(counter)) == 2
    segment.write_bytes(good)  # IT restores the file from the file server's backup
    SyncService(counter).once()
    assert numbers(counter) == ["A-001", "A-002", "A-003"]


def test_a_quarantined_segment_is_written_again_for_a_pc_that_joins_later(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    for _ in range(3):
        TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()
    quarantine = tmp_path / "quarantine"
    quarantine.mkdir()
    for segment in own_segments(tmp_path, reception):
        shutil.move(segment, quarantine / segment.name)  # antivirus takes it away
    assert SyncService(reception).once().republished >= 3
    late = site_node(tmp_path, "admin", clock, block=2, role="admin", staff=False)
    SyncService(late).once()
    assert numbers(late) == ["A-001", "A-002", "A-003"]
