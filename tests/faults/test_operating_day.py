"""The day's new records converge across PCs that were cut off from each other (the share
renamed away while both write), and each PC's rebuild gives what it holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time
from pathlib import Path

from app.core.actor import Actor
from app.core.node import Node
from app.queue.counter_pauses import CounterPauses
from app.queue.modes import ModeService
from app.queue.tickets import TicketService
from app.reports.figures import figures_for
from app.sync.service import SyncService
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import assert_converged, site_node, sync_rounds


@contextmanager
def share_away(root: Path, *nodes: Node) -> Iterator[None]:
    """The file server is unreachable for everyone while the block runs: each PC works on
    its own (its sync says offline), then the share is back."""
    (root / "share").rename(root / "share-away")
    try:
        yield
        for node in nodes:
            assert SyncService(node).once().offline
    finally:
        (root / "share-away").rename(root / "share")


def site(root: Path, clock: FakeClock) -> tuple[Node, Node]:
    a = site_node(root, "counter-1", clock, block=1, counter="1")
    b = site_node(root, "admin", clock, block=2, role="admin", staff=False)
    sync_rounds(a, b)
    return a, b


def test_counter_pauses_set_on_two_cut_off_pcs_converge(tmp_path: Path, clock: FakeClock) -> None:
    a, b = site(tmp_path, clock)
    with share_away(tmp_path, a, b):
        CounterPauses(a).pause(Actor("cl", "clerk", "1"), "break")
        clock.advance(minutes=1)  # the clerk moved to another PC and paused counter 1 there
        CounterPauses(b).pause(Actor("cl", "clerk", "1"), "double_check")
        CounterPauses(b).pause(Actor("cl2", "clerk", "2"), "paperwork")
        clock.advance(minutes=1)
        CounterPauses(b).resume(Actor("cl2", "clerk", "2"))
    sync_rounds(a, b)
    for node in (a, b):
        paused = CounterPauses(node).all()
        assert {c: p["reason"] for c, p in paused.items()} == {"1": "double_check"}
    assert_converged(a, b)


def test_modes_set_on_two_cut_off_pcs_converge(tmp_path: Path, clock: FakeClock) -> None:
    a, b = site(tmp_path, clock)
    manager = Actor("sm", "site_manager")
    clock.set(OPEN_DAY, time(14, 0))
    with share_away(tmp_path, a, b):
        ModeService(a).start(manager, "jlis", "J-LIS 障害")
        clock.advance(minutes=5)
        ModeService(b).start(manager, "reduced", "計画運休", procedures=("loss",),
                             close_at=time(16, 0))  # fmt: skip
        clock.advance(minutes=55)
        assert ModeService(a).back_to_normal(manager) == 1  # only what this PC knew of
    sync_rounds(a, b)
    for node in (a, b):
        now = ModeService(node).now()
        assert (now.names("ja"), now.names("en")) == ("縮小運転", "Reduced operation")
        assert [(p.kind, p.span()) for p in ModeService(node).periods(OPEN_DAY)] == [
            ("jlis", "14:00〜15:00"), ("reduced", "14:05〜")]  # fmt: skip
        assert ModeService(node).close_ms(OPEN_DAY) is not None
    assert_converged(a, b)


def test_priority_visitors_issued_on_two_cut_off_pcs_are_called_in_the_same_order(
    tmp_path: Path, clock: FakeClock
) -> None:
    a = site_node(tmp_path, "reception-1", clock, block=0, role="reception")
    b = site_node(tmp_path, "reception-2", clock, block=1, role="reception", staff=False)
    sync_rounds(a, b)
    floor = Actor("fm", "floor_manager")
    with share_away(tmp_path, a, b):
        for n in range(4):
            TicketService(a).issue(floor, "pin", "self")
            clock.advance(minutes=2)
            TicketService(b).issue(floor, "pin", "self",
                                   priority_reason=("elderly", None)[n % 2])  # fmt: skip
            clock.advance(minutes=2)
    sync_rounds(a, b)
    orders = [[t["number"] for t in TicketService(n).queue(("general",))] for n in (a, b)]
    assert orders[0] == orders[1] and len(orders[0]) == 8
    # The priority visitor of 11:02 counts as 10:52: ahead of the regular one of 11:00.
    assert orders[0][:2] == ["A-1001", "A-001"]
    assert_converged(a, b)


def test_a_visit_of_several_procedures_moving_across_pcs_converges(
    tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1", staff=False)
    city = site_node(tmp_path, "counter-5", clock, block=2, counter="5", staff=False)
    nodes = (reception, counter, city)
    TicketService(reception).issue(Actor("fm", "floor_manager"), "certificate", "self",
                                   others=("face_auth",))  # fmt: skip
    sync_rounds(*nodes)
    clerk = Actor("cl", "clerk", "1")
    TicketService(counter).call(clerk, "A-001")
    TicketService(counter).start(clerk, "A-001")
    clock.advance(minutes=20)
    moved = TicketService(counter).done(clerk, "A-001", outcomes={"certificate": "completed"})
    sync_rounds(*nodes)
    staff = Actor("city", "city_staff", "5")
    called = TicketService(city).call(staff, "A-001")
    assert called["ticket_id"] == moved["ticket_id"]
    TicketService(city).start(staff, called["ticket_id"])
    clock.advance(minutes=10)
    TicketService(city).done(staff, called["ticket_id"], "deferred")
    sync_rounds(*nodes)
    clock.set(OPEN_DAY, time(21, 0))
    for node in nodes:
        figures = figures_for(node, OPEN_DAY.isoformat())
        assert (figures.count("visits"), figures.count("procedures")) == (1, 2)
        assert (figures.count("served"), figures.count("deferred")) == (1, 1)
    assert_converged(*nodes)
