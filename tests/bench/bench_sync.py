"""Benchmark of sync through a local shared folder: a PC that was off for a busy day
catches up with it.

Propagation through the windows is :mod:`tests.bench.bench_propagation`; a fresh PC taking
the contract year from the share, as a whole process, is :mod:`tests.bench.bench_fresh`.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from pathlib import Path

from app.core.node import Node
from app.model.clock import day_of
from app.sync.service import SyncService
from db.event import Event
from db.segments import Header, SegmentWriter
from tests.bench.bench_node import year_of_events

KEY = "cd" * 32
ROOT = Path(__file__).resolve().parents[2]


def make_node(root: Path, name: str, block: int, role: str = "counter") -> Node:
    """Initialises a node of the bench site on the share ``root/share``."""
    node = Node(root / name)
    node.initialise(site_id="bench", name=name, role=role, share_dir=str(root / "share"),
                    counter=str(block), issuer_block=block, site_key=KEY)  # fmt: skip
    return node


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
    """Runs the catch-up benchmark and prints the figures."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        day = list(year_of_events(300 if quick else 600, days_limit=1))
        elapsed, tickets = catch_up(Path(tmp), day)
        figures.update(busy_day_s=elapsed, busy_day_events=len(day))
        print(f"catch-up of a busy day ({len(day):,} events, {tickets} tickets): {elapsed:.2f} s")
    return figures
