"""Benchmarks of one node: issuing latency and rebuilding from a year of events.

Each figure is printed with a baseline measured in the same run on the same machine,
so the ratio means something on any PC.
"""

from __future__ import annotations

import json
import math
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.model.clock import to_ms
from app.queue.tickets import TicketService
from app.sim.demo import open_day_shift
from db.event import COLUMNS, Event
from db.store import connect
from tests.bench.common import Counters


def percentile(values: list[float], p: float) -> float:
    """Returns the p-th percentile (nearest rank) of the values."""
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[max(0, min(len(ordered), rank) - 1)]


def bare_insert_latency(folder: Path, n: int) -> list[float]:
    """Times committing one small row at a time with synchronous=FULL (the floor)."""
    conn = connect(folder / "bare.sqlite3")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
    samples = []
    for i in range(n):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (payload) VALUES (?)", (json.dumps({"n": i}),))
        conn.execute("COMMIT")
        samples.append((time.perf_counter() - start) * 1000)
    conn.close()
    return samples


def issue_latency(folder: Path, n: int) -> list[float]:
    """Times a floor manager's tap: issue a walk-in ticket, durable, row read back."""
    node = Node(folder / "node")
    node.initialise(site_id="bench", name="bench", role="reception")
    node.set_demo_clock(open_day_shift(node, node.now_ms()))  # the center open, at any hour
    StaffService(node).add(SYSTEM, "fm", "bench", "floor_manager", "1111")
    tickets = TicketService(node)
    floor = Actor("fm", "floor_manager")
    counters = Counters(node)
    procedures = ("certificate", "pin", "loss", "surface", "face_auth", "other")
    samples = []
    for i in range(n):
        counters.serve()
        start = time.perf_counter()
        tickets.issue(floor, procedures[i % len(procedures)], ("self", "legal", "agent")[i % 3])
        samples.append((time.perf_counter() - start) * 1000)
    node.close()
    return samples


def year_of_events(visits: int, seed: int = 7, days_limit: int | None = None) -> Iterator[Event]:
    """Yields a contract year of ticket events (7 a visit) from 3 nodes, in HLC order.

    Args:
        visits: visits over all the days.
        seed: random seed of the waiting and service times.
        days_limit: only the first N open days (a busy day: ``visits`` on 1 day).
    """
    rng = random.Random(seed)
    days = [date(2026, 8, 1) + timedelta(days=i) for i in range(243)]
    days = [d for d in days if d.isoweekday() in (1, 2, 5, 6, 7)][:days_limit]
    per_day = max(1, visits // len(days))
    seqs = {"rec": 0, "c1": 0, "c2": 0}

    def make(node: str, at: int, type_: str, ticket: str, counter: str | None,
             payload: dict[str, Any]) -> Event:  # fmt: skip
        seqs[node] += 1
        return Event(node_id=node, seq=seqs[node], hlc=at << 16, type=type_, staff_id="s",
                     ticket_id=ticket, counter=counter, payload=payload)  # fmt: skip

    for day in days:
        opening = to_ms(day, time_of_day(10, 30))
        day_events: list[Event] = []
        for i in range(per_day):
            issued = opening + int(i * 8 * 3600_000 / per_day)
            ticket = f"rec-{seqs['rec'] + 1}"
            lane = "reserved" if i % 3 else "general"
            counter = "c1" if i % 2 else "c2"
            payload = {"number": f"A-{i + 1:03d}", "lane": lane, "block": 0,
                       "number_seq": i + 1, "procedure": "issuance" if i % 3 else "pin",
                       "applicant": "self", "day": day.isoformat()}  # fmt: skip
            day_events.append(make("rec", issued, "ticket.issued", ticket, None, payload))
            at = issued + rng.randint(60_000, 1800_000)
            for type_, gap, extra in (("ticket.called", 0, {}),
                                      ("ticket.recalled", 30_000, {}),
                                      ("ticket.started", 60_000, {}),
                                      ("ticket.held", 600_000, {}),
                                      ("ticket.resumed", 120_000, {}),
                                      ("ticket.done", 900_000, {"outcome": "completed"})):  # fmt: skip
                at += gap + rng.randint(0, 10_000)
                day_events.append(make(counter, at, type_, ticket, counter[-1], extra))
        day_events.sort(key=Event.sort_key)
        yield from day_events


def bare_bulk_insert(folder: Path, rows: list[tuple[Any, ...]]) -> float:
    """Times inserting the event rows into an events table of the same shape (seconds)."""
    conn = connect(folder / "bulk.sqlite3")
    conn.execute(
        "CREATE TABLE events (node_id TEXT, seq INTEGER, hlc INTEGER, type TEXT, ticket_id TEXT,"
        " prev TEXT, staff_id TEXT, counter TEXT, payload TEXT, schema INTEGER,"
        " PRIMARY KEY (node_id, seq)) WITHOUT ROWID"
    )
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def rebuild_time(folder: Path, rows: list[tuple[Any, ...]]) -> tuple[float, int]:
    """Loads the events into a node and times rebuilding every projection (seconds)."""
    node = Node(folder / "rebuild")
    node.initialise(site_id="bench", name="bench", role="admin")
    conn = node.store.conn
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")
    start = time.perf_counter()
    node.store.rebuild()
    elapsed = time.perf_counter() - start
    tickets = int(conn.execute("SELECT count(*) FROM tickets").fetchone()[0])
    node.close()
    return elapsed, tickets


def run(quick: bool = False) -> dict[str, float]:
    """Runs every node benchmark and prints the figures."""
    figures: dict[str, float] = {}
    taps = 100 if quick else 400
    visits = 10_000 if quick else 40_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare = bare_insert_latency(folder, taps)
        issue = issue_latency(folder, taps)
        figures.update(
            bare_p50_ms=statistics.median(bare), bare_p95_ms=percentile(bare, 95),
            issue_p50_ms=statistics.median(issue), issue_p95_ms=percentile(issue, 95),
        )  # fmt: skip
        print(f"tap → durable ticket ({taps} walk-ins, synchronous=FULL):")
        print(f"  madoguchi issue   p50 {figures['issue_p50_ms']:7.2f} ms   "
              f"p95 {figures['issue_p95_ms']:7.2f} ms   (target p95 ≤ 50 ms, PDF not included)")  # fmt: skip
        print(f"  bare SQLite insert p50 {figures['bare_p50_ms']:6.2f} ms   "
              f"p95 {figures['bare_p95_ms']:7.2f} ms")  # fmt: skip
        print(f"  ratio p95 {figures['issue_p95_ms'] / figures['bare_p95_ms']:.1f}×")

        rows = [e.to_row() for e in year_of_events(visits)]
        bulk = bare_bulk_insert(folder, rows)
        rebuild, tickets = rebuild_time(folder, rows)
        figures.update(events=len(rows), bulk_s=bulk, rebuild_s=rebuild, tickets=tickets)
        print(f"rebuild from {len(rows):,} events ({tickets:,} tickets, contract year):")
        print(f"  madoguchi rebuild {rebuild:6.2f} s   (target ≤ 3 s and ≤ 3× bare insert)")
        print(f"  bare SQLite insert of the same rows {bulk:6.2f} s")
        print(f"  ratio {rebuild / bulk:.2f}×")
    return figures
