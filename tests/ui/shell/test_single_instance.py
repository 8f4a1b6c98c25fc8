"""One window per PC folder: a second start brings the running one forward and ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QDir
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tests.helpers.nodes import make_node
from ui.shell.single_instance import SingleInstance, server_name


def test_a_second_start_on_the_same_folder_asks_the_first_to_come_forward(
    qtbot: QtBot, tmp_path: Path
) -> None:
    first = SingleInstance(tmp_path / "pc")
    assert first.claim()
    second = SingleInstance(tmp_path / "pc")
    with qtbot.waitSignal(first.raised, timeout=5000):
        assert second.forward()
    assert not second.claim()  # the folder is taken: the second start ends
    other = SingleInstance(tmp_path / "another-pc")
    assert not other.forward() and other.claim()  # another folder is another PC
    for instance in (first, other):
        instance.release()
    assert server_name(tmp_path / "pc") == server_name(tmp_path / "pc" / ".." / "pc")


def test_a_socket_left_by_a_crashed_program_does_not_block_the_next_start(
    qtbot: QtBot, tmp_path: Path
) -> None:
    name = server_name(tmp_path / "pc")
    stale = Path(QDir.tempPath()) / name
    stale.write_text("")  # what a killed program leaves behind on Linux
    try:
        instance = SingleInstance(tmp_path / "pc")
        assert not instance.forward() and instance.claim()
        assert SingleInstance(tmp_path / "pc").forward()
        instance.release()
    finally:
        stale.unlink(missing_ok=True)


def test_running_the_program_twice_opens_one_window(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    make_node(tmp_path / "display", clock, role="display").close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    argv = [sys.executable, "-m", "ui.shell.launcher", "--data-dir", str(tmp_path / "display"),
            "run"]  # fmt: skip
    first = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        probe = SingleInstance(tmp_path / "display")
        qtbot.waitUntil(lambda: first.poll() is not None or probe.forward(), timeout=30_000)
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        second = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0 and "既に開いています" in second.stderr
        assert first.poll() is None  # the first one runs on
    finally:
        first.terminate()
        first.communicate(timeout=15)
