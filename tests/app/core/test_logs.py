"""Uncaught errors and hard crashes end up in the PC's log folder, never on a missing stderr.

Each case runs a real process that installs the handlers the window installs at start-up and
then fails for real: an exception nobody catches, one in a thread, a segmentation fault.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PRELUDE = (
    "import sys\n"
    "from pathlib import Path\n"
    "from app.core.logs import install_crash_handlers\n"
    "seen = []\n"
    "install_crash_handlers(Path(sys.argv[1]), lambda kind, error, trace: seen.append(kind))\n"
    "sys.stderr = None  # the windowed program has no console\n"
)


def run(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PRELUDE + body, str(tmp_path)],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip


def test_an_uncaught_exception_is_logged_with_its_trace(tmp_path: Path) -> None:
    done = run(tmp_path, "def deep():\n    raise KeyError('lost-key')\ndeep()\n")
    assert done.returncode == 1
    log = (tmp_path / "logs" / "madoguchi.log").read_text(encoding="utf-8")
    assert "CRITICAL madoguchi: uncaught KeyError" in log
    assert "in deep" in log and "KeyError: 'lost-key'" in log


def test_an_error_in_a_thread_is_logged_and_reported(tmp_path: Path) -> None:
    body = (
        "import threading\n"
        "def work():\n    raise RuntimeError('sync thread broke')\n"
        "t = threading.Thread(target=work)\nt.start()\nt.join()\n"
        "assert seen == [RuntimeError], seen\n"
    )
    done = run(tmp_path, body)
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "logs" / "madoguchi.log").read_text(encoding="utf-8")
    assert "RuntimeError: sync thread broke" in log and "in work" in log


def test_a_segmentation_fault_leaves_a_dump_in_the_faults_file(tmp_path: Path) -> None:
    done = run(tmp_path, "import faulthandler\nfaulthandler._sigsegv()\n")
    assert done.returncode != 0
    dump = (tmp_path / "logs" / "faults.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in dump
    assert "Current thread" in dump or "Thread 0x" in dump
