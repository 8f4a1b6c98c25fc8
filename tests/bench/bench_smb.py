"""Benchmark of propagation through a Windows SMB share (simulated, :mod:`tests.faults.smbfs`).

A ticket issued and exported at reception, until a counter PC polling every 50 ms has it,
three ways in turn (A, B, C, A, B, C …):

- A: a local shared folder (the baseline: no client caches);
- B: the simulated Windows share with the redirector's default caches (directory and file
  information 10 s, not found 5 s), read as madoguchi reads it (the growing segment
  through a handle, a new one named by the heartbeat);
- C: the same share read from the listing alone (how madoguchi read before: what the
  cached listing says decides whether a file has grown).

It also times the reading part of a round with nothing new, with and without the handle
check and the heartbeats, the price of asking the file server every round. Needs FUSE (``fuse3``); skipped without.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.core.actor import Actor
from app.core.node import Node
from app.queue.tickets import TicketService
from app.sync.service import SyncService
from tests.bench.common import OpenClock, percentile
from tests.faults.smb import SmbMount, unavailable
from tests.faults.smbfs import Rules

KEY = "cd" * 32
POLL_S = 0.05
LIMIT_S = 30.0
FLOOR = Actor("fm", "floor_manager")

#: The bench site's PCs share one demo clock: the center open whenever the benchmark runs.
SITE_CLOCK = OpenClock()


def _node(root: Path, name: str, share: Path, block: int) -> Node:
    from app.core.actor import SYSTEM
    from app.core.staff import StaffService

    node = Node(root / name)
    node.initialise(site_id="bench", name=name, role="reception" if block == 0 else "counter",
                    share_dir=str(share), counter=str(block), issuer_block=block,
                    site_key=KEY)  # fmt: skip
    if block == 0:
        StaffService(node).add(SYSTEM, "fm", "受付", "floor_manager", "1111")
    return SITE_CLOCK(node)


class Pair:
    """A reception PC and a counter PC on one share; ``listing_only`` reads as before."""

    def __init__(self, root: Path, share_of: Callable[[str], Path], listing_only: bool) -> None:
        self.reception = _node(root, "reception", share_of("reception"), 0)
        self.counter = _node(root, "counter", share_of("counter"), 1)
        self.sender, self.receiver = SyncService(self.reception), SyncService(self.counter)
        self.listing_only = listing_only
        self.sender.once()
        self.poll()

    def poll(self) -> None:
        if not self.listing_only:
            self.receiver.once()
            return
        service = self.receiver  # the round as it was: the listing decides
        days = service._days_to_read()
        service.reader.import_days(days, [])

    def propagate(self) -> float:
        """Returns seconds from the export of a new ticket until the counter has it."""
        ticket = TicketService(self.reception).issue(FLOOR, "pin", "self")["ticket_id"]
        self.sender.once()
        started = time.perf_counter()
        query = "SELECT 1 FROM tickets WHERE ticket_id = ?"
        while self.counter.store.row(query, (ticket,)) is None:
            if time.perf_counter() - started > LIMIT_S:
                raise AssertionError("the ticket never arrived")
            time.sleep(POLL_S)
            self.poll()
        return time.perf_counter() - started

    def idle_read_ms(self) -> float:
        """Returns the reading part of a round with nothing new (ms): the listing, and for
        madoguchi also the heartbeats and the growing segment asked through a handle."""
        service = self.receiver
        days = service._days_to_read()
        started = time.perf_counter()
        if self.listing_only:
            service.reader.import_days(days, [])
        else:
            announced = service.registry.read_others()
            service.reader.import_days(days, [], service._recent_days(), announced)
        return (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self.reception.close()
        self.counter.close()


def run(quick: bool = False) -> None:
    reason = unavailable()
    if reason is not None:
        print(f"smb propagation: skipped ({reason})")
        return
    trials = 3 if quick else 8
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-smb-") as folder:
        root = Path(folder)
        (root / "local").mkdir()
        with SmbMount(root / "server", root / "mnt", Rules.smb()) as smb:
            pairs = {
                "A local folder": Pair(root / "a", lambda n: root / "local", False),
                "B SMB, madoguchi": Pair(root / "b", lambda n: smb.client(f"b-{n}"), False),
                "C SMB, listing only": Pair(root / "c", lambda n: smb.client(f"c-{n}"), True),
            }
            delays: dict[str, list[float]] = {k: [] for k in pairs}
            idle: dict[str, list[float]] = {k: [] for k in pairs}
            for _ in range(trials):
                for name, pair in pairs.items():
                    delays[name].append(pair.propagate())
                    idle[name].extend(pair.idle_read_ms() for _ in range(5))
            for pair in pairs.values():
                pair.close()
    print(f"smb propagation: a ticket exported at reception until a counter polling every "
          f"{POLL_S * 1000:.0f} ms has it, {trials} each, in turn (Windows' caches 10/10/5 s)")  # fmt: skip
    for name in pairs:
        d = delays[name]
        print(f"  {name:<22} median {statistics.median(d):6.2f} s  p95 {percentile(d, 95):6.2f} s"
              f"  max {max(d):6.2f} s   reading, nothing new: median {statistics.median(idle[name]):5.1f} ms")  # fmt: skip


if __name__ == "__main__":
    run()
