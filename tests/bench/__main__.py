"""``python -m tests.bench``: runs the benchmarks and prints their figures.

``BENCH_QUICK=1`` runs smaller sizes (CI); the figures in issue notes come from full runs.
"""

import os
import platform

from tests.bench import (
    bench_calls,
    bench_forecast,
    bench_fresh,
    bench_import,
    bench_lan,
    bench_node,
    bench_peer,
    bench_propagation,
    bench_replay,
    bench_reports,
    bench_smb,
    bench_startup,
    bench_status,
    bench_sync,
    bench_ticket,
)
from tests.bench.common import compile_sources, machine_line

quick = os.environ.get("BENCH_QUICK") == "1"
print(f"madoguchi benchmarks ({'quick' if quick else 'full'}) on {platform.machine()}, "
      f"{os.cpu_count()} cores, Python {platform.python_version()}; {machine_line()}")  # fmt: skip
compile_sources()  # whole-process figures with bytecode, as an installed program starts
bench_node.run(quick=quick)
bench_ticket.run(quick=quick)
bench_replay.run(quick=quick)
bench_import.run(quick=quick)
bench_sync.run(quick=quick)
bench_propagation.run(quick=quick)
bench_calls.run(quick=quick)
bench_smb.run(quick=quick)
bench_fresh.run(quick=quick)
bench_reports.run(quick=quick)
bench_forecast.run(quick=quick)
bench_startup.run(quick=quick)
bench_status.run(quick=quick)
bench_lan.run(quick=quick)
bench_peer.run(quick=quick)
