"""A correction (reopen) survives every rebuild: the command, and a PC's bulk catch-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main
from app.core.actor import Actor
from app.queue.tickets import TicketService
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import site_node

FLOOR, CLERK = Actor("fm", "floor_manager"), Actor("cl", "clerk", "1")


def close_and_reopen(tickets: TicketService, clock: FakeClock, closing: str) -> str:
    ticket = tickets.issue(FLOOR, "pin", "self")
    number = ticket["number"]
    tickets.call(CLERK, number)
    if closing == "done":
        tickets.start(CLERK, number)
        tickets.done(CLERK, number)
    elif closing == "noshow":
        tickets.recall(CLERK, number)
        tickets.noshow(CLERK, number)
    else:
        tickets.cancel(CLERK, number, "帰られた")
    clock.advance(seconds=30)
    tickets.reopen(CLERK, number, "操作の誤り")
    return str(ticket["ticket_id"])


@pytest.mark.parametrize(("closing", "back_to"), [("done", "serving"), ("noshow", "called"),
                                                  ("cancel", "called")])  # fmt: skip
def test_madoguchi_rebuild_keeps_a_correction(
    tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str], closing: str,
    back_to: str,
) -> None:  # fmt: skip
    node = site_node(tmp_path, "counter-1", clock, block=0, counter="1")
    ticket_id = close_and_reopen(TicketService(node), clock, closing)
    assert TicketService(node).get(ticket_id)["state"] == back_to
    node.close()
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "counter-1"), "rebuild"]) == 0
    assert "変化なし" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "counter-1"), "--json", "ticket", "show",
                 ticket_id]) == 0  # fmt: skip
    assert f'"state": "{back_to}"' in capsys.readouterr().out


def test_a_pc_catching_up_in_bulk_agrees_on_corrections(tmp_path: Path, clock: FakeClock) -> None:
    counter = site_node(tmp_path, "counter-1", clock, block=0, counter="1")
    reopened = [close_and_reopen(TicketService(counter), clock, c)
                for c in ("done", "noshow", "cancel")]  # fmt: skip
    SyncService(counter).once()
    late = site_node(tmp_path, "admin", clock, block=1, role="admin", staff=False)
    report = SyncService(late, bulk_bytes=0).once()  # back after a long absence: bulk
    assert report.imported > 0 and not late.store.projections_stale
    for ticket_id in reopened:
        assert TicketService(late).get(ticket_id)["state"] in ("serving", "called")
    assert late.store.projection_dump()["tickets"] == counter.store.projection_dump()["tickets"]
    counter.close()
    late.close()
