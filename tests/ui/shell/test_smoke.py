"""``madoguchi --smoke``: every step reported, a failing step named, no console needed."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import app.core.paths
import ui.shell.application
import ui.shell.launcher
import ui.shell.smoke
from ui.shell.smoke import STEPS, Smoke, run_smoke

ROOT = Path(__file__).resolve().parents[3]


def test_every_step_passes_and_is_reported(qtbot: QtBot, tmp_path: Path) -> None:
    said: list[str] = []
    assert run_smoke(tmp_path, said.append) == 0
    lines = [ln for ln in said if not ln.startswith("smoke:   ")]  # the share's rule lines
    rules = [ln.split()[2:4] for ln in said if ln.startswith("smoke:   share ")]
    assert [r for r, verdict in rules if verdict not in ("ok", "note")] == []
    assert [r for r, _ in rules][:4] == ["reach", "create", "append", "heartbeat"]
    for step, line in zip(STEPS, lines, strict=False):
        assert line.startswith(f"smoke: ok {step} "), line
    assert len(lines) == len(STEPS) + 1
    assert lines[-1].startswith(f"smoke: passed all {len(STEPS)} steps")
    windows = lines[STEPS.index("windows")]
    assert all(f"{role}=" in windows for role in ("reception", "counter", "display", "admin"))
    number = lines[STEPS.index("ticket")].split(" ms  ")[1].split()[0]
    assert f"counter sees {number}" in lines[STEPS.index("sync")]
    pdfs = list((tmp_path / "tickets").rglob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    (pdf,) = (tmp_path / "reports").glob("daily-*.pdf")
    (csv_file,) = (tmp_path / "reports").glob("daily-*.csv")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "作業日報" in csv_file.read_text(encoding="utf-8-sig")


def test_a_failing_step_ends_the_run_and_is_named(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, tmp_path: Path
) -> None:
    def offline(self: Smoke) -> str:
        raise OSError("共有フォルダに接続できません")

    monkeypatch.setattr(Smoke, "step_sync", offline)
    lines: list[str] = []
    assert run_smoke(tmp_path, lines.append) == 1
    assert lines[-1] == "smoke: FAILED at step sync: OSError: 共有フォルダに接続できません"
    assert [line.split()[2] for line in lines[:-1]] == list(STEPS[: STEPS.index("sync")])


def test_missing_bundled_resources_fail_the_first_step(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "bundle" / "resources"
    empty.mkdir(parents=True)
    monkeypatch.setattr(app.core.paths, "resources_dir", lambda: empty)
    lines: list[str] = []
    assert run_smoke(tmp_path / "site", lines.append) == 1
    assert len(lines) == 1
    assert lines[0].startswith("smoke: FAILED at step resources: SmokeError: missing in ")
    assert "site.toml" in lines[0] and "fonts/ipaexg.ttf" in lines[0]


def test_without_a_console_the_command_still_exits_with_its_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A windowed build has no stdout or stderr: nothing may write to them unguarded."""
    monkeypatch.setattr(ui.shell.smoke, "setup_logging", lambda folder: None)
    monkeypatch.setattr(ui.shell.application, "install_qt_message_handler", lambda: None)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(Smoke, "step_migrate", lambda self: 1 / 0)
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert ui.shell.smoke.main() == 1
    (kept,) = tmp_path.glob("madoguchi-smoke-*")  # kept for a look at the failure
    assert kept.is_dir()


def test_the_launcher_runs_the_smoke_check_in_a_temporary_folder(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "ui.shell.launcher", "--smoke"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    reported = [ln.split()[2] for ln in done.stdout.splitlines() if ln.startswith("smoke: ok ")]
    assert reported == list(STEPS)
    assert "passed all" in done.stdout and "from source" in done.stdout
    assert not list(tmp_path.glob("madoguchi-smoke-*"))  # cleaned up after a pass


def test_the_windowed_program_without_arguments_opens_the_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(ui.shell.launcher.cli, "main", lambda argv, extra: seen.append(argv) or 0)
    assert ui.shell.launcher.main([]) == 0
    monkeypatch.setattr(sys, "stdout", None)  # a double click: no console
    assert ui.shell.launcher.main([]) == 0
    assert seen == [[], ["run"]]
