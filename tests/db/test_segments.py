"""Segment files: authenticated records, torn tails left for the next poll."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.event import Event
from db.segments import Header, SegmentWriter, event_body, read_segment, sign

KEY = bytes(range(32))
HEADER = Header("site", "n1", "inst", 1)


def ev(seq: int) -> Event:
    return Event(node_id="n1", seq=seq, hlc=seq << 16, type="closure.added", staff_id="sm",
                 payload={"day": "2026-12-07", "reason": "保守"})  # fmt: skip


def test_round_trip_and_incremental_reads(tmp_path: Path) -> None:
    path = tmp_path / "seg.log"
    writer = SegmentWriter(path, KEY, HEADER)
    writer.append([ev(1), ev(2)])
    first = read_segment(path, KEY, "site")
    assert first.header == HEADER and first.problem is None
    assert [e.seq for e in first.events] == [1, 2] and first.events[0] == ev(1)
    writer.append([ev(3)])
    second = read_segment(path, KEY, "site", first.offset, first.header)
    assert [e.seq for e in second.events] == [3]
    assert second.offset == path.stat().st_size


def test_a_torn_tail_waits_for_the_next_poll(tmp_path: Path) -> None:
    path = tmp_path / "seg.log"
    writer = SegmentWriter(path, KEY, HEADER)
    writer.append([ev(1)])
    line = sign(KEY, event_body(ev(2)))
    with open(path, "ab") as f:
        f.write(line[:40])  # an append in progress
    result = read_segment(path, KEY, "site")
    assert [e.seq for e in result.events] == [1] and result.problem is None
    with open(path, "ab") as f:
        f.write(line[40:])
    again = read_segment(path, KEY, "site", result.offset, result.header)
    assert [e.seq for e in again.events] == [2]


def test_a_forged_record_is_passed_over_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "seg.log"
    writer = SegmentWriter(path, KEY, HEADER)
    writer.append([ev(1)])
    with open(path, "ab") as f:
        f.write(sign(b"another key", event_body(ev(2))))
        f.write(sign(KEY, event_body(ev(3))))
    result = read_segment(path, KEY, "site")
    assert [e.seq for e in result.events] == [1, 3]
    assert result.problem is not None and "署名" in result.problem
    assert result.offset == path.stat().st_size


def test_one_flipped_byte_on_disk_loses_only_its_record(tmp_path: Path) -> None:
    path = tmp_path / "seg.log"
    SegmentWriter(path, KEY, HEADER).append([ev(n) for n in range(1, 6)])
    lines = path.read_bytes().splitlines(keepends=True)
    target = sum(len(line) for line in lines[:3]) + 80  # inside the record of seq 3
    with open(path, "r+b") as f:
        f.seek(target)
        byte = f.read(1)
        f.seek(target)
        f.write(bytes([byte[0] ^ 0x01]))
    result = read_segment(path, KEY, "site")
    assert [e.seq for e in result.events] == [1, 2, 4, 5]
    assert result.problem is not None and result.problem.startswith(f"{target - 80}バイト目")


def test_a_file_of_another_site_is_not_read_at_all(tmp_path: Path) -> None:
    path = tmp_path / "seg.log"
    SegmentWriter(path, KEY, Header("other-site", "n1", "i", 1)).append([ev(1), ev(2)])
    result = read_segment(path, KEY, "site")
    assert result.rows == [] and "別の拠点" in (result.problem or "")


def test_garbage_foreign_site_and_wrong_node(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.log"
    garbage.write_bytes(b"\x00\xff" * 50 + b"\n")
    assert read_segment(garbage, KEY, "site").problem is not None
    foreign = tmp_path / "foreign.log"
    SegmentWriter(foreign, KEY, Header("other-site", "n1", "i", 1))
    result = read_segment(foreign, KEY, "site")
    assert result.problem is not None and "別の拠点" in result.problem
    mixed = tmp_path / "mixed.log"
    writer = SegmentWriter(mixed, KEY, Header("site", "n2", "i", 1))
    writer.append([ev(1)])  # an event of n1 in n2's file
    result = read_segment(mixed, KEY, "site")
    assert result.events == [] and result.problem is not None


def test_an_empty_file_is_not_yet_a_problem(tmp_path: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    result = read_segment(empty, KEY, "site")
    assert result.header is None and result.problem is None and result.offset == 0


def test_writer_never_reopens_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "seg.log"
    SegmentWriter(path, KEY, HEADER)
    with pytest.raises(FileExistsError):
        SegmentWriter(path, KEY, HEADER)


def test_a_malformed_but_signed_record_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "seg.log"
    writer = SegmentWriter(path, KEY, HEADER)
    writer.append([ev(1), ev(2)])
    with open(path, "ab") as f:
        f.write(sign(KEY, b'["n1", 3, "not a number"'))  # signed, but not an event
        f.write(sign(KEY, event_body(ev(4))))
    result = read_segment(path, KEY, "site")
    assert [e.seq for e in result.events] == [1, 2, 4]
    assert result.problem is not None and "壊れた記録" in result.problem
    assert result.offset == path.stat().st_size
