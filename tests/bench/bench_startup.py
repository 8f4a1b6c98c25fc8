"""What a person waits for when a program starts: whole processes, each beside its baseline.

- counter window: from starting the process to the counter window's first paint on a counter
  PC holding the contract year (the real mix, :mod:`tests.bench.year`), through the same steps
  as ``madoguchi run`` (crash handlers, node, Qt application and translation, services, the
  clerk signed in, the window shown and painted). Baseline: a process that imports Qt and
  paints an empty window of the same size. Both are timed from the parent — the interpreter's
  own start included — and run in turn (A B A B …); the child's own figure (from its first
  line) is printed beside, so the interpreter's share shows.
- the command line: ``madoguchi --version`` and ``madoguchi ticket issue`` (a reception PC
  with the same year) against ``python -c pass``, in turn.
- resident memory of the counter window with the year, against the empty Qt window.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.core.actor import SYSTEM
from app.core.node import Node
from app.core.staff import StaffService
from app.sim.demo import open_day_shift
from db.event import COLUMNS
from tests.bench.common import (
    ROOT,
    compile_sources,
    interleaved,
    machine_line,
    median_ratio,
    spread,
)
from tests.bench.year import describe, year_rows

_PEAK = """
def peak_mb():
    # VmHWM is this process's own peak; ru_maxrss is inherited from the parent on Linux.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

_BARE = (
    "import time\nstart = time.perf_counter()\n"
    + _PEAK
    + """
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.resize(1280, 800); w.show(); app.processEvents()
print("painted", time.perf_counter() - start, peak_mb(), flush=True)
"""
)

_WINDOW = (
    "import time\nstart = time.perf_counter()\n"
    + _PEAK
    + """
import sys
from pathlib import Path
from app.core.logs import install_crash_handlers
from app.core.node import Node
from app.services import Services
from ui.shell.application import application, install_qt_translation, preset_actor, tell_about_bug
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts
data = Path(sys.argv[1])
install_crash_handlers(data, tell_about_bug)
node = Node(data)
app = application()
install_qt_translation(app, "ja")
services = Services.of(node)
window = MainWindow(services, preset_actor(node), Texts("ja"))
window.resize(1280, 800); window.show(); app.processEvents()
print("painted", time.perf_counter() - start, peak_mb(), flush=True)
for _ in range(20):  # the live figures and the queue refreshing, as a working day does
    window.hub.notify(); app.processEvents()
print("settled", time.perf_counter() - start, peak_mb(), flush=True)
window.close(); node.close()
"""
)


def _child_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
            "MADOGUCHI_STAFF": "cl", "MADOGUCHI_PIN": "2222"}  # fmt: skip


def first_paint(code: str, *args: str) -> dict[str, float]:
    """Starts a process and times it to its ``painted`` line, from outside.

    Returns:
        ``outside`` (s, from the parent's start of the process), ``inside`` (s, the child's
        own clock from its first line), ``peak_mb`` (its peak resident memory at the end).
    """
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=_child_env(),
                             cwd=ROOT)  # fmt: skip
    assert child.stdout is not None
    figures: dict[str, float] = {}
    for line in child.stdout:
        word, seconds, peak = line.split()
        if word == "painted":
            figures.update(outside=time.perf_counter() - start, inside=float(seconds))
        figures["peak_mb"] = float(peak)
    if child.wait(timeout=120) != 0 or "outside" not in figures:
        raise RuntimeError(f"window process failed: {child.stderr.read()[-2000:]}")  # type: ignore[union-attr]
    return figures


def _process(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   env={**_child_env(), **(env or {})}, cwd=ROOT)  # fmt: skip
    return time.perf_counter() - start


def year_pc(folder: Path, role: str, rows: list[Any]) -> Path:
    """Makes a PC of ``role`` holding the rows (rebuilt), with a real-cost PIN for its staff."""
    node = Node(folder)
    node.initialise(site_id="bench", name=folder.name, role=role,
                    counter="1" if role == "counter" else None)  # fmt: skip
    node.set_demo_clock(open_day_shift(node, node.now_ms()))  # the center open, at any hour
    staff = StaffService(node)
    staff.add(SYSTEM, "cl", "bench", "clerk", "2222")
    staff.add(SYSTEM, "fm", "bench", "floor_manager", "1111")
    conn = node.store.conn
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")
    node.store.rebuild()
    node.close()
    return folder


def run(quick: bool = False) -> dict[str, float]:
    """Measures and prints start-up and resident memory."""
    months, rounds = (1, 3) if quick else (8, 7)
    compile_sources()
    rows = year_rows(months)
    print(f"start-up, whole processes ({machine_line()})")
    print(f"  data: {describe(rows)}")
    with tempfile.TemporaryDirectory() as tmp:
        counter = year_pc(Path(tmp) / "counter", "counter", rows)
        reception = year_pc(Path(tmp) / "reception", "reception", rows)
        windows: list[dict[str, float]] = []
        bares: list[dict[str, float]] = []

        def window() -> float:
            windows.append(first_paint(_WINDOW, str(counter)))
            return windows[-1]["outside"]

        def bare() -> float:
            bares.append(first_paint(_BARE))
            return bares[-1]["outside"]

        win_s, bare_s = interleaved(window, bare, rounds)
        pyexe = [sys.executable, "-m", "app"]
        version_s, pass_s = interleaved(lambda: _process([*pyexe, "--version"]),
                                        lambda: _process([sys.executable, "-c", "pass"]),
                                        rounds * 2)  # fmt: skip
        issue = [
            *pyexe,
            "--data-dir",
            str(reception),
            "ticket",
            "issue",
            "--procedure",
            "pin",
            "--after-hours",
        ]
        issue_s, pass2_s = interleaved(lambda: _process(issue, {"MADOGUCHI_STAFF": "fm",
                                                                 "MADOGUCHI_PIN": "1111"}),
                                       lambda: _process([sys.executable, "-c", "pass"]),
                                       rounds * 2)  # fmt: skip
    figures = {
        "window_s": statistics.median(win_s), "bare_window_s": statistics.median(bare_s),
        "window_ratio": median_ratio(win_s, bare_s),
        "window_inside_s": statistics.median(w["inside"] for w in windows),
        "bare_inside_s": statistics.median(b["inside"] for b in bares),
        "rss_mb": max(w["peak_mb"] for w in windows),
        "bare_rss_mb": max(b["peak_mb"] for b in bares),
        "version_s": statistics.median(version_s), "pass_s": statistics.median(pass_s),
        "version_ratio": median_ratio(version_s, pass_s),
        "issue_s": statistics.median(issue_s), "issue_ratio": median_ratio(issue_s, pass2_s),
    }  # fmt: skip
    span = "a month" if quick else "eight months"
    print(f"counter window to first paint, {span} of data ({rounds} pairs, in turn):")
    print(f"  madoguchi     {spread(win_s)}   (its own clock {figures['window_inside_s']:.3f} s; "
          "target ≤ 0.8 s)")  # fmt: skip
    print(f"  bare Qt window {spread(bare_s)}   (its own clock {figures['bare_inside_s']:.3f} s)")
    print(f"  ratio {figures['window_ratio']:.2f}×")
    print(f"command line ({rounds * 2} pairs, in turn with python -c pass "
          f"{spread(pass_s)}):")  # fmt: skip
    print(f"  madoguchi --version      {spread(version_s)}   ratio "
          f"{figures['version_ratio']:.2f}×   (target ≤ 3×)")  # fmt: skip
    print(f"  madoguchi ticket issue   {spread(issue_s)}   ratio "
          f"{figures['issue_ratio']:.2f}×   (target ≤ 0.25 s)")  # fmt: skip
    print(f"resident memory of the counter window with {span} of data: "
          f"{figures['rss_mb']:.0f} MB peak (target ≤ 200 MB); bare Qt window "
          f"{figures['bare_rss_mb']:.0f} MB")  # fmt: skip
    return figures


if __name__ == "__main__":
    began = time.perf_counter()
    run(quick=os.environ.get("BENCH_QUICK") == "1" or "--quick" in sys.argv)
    print(f"({time.perf_counter() - began:.0f} s)")
