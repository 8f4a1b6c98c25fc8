"""Benchmark of the reception tap with the ticket rendered: durable ticket, layout, PDF bytes.

The target (design §8) is p95 ≤ 50 ms from the tap to a durable ticket with its PDF ready.
The bare issue (durable ticket only) is measured in the same run as the baseline, and the PNG
raster (what a thermal printer gets) is timed separately so each cost is visible.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.printing.layout import layout, ticket_content
from app.printing.render import render_pdf, render_png
from app.queue.tickets import TicketService
from app.sim.demo import open_day_shift
from tests.bench.bench_node import percentile
from tests.bench.common import Counters

PROCEDURES = ("certificate", "pin", "loss", "surface", "face_auth", "other")
APPLICANTS = ("self", "legal", "agent")


def _reception(folder: Path) -> tuple[Node, TicketService, Actor]:
    node = Node(folder)
    node.initialise(site_id="bench", name="bench", role="reception")
    node.set_demo_clock(open_day_shift(node, node.now_ms()))  # the center open, at any hour
    StaffService(node).add(SYSTEM, "fm", "bench", "floor_manager", "1111")
    return node, TicketService(node), Actor("fm", "floor_manager")


def tap_latency(folder: Path, n: int, render: bool) -> tuple[list[float], list[float]]:
    """Times n taps: issue (durable), and with ``render`` also content, layout and PDF.

    Returns:
        The tap times in ms, and (with ``render``) the PNG raster times in ms.
    """
    node, tickets, floor = _reception(folder)
    counters = Counters(node)
    taps, rasters = [], []
    for i in range(n):
        counters.serve()
        start = time.perf_counter()
        row = tickets.issue(floor, PROCEDURES[i % len(PROCEDURES)], APPLICANTS[i % 3])
        if render:
            prims, height = layout(ticket_content(node, row))
            pdf = render_pdf(prims, height)
            assert pdf.startswith(b"%PDF")
        taps.append((time.perf_counter() - start) * 1000)
        if render:
            start = time.perf_counter()
            render_png(prims, height)
            rasters.append((time.perf_counter() - start) * 1000)
    node.close()
    return taps, rasters


def run(quick: bool = False) -> dict[str, float]:
    """Runs the ticket benchmark and prints its figures."""
    n = 50 if quick else 200
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cold = _first_tap(folder / "cold")
        bare, _ = tap_latency(folder / "bare", n, render=False)
        full, png = tap_latency(folder / "full", n, render=True)
    figures = {
        "bare_p50_ms": statistics.median(bare), "bare_p95_ms": percentile(bare, 95),
        "ticket_p50_ms": statistics.median(full), "ticket_p95_ms": percentile(full, 95),
        "png_p50_ms": statistics.median(png), "png_p95_ms": percentile(png, 95),
        "first_tap_ms": cold,
    }  # fmt: skip
    print(f"tap → durable ticket + layout + PDF bytes ({n} walk-ins, synchronous=FULL):")
    print(f"  with PDF      p50 {figures['ticket_p50_ms']:7.2f} ms   "
          f"p95 {figures['ticket_p95_ms']:7.2f} ms   (target p95 ≤ 50 ms)")  # fmt: skip
    print(f"  bare issue    p50 {figures['bare_p50_ms']:7.2f} ms   "
          f"p95 {figures['bare_p95_ms']:7.2f} ms")  # fmt: skip
    print(f"  ratio p95 {figures['ticket_p95_ms'] / figures['bare_p95_ms']:.1f}×")
    print(f"  PNG raster (203 dpi, after the tap) p50 {figures['png_p50_ms']:6.2f} ms   "
          f"p95 {figures['png_p95_ms']:6.2f} ms")  # fmt: skip
    print(f"  first tap after start (loads the font once) {cold:7.2f} ms, not in the figures")
    return figures


def _first_tap(folder: Path) -> float:
    """Times the first tap of a process (the font is loaded then), in ms; also warms up."""
    node, tickets, floor = _reception(folder)
    start = time.perf_counter()
    row = tickets.issue(floor, "pin", "self")
    prims, height = layout(ticket_content(node, row))
    render_pdf(prims, height)
    elapsed = (time.perf_counter() - start) * 1000
    render_png(prims, height)
    node.close()
    return elapsed
