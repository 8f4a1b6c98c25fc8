"""A data folder copied byte for byte (a master image, a backup restored) never makes two
PCs write as one: the copy stops before its first event, a restored PC takes its own newer
events back from the share, and a clone that wrote anyway is found and stopped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.actor import SYSTEM, Actor
from app.core.node import Node, NodeError
from app.core.staff import StaffService
from app.queue.tickets import TicketService
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import site_node

FLOOR = Actor("fm", "floor_manager")

pytestmark = pytest.mark.usefixtures("windows_share")


def numbers(node: Node) -> list[str]:
    return sorted(t["number"] for t in TicketService(node).tickets())


def test_a_byte_copy_of_a_pc_writes_nothing_until_it_is_made_a_new_pc(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    StaffService(reception).add(SYSTEM, "sm", "管理 さくら", "site_manager", "4444")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    SyncService(counter).once()
    TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()
    shutil.copytree(tmp_path / "reception", tmp_path / "image")  # deployed from an image
    copy = Node(tmp_path / "image", wall_ms=clock)
    assert copy.identity.node_id == reception.identity.node_id
    with pytest.raises(NodeError, match="複製されたもの"):
        TicketService(copy).issue(FLOOR, "pin", "self")
    report = SyncService(copy).once()
    assert report.clone_alarm and "複製されたもの" in report.message and report.exported == 0
    assert TicketService(reception).issue(FLOOR, "pin", "self")["number"] == "A-002"
    copy.close()
    # The IT staff make the copy a PC of its own; it keeps the site's data.
    monkeypatch.setenv("MADOGUCHI_PIN", "1111")
    assert main(["--data-dir", str(tmp_path / "image"), "--staff", "fm", "identity", "renew",
                 "--name", "reception-2"]) == 2  # a floor manager may not  # fmt: skip
    monkeypatch.setenv("MADOGUCHI_PIN", "4444")
    assert main(["--data-dir", str(tmp_path / "image"), "--staff", "sm", "identity", "renew",
                 "--name", "reception-2"]) == 0  # fmt: skip
    assert "reception-2" in capsys.readouterr().out
    renewed = Node(tmp_path / "image", wall_ms=clock)
    assert renewed.identity.node_id != reception.identity.node_id
    sync = SyncService(renewed)
    assert not sync.once().clone_alarm
    assert TicketService(renewed).issue(FLOOR, "pin", "self")["number"] == "A-2001"
    for _ in range(2):
        for node in (reception, counter, renewed):
            SyncService(node).once()
    assert numbers(counter) == ["A-001", "A-002", "A-2001"]
    assert counter.store.projection_dump() == reception.store.projection_dump()


def test_a_pc_restored_from_an_old_backup_takes_its_newer_events_back(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()
    reception.close()
    shutil.copytree(tmp_path / "reception", tmp_path / "backup")  # last night's backup
    reception = Node(tmp_path / "reception", wall_ms=clock)
    for _ in range(2):
        TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()
    reception.close()
    shutil.rmtree(tmp_path / "reception")  # the disk fails; the backup goes back in place
    shutil.copytree(tmp_path / "backup", tmp_path / "reception")
    restored = Node(tmp_path / "reception", wall_ms=clock)
    assert numbers(restored) == ["A-001"]
    report = SyncService(restored).once()
    assert report.adopted >= 2 and not report.clone_alarm
    assert numbers(restored) == ["A-001", "A-002", "A-003"]
    assert TicketService(restored).issue(FLOOR, "pin", "self")["number"] == "A-004"
    for _ in range(2):
        SyncService(restored).once()
        SyncService(counter).once()
    assert numbers(counter) == ["A-001", "A-002", "A-003", "A-004"]
    assert counter.store.projection_dump() == restored.store.projection_dump()


def test_a_clone_confirmed_by_mistake_is_stopped_by_what_it_finds_on_the_share(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    SyncService(reception).once()
    shutil.copytree(tmp_path / "reception", tmp_path / "copy")
    clone = Node(tmp_path / "copy", wall_ms=clock)
    clone.confirm_identity(SYSTEM)  # someone said "same PC" about a copy
    TicketService(clone).issue(FLOOR, "pin", "self")  # both issue A-001 …
    TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()  # … the original's reaches the share first
    report = SyncService(clone).once()
    assert report.clone_alarm and report.exported == 0
    with pytest.raises(NodeError):
        TicketService(clone).issue(FLOOR, "pin", "self")
