"""What every benchmark shares: the machine's state, percentiles, whole processes timed.

The machine is shared and noisy, so every figure comes with its baseline, measured in turn
with it (A, B, A, B …) so that a slow moment hits both, and every run starts by printing the
load average and the disk's fsync latency, so that a reader can judge the figures.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from app.core.node import Node

ROOT = Path(__file__).resolve().parents[2]
N = TypeVar("N", bound="Node")


def percentile(values: Sequence[float], p: float) -> float:
    """Returns the p-th percentile (nearest rank) of the values."""
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[max(0, min(len(ordered), rank) - 1)]


def fsync_latency_ms(samples: int = 30) -> float:
    """Returns the median time to write and fsync a small file in the temporary folder."""
    times = []
    with tempfile.NamedTemporaryFile() as f:
        for i in range(samples):
            start = time.perf_counter()
            f.write(b"x" * 64 + str(i).encode())
            f.flush()
            os.fsync(f.fileno())
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def machine_line() -> str:
    """Returns the load average and the disk's fsync latency, now."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} (1 / 5 min), fsync {fsync_latency_ms():.2f} ms"


@dataclass(frozen=True)
class Run:
    """One whole process: wall seconds and peak resident memory (MB)."""

    seconds: float
    peak_mb: float
    returncode: int


#: Starts a command from a small process and prints its peak memory: a child forked from a
#: large benchmark process would count the parent's pages in its own peak.
_LAUNCH = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def run_process(argv: Sequence[str], env: dict[str, str] | None = None,
                cwd: Path = ROOT) -> Run:  # fmt: skip
    """Runs a command as a whole process; returns its wall time and peak RSS.

    The wall time is measured around the launcher (a small Python that starts the command
    and waits), whose own start-up of ~20 ms is included for every command alike.
    """
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _LAUNCH, *argv], cwd=cwd,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          check=False)  # fmt: skip
    seconds = time.perf_counter() - start
    try:
        code_text, peak_kb = done.stdout.split()[-2:]
        code = int(code_text)
    except ValueError:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr[-2000:]}") from None
    if code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {code}: {done.stderr[-2000:]}")
    scale = 2**20 if sys.platform == "darwin" else 1024
    return Run(seconds, int(peak_kb) / scale, code)


def interleaved(
    a: Callable[[], float], b: Callable[[], float], runs: int
) -> tuple[list[float], list[float]]:
    """Measures ``a`` and ``b`` in turn (A B A B …) and returns both lists of figures."""
    first: list[float] = []
    second: list[float] = []
    for _ in range(runs):
        first.append(a())
        second.append(b())
    return first, second


def median_ratio(a: Sequence[float], b: Sequence[float]) -> float:
    """Returns the median of the ratios of the pairs (the ratio a noisy machine keeps)."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True) if y > 0)


def spread(values: Sequence[float], unit: str = "s", scale: float = 1.0) -> str:
    """Returns ``median (min–max)`` of the values in a unit."""
    v = [x * scale for x in values]
    return f"{statistics.median(v):.3f} {unit} ({min(v):.3f}–{max(v):.3f})"


class Counters:
    """Counters that serve a benchmark's walk-ins between its taps, untimed: the queue stays
    as long as on a busy day (``keep`` waiting), so that reception's estimate of the day's
    end (:mod:`app.queue.forecast`), which every tap makes, has a real queue to replay.

    Args:
        node: the benchmark's PC (a reception).
        counters: how many clerks sign in, at counters 1 …
    """

    def __init__(self, node: Any, counters: int = 3) -> None:
        from app.core.actor import SYSTEM
        from app.core.staff import StaffService
        from app.queue.tickets import TicketService

        staff = StaffService(node)
        staff.add(SYSTEM, "clb", "bench", "clerk", "2222")
        self.clerks = [staff.sign_in("clb", "2222", str(n + 1)) for n in range(counters)]
        self.tickets = TicketService(node)

    def serve(self, keep: int = 8) -> None:
        """Serves the first visitors until at most ``keep`` wait."""
        while len(self.tickets.queue()) > keep:
            clerk = self.clerks[len(self.tickets.queue()) % len(self.clerks)]
            row = self.tickets.call_next(clerk)
            if row is None:
                return
            self.tickets.start(clerk, row["ticket_id"])
            self.tickets.done(clerk, row["ticket_id"])


class OpenClock:
    """One demo clock for every PC of a benchmark's site: the center open, a few minutes
    after opening on an open day, whatever the day and hour the benchmark runs (on a
    Wednesday, at night or at the year end the real clock meets a closed center)."""

    def __init__(self) -> None:
        self.shift_ms: int | None = None

    def __call__(self, node: N) -> N:
        """Puts a node on the site's demo clock (the first node's sets it) and returns it."""
        from app.sim.demo import open_day_shift

        if self.shift_ms is None:
            self.shift_ms = open_day_shift(node, node.now_ms())
        node.set_demo_clock(self.shift_ms)
        return node


def compile_sources() -> None:
    """Compiles the program's modules to bytecode, as an installed program has them: a
    machine with PYTHONDONTWRITEBYTECODE set would otherwise compile every module from
    source at each start and the figures would measure the compiler."""
    import compileall

    for folder in ("app", "db", "ui"):
        compileall.compile_dir(ROOT / folder, quiet=1)
