"""madoguchi beside a peer, FQM (Free Queue Manager, a Flask queue system), on this machine.

Runs only when an FQM checkout and a Python with its requirements are given:

    FQM_DIR=/path/to/FQM FQM_PYTHON=/path/to/fqm-venv/bin/python python -m tests.bench.bench_peer

(otherwise it says so and skips). The same two operations are timed on both: issuing a
ticket, and calling the next one. madoguchi's are its services in process, each a durable
commit (synchronous=FULL); FQM's are its model calls (``Serial.create_new_ticket``,
``Serial.pull``) and its HTTP API on a real server at 127.0.0.1 (:mod:`tests.bench.peer_fqm`,
run in FQM's own Python). The two run in turn, three rounds, so a slow moment of the
machine hits both.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.queue.tickets import TicketService
from tests.bench.common import OpenClock, machine_line, percentile

PEER = Path(__file__).with_name("peer_fqm.py")
FLOOR = Actor("fm", "floor_manager")
CLERK = Actor("cl", "clerk", "1")


def madoguchi_round(folder: Path, n: int) -> tuple[list[float], list[float]]:
    """Issues n walk-ins, then calls them one by one; returns both lists of ms."""
    node = Node(folder)
    node.initialise(site_id="bench", name=folder.name, role="reception")
    OpenClock()(node)
    StaffService(node).add(SYSTEM, "fm", "bench", "floor_manager", "1111")
    tickets = TicketService(node)
    issue, call = [], []
    for _ in range(n):
        start = time.perf_counter()
        tickets.issue(FLOOR, "pin", "self", confirm_closed=True)
        issue.append((time.perf_counter() - start) * 1000)
    for _ in range(n):
        start = time.perf_counter()
        called = tickets.call_next(CLERK)
        call.append((time.perf_counter() - start) * 1000)
        assert called is not None
    node.close()
    return issue, call


def fqm_round(fqm_dir: Path, python: str, n: int) -> dict[str, list[float]]:
    """Runs the peer's side once in its own Python; returns its lists of ms."""
    done = subprocess.run([python, str(PEER), str(n)], cwd=fqm_dir, capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"FQM run failed: {done.stderr[-2000:]}")
    figures: dict[str, list[float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _line(name: str, values: list[float], against: list[float] | None = None) -> str:
    text = (f"  {name:<30} p50 {statistics.median(values):7.2f} ms   "
            f"p95 {percentile(values, 95):7.2f} ms")  # fmt: skip
    if against is not None:
        text += f"   {statistics.median(values) / statistics.median(against):6.1f}× madoguchi"
    return text


def run(quick: bool = False) -> dict[str, float]:
    """Prints both systems' figures, or why the comparison was skipped."""
    fqm_dir, python = os.environ.get("FQM_DIR"), os.environ.get("FQM_PYTHON")
    if not fqm_dir or not python or not Path(fqm_dir, "app", "database.py").exists():
        print("peer comparison skipped: set FQM_DIR to an FQM checkout and FQM_PYTHON to a "
              "Python with its requirements (requirements/main.txt) to run it")  # fmt: skip
        return {}
    n = 30 if quick else 200
    mine: dict[str, list[float]] = {"issue": [], "call": []}
    peer: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(3):  # madoguchi, FQM, madoguchi, FQM …
            issue, call = madoguchi_round(Path(tmp) / f"m{i}", n)
            mine["issue"] += issue
            mine["call"] += call
            for key, values in fqm_round(Path(fqm_dir), python, n).items():
                peer.setdefault(key, []).extend(values)
    print(f"peer comparison, {3 * n} tickets each ({machine_line()}):")
    print(_line("madoguchi issue (durable)", mine["issue"]))
    print(_line("FQM issue, model", peer["model_issue_ms"], mine["issue"]))
    print(_line("FQM issue, HTTP API", peer["http_issue_ms"], mine["issue"]))
    print(_line("madoguchi call next (durable)", mine["call"]))
    print(_line("FQM call next, model", peer["model_call_ms"], mine["call"]))
    print(_line("FQM call next, HTTP API", peer["http_call_ms"], mine["call"]))
    return {
        "issue_ms": statistics.median(mine["issue"]), "call_ms": statistics.median(mine["call"]),
        **{f"fqm_{k}": statistics.median(v) for k, v in peer.items()},
    }  # fmt: skip


if __name__ == "__main__":
    run(quick=os.environ.get("BENCH_QUICK") == "1" or "--quick" in sys.argv)
