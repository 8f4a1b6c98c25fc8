"""A call as the waiting room sees it: F1 at a counter until the call is on the board.

Eight PCs of one site on 127.0.0.1, each the real window in its own process
(:mod:`tests.bench.window_pc`): the display board and seven counters, with their background
sync rounds every second and their LAN paths (the settings' defaults). The tickets were
issued beforehand and every PC has them. The counters press F1 in turn, 250 ms apart (each
one every 1.75 s); the board reports when each call first shows among its large rows (its
model: what it paints) and when its announcement starts (the chime, then the voice; the
offscreen board has no sound device, so this is the moment the board starts it). The time
is the system-wide monotonic clock, read at the key press and at the sighting.

Three ways, run in turn (A B C A B C …) so that a slow moment of the machine hits each:

- **LAN, share up** (the default);
- **LAN, share unreachable**: the shared folder is renamed away once every window is up;
- **share only** (``lan.enabled = false``): the path the windows had before the LAN, the
  baseline.

A call that lost to another counter's call of the same ticket (two F1s before either heard
of the other: with the share alone, calls travel for seconds) is not a call of the board's
and is counted apart.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.queue.tickets import TicketService
from app.sync.service import SyncService
from tests.bench.common import ROOT, OpenClock, machine_line, median_ratio, percentile

KEY = "cd" * 32
COUNTERS = 7
STEP_MS = 250
NEVER = 10.0  # a call not shown within this many seconds counts as this
WAYS = ("lan", "lan_no_share", "share_only")
NAMES = {"lan": "LAN, share up", "lan_no_share": "LAN, share unreachable",
         "share_only": "share only (baseline)"}  # fmt: skip


def make_site(root: Path, lan: bool, calls: int) -> tuple[Path, list[Path]]:
    """Sets up the board and the counters on ``root/share``, with the tickets they call."""
    share = root / "share"
    share.mkdir()

    open_clock = OpenClock()

    def pc(name: str, role: str, block: int, counter: str | None = None) -> Node:
        (root / name).mkdir()
        (root / name / "site.toml").write_text(
            f'[lan]\nenabled = {"true" if lan else "false"}\nport = 0\naddress = "127.0.0.1"\n'
        )
        node = Node(root / name)
        node.initialise(site_id="bench", name=name, role=role, share_dir=str(share),
                        counter=counter, issuer_block=block, site_key=KEY)  # fmt: skip
        return open_clock(node)

    reception = pc("reception", "reception", 0)
    staff = StaffService(reception)
    staff.add(SYSTEM, "fm", "bench", "floor_manager", "1111")
    staff.add(SYSTEM, "cl", "bench", "clerk", "2222")
    floor = Actor("fm", "floor_manager")
    for _ in range(COUNTERS * calls + 5):
        TicketService(reception).issue(floor, "pin", "self", confirm_closed=True)
    SyncService(reception).once()
    reception.close()
    folders = []
    for name, role, block, counter in [("display", "display", 8, None)] + [
        (f"counter-{i}", "counter", i, str(i)) for i in range(1, COUNTERS + 1)
    ]:
        node = pc(name, role, block, counter)
        SyncService(node).once()
        node.close()
        folders.append(root / name)
    return folders[0], folders[1:]


class Window:
    """One PC's window process; its lines are read as they come."""

    def __init__(self, data: Path, role: str, control: Path, lan: bool, *args: int) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
               "MADOGUCHI_STAFF": "cl", "MADOGUCHI_PIN": "2222",
               "READY_LAN": str(COUNTERS if lan else 0)}  # fmt: skip
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.window_pc", str(data), role, str(control),
             *(str(a) for a in args)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
        self.lines: list[list[str]] = []
        assert self.proc.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.proc.stdout,),
                                        daemon=True)  # fmt: skip
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.split())

    def said(self, word: str) -> list[list[str]]:
        return [line for line in list(self.lines) if line and line[0] == word]

    def stop(self) -> None:
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def wait_for(condition: object, timeout: float, what: str) -> None:
    """Waits until ``condition()`` holds (looking every 50 ms)."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


def one_run(root: Path, way: str, calls: int) -> dict[str, list[float] | int]:
    """Runs the site one way; returns F1 → shown and F1 → announced (seconds), and counts."""
    lan = way != "share_only"
    board_dir, counters = make_site(root, lan, calls)
    control = root / "control"
    control.mkdir()
    board = Window(board_dir, "board", control, lan)
    callers = [Window(folder, "caller", control, lan, calls, slot, COUNTERS, STEP_MS)
               for slot, folder in enumerate(counters)]  # fmt: skip
    windows = [board, *callers]
    try:
        wait_for(lambda: all(w.said("ready") for w in windows), 120, "the windows")
        if way == "lan_no_share":
            (root / "share").rename(root / "share-away")  # the file server is down
        (control / "go").write_text(str(time.monotonic() + 0.5))  # the presses' time zero
        wait_for(lambda: sum(len(c.said("called")) for c in callers) >= COUNTERS * calls
                 or all(c.proc.poll() is not None for c in callers),
                 STEP_MS * COUNTERS * calls / 1000 + 30, "the calls")  # fmt: skip
        called = [line for c in callers for line in c.said("called")]
        # Every ticket called is shown, at the counter that won it (a call that lost to
        # another counter's never is).
        wait_for(lambda: {s[1] for s in board.said("shown")} >= {c[1] for c in called}, NEVER,
                 "the board")  # fmt: skip
    except RuntimeError:
        pass  # what was not shown counts as NEVER
    finally:
        (control / "stop").touch()
        for window in windows:
            window.stop()
    node = Node(board_dir)
    winners = {r["ticket_id"]: (str(r["counter"]), r["number"])
               for r in node.store.rows("SELECT ticket_id, counter, number FROM tickets")}  # fmt: skip
    node.close()
    shown = {(s[1], s[2]): float(s[3]) for s in reversed(board.said("shown"))}
    voiced = {(s[1], s[2]): float(s[3]) for s in reversed(board.said("voiced"))}
    seen: list[float] = []
    spoken: list[float] = []
    lost = 0
    for _, ticket, counter, at in (c for w in callers for c in w.said("called")):
        winner, number = winners.get(ticket, (None, ""))
        if winner != counter:
            lost += 1
            continue
        seen.append(min(shown.get((ticket, counter), float(at) + NEVER) - float(at), NEVER))
        spoken.append(min(voiced.get((number, counter), float(at) + NEVER) - float(at), NEVER))
    return {"seen": seen, "spoken": spoken, "lost": lost}


def run(quick: bool = False) -> dict[str, float]:
    """Runs the benchmark and prints its figures."""
    rounds, calls = (1, 2) if quick else (3, 6)
    print(f"calls to the board through the windows ({machine_line()}):")
    print(f"  8 PCs on 127.0.0.1 (the board + {COUNTERS} counters), each its window in its own "
          f"process; F1 every {STEP_MS} ms in turn; {rounds} round(s) of each way, in turn")  # fmt: skip
    results: dict[str, list[dict[str, list[float] | int]]] = {way: [] for way in WAYS}
    for _ in range(rounds):
        for way in WAYS:
            with tempfile.TemporaryDirectory() as tmp:
                results[way].append(one_run(Path(tmp), way, calls))
    figures: dict[str, float] = {}
    p95s: dict[str, list[float]] = {}
    for way in WAYS:
        seen = [x for r in results[way] for x in r["seen"]]  # type: ignore[union-attr]
        spoken = [x for r in results[way] for x in r["spoken"]]  # type: ignore[union-attr]
        lost = sum(int(r["lost"]) for r in results[way])  # type: ignore[arg-type]
        p95s[way] = [percentile(r["seen"], 95) if r["seen"] else NEVER  # type: ignore[arg-type]
                     for r in results[way]]  # fmt: skip
        missed = sum(1 for x in seen if x >= NEVER)
        figures.update({f"{way}_p50_ms": statistics.median(seen) * 1000 if seen else 0,
                        f"{way}_p95_ms": percentile(seen, 95) * 1000 if seen else 0,
                        f"{way}_voice_p95_ms": percentile(spoken, 95) * 1000 if spoken else 0,
                        f"{way}_missed": missed, f"{way}_lost": lost})  # fmt: skip
        print(f"  {NAMES[way]:<24} F1 → board p50 {figures[f'{way}_p50_ms']:6.0f} ms   "
              f"p95 {figures[f'{way}_p95_ms']:6.0f} ms   max {max(seen or [0]) * 1000:6.0f} ms   "
              f"F1 → announced p95 {figures[f'{way}_voice_p95_ms']:6.0f} ms   "
              f"({len(seen)} calls, {missed} not shown in {NEVER:.0f} s, {lost} lost to "
              f"another counter)")  # fmt: skip
    for way in ("lan", "lan_no_share"):
        ratio = median_ratio(p95s[way], p95s["share_only"])
        figures[f"{way}_p95_ratio"] = ratio
        print(f"  p95 of {NAMES[way]} / share only, paired by round: {ratio:.3f}")
    print("  (target: p95 ≤ 150 ms with the share up and unreachable; announcement ≤ 300 ms)")
    return figures


if __name__ == "__main__":
    run(quick=os.environ.get("BENCH_QUICK") == "1" or "--quick" in sys.argv)
