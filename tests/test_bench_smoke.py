"""The benchmarks still run (tiny sizes); their figures come from ``make bench``."""

from __future__ import annotations

from pathlib import Path

from tests.bench import bench_node


def test_bench_helpers_measure_real_work(tmp_path: Path) -> None:
    assert len(bench_node.bare_insert_latency(tmp_path, 5)) == 5
    assert all(ms > 0 for ms in bench_node.issue_latency(tmp_path, 5))
    events = list(bench_node.year_of_events(400))
    assert len(events) == 7 * len({e.ticket_id for e in events})
    rows = [e.to_row() for e in events]
    assert bench_node.bare_bulk_insert(tmp_path, rows) > 0
    elapsed, tickets = bench_node.rebuild_time(tmp_path, rows)
    assert elapsed > 0 and tickets == len({e.ticket_id for e in events})


def test_percentile() -> None:
    values = [float(v) for v in range(1, 101)]
    assert bench_node.percentile(values, 95) == 95.0
    assert bench_node.percentile(values, 50) == 50.0
