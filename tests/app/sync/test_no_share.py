"""A PC set up without a share writes nothing anywhere when it syncs: an empty setting is
no folder, not the folder the program happens to be started in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.actor import Actor
from app.queue.tickets import TicketService
from app.sync.loop import SyncLoop
from app.sync.service import SyncService
from app.sync.share import NOT_CONFIGURED
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import make_node


def test_a_pc_without_a_share_never_syncs_into_the_current_folder(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = make_node(tmp_path / "pc", clock)
    TicketService(node).issue(Actor("fm", "floor_manager"), "pin", "self")  # an event to send
    started_in = tmp_path / "started-in"
    started_in.mkdir()
    monkeypatch.chdir(started_in)

    report = SyncService(node).once()
    assert report.offline and NOT_CONFIGURED in report.message
    assert report.waiting > 0  # the events stay on the PC …
    round_report = SyncLoop(node).round()  # … and the window's rounds go on
    assert round_report.offline and round_report.waiting == report.waiting
    assert os.listdir(started_in) == []  # nothing was written where the program started
