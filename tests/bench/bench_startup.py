"""Cold start to a usable window, and the memory of a counter PC with a year of data.

Both run in fresh processes; the baselines (importing Qt and showing an empty window) are
measured in the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.core.actor import SYSTEM
from app.core.node import Node
from app.core.staff import StaffService
from tests.bench.bench_node import year_of_events

ROOT = Path(__file__).resolve().parents[2]

_BARE = """
import resource, time, sys
def peak_mb():
    # VmHWM is this process's own peak; ru_maxrss is inherited from the parent on Linux.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.resize(1280, 800); w.show(); app.processEvents()
print(time.perf_counter() - start, peak_mb())
"""

_WINDOW = """
import resource, sys, time
def peak_mb():
    # VmHWM is this process's own peak; ru_maxrss is inherited from the parent on Linux.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
from pathlib import Path
from PySide6.QtWidgets import QApplication
from ui.shell.application import application
from app.core.node import Node
from app.core.actor import Actor
from ui.widgets.i18n import Texts
from ui.shell.main_window import MainWindow
from app.services import Services
app = application()
node = Node(Path(sys.argv[1]))
window = MainWindow(Services.of(node), Actor("cl", "clerk", "1"), Texts("ja"), sync=False)
window.resize(1280, 800); window.show(); app.processEvents()
ready = time.perf_counter() - start
for _ in range(20):
    window.hub.notify(); app.processEvents()
print(ready, peak_mb())
"""


def _run(code: str, *args: str) -> tuple[float, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True, timeout=300).stdout.split()  # fmt: skip
    return float(out[0]), int(out[1]) / 1024  # seconds, MB (both in KiB)


def counter_node(folder: Path, visits: int) -> Path:
    """Makes a counter PC holding a contract year of events (rebuilt projections)."""
    node = Node(folder / "counter")
    node.initialise(site_id="bench", name="counter", role="counter", counter="1")
    StaffService(node).add(SYSTEM, "cl", "bench", "clerk", "2222")
    from db.event import COLUMNS

    rows = [e.to_row() for e in year_of_events(visits)]
    conn = node.store.conn
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")
    node.store.rebuild()
    node.close()
    return folder / "counter"


def run(quick: bool = False) -> dict[str, float]:
    """Measures and prints cold start and resident memory."""
    with tempfile.TemporaryDirectory() as tmp:
        data = counter_node(Path(tmp), 10_000 if quick else 40_000)
        bare_s, bare_mb = _run(_BARE)
        starts = [_run(_WINDOW, str(data)) for _ in range(3)]
        start_s = min(s for s, _ in starts)
        rss = max(m for _, m in starts)
    print("cold start to a usable counter window (fresh process, offscreen, best of 3):")
    print(f"  madoguchi {start_s:.2f} s   (target ≤ 1.0 s); importing Qt + an empty window "
          f"{bare_s:.2f} s; ratio {start_s / bare_s:.1f}×")  # fmt: skip
    print(f"resident memory of a counter PC with {'a quarter' if quick else 'a year'} of data: "
          f"{rss:.0f} MB peak (target ≤ 200 MB); bare Qt window {bare_mb:.0f} MB")  # fmt: skip
    return {"start_s": start_s, "bare_start_s": bare_s, "rss_mb": rss, "bare_rss_mb": bare_mb}


if __name__ == "__main__":
    start = time.perf_counter()
    run(quick=os.environ.get("BENCH_QUICK") == "1")
    print(f"({time.perf_counter() - start:.0f} s)")
