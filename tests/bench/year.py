"""A contract year of the center as the benchmarks use it: the real mix of events, from the
PCs that would have written them.

The simulation (:mod:`app.sim.simulate`) runs the center's days through the real services —
reservations booked and swept, walk-ins, calls, services, transfers, corrections, inquiries,
Q&A edits, sign-ins and sign-outs, printed tickets — on one node. :func:`site_year` splits
its log among the PCs of a site as they would have written it: the reception PC (issues,
prints, turned-back visits, the floor manager's shifts), one PC per counter (its calls, moves,
inquiries, transfers and shifts) and the site manager's PC (reservation imports, no-show
sweeps, staff, Q&A, closures). Each PC's events get their own node id and sequence numbers,
and corrections keep pointing at the moves they saw.

Generating eight months takes about a minute; the result is kept in ``.bench-cache/``
(ignored by git) and reused while the simulation's code is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from app.sim.config import SimNode
from app.sim.simulate import simulate
from db.event import COLUMNS, Event
from db.segments import Header, SegmentWriter

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".bench-cache"
KEY = bytes.fromhex("cd" * 32)
SITE = "bench"
FIRST = date(2026, 8, 1)
#: The last day of each length the benchmarks use.
LAST = {1: date(2026, 8, 31), 8: date(2027, 3, 31)}

Row = tuple[Any, ...]

#: Event types written by the site manager's PC.
_ADMIN = {"reservation.booked", "reservation.cancelled", "reservation.noshow",
          "reservation.purged", "staff.added", "staff.pin_changed", "staff.deactivated",
          "qa.added", "qa.edited", "qa.retired", "closure.added", "closure.removed",
          "procedure.paused", "procedure.resumed", "mode.started", "mode.ended"}  # fmt: skip
_RECEPTION = {"ticket.printed", "ticket.print_failed", "visit.turned_back"}


def _version() -> str:
    """Returns a digest of the code that makes the year (the cache is redone when it changes)."""
    digest = hashlib.sha256()
    for path in [*sorted((ROOT / "app" / "sim").glob("*.py")), Path(__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _writer_of(event: Event) -> str:
    if event.type in _ADMIN:
        return "admin"
    if event.type in _RECEPTION or event.counter is None:
        return "reception"
    return f"counter-{event.counter}"


def _split(events: list[Event]) -> list[Row]:
    """Rewrites one node's log as the logs of the PCs that wrote it (see the module)."""
    node_ids: dict[str, str] = {}
    seqs: dict[str, int] = defaultdict(int)
    renamed: dict[str, str] = {}
    rows = []
    for event in sorted(events, key=Event.sort_key):
        pc = _writer_of(event)
        node = node_ids.setdefault(pc, "n" + hashlib.sha256(pc.encode()).hexdigest()[:12])
        seqs[node] += 1
        renamed[event.id] = f"{node}:{seqs[node]}"
        prev = tuple(renamed.get(p, p) for p in event.prev)
        rows.append(event._replace(node_id=node, seq=seqs[node], prev=prev).to_row())
    return rows


def year_rows(months: int) -> list[Row]:
    """Returns the site's events of ``months`` (1 or 8) as ``events`` rows, in global order."""
    CACHE.mkdir(exist_ok=True)
    cached = CACHE / f"year-{months}-{_version()}.sqlite3"
    if not cached.exists():
        work = CACHE / f"making-{months}"
        shutil.rmtree(work, ignore_errors=True)
        node = SimNode(work / "sim", start=FIRST)
        simulate(node, FIRST, LAST[months], seed=2026)
        events = list(node.store.events())
        node.close()
        rows = _split(events)
        conn = sqlite3.connect(work / "rows.sqlite3")
        conn.execute(f"CREATE TABLE events ({COLUMNS})")
        conn.executemany(f"INSERT INTO events VALUES ({','.join('?' * 10)})", rows)
        conn.commit()
        conn.close()
        (work / "rows.sqlite3").rename(cached)
        shutil.rmtree(work, ignore_errors=True)
    conn = sqlite3.connect(cached)
    rows = conn.execute(f"SELECT {COLUMNS} FROM events ORDER BY hlc, node_id, seq").fetchall()
    conn.close()
    return rows


def write_share(rows: list[Row], share: Path) -> dict[str, int]:
    """Writes the rows as each PC's segments of each day on a shared folder (as export
    would); returns node id → events written."""
    from app.model.clock import day_of

    runs: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for row in rows:
        event = Event.from_row(row)
        runs[(event.node_id, day_of(event.hlc >> 16).isoformat())].append(event)
    counts: dict[str, int] = defaultdict(int)
    for (node, day), events in sorted(runs.items()):
        path = share / "madoguchi" / "v1" / SITE / "days" / day / "nodes" / node
        writer = SegmentWriter(path / f"seg-{events[0].seq:09d}-bench-000000-0000.log", KEY,
                               Header(SITE, node, "bench", events[0].seq))  # fmt: skip
        for start in range(0, len(events), 2000):
            writer.append(events[start : start + 2000])
        counts[node] += len(events)
    return dict(counts)


def mix(rows: list[Row]) -> dict[str, Any]:
    """Returns what the rows hold: events, PCs, tickets, and the share of each kind."""
    types: dict[str, int] = defaultdict(int)
    for row in rows:
        types[row[3]] += 1
    return {"events": len(rows), "pcs": len({r[0] for r in rows}),
            "tickets": types["ticket.issued"], "types": dict(types)}  # fmt: skip


def describe(rows: list[Row]) -> str:
    """Returns one line about the year: events, PCs and the mix."""
    found = mix(rows)
    top = sorted(found["types"].items(), key=lambda kv: -kv[1])
    kinds = ", ".join(f"{t} {n:,}" for t, n in top[:8])
    return (f"{found['events']:,} events from {found['pcs']} PCs, {found['tickets']:,} tickets "
            f"({kinds}, … {len(top)} kinds)")  # fmt: skip


if __name__ == "__main__":
    for length in (1, 8):
        print(json.dumps(mix(year_rows(length))["types"], ensure_ascii=False))
