"""Benchmarks of sync through a local shared folder.

- propagation: a ticket issued on one PC seen on 7 others, each a separate process
  polling once a second (the design's interval; the interval is the baseline: the mean
  wait for the next poll is half of it);
- catch-up: a PC that was off for a busy day applies it;
- a fresh PC rebuilds a contract year from the share, against a bare SQLite insert of
  the same rows measured in the same run.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.model.clock import day_of
from app.queue.tickets import TicketService
from app.sync.service import SyncService
from db.event import Event
from db.segments import Header, SegmentWriter
from tests.bench.bench_node import bare_bulk_insert, percentile, year_of_events

KEY = "cd" * 32
ROOT = Path(__file__).resolve().parents[2]


def make_node(root: Path, name: str, block: int, role: str = "counter") -> Node:
    """Initialises a node of the bench site on the share ``root/share``."""
    node = Node(root / name)
    node.initialise(site_id="bench", name=name, role=role, share_dir=str(root / "share"),
                    counter=str(block), issuer_block=block, site_key=KEY)  # fmt: skip
    return node


def propagation(root: Path, tickets: int, interval: float = 1.0) -> list[float]:
    """Returns seconds from issue (durable, exported) to visible on each other node."""
    (root / "share").mkdir()
    issuer = make_node(root, "reception", 0, role="reception")
    StaffService(issuer).add(SYSTEM, "fm", "bench", "floor_manager", "1111")
    others = [make_node(root, f"pc{i}", i) for i in range(1, 8)]
    for node in others:
        node.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    watchers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "--data-dir",
                str(root / f"pc{i}"),
                "sync",
                "--watch",
                "--interval",
                str(interval),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(1, 8)
    ]
    readers = [sqlite3.connect(f"file:{root / f'pc{i}' / 'node.sqlite3'}?mode=ro", uri=True)
               for i in range(1, 8)]  # fmt: skip
    service = SyncService(issuer)
    latencies: list[float] = []
    try:
        time.sleep(2.0)  # the watchers start and make their first round
        floor = Actor("fm", "floor_manager")
        for i in range(tickets):
            row = TicketService(issuer).issue(floor, "pin", "self")
            start = time.perf_counter()
            service.once()
            pending = set(range(len(readers)))
            deadline = start + 10
            while pending and time.perf_counter() < deadline:
                for j in list(pending):
                    found = (
                        readers[j]
                        .execute("SELECT 1 FROM events WHERE ticket_id = ?", (row["ticket_id"],))
                        .fetchone()
                    )
                    if found:
                        latencies.append(time.perf_counter() - start)
                        pending.discard(j)
                time.sleep(0.01)
            latencies += [10.0] * len(pending)  # never seen: counted as 10 s
            time.sleep(0.37 * (i % 3))  # vary the phase against the pollers
    finally:
        for proc in watchers:
            proc.terminate()
        for proc in watchers:
            proc.wait(timeout=10)
        for reader in readers:
            reader.close()
        issuer.close()
    return latencies


def write_share(root: Path, events: list[Event]) -> None:
    """Writes events to the share as their nodes would: one segment per node and day."""
    groups: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in events:
        groups[(event.node_id, day_of(event.hlc >> 16).isoformat())].append(event)
    base = root / "share" / "madoguchi" / "v1" / "bench" / "days"
    for (node_id, day), chunk in groups.items():
        chunk.sort(key=lambda e: e.seq)
        path = base / day / "nodes" / node_id / f"seg-{chunk[0].seq:09d}-bench-1.log"
        SegmentWriter(
            path, bytes.fromhex(KEY), Header("bench", node_id, "bench", chunk[0].seq)
        ).append(chunk)


def catch_up(root: Path, events: list[Event]) -> tuple[float, int]:
    """Returns seconds for a PC that saw none of ``events`` to apply them, and tickets."""
    write_share(root, events)
    late = make_node(root, "late", 9)
    start = time.perf_counter()
    report = SyncService(late).once()
    elapsed = time.perf_counter() - start
    assert not report.offline and report.imported == len(events), report
    tickets = int(late.store.conn.execute("SELECT count(*) FROM tickets").fetchone()[0])
    late.close()
    return elapsed, tickets


def run(quick: bool = False) -> dict[str, float]:
    """Runs the sync benchmarks and prints the figures."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        lat = propagation(Path(tmp), 8 if quick else 20)
        figures.update(prop_p50_s=statistics.median(lat), prop_p95_s=percentile(lat, 95))
        print(f"propagation, 8 PCs on a local folder, polling every 1.0 s ({len(lat)} sightings):")
        print(f"  p50 {figures['prop_p50_s']:.2f} s   p95 {figures['prop_p95_s']:.2f} s   "
              f"max {max(lat):.2f} s   (target p95 ≤ 1.5 s; the poll interval alone: 1.0 s)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        day = list(year_of_events(600, days_limit=1))
        elapsed, tickets = catch_up(Path(tmp), day)
        figures.update(busy_day_s=elapsed, busy_day_events=len(day))
        print(f"catch-up of a busy day ({len(day):,} events, {tickets} tickets): {elapsed:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        year = list(year_of_events(10_000 if quick else 40_000))
        elapsed, tickets = catch_up(Path(tmp), year)
        bulk = bare_bulk_insert(Path(tmp), [e.to_row() for e in year])
        figures.update(year_s=elapsed, year_bare_s=bulk)
        print(f"fresh PC from the share, {len(year):,} events ({tickets:,} tickets): "
              f"{elapsed:.2f} s; bare insert of the same rows {bulk:.2f} s; "
              f"ratio {elapsed / bulk:.2f}× (targets ≤ 3 s, ≤ 3×)")  # fmt: skip
    return figures
