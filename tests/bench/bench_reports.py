"""Benchmark of the monthly report (design §8: PDF + CSV + XLSX of a busy month ≤ 2 s).

A busy month (2027-03: 21 open days, the largest e-certificate plan) is simulated once through
the real services into a temporary folder. The report is then built from the events and
written in each format, as three separate ``madoguchi report monthly`` runs would. The
baseline, measured in the same run, is reading the month's events from SQLite.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date, timedelta
from datetime import time as dtime
from pathlib import Path

from app.core.node import Node
from app.model.clock import to_ms
from app.reports.files import render
from app.reports.periodic import build_report
from app.sim.config import SimNode
from app.sim.simulate import simulate
from db.hlc import pack

MONTH = "2027-03"
FIRST, LAST = date(2027, 3, 1), date(2027, 3, 31)


def read_events(node: Node, first: date, last: date) -> tuple[float, float, int]:
    """Times reading the period's events: raw rows, and as Event objects (seconds)."""
    low = pack(to_ms(first, dtime(0)))
    high = pack(to_ms(last + timedelta(days=1), dtime(0)))
    start = time.perf_counter()
    rows = node.store.conn.execute(
        "SELECT * FROM events WHERE hlc >= ? AND hlc < ? ORDER BY hlc", (low, high)
    ).fetchall()
    raw = time.perf_counter() - start
    start = time.perf_counter()
    events = list(node.store.events("hlc >= ? AND hlc < ?", (low, high)))
    decoded = time.perf_counter() - start
    assert len(events) == len(rows)
    return raw, decoded, len(rows)


def report_times(node: Node, month: str) -> dict[str, float]:
    """Times the monthly report (seconds): built once and written in the three formats
    (``--format pdf,csv,xlsx``), and built anew for each format (three separate runs)."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    report = build_report(node, "monthly", month)
    times["build"] = time.perf_counter() - start
    for fmt in ("pdf", "csv", "xlsx"):
        start = time.perf_counter()
        assert len(render(report, fmt)) > 1000
        times[fmt] = time.perf_counter() - start
    start = time.perf_counter()
    for fmt in ("pdf", "csv", "xlsx"):
        render(build_report(node, "monthly", month), fmt)
    times["separate"] = time.perf_counter() - start
    return times


def run(quick: bool = False) -> dict[str, float]:
    """Simulates a busy month (a week when quick), then times the monthly report."""
    last = FIRST + timedelta(days=6) if quick else LAST
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        node = SimNode(Path(tmp) / "site", start=FIRST)
        summary = simulate(node, FIRST, last, seed=11)
        node.close()
        node = Node(Path(tmp) / "site")
        raw, decoded, count = read_events(node, FIRST, last)
        report_times(node, MONTH)  # warm-up: font loading, imports
        best: dict[str, float] = {}
        for _ in range(3):
            for fmt, seconds in report_times(node, MONTH).items():
                best[fmt] = min(best.get(fmt, seconds), seconds)
        node.close()
    total = best["build"] + best["pdf"] + best["csv"] + best["xlsx"]
    figures.update({"simulate_s": summary.seconds, "events": float(count),
                    "tickets": float(summary.tickets), "read_raw_s": raw,
                    "read_events_s": decoded, "build_s": best["build"], "pdf_s": best["pdf"],
                    "csv_s": best["csv"], "xlsx_s": best["xlsx"], "monthly_total_s": total,
                    "monthly_separate_s": best["separate"]})  # fmt: skip
    print(f"monthly report ({MONTH}, {summary.open_days} open days, {summary.tickets:,} tickets, "
          f"{count:,} events; simulated in {summary.seconds:.1f} s):")  # fmt: skip
    print(f"  read the month's events: raw rows {raw * 1000:6.1f} ms, "
          f"as events {decoded * 1000:6.1f} ms (baseline)")  # fmt: skip
    print(
        f"  build from events {best['build'] * 1000:5.0f} ms, write PDF {best['pdf'] * 1000:4.0f}"
        f" ms, CSV {best['csv'] * 1000:4.0f} ms, XLSX {best['xlsx'] * 1000:4.0f} ms: "
        f"total {total:4.2f} s (target ≤ 2 s), {total / decoded:3.0f}× reading the events"
    )
    print(f"  as three separate runs (built three times): {best['separate']:4.2f} s")  # fmt: skip
    return figures


if __name__ == "__main__":
    import os

    run(quick=os.environ.get("BENCH_QUICK") == "1")
