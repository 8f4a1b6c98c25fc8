"""``madoguchi --smoke`` checks the shared folder rule by rule: on a local folder, and on
the simulated Windows share with a clock an hour off and a root too deep."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.sync.probe import RULES, probe_share
from tests.faults.smb import ROOT, SmbMount, required, unavailable
from tests.faults.smbfs import Rules


@pytest.fixture
def smb(tmp_path: Path) -> Iterator[SmbMount]:
    reason = unavailable()
    if reason is not None:
        if required():
            pytest.fail(f"the simulated Windows share is needed in CI: {reason}")
        pytest.skip(reason)
    with SmbMount(tmp_path / "server", tmp_path / "smb", Rules.smb()) as mount:
        yield mount


def verdicts(share: Path) -> dict[str, str]:
    return {c.rule: c.verdict for c in probe_share(share)}


def test_a_local_folder_passes_every_rule_and_is_left_clean(tmp_path: Path) -> None:
    assert verdicts(tmp_path) == {**dict.fromkeys(RULES, "ok"), "names": "note",
                                  "delete_open": "note"}  # fmt: skip
    assert list((tmp_path / "madoguchi").iterdir()) == []


def test_on_a_windows_share_the_rules_pass_and_its_ways_are_noted(smb: SmbMount) -> None:
    checks = {c.rule: c for c in probe_share(smb.client("pc"))}
    assert [r for r, c in checks.items() if c.verdict == "FAIL"] == []
    assert "区別しません" in checks["names"].detail  # case-insensitive, as Windows
    assert "削除できません" in checks["delete_open"].detail  # sharing violation
    assert "読み手が開いている間も書き直せます" in checks["heartbeat"].detail
    assert not (smb.disk / "madoguchi" / "probe").exists()


def test_a_server_clock_an_hour_off_and_a_root_too_deep_fail_their_rules(
    smb: SmbMount,
) -> None:
    smb.set(clock_offset_s=3600.0, unc_root="\\\\server\\" + "x" * 120)
    checks = {c.rule: c for c in probe_share(smb.client("pc"))}
    assert checks["clock"].verdict == "FAIL" and "+3600 秒" in checks["clock"].detail
    assert checks["deep_path"].verdict == "FAIL" and "too long" in checks["deep_path"].detail
    assert checks["append"].verdict == "ok" and checks["cleanup"].verdict == "ok"


def test_the_smoke_command_checks_the_share_given_and_names_each_rule(
    tmp_path: Path, smb: SmbMount
) -> None:
    smb.set(readonly=True)  # a share IT has made read-only by mistake
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "ui.shell.launcher", "--smoke", "--share",
         str(smb.client("pc"))], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    rules = [ln.split()[2] for ln in done.stdout.splitlines() if ln.startswith("smoke:   share")]
    assert rules == ["reach"]  # nothing else can work on a share it cannot write
    assert "FAILED at step share" in done.stderr and "reach failed" in done.stderr
