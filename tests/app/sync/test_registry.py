"""What a PC hears of the others through the share, and that hearing alone writes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.sync.registry import HEARD_STEP_MS
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import site_node


def test_a_quiet_site_leaves_the_database_alone(tmp_path: Path, clock: FakeClock) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    for _ in range(2):
        a.once()
        b.once()
    # Another connection to the counter's database: the window's, in the real program.
    window = sqlite3.connect(counter.data_dir / "node.sqlite3")

    def version() -> int:
        return int(window.execute("PRAGMA data_version").fetchone()[0])

    quiet = version()
    for _ in range(3):  # every round rewrites each PC's record on the share …
        clock.advance(seconds=1)
        a.once()
        b.once()
    assert version() == quiet  # … and changes nothing a window would redraw for
    heard = counter.store.row("SELECT last_heard_ms FROM sync_nodes WHERE name = 'reception'")
    clock.advance(seconds=HEARD_STEP_MS / 1000)
    a.once()
    b.once()
    assert version() != quiet
    later = counter.store.row("SELECT last_heard_ms FROM sync_nodes WHERE name = 'reception'")
    assert heard is not None and later is not None
    assert later["last_heard_ms"] - heard["last_heard_ms"] >= HEARD_STEP_MS
    window.close()
    reception.close()
    counter.close()
