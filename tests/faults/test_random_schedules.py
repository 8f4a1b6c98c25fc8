"""A few random schedules of work and real faults on a site of real PC processes (the quick
mode of :mod:`tests.faults.harness`; ``make soak`` runs hundreds)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.faults.harness import run_schedules
from tests.faults.smb import required, unavailable
from tests.faults.smbfs import Rules


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and symlinks are POSIX")
def test_random_schedules_keep_every_promise(tmp_path: Path) -> None:
    figures = run_schedules(tmp_path, count=4, seed=20261130, operations=70)
    assert figures.schedules == 4 and figures.acknowledged > 20
    assert sum(figures.faults.values()) >= 10 and figures.faults["kill"] >= 1
    assert figures.tickets >= figures.acknowledged


@pytest.mark.slow
def test_random_schedules_through_a_windows_share_keep_every_promise(tmp_path: Path) -> None:
    reason = unavailable()
    if reason is not None:
        if required():
            pytest.fail(f"the simulated Windows share is needed in CI: {reason}")
        pytest.skip(reason)
    rules = Rules.smb(dir_cache_s=2.0, info_cache_s=2.0, not_found_cache_s=1.0)
    figures = run_schedules(tmp_path, count=1, seed=20261202, operations=80, smb=rules)
    assert figures.schedules == 1 and figures.acknowledged > 5
    assert sum(figures.faults.values()) >= 3
    assert figures.tickets >= figures.acknowledged
