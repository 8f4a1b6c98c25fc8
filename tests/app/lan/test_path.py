"""The LAN path between PCs on real sockets: moves arrive at once, with the share up or gone,
exactly once, and each PC knows who it hears."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core.actor import Actor
from app.core.node import Node
from app.lan.path import LanPath
from app.queue.tickets import TicketService
from app.reservations.bookings import ReservationService
from app.sync.service import SyncService
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import assert_converged, site_node, sync_rounds

FLOOR = Actor("fm", "floor_manager")
CLERK = Actor("cl", "clerk", "1")


def pump(paths: list[LanPath], until: Callable[[], bool], timeout: float = 5.0) -> float:
    """Serves every path until ``until()`` holds; returns the seconds it took."""
    started = time.monotonic()
    while not until():
        if time.monotonic() - started > timeout:
            raise AssertionError("the LAN did not deliver in time")
        for path in paths:
            path.step(0.002)
    return time.monotonic() - started


@pytest.fixture
def site(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[list[Node], list[LanPath]]]:
    nodes = [site_node(tmp_path, "reception", clock, block=0, role="reception"),
             site_node(tmp_path, "counter-1", clock, block=1, counter="1"),
             site_node(tmp_path, "display", clock, block=3, role="display", staff=False)]  # fmt: skip
    paths = [LanPath(node) for node in nodes]
    assert all(path.open() for path in paths)
    sync_rounds(*nodes)  # each PC announces its address in the registry and reads the others'
    yield nodes, paths
    for path in paths:
        path.close()
    for node in nodes:
        node.close()


def state(node: Node, ticket_id: str) -> str | None:
    row = node.store.row("SELECT state FROM tickets WHERE ticket_id = ?", (ticket_id,))
    return None if row is None else str(row["state"])


def test_moves_reach_every_pc_at_once_with_the_share_up_or_gone(
    tmp_path: Path, site: tuple[list[Node], list[LanPath]]
) -> None:
    (reception, counter, display), paths = site
    ticket = TicketService(reception).issue(FLOOR, "pin", "self")["ticket_id"]
    pump(paths, lambda: state(display, ticket) == "waiting" and state(counter, ticket) == "waiting")
    TicketService(counter).call(CLERK, ticket)
    pump(paths, lambda: state(display, ticket) == "called")
    # The file server goes away: the moves still arrive, by the LAN alone.
    (tmp_path / "share").rename(tmp_path / "share-away")
    assert SyncService(counter).once().offline
    second = TicketService(reception).issue(FLOOR, "certificate", "self")["ticket_id"]
    pump(paths, lambda: state(counter, second) == "waiting")
    TicketService(counter).call(CLERK, second)
    took = pump(paths, lambda: state(display, second) == "called")
    assert took < 1.0
    # The share is back: its copies of the same events are passed over, nothing twice.
    (tmp_path / "share-away").rename(tmp_path / "share")
    sync_rounds(reception, counter, display)
    assert_converged(reception, counter, display)
    for node in (counter, display):
        events = node.store.rows("SELECT node_id, seq FROM events")
        assert len(events) == len({(e["node_id"], e["seq"]) for e in events})
    assert all(path.ignored.total() == 0 for path in paths)


def test_a_reserved_visitor_is_shown_without_the_booking_until_the_share_brings_it(
    tmp_path: Path, site: tuple[list[Node], list[LanPath]]
) -> None:
    (reception, counter, display), paths = site
    ReservationService(reception).book(FLOOR, "R20261124001", OPEN_DAY, "11:00", "issuance",
                                       "self", "ヤマダ ハナコ")  # fmt: skip
    (tmp_path / "share").rename(tmp_path / "share-away")
    issued = TicketService(reception).issue(FLOOR, "issuance", "self",
                                            reservation_id="R20261124001")  # fmt: skip
    ticket = issued["ticket_id"]
    pump(paths, lambda: state(counter, ticket) == "waiting")
    row = counter.store.row("SELECT number, priority, reservation_id FROM tickets")
    assert row == {"number": issued["number"], "priority": 1, "reservation_id": None}
    assert counter.store.rows("SELECT * FROM reservations") == []  # no name on the LAN
    TicketService(counter).call(CLERK, ticket)
    pump(paths, lambda: state(display, ticket) == "called")
    (tmp_path / "share-away").rename(tmp_path / "share")
    sync_rounds(reception, counter, display)
    assert_converged(reception, counter, display)
    assert display.store.row("SELECT reservation_id FROM tickets") == {
        "reservation_id": "R20261124001"
    }
    assert display.store.rows("SELECT * FROM provisional_events") == []


def test_each_pc_knows_who_it_hears_and_writes_only_what_changes(
    site: tuple[list[Node], list[LanPath]],
) -> None:
    (reception, counter, display), paths = site

    def lan_up(node: Node, of: Node) -> object:
        row = node.store.row("SELECT lan_up FROM sync_nodes WHERE node_id = ?",
                             (of.identity.node_id,))  # fmt: skip
        return (row or {}).get("lan_up")

    pump(paths, lambda: lan_up(counter, display) == 1 and lan_up(display, counter) == 1)
    window = Node(counter.data_dir)  # what the counter's window watches
    version = window.data_version()
    started = time.monotonic()
    while time.monotonic() - started < 1.5:  # hellos go on: nothing new to write
        for path in paths:
            path.step(0.01)
    assert window.data_version() == version
    # The board's PC is switched off: the counter knows within five seconds.
    paths[2].close()
    took = pump(paths[:2], lambda: lan_up(counter, display) == 0, timeout=5.0)
    assert took <= 5.0 and lan_up(counter, reception) == 1
    assert window.data_version() != version  # that was news: the window redraws
    window.close()


def test_pcs_whose_addresses_changed_find_each_other_again_through_the_registry(
    site: tuple[list[Node], list[LanPath]],
) -> None:
    (_, counter, display), paths = site

    def hears(node: Node, of: Node) -> bool:
        row = node.store.row("SELECT lan_up FROM sync_nodes WHERE node_id = ?",
                             (of.identity.node_id,))  # fmt: skip
        return row is not None and row["lan_up"] == 1

    pump(paths, lambda: hears(counter, display) and hears(display, counter))
    for path in paths[1:]:  # both PCs start again at new addresses (new ports here)
        path.close()
    moved = [LanPath(counter), LanPath(display)]
    assert all(path.open() for path in moved)
    assert {p.status.port for p in moved}.isdisjoint({p.status.port for p in paths[1:]})
    sync_rounds(counter, display)  # each announces its new address; the other takes it
    pump(moved, lambda: hears(counter, display) and hears(display, counter))
    for path in moved:
        path.close()


def test_sync_status_tells_who_is_heard_on_the_lan(
    site: tuple[list[Node], list[LanPath]], capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli.main import main

    (reception, counter, display), paths = site

    def lan_up(of: Node) -> object:
        row = counter.store.row("SELECT lan_up FROM sync_nodes WHERE node_id = ?",
                                (of.identity.node_id,))  # fmt: skip
        return (row or {}).get("lan_up")

    assert main(["--data-dir", str(counter.data_dir), "sync", "status"]) == 0
    assert "LAN —" in capsys.readouterr().out  # nobody heard yet since the start
    pump(paths, lambda: lan_up(display) == 1 and lan_up(reception) == 1)
    assert main(["--data-dir", str(counter.data_dir), "sync", "status"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["display"].endswith("LAN ○") and lines["reception"].endswith("LAN ○")
