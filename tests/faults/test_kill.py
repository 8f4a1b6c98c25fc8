"""Real processes killed with SIGKILL while issuing and exporting lose nothing."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.node import Node
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import on_an_open_day, site_node

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_at_random_points_loses_no_acknowledged_ticket(
    tmp_path: Path, clock: FakeClock
) -> None:
    node = site_node(tmp_path, "reception", clock, block=0, role="reception")
    node.close()
    on_an_open_day(tmp_path / "reception", clock)  # the workers issue at the test's time
    reader = site_node(tmp_path, "counter-1", clock, block=1, counter="1", staff=False)
    rng = random.Random(2026)
    acknowledged: dict[str, str] = {}
    killed = 0
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.worker", str(tmp_path / "reception"), "60"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdout is not None
        # Wait until the worker is in the middle of its work (it has acknowledged some
        # tickets, however slow the machine), then kill it a random moment later: anywhere
        # in issuing, committing, exporting or fsyncing the next ones.
        seen = [proc.stdout.readline() for _ in range(rng.randint(1, 6))]
        time.sleep(rng.uniform(0, 0.03))
        proc.send_signal(signal.SIGKILL)
        rest, err = proc.communicate()
        # Killed mid-work, or (rarely) it finished its 60 tickets first.
        assert proc.returncode in (-signal.SIGKILL, 0), err
        assert all(line.startswith("ACK ") for line in seen), (seen, err)
        killed += proc.returncode == -signal.SIGKILL
        for line in [*seen, *rest.splitlines()]:
            if line.startswith("ACK "):
                _, ticket_id, number = line.split()
                acknowledged[ticket_id] = number
    assert killed >= 15 and len(acknowledged) > 20  # the kills really happened mid-work
    after = Node(tmp_path / "reception")
    assert after.store.integrity_check() == "ok"
    rows = after.store.rows("SELECT ticket_id, number FROM tickets")
    numbers = [r["number"] for r in rows]
    assert len(numbers) == len(set(numbers))
    assert {r["ticket_id"]: r["number"] for r in rows}.items() >= acknowledged.items()
    sender = SyncService(after)
    receiver = SyncService(reader)
    for _ in range(2):
        sender.once()
        receiver.once()
    assert sender.once().waiting == 0
    received = {r["ticket_id"] for r in reader.store.rows("SELECT ticket_id FROM tickets")}
    assert received >= set(acknowledged)
    assert reader.store.projection_dump()["tickets"] == after.store.projection_dump()["tickets"]
    after.close()
    reader.close()
