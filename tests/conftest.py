"""Shared fixtures: a node on a temporary folder with a controllable clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.model.clock import JST

# A Tuesday the center is open: 10:30–18:30.
OPEN_DAY = date(2026, 11, 24)


class FakeClock:
    """A wall clock tests move by hand (epoch ms)."""

    def __init__(self, at: datetime) -> None:
        self.ms = int(at.timestamp() * 1000)

    def __call__(self) -> int:
        return self.ms

    def advance(self, minutes: float = 0, seconds: float = 0) -> None:
        self.ms += int(minutes * 60_000 + seconds * 1000)

    def set(self, day: date, at: time) -> None:
        self.ms = int(datetime.combine(day, at, tzinfo=JST).timestamp() * 1000)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.combine(OPEN_DAY, time(11, 0), tzinfo=JST))


def make_node(folder: Path, clock: FakeClock, *, role: str = "reception", block: int = 0,
              counter: str | None = None) -> Node:  # fmt: skip
    node = Node(folder, wall_ms=clock)
    node.initialise(site_id="test", name=folder.name, role=role, counter=counter,
                    issuer_block=block)  # fmt: skip
    staff = StaffService(node)
    for staff_id, role_name, pin in (("fm", "floor_manager", "1111"), ("cl", "clerk", "2222"),
                                     ("cl2", "clerk", "2223"), ("city", "city_staff", "3333"),
                                     ("sm", "site_manager", "4444")):  # fmt: skip
        staff.add(SYSTEM, staff_id, f"職員 {staff_id}", role_name, pin)
    return node


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
