"""Benchmark of the reservation import: a 10,000-row export, in UTF-8 and in CP932.

The baseline is decoding the same bytes and reading them with ``csv.reader``: the least any
import has to do. Both are measured in the same run, so the ratio means something on any PC.
In-process figures (the import itself) stand beside whole-process ones: ``madoguchi
reservations import FILE`` into a newly set-up PC against a process that only decodes and
reads the same file, run in turn (A B A B …).
"""

from __future__ import annotations

import csv
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from app.core.actor import SYSTEM, Actor
from app.core.center_calendar import CenterCalendar
from app.core.node import Node
from app.core.staff import StaffService
from app.reservations.importer import import_reservations
from tests.bench.common import ROOT, interleaved, machine_line, median_ratio, spread

_READ_ONLY = (
    "import csv, io, sys\n"
    "data = open(sys.argv[1], 'rb').read().decode(sys.argv[2])\n"
    "assert len(list(csv.reader(io.StringIO(data, newline='')))) > 1\n"
)

HEADER = ("予約番号", "予約日", "開始時刻", "手続", "受取者区分", "氏名カナ", "電話番号")
_FAMILY = ("タナカ", "スズキ", "サトウ", "ヤマモト", "ワタナベ", "イトウ", "コバヤシ", "カトウ")
_GIVEN = ("ショウタ", "ハナコ", "タロウ", "ミホ", "ダイスケ", "ユウコ", "ケンジ", "アヤ")


def make_rows(
    count: int, calendar: CenterCalendar, seats: int = 8, seed: int = 5
) -> list[list[str]]:
    """Returns ``count`` export rows filling the open days' slots from 2026-08-01 in order."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    day = date(2026, 8, 1)
    while len(rows) < count:
        for slot in calendar.slots(day):
            for _ in range(seats):
                if len(rows) == count:
                    break
                number = f"R{day:%Y%m%d}{len(rows) % 10_000:05d}"
                applicant = rng.choice(("本人", "本人", "本人", "法定代理人", "任意代理人"))
                name = f"{rng.choice(_FAMILY)} {rng.choice(_GIVEN)}"
                phone = f"090-{rng.randrange(10_000):04d}-{rng.randrange(10_000):04d}"
                rows.append([number, day.isoformat(), slot.strftime("%H:%M"), "カード交付",
                             applicant, name, phone])  # fmt: skip
        day += timedelta(days=1)
        if day > date(2027, 3, 31):
            raise ValueError(f"{count} rows do not fit in the contract period")
    return rows


def to_csv(rows: list[list[str]], encoding: str) -> bytes:
    """Returns the rows under :data:`HEADER` as CSV bytes (CRLF, like Excel)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def baseline(data: bytes, encoding: str) -> float:
    """Times decoding the bytes and reading every record with ``csv.reader`` (seconds)."""
    start = time.perf_counter()
    records = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    elapsed = time.perf_counter() - start
    assert len(records) > 1
    return elapsed


def import_time(folder: Path, data: bytes) -> tuple[float, float, int]:
    """Imports the file into a new node, then again; returns (first s, again s, rows)."""
    node = Node(folder)
    node.initialise(site_id="bench", name=folder.name, role="admin")
    file = folder / "export.csv"
    file.write_bytes(data)
    actor = Actor("fm", "floor_manager")
    first = import_reservations(node, actor, file)
    again = import_reservations(node, actor, file)
    assert first.added == first.rows and again.unchanged == again.rows
    node.close()
    return first.seconds, again.seconds, first.rows


def run(quick: bool = False) -> dict[str, float]:
    """Generates 10,000 rows (CP932 and UTF-8), imports them and prints the figures."""
    count = 2_000 if quick else 10_000
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        probe = Node(folder / "probe")
        rows = make_rows(count, probe.calendar(), probe.settings.reservations.seats_per_slot)
        probe.close()
        import_time(folder / "warm-up", to_csv(rows[:50], "utf-8"))
        print(f"reservation import ({count:,} rows, {rows[0][1]} … {rows[-1][1]}; "
              f"{machine_line()}):")  # fmt: skip
        for encoding in ("cp932", "utf-8"):
            data = to_csv(rows, encoding)
            bare = min(baseline(data, encoding) for _ in range(3))
            first, again, imported = import_time(folder / encoding, data)
            key = encoding.replace("-", "")
            figures.update({f"{key}_import_s": first, f"{key}_reimport_s": again,
                            f"{key}_baseline_s": bare, f"{key}_rows_per_s": imported / first})  # fmt: skip
            print(f"  {encoding:<6} import {first:6.2f} s ({imported / first:8,.0f} rows/s)   "
                  f"re-import unchanged {again:5.2f} s   "
                  f"decode+csv.reader {bare * 1000:6.1f} ms   ratio {first / bare:5.0f}×")  # fmt: skip
        whole, reading = whole_process(folder / "whole", to_csv(rows, "cp932"), 2 if quick else 4)
        figures.update(whole_import_s=statistics.median(whole),
                       whole_read_s=statistics.median(reading))  # fmt: skip
        print(f"  whole process, cp932: madoguchi reservations import {spread(whole)}   "
              f"(target ≤ 1 s)")  # fmt: skip
        print(f"    a process that only decodes and reads it {spread(reading)}   "
              f"ratio {median_ratio(whole, reading):.1f}×")  # fmt: skip
    return figures


def whole_process(folder: Path, data: bytes, rounds: int) -> tuple[list[float], list[float]]:
    """Times ``madoguchi reservations import`` into a new PC (set up untimed) against a
    process that decodes and reads the same file, in turn."""
    folder.mkdir()
    file = folder / "export.csv"
    file.write_bytes(data)
    env = {**os.environ, "MADOGUCHI_STAFF": "fm", "MADOGUCHI_PIN": "1111"}
    made = 0

    def one_import() -> float:
        nonlocal made
        made += 1
        pc = folder / f"pc-{made}"
        node = Node(pc)
        node.initialise(site_id="bench", name=pc.name, role="admin")
        StaffService(node).add(SYSTEM, "fm", "bench", "floor_manager", "1111")
        node.close()
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app", "--data-dir", str(pc), "reservations",
                        "import", str(file)], check=True, env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        return time.perf_counter() - start

    def one_read() -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", _READ_ONLY, str(file), "cp932"], check=True)
        return time.perf_counter() - start

    return interleaved(one_import, one_read, rounds)
