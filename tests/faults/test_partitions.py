"""Property: whatever the partitions, delivery order and duplicated segments, all nodes
end with identical projections, no display number repeats, and no event is lost."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.core.actor import SYSTEM, Actor, AuthError
from app.core.staff import StaffService
from app.model.clock import JST
from app.queue.closures import ClosureService
from app.queue.tickets import TicketError, TicketService
from app.sync.service import SyncService
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import site_node

PROCEDURES = ("pin", "certificate", "loss", "face_auth")

step = st.one_of(
    st.tuples(st.just("issue"), st.integers(0, 5), st.sampled_from(PROCEDURES)),
    st.tuples(st.just("call"), st.integers(0, 5), st.none()),
    st.tuples(st.sampled_from(["start", "done", "noshow", "hold"]), st.integers(0, 5), st.none()),
    st.tuples(st.just("sync"), st.sets(st.integers(0, 5), min_size=1), st.none()),
    st.tuples(st.just("dup"), st.integers(0, 5), st.none()),
    st.tuples(st.just("signin"), st.integers(0, 5), st.none()),
    st.tuples(st.just("closure"), st.integers(0, 5), st.integers(0, 3)),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])  # fmt: skip
@example(  # equal clocks on two PCs: the tie is broken by node id, not by arrival
    n=4,
    skews=[0, 0, 0, -7, 0, 0],
    steps=[("issue", 0, "pin"), ("issue", 0, "pin"), ("sync", {0, 1, 3}, None),
           ("signin", 0, None), ("signin", 3, None)],
)  # fmt: skip
@given(
    n=st.integers(3, 6),
    skews=st.lists(st.integers(-3600, 3600), min_size=6, max_size=6),
    steps=st.lists(step, min_size=5, max_size=30),
)
def test_random_partitions_converge(
    tmp_path_factory: object, n: int, skews: list[int], steps: list[tuple[str, object, object]]
) -> None:
    root = tmp_path_factory.mktemp("site")  # type: ignore[attr-defined]
    # Noon: an hour of skew either way stays inside the reception hours.
    base = datetime.combine(OPEN_DAY, time(12, 0), tzinfo=JST)
    clocks = []
    for i in range(n):
        c = FakeClock(base)
        c.ms += skews[i] * 1000
        clocks.append(c)
    nodes = [site_node(root, f"n{i}", clocks[i], block=i, counter=str(i + 1), staff=(i == 0))
             for i in range(n)]  # fmt: skip
    services = [SyncService(node) for node in nodes]
    floor = Actor("fm", "floor_manager")
    acknowledged: set[tuple[str, int]] = set()
    copies = 0
    for kind, who, what in steps:
        for c in clocks:
            c.advance(seconds=7)
        if kind == "sync":
            for i in sorted(w for w in who if w < n):  # type: ignore[attr-defined]
                services[i].once()
            continue
        i = int(who) % n  # type: ignore[call-overload]
        tickets = TicketService(nodes[i])
        clerk = Actor("cl", "clerk", str(i + 1))
        try:
            if kind == "issue":
                tickets.issue(floor, str(what), "self")
            elif kind == "call":
                tickets.call_next(clerk, ("general", "city"))
            elif kind == "signin":
                StaffService(nodes[i]).sign_in("cl", "2222", str(i + 1))
            elif kind == "closure":
                day = date(2026, 12, 4) + timedelta(days=7 * int(what))  # type: ignore[call-overload]
                closures = ClosureService(nodes[i])
                if any(r["day"] == day.isoformat() for r in closures.all()):
                    closures.remove(SYSTEM, day)
                else:
                    closures.add(SYSTEM, day, f"臨時閉庁 {i}")
            elif kind == "dup":
                segments = sorted(
                    root.glob(f"share/**/nodes/{nodes[i].identity.node_id}/seg-*.log")
                )
                if segments:
                    copies += 1
                    shutil.copy(
                        segments[-1], segments[-1].with_name(f"seg-999999999-dup-{copies}.log")
                    )
            else:
                mine = [t for t in tickets.tickets() if t["counter"] == str(i + 1)
                        and t["state"] in ("called", "serving")]  # fmt: skip
                if mine:
                    getattr(tickets, kind)(clerk, mine[-1]["ticket_id"])
        except (TicketError, AuthError):
            pass  # a move the local view already refuses
        acknowledged |= {(e.node_id, e.seq) for e in nodes[i].store.events()
                         if e.node_id == nodes[i].identity.node_id}  # fmt: skip
    for _ in range(3):
        for service in services:
            assert not service.once().offline
    dumps = [node.store.projection_dump() for node in nodes]
    assert all(d == dumps[0] for d in dumps)
    for node in nodes:
        ids = {(e.node_id, e.seq) for e in node.store.events()}
        assert acknowledged <= ids
    numbers = [t[1] for t in dumps[0]["tickets"]]
    assert len(numbers) == len(set(numbers))
    for node in nodes:
        node.close()
