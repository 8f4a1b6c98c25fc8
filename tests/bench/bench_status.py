"""The public waiting status: how heavy the page is, how long one publishing takes, and how
long a move at a counter takes to show in the published ``status.json``.

Page weight: ``status.html`` and ``status.json`` of a quiet center and of a busy one (every
lane with a queue, the last calls listed), as written and gzip-compressed (what a city web
server that compresses sends; the LAN server sends them as written).

One publishing: building the status from the queue, the page around it, and both files
written whole, fsynced and renamed into place (:func:`app.status.publish.publish`). Its
baseline, measured in turn with it: writing the same bytes the same way alone.

A move to the page: two PCs of one site on a local shared folder, each with its background
rounds as ``sync --watch`` runs them, in its own process: a counter, and the PC that
publishes (``status.publish_dir``) every ``status.interval_seconds``. The benchmark calls a
ticket on the counter's data folder (as its window does, beside its sync process) and
watches two things with the system-wide monotonic clock: the publishing PC's database
having the call (the share's part, the baseline), and its ``status.json`` listing it.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import sqlite3
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
from app.status.publish import JSON_NAME, PAGE_NAME, publish, write_atomic
from app.status.snapshot import build_status
from app.sync.service import SyncService
from tests.bench.common import ROOT, OpenClock, interleaved, machine_line, percentile

KEY = "ab" * 32
FLOOR = Actor("fm", "floor_manager")
CLERK = Actor("cl", "clerk", "1")
#: Walk-ins of a busy hour: 60 waiting over the lanes (and a few served and called).
BUSY = (("certificate", "self", 24), ("pin", "self", 18), ("surface", "self", 12),
        ("pin", "agent", 10))  # fmt: skip

#: The bench site's PCs share one demo clock: the center open whenever the benchmark runs.
SITE_CLOCK = OpenClock()


def site_pc(root: Path, name: str, role: str, block: int, counter: str | None = None) -> Node:
    """Sets up one PC of the bench site on ``root/share``."""
    (root / "share").mkdir(parents=True, exist_ok=True)
    node = Node(root / name)
    node.initialise(site_id="bench", name=name, role=role, share_dir=str(root / "share"),
                    counter=counter, issuer_block=block, site_key=KEY)  # fmt: skip
    return SITE_CLOCK(node)


def busy_center(node: Node) -> None:
    """Fills today's queue of a node: a busy hour's walk-ins, six of them called."""
    staff = StaffService(node)
    staff.add(SYSTEM, "fm", "bench", "floor_manager", "1111")
    staff.add(SYSTEM, "cl", "bench", "clerk", "2222")
    tickets = TicketService(node)
    for procedure, applicant, n in BUSY:
        for _ in range(n):
            tickets.issue(FLOOR, procedure, applicant, confirm_closed=True)
    for _ in range(6):
        row = tickets.call_next(CLERK, ("general", "city"))
        if row is not None:
            tickets.start(CLERK, row["ticket_id"])
            tickets.done(CLERK, row["ticket_id"], "completed")


def page_weight(root: Path) -> dict[str, int]:
    """Returns the bytes of both files, quiet and busy, as written and gzip-compressed, and
    how many wait in the busy center."""
    node = site_pc(root, "weight", "admin", 0)
    figures: dict[str, int] = {}
    for state in ("quiet", "busy"):
        if state == "busy":
            busy_center(node)
        web = root / f"web-{state}"
        web.mkdir()
        publish(node, web)
        status = json.loads((web / JSON_NAME).read_bytes())
        figures[f"{state}_waiting"] = sum(lane["waiting"] for lane in status["lanes"])
        figures[f"{state}_calls"] = len(status["calls"])
        for name, key in ((PAGE_NAME, "html"), (JSON_NAME, "json")):
            data = (web / name).read_bytes()
            figures[f"{state}_{key}"] = len(data)
            figures[f"{state}_{key}_gz"] = len(gzip.compress(data, compresslevel=6))
    node.close()
    return figures


def publish_time(root: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """Returns ms of a whole publishing, of writing its two files alone (the baseline), and
    of building the status alone, on the busy center."""
    node = site_pc(root, "publisher", "admin", 0)
    busy_center(node)
    web, bare = root / "web", root / "bare"
    web.mkdir()
    bare.mkdir()
    publish(node, web)  # the page's template is read once
    page, data = (web / PAGE_NAME).read_bytes(), (web / JSON_NAME).read_bytes()

    def whole() -> float:
        start = time.perf_counter()
        publish(node, web)
        return (time.perf_counter() - start) * 1000

    def writes() -> float:
        start = time.perf_counter()
        write_atomic(bare / JSON_NAME, data)
        write_atomic(bare / PAGE_NAME, page)
        return (time.perf_counter() - start) * 1000

    full, baseline = interleaved(whole, writes, runs)
    build = []
    for _ in range(runs):
        start = time.perf_counter()
        build_status(node)
        build.append((time.perf_counter() - start) * 1000)
    node.close()
    return full, baseline, build


def _watch(data: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "app", "--data-dir", str(data), "sync",
                             "--watch", "--interval", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _called_in_json(path: Path, number: str) -> bool:
    try:
        status = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False  # not published yet (a half file is never seen: it is renamed whole)
    return any(call["number"] == number and call["now"] for call in status["calls"])


def move_to_page(root: Path, moves: int, interval: int) -> tuple[list[float], list[float]]:
    """Returns the seconds from each call at the counter to the publishing PC's database
    having it, and to its published status.json listing it."""
    web = root / "web"
    web.mkdir(parents=True)
    counter = site_pc(root, "counter-1", "counter", 1, counter="1")
    staff = StaffService(counter)
    staff.add(SYSTEM, "fm", "bench", "floor_manager", "1111")
    staff.add(SYSTEM, "cl", "bench", "clerk", "2222")
    tickets = TicketService(counter)
    numbers = [tickets.issue(FLOOR, "certificate", "self", confirm_closed=True)["number"]
               for _ in range(moves)]  # fmt: skip
    SyncService(counter).once()
    publisher = site_pc(root, "admin", "admin", 2)
    (root / "admin" / "site.toml").write_text(
        f'[status]\npublish_dir = "{web.as_posix()}"\ninterval_seconds = {interval}\n',
        encoding="utf-8",
    )
    SyncService(publisher).once()
    publisher.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [_watch(root / "counter-1", env), _watch(root / "admin", env)]
    db = sqlite3.connect(f"file:{root / 'admin' / 'node.sqlite3'}?mode=ro", uri=True)
    to_db, to_page = [], []
    try:
        pace = random.Random(17)
        for number in numbers:
            time.sleep(pace.uniform(0, interval))  # calls fall at every phase of the rounds
            row = tickets.call(CLERK, number)
            start = time.monotonic()
            seen_db = seen_page = None
            while seen_page is None and time.monotonic() - start < interval + 20:
                now = time.monotonic()
                if seen_db is None:
                    state = db.execute("SELECT state FROM tickets WHERE ticket_id = ?",
                                       (row["ticket_id"],)).fetchone()  # fmt: skip
                    if state is not None and state[0] == "called":
                        seen_db = now - start
                if _called_in_json(web / JSON_NAME, number):
                    seen_page = now - start
                time.sleep(0.02)
            if seen_page is None or seen_db is None:
                raise RuntimeError(f"{number} never reached the published status")
            to_db.append(seen_db)
            to_page.append(seen_page)
            tickets.start(CLERK, number)
            tickets.done(CLERK, number, "completed")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        db.close()
        counter.close()
    return to_db, to_page


def run(quick: bool = False) -> dict[str, float]:
    """Runs the status benchmarks and prints their figures."""
    runs, moves, interval = (20, 4, 2) if quick else (100, 12, 10)
    print(f"public status ({machine_line()}):")
    with tempfile.TemporaryDirectory() as tmp:
        weight = page_weight(Path(tmp) / "weight")
        full, baseline, build = publish_time(Path(tmp) / "time", runs)
        to_db, to_page = move_to_page(Path(tmp) / "move", moves, interval)
    for state in ("quiet", "busy"):
        what = f"{weight[f'{state}_waiting']} waiting, {weight[f'{state}_calls']} calls listed"
        print(f"  page weight, {what}: status.html {weight[f'{state}_html']:,} B "
              f"(gzip {weight[f'{state}_html_gz']:,} B), status.json "
              f"{weight[f'{state}_json']:,} B (gzip {weight[f'{state}_json_gz']:,} B)")  # fmt: skip
    figures = {
        "publish_p50_ms": statistics.median(full), "publish_p95_ms": percentile(full, 95),
        "writes_p50_ms": statistics.median(baseline), "writes_p95_ms": percentile(baseline, 95),
        "build_p50_ms": statistics.median(build),
        "move_db_p50_s": statistics.median(to_db), "move_db_p95_s": percentile(to_db, 95),
        "move_page_p50_s": statistics.median(to_page),
        "move_page_p95_s": percentile(to_page, 95), "move_page_max_s": max(to_page),
        **{f"weight_{k}": float(v) for k, v in weight.items()},
    }  # fmt: skip
    print(f"  one publishing (busy center, {runs} runs in turn with its baseline): "
          f"p50 {figures['publish_p50_ms']:.1f} ms  p95 {figures['publish_p95_ms']:.1f} ms; "
          f"of which building the status p50 {figures['build_p50_ms']:.1f} ms")  # fmt: skip
    print(f"    baseline: the same two files written, fsynced and renamed alone "
          f"p50 {figures['writes_p50_ms']:.1f} ms  p95 {figures['writes_p95_ms']:.1f} ms")  # fmt: skip
    print(f"  a call at a counter → published status.json ({moves} calls, both PCs syncing "
          f"every 1 s, publishing every {interval} s):")  # fmt: skip
    print(f"    in status.json     p50 {figures['move_page_p50_s']:.2f} s   "
          f"p95 {figures['move_page_p95_s']:.2f} s   max {figures['move_page_max_s']:.2f} s "
          f"(target: within the interval, ≤ 15 s, plus the share)")  # fmt: skip
    print(f"    baseline: in the publishing PC's database  p50 {figures['move_db_p50_s']:.2f} s"
          f"   p95 {figures['move_db_p95_s']:.2f} s")  # fmt: skip
    return figures


if __name__ == "__main__":
    run(quick=os.environ.get("BENCH_QUICK") == "1")
