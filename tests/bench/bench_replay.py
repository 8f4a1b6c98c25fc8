"""A floor manager's tap while late events arrive: flat from a month to a contract year.

Two PCs of the site's history — one holding a month, one holding eight months (the real
mix, :mod:`tests.bench.year`) — issue walk-in tickets (a tap: a durable commit, the row read
back) while their sync thread applies, on a connection of its own, out-of-order events that
other PCs wrote: sign-ins older than the staff member's last sign-out, and no-show marks of a
second PC's sweep older than the first one's. Each such event refolds its entity. Taps on
both PCs are measured in turn; so is every sync transaction (how long a tap could wait).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.queue.tickets import TicketService
from db.event import COLUMNS, Event
from tests.bench.common import percentile
from tests.bench.year import Row, year_rows

LATE = "nlate0000000"


class Site:
    """A PC holding a span of the site's history, with a clock after its last event."""

    def __init__(self, folder: Path, rows: list[Row]) -> None:
        self.now = (rows[-1][2] >> 16) + 60_000
        self.node = Node(folder, wall_ms=lambda: self.now)
        self.node.initialise(site_id="bench", name=folder.name, role="reception")
        StaffService(self.node).add(SYSTEM, "fmb", "bench", "floor_manager", "1111")
        conn = self.node.store.conn
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        conn.execute("COMMIT")
        self.node.store.rebuild()
        self.tickets = TicketService(self.node)
        self.floor = Actor("fmb", "floor_manager")
        self.late = _late_events(rows)
        self.applies: list[float] = []

    def tap(self, n: int) -> float:
        self.now += 1000
        start = time.perf_counter()
        self.tickets.issue(
            self.floor, ("certificate", "pin", "loss")[n % 3], "self", confirm_closed=True
        )
        return (time.perf_counter() - start) * 1000

    def feed(self, stop: threading.Event, every_s: float) -> None:
        """The sync thread: applies late events, two a round, on its own connection."""
        sync = Node(self.node.data_dir, wall_ms=lambda: self.now)
        n = 0
        while not stop.is_set() and n + 2 <= len(self.late):
            batch = self.late[n : n + 2]
            n += 2
            start = time.perf_counter()
            sync.store.apply_remote(batch, (f"late-{n}", LATE, 0, None, None, 0, 0))
            self.applies.append((time.perf_counter() - start) * 1000)
            stop.wait(every_s)
        sync.close()


def _late_events(rows: list[Row]) -> list[Event]:
    """Sign-ins older than each staff member's last event and no-show marks older than the
    mark already there, alternating, from a PC whose events arrive late."""
    rng = random.Random(7)
    last: dict[str, int] = {}
    marks: list[tuple[str, int]] = []
    for row in rows:
        if row[3] in ("staff.signed_in", "staff.signed_out"):
            last[row[6]] = row[2]
        elif row[3] == "reservation.noshow":
            import json

            marks.append((json.loads(row[8])["reservation_id"], row[2]))
    staff = sorted(last)
    late: list[Event] = []
    for seq in range(1, 2001):
        if seq % 2 == 1 or not marks:
            who = rng.choice(staff)
            late.append(Event(LATE, seq, last[who] - 60_000 * 65536, "staff.signed_in", who,
                              None, (), "9"))  # fmt: skip
        else:
            reservation, hlc = rng.choice(marks)
            late.append(Event(LATE, seq, hlc - 65536, "reservation.noshow", SYSTEM.staff_id,
                              payload={"reservation_id": reservation}))  # fmt: skip
    return late


def measure(site: Site, taps: int) -> list[float]:
    """Taps every 10 ms (a busy desk) while the sync thread applies two late events every
    0.1 s (ten times what a busy site sends)."""
    stop = threading.Event()
    feeder = threading.Thread(target=site.feed, args=(stop, 0.1), daemon=True)
    feeder.start()
    samples = []
    for n in range(taps):
        samples.append(site.tap(n))
        stop.wait(0.01)
    stop.set()
    feeder.join()
    return samples


def run(quick: bool = False) -> dict[str, Any]:
    """Prints tap latency with late events arriving, a month against eight months."""
    taps = 100 if quick else 300
    spans = (1, 1) if quick else (1, 8)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sites = {months: Site(Path(tmp) / f"m{months}-{i}", year_rows(months))
                 for i, months in enumerate(dict.fromkeys(spans))}  # fmt: skip
        samples: dict[int, list[float]] = {m: [] for m in sites}
        for _ in range(3):  # month, year, month, year …: a slow moment hits both
            for months, site in sites.items():
                samples[months] += measure(site, taps // 3)
        print("tap while late sign-ins and no-show marks arrive (each refolds its entity):")
        for months, site in sites.items():
            s = samples[months]
            events = site.node.store.event_count()
            p50, p99 = statistics.median(s), percentile(s, 99)
            hold, hold99 = max(site.applies), percentile(site.applies, 99)
            figures[f"tap_{months}m"] = {"p50_ms": p50, "p99_ms": p99, "max_ms": max(s),
                                         "sync_hold_max_ms": hold, "events": events}  # fmt: skip
            print(f"  {months} month(s), {events:,} events: tap p50 {p50:6.2f} ms  p99 "
                  f"{p99:6.2f} ms  max {max(s):6.2f} ms; {len(site.applies)} sync transactions:"
                  f" p99 {hold99:5.2f} ms, max {hold:5.2f} ms")  # fmt: skip
            site.node.close()
        if len(sites) == 2:
            ratio = figures["tap_8m"]["p99_ms"] / figures["tap_1m"]["p99_ms"]
            ratio50 = figures["tap_8m"]["p50_ms"] / figures["tap_1m"]["p50_ms"]
            figures["year_over_month_p99"] = ratio
            print(f"  eight months / one month: p50 {ratio50:.2f}×  p99 {ratio:.2f}× "
                  "(target ≤ 1.2×; no tap blocked > 20 ms)")  # fmt: skip
    return figures
