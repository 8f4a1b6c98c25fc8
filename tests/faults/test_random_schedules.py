"""A few random schedules of work and real faults — on the share and on the LAN — on a site of
real PC processes (the quick mode of :mod:`tests.faults.harness`; ``make soak`` runs
hundreds)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.faults.harness import run_schedules


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and symlinks are POSIX")
def test_random_schedules_keep_every_promise(tmp_path: Path) -> None:
    figures = run_schedules(tmp_path, count=4, seed=20261154, operations=70)
    assert figures.schedules == 4 and figures.acknowledged > 20
    assert sum(figures.faults.values()) >= 10 and figures.faults["kill"] >= 1
    assert figures.faults["lan_lossy"] >= 1 and figures.faults["lan_cut"] >= 1
    assert figures.tickets >= figures.acknowledged
    # The LAN carried events, and old packets replayed at it were refused (a PC started
    # again since may take one once: its window of packets seen starts anew).
    assert figures.lan_applied > 0 and figures.packets["replayed"] > 0
    assert figures.ignored["replayed"] > 0
