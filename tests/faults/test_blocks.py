"""Number blocks are proven on the share: a PC set up while the share is away, or replacing
an old PC, never issues a number another visitor holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main
from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.queue.tickets import TicketError, TicketService
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import KEY

FLOOR = Actor("fm", "floor_manager")


def init(tmp_path: Path, name: str, *extra: str) -> int:
    return main(["--data-dir", str(tmp_path / name), "init", "--site", "test", "--name", name,
                 "--role", "reception", "--share", str(tmp_path / "share"),
                 "--site-key", KEY, *extra])  # fmt: skip


def opened(tmp_path: Path, name: str, clock: FakeClock) -> Node:
    """Opens a PC set up by ``init`` on the test clock, with a floor manager."""
    node = Node(tmp_path / name, wall_ms=clock)
    StaffService(node).add(SYSTEM, "fm", "受付 花子", "floor_manager", "1111")
    return node


@pytest.fixture(autouse=True)
def _pin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADOGUCHI_PIN", "9999")


def test_a_pc_set_up_while_the_share_is_away_issues_only_after_its_block_is_proven(
    tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "share").mkdir()
    assert init(tmp_path, "reception-1") == 0
    assert "番号ブロック=0" in capsys.readouterr().out
    first = opened(tmp_path, "reception-1", clock)
    assert TicketService(first).issue(FLOOR, "pin", "self")["number"] == "A-001"
    SyncService(first).once()
    (tmp_path / "share").rename(tmp_path / "share-away")  # the file server is unreachable
    assert init(tmp_path, "reception-2") == 0
    said = capsys.readouterr().out
    assert "番号ブロック=0（未確定）" in said and "共有フォルダに接続できない" in said
    second = opened(tmp_path, "reception-2", clock)
    with pytest.raises(TicketError, match="番号ブロックがまだ確定していません"):
        TicketService(second).issue(FLOOR, "pin", "self")
    assert SyncService(second).once().offline
    with pytest.raises(TicketError, match="手書きの番号札"):
        TicketService(second).issue(FLOOR, "pin", "self")
    (tmp_path / "share-away").rename(tmp_path / "share")  # back
    SyncService(second).once()
    assert second.identity.block_proven and second.identity.issuer_block == 1
    assert TicketService(second).issue(FLOOR, "pin", "self")["number"] == "A-1001"
    assert TicketService(first).issue(FLOOR, "pin", "self")["number"] == "A-002"
    for _ in range(2):
        SyncService(first).once()
        SyncService(second).once()
    numbers = [t["number"] for t in TicketService(first).tickets()]
    assert sorted(numbers) == ["A-001", "A-002", "A-1001"]
    assert first.store.projection_dump()["tickets"] == second.store.projection_dump()["tickets"]


def test_an_explicit_block_another_pc_holds_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "share").mkdir()
    assert init(tmp_path, "reception-1") == 0
    assert init(tmp_path, "reception-2", "--issuer-block", "0") == 2
    assert "番号ブロック 0 は端末 reception-1" in capsys.readouterr().err
    assert not (tmp_path / "reception-2" / "node.sqlite3").exists()  # nothing half set up
    assert init(tmp_path, "reception-2") == 0
    assert "番号ブロック=1" in capsys.readouterr().out


def test_a_replaced_pc_takes_its_block_over_only_when_told_and_resumes_above_the_share(
    tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "share").mkdir()
    assert init(tmp_path, "reception-1") == 0
    old = opened(tmp_path, "reception-1", clock)
    for _ in range(3):
        TicketService(old).issue(FLOOR, "pin", "self")
    SyncService(old).once()
    old.close()
    (tmp_path / "reception-1").rename(tmp_path / "old-disk")  # the PC's disk is replaced
    capsys.readouterr()
    assert init(tmp_path, "reception-1") == 0
    said = capsys.readouterr().out
    assert "番号ブロック=1" in said and "--take-block" in said  # not taken without being told
    (tmp_path / "reception-1").rename(tmp_path / "not-used")
    assert init(tmp_path, "reception-1", "--issuer-block", "0", "--take-block") == 0
    new = opened(tmp_path, "reception-1", clock)
    with pytest.raises(TicketError):  # not before today's numbers of the old PC are in
        TicketService(new).issue(FLOOR, "pin", "self")
    SyncService(new).once()
    assert TicketService(new).issue(FLOOR, "pin", "self")["number"] == "A-004"
