"""Benchmark of reception's expected end (:mod:`app.queue.forecast`): how right it was on a
simulated month, and what one estimate costs.

A month (2027-01: the largest e-certificate plan, so the longest walk-in queues) is
simulated through the real services with a :class:`~app.sim.forecasts.ForecastLog`: at
every walk-in it notes what reception would have shown, and after each day what happened.

- **Visit**: the expected end of the new visitor's own visit (what the question before an
  overrun uses) against when it really ended; beside it the **naive baseline** a floor
  manager could work out: now + the catalog minutes of everyone waiting in the lane ÷ its
  open counters + their own.
- **Last service**: each lane's 本日の受付終了見込み once its last walk-in of the day was
  issued, against when the lane's last service really ended.

Errors are actual − predicted, in minutes (positive: later than said).
"""

from __future__ import annotations

import statistics
import tempfile
from datetime import date
from pathlib import Path

from app.sim.config import SimNode
from app.sim.forecasts import ForecastLog, summary
from app.sim.simulate import simulate
from tests.bench.common import machine_line, percentile

FIRST, LAST = date(2027, 1, 4), date(2027, 1, 31)
QUICK_LAST = date(2027, 1, 12)


def accuracy(last: date = LAST, seed: int = 11) -> ForecastLog:
    """Simulates the days from :data:`FIRST` to ``last`` and returns the log."""
    log = ForecastLog()
    with tempfile.TemporaryDirectory() as tmp:
        node = SimNode(Path(tmp) / "site", start=FIRST)
        simulate(node, FIRST, last, seed=seed, log=log)
        node.close()
    return log


def _line(name: str, errors: list[float]) -> str:
    s = summary(errors)
    return (f"  {name:<34} n {s['n']:>5}   bias {s['bias']:+6.1f} min   "
            f"mean |error| {s['mae']:5.1f} min   P90 |error| {s['p90']:5.1f} min")  # fmt: skip


def run(quick: bool = False) -> dict[str, float]:
    """Runs the benchmark and prints its figures."""
    last = QUICK_LAST if quick else LAST
    print(f"reception's expected end on simulated days {FIRST}..{last} ({machine_line()}):")
    log = accuracy(last)
    print(_line("visit end, expected end", log.visit_errors))
    print(_line("visit end, naive baseline", log.baseline_errors))
    print(_line("lane's last service, expected end", log.last_service_errors))
    visit, naive = summary(log.visit_errors), summary(log.baseline_errors)
    last_service = summary(log.last_service_errors)
    ratio = visit["mae"] / naive["mae"] if naive["mae"] else float("nan")
    print(f"  mean |error| ratio expected / naive {ratio:.2f}")
    cost_p50, cost_p95 = statistics.median(log.costs_ms), percentile(log.costs_ms, 95)
    print(f"  one estimate (as at a tap) p50 {cost_p50:6.2f} ms   p95 {cost_p95:6.2f} ms")
    return {"visit_mae": visit["mae"], "visit_bias": visit["bias"], "naive_mae": naive["mae"],
            "last_mae": last_service["mae"], "last_bias": last_service["bias"],
            "ratio": ratio, "cost_p95_ms": cost_p95}  # fmt: skip
