"""Fixtures every test may use: a node on a temporary folder with a clock moved by hand.

Builders and fakes live in :mod:`tests.helpers`; only fixtures are defined here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.actor import Actor
from app.core.node import Node
from tests.faults.smb import SmbMount, required, unavailable
from tests.faults.smbfs import Rules
from tests.helpers.clock import FakeClock, clock_at
from tests.helpers.nodes import make_node


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compiles the translation catalogs the program reads (``make translations`` does the
    same), so that a bare ``pytest`` tests the catalogs of the working tree."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from app.core.paths import resources_dir

    for po in sorted((resources_dir() / "locale").glob("*/LC_MESSAGES/madoguchi.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


@pytest.fixture
def clock() -> FakeClock:
    return clock_at()


@pytest.fixture
def node(tmp_path: Path, clock: FakeClock) -> Iterator[Node]:
    n = make_node(tmp_path / "node", clock)
    yield n
    n.close()


@pytest.fixture
def floor() -> Actor:
    return Actor("fm", "floor_manager")


@pytest.fixture
def clerk() -> Actor:
    return Actor("cl", "clerk", "1")


@pytest.fixture
def clerk2() -> Actor:
    return Actor("cl2", "clerk", "2")


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """PIN hashing at full cost takes ~50 ms; tests use a cheap cost (stored with the hash)."""
    import app.core.staff

    monkeypatch.setattr(app.core.staff, "_SCRYPT_N", 2**8)


@pytest.fixture(autouse=True)
def no_modal_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window that asks a real yes/no question in a test would wait for ever: the test
    fails at once instead (tests answer through the windows' confirm hooks)."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"a test opened a real question dialog: {args[2:3]}")

    monkeypatch.setattr(QMessageBox, "question", refuse)


@pytest.fixture(params=["local", "smb"])
def windows_share(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SmbMount | None]:
    """Runs a test on a local shared folder, then again through the simulated Windows share
    (:mod:`tests.faults.smbfs`) mounted on ``tmp_path/smb`` over ``tmp_path/share``: sharing
    violations, case-insensitive and Windows names, path length, file times in 100 ns
    steps on a file server whose clock is 37 s ahead. :func:`tests.helpers.nodes.site_node`
    gives each PC its own SMB client there. Where FUSE is missing the second run is skipped,
    except where the machine has FUSE and MADOGUCHI_REQUIRE_SMB=1 asks for it (CI), where it fails.
    """
    if request.param == "local":
        yield None
        return
    reason = unavailable()
    if reason is not None:
        if required():
            pytest.fail(f"the simulated Windows share is needed in CI: {reason}")
        pytest.skip(reason)
    with SmbMount(tmp_path / "share", tmp_path / "smb", Rules(clock_offset_s=37.0)) as mount:
        yield mount
