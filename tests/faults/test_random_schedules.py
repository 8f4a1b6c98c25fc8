"""A few random schedules of work and real faults on a site of real PC processes (the quick
mode of :mod:`tests.faults.harness`; ``make soak`` runs hundreds)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.faults.harness import run_schedules


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and symlinks are POSIX")
def test_random_schedules_keep_every_promise(tmp_path: Path) -> None:
    figures = run_schedules(tmp_path, count=4, seed=20261130, operations=70)
    assert figures.schedules == 4 and figures.acknowledged > 20
    assert sum(figures.faults.values()) >= 10 and figures.faults["kill"] >= 1
    assert figures.tickets >= figures.acknowledged
