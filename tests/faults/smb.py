"""Mounting the simulated Windows share (:mod:`tests.faults.smbfs`) for a test.

:class:`SmbMount` serves a local folder (the file server's disk) through the FUSE file
system that enforces the Windows and SMB rules, one client folder per PC
(:meth:`SmbMount.client`). :class:`Holder` is another process holding a file open, as a
reader, an Excel or a PDF viewer would.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from tests.faults.smbfs import Rules

ROOT = Path(__file__).resolve().parents[2]
#: How long mounting or unmounting may take before the test fails.
MOUNT_SECONDS = 15.0


def required() -> bool:
    """Tells whether a missing simulated share fails the tests instead of skipping them.

    ``.ci/run`` asks for it (MADOGUCHI_REQUIRE_SMB=1) on a machine that has ``/dev/fuse``, so
    a share that cannot be mounted there is a failure, never a silent skip.
    """
    return os.environ.get("MADOGUCHI_REQUIRE_SMB") == "1"


def unavailable() -> str | None:
    """Returns why the simulated share cannot be mounted here, or None when it can."""
    if sys.platform != "linux":
        return "FUSE is Linux only"
    if not os.path.exists("/dev/fuse"):
        return "no /dev/fuse"
    if shutil.which("fusermount3") is None:
        return "fusermount3 missing (Debian package fuse3)"
    try:
        import mfusepy  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"mfusepy cannot load libfuse: {exc}"
    return None


def _wait(condition: Any, what: str, seconds: float = MOUNT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class SmbMount:
    """The simulated share, mounted while the object is open.

    Args:
        disk: the file server's folder (made if missing).
        mount: an empty folder to mount on (made if missing).
        rules: what the share enforces.
    """

    def __init__(self, disk: Path, mount: Path, rules: Rules | None = None) -> None:
        self.disk, self.mount = disk, mount
        self.rules = rules or Rules()
        self.rules_file = mount.with_name(mount.name + "-rules.json")
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SmbMount:
        self.disk.mkdir(parents=True, exist_ok=True)
        self.mount.mkdir(parents=True, exist_ok=True)
        self.rules.save(self.rules_file)
        log = open(self.mount.with_name(self.mount.name + "-server.log"), "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.smbfs", str(self.disk), str(self.mount),
             str(self.rules_file)], cwd=ROOT, stdout=log, stderr=log,
        )  # fmt: skip
        log.close()
        _wait(lambda: os.path.ismount(self.mount) or self.proc.poll() is not None, "the mount")
        if not os.path.ismount(self.mount):
            raise AssertionError(f"the simulated share did not mount: {self.server_log()}")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:  # fmt: skip
        self.close()

    def close(self) -> None:
        if self.proc is None:
            return
        deadline = time.monotonic() + MOUNT_SECONDS
        while os.path.ismount(self.mount):
            done = subprocess.run(["fusermount3", "-u", str(self.mount)], capture_output=True)
            if done.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.05)  # a process still has a file open there
        if os.path.ismount(self.mount):
            subprocess.run(["fusermount3", "-u", "-z", str(self.mount)], capture_output=True)
        try:
            self.proc.wait(MOUNT_SECONDS)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def server_log(self) -> str:
        return self.mount.with_name(self.mount.name + "-server.log").read_text(errors="replace")

    def client(self, name: str) -> Path:
        """Returns the share as one PC's SMB client sees it."""
        return self.mount / name

    def set(self, **changes: Any) -> None:
        """Changes the rules; the share applies them from its next operation on."""
        self.rules = dataclasses.replace(self.rules, **changes)
        self.rules.save(self.rules_file)


class Holder:
    """Another process holding a file open until :meth:`release` (or the end of a ``with``).

    Args:
        path: the file.
        viewer: open it as Excel or a PDF viewer does (nobody may write it meanwhile);
            otherwise as a reader does (it may be written, not renamed or deleted).
    """

    def __init__(self, path: Path, viewer: bool = False) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _HOLD, str(path), "1" if viewer else "0"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if line.strip() != b"held":
            raise AssertionError(f"could not hold {path}: {line!r} {self.proc.stderr.read()!r}")

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.communicate(b"\n", timeout=MOUNT_SECONDS)


_HOLD = """
import os, sys
flags = os.O_RDONLY | (os.O_NONBLOCK if sys.argv[2] == "1" else 0)
fd = os.open(sys.argv[1], flags)
os.read(fd, 1)
print("held", flush=True)
sys.stdin.readline()
os.close(fd)
"""
