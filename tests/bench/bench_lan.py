"""The LAN page server under load: simulated phones polling the status page on 127.0.0.1.

The server is the real one, a whole process: ``madoguchi status serve`` on the files a busy
center published. Each simulated phone is a thread with one keep-alive connection, as a
phone's browser has: it loads ``status.html``, then reads ``status.json`` every ``think``
seconds (the page itself reads it every ``status.interval_seconds``, 10 s: the default
pace here, 1 s, is ten times that) and reloads the page every tenth time. While they
poll, the files are published again every 2 s (written whole and renamed into place), so
the phones also meet the moment of a publishing. Every answer is checked whole: a status
that is not 200, a body shorter than its Content-Length, JSON that does not parse, a page
that does not end with ``</html>``, a connection refused or cut, or a timeout (10 s) is an
error. Every load is bounded: a number of phones for a number of seconds, then it stops.

The baseline, run in turn with it under the same phones, is waitress alone answering
every path with the same bytes from memory (no file read, no routing): what is left of
the latency is the machine, the loopback and the clients' own threads.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.status.publish import JSON_NAME, PAGE_NAME, publish
from app.status.server import CONNECTIONS, THREADS
from tests.bench.bench_status import busy_center, site_pc
from tests.bench.common import ROOT, machine_line, percentile

TIMEOUT_S = 10.0
#: waitress alone, with the madoguchi server's limits, every path answered from memory.
_BASELINE = """
import sys
from waitress import serve
body = {"/status.json": open(sys.argv[1], "rb").read()}
page = open(sys.argv[2], "rb").read()
def app(environ, start_response):
    data = body.get(environ["PATH_INFO"], page)
    kind = "application/json" if environ["PATH_INFO"] == "/status.json" else "text/html"
    start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(data)))])
    return [data]
serve(app, host="127.0.0.1", port=int(sys.argv[3]), threads=int(sys.argv[4]),
      connection_limit=int(sys.argv[5]), channel_timeout=30, _quiet=True)
"""


@dataclass
class Tally:
    """What the phones saw (appended to from their threads; list.append is atomic)."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not start listening")


def _check(path: str, status: int, body: bytes, length: str | None) -> str | None:
    """Returns what is wrong with an answer, or None when it is whole and right."""
    if status != 200:
        return f"HTTP {status}"
    if length is None or int(length) != len(body):
        return f"body {len(body)} B, Content-Length {length}"
    if path == "/status.json":
        try:
            json.loads(body)
        except ValueError:
            return "status.json does not parse"
    elif not body.rstrip().endswith(b"</html>"):
        return "status.html cut short"
    return None


def phone(port: int, until: float, think: float, tally: Tally, seed: int) -> None:
    """One phone: the page, then status.json every ``think`` s, a reload every tenth."""
    pace = random.Random(seed)
    connection: http.client.HTTPConnection | None = None
    time.sleep(pace.uniform(0, think))  # phones do not start in step
    polls = 0
    while time.monotonic() < until:
        path = f"/{PAGE_NAME}" if polls % 10 == 0 else f"/{JSON_NAME}"
        polls += 1
        start = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            problem = _check(path, response.status, body, response.getheader("Content-Length"))
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as exc:
            problem = f"{type(exc).__name__}: {exc}"
            if connection is not None:
                connection.close()
            connection = None
        tally.latencies.append(time.perf_counter() - start)
        if problem is not None:
            tally.errors.append(f"{path}: {problem}")
        time.sleep(max(0.0, think - (time.perf_counter() - start)) * pace.uniform(0.9, 1.1))
    if connection is not None:
        connection.close()


def _server_usage(pid: int) -> tuple[float, float, int]:
    """Returns a process's CPU seconds, peak resident MB and threads (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / ticks
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return cpu, int(status["VmHWM"].split()[0]) / 1024, int(status["Threads"])


def load(argv: list[str], port: int, phones: int, seconds: float, think: float,
         republish: Callable[[], None] | None = None) -> tuple[dict[str, float], list[str]]:  # fmt: skip
    """Starts a server, runs the phones against it for ``seconds``, stops it; returns the
    figures (latencies in ms) and the errors."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        _wait_listening(port, process)
        cpu_before, _, _ = _server_usage(process.pid)
        tally = Tally()
        started = time.monotonic()
        until = started + seconds
        threads = [threading.Thread(target=phone, args=(port, until, think, tally, i), daemon=True)
                   for i in range(phones)]  # fmt: skip
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads) and republish is not None:
            republish()
            time.sleep(2.0)
        for thread in threads:
            thread.join(timeout=seconds + 2 * TIMEOUT_S)
        elapsed = time.monotonic() - started
        cpu_after, peak_mb, server_threads = _server_usage(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
    ms = [x * 1000 for x in tally.latencies]
    return {
        "requests": len(ms), "errors": len(tally.errors), "rps": len(ms) / elapsed,
        "p50_ms": statistics.median(ms), "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99), "max_ms": max(ms),
        "server_cpu_s": cpu_after - cpu_before, "server_peak_mb": peak_mb,
        "server_threads": server_threads,
    }, tally.errors  # fmt: skip


def run(quick: bool = False) -> dict[str, float]:
    """Runs the load test and prints its figures."""
    phones, seconds, think = (50, 10.0, 1.0) if quick else (200, 60.0, 1.0)
    print(f"LAN page server under load ({machine_line()}):")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        node = site_pc(root, "admin", "admin", 0)
        busy_center(node)
        web = root / "web"
        web.mkdir()
        publish(node, web)

        def republish() -> None:
            publish(node, web)

        port = _free_port()
        server = [sys.executable, "-m", "app", "--data-dir", str(root / "admin"), "status",
                  "serve", "--dir", str(web), "--listen", f"127.0.0.1:{port}"]  # fmt: skip
        figures, errors = load(server, port, phones, seconds, think, republish)
        base_port = _free_port()
        baseline = [sys.executable, "-c", _BASELINE, str(web / JSON_NAME), str(web / PAGE_NAME),
                    str(base_port), str(THREADS), str(CONNECTIONS)]  # fmt: skip
        bare, bare_errors = load(baseline, base_port, phones, seconds, think)
        node.close()
    print(f"  {phones} phones for {seconds:.0f} s, each reading status.json every {think:.0f} s "
          f"and reloading status.html every tenth time; files republished every 2 s")  # fmt: skip
    for name, f, errs in (("madoguchi status serve", figures, errors),
                          ("baseline: waitress alone", bare, bare_errors)):  # fmt: skip
        print(f"  {name:<26} {f['requests']:6,.0f} requests ({f['rps']:5.1f}/s)  "
              f"p50 {f['p50_ms']:6.1f} ms  p95 {f['p95_ms']:6.1f} ms  p99 {f['p99_ms']:6.1f} ms  "
              f"max {f['max_ms']:6.0f} ms  errors {f['errors']:.0f}")  # fmt: skip
        print(f"  {'':<26} server: {f['server_cpu_s']:.1f} CPU s, peak {f['server_peak_mb']:.0f} MB, "
              f"{f['server_threads']:.0f} threads")  # fmt: skip
        if errs:
            print(f"  {'':<26} first error: {errs[0]}")
    return {f"lan_{k}": v for k, v in figures.items()} | {
        f"lan_base_{k}": v for k, v in bare.items()
    }


if __name__ == "__main__":
    run(quick=os.environ.get("BENCH_QUICK") == "1")
