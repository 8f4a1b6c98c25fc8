"""Late events refold only their entity, and any order of arrival gives the rebuild's rows."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.model.projection import Projection
from db.event import Event
from db.hlc import HybridClock
from db.store import Store

NODES = ("na", "nb", "nc", "nd")
DAY = "2026-11-24"
T0 = 1_795_000_000_000


def events_of(choices: list[tuple[int, int, int]]) -> list[Event]:
    """Builds order-dependent events of a few staff, reservations, closures, pauses and Q&A
    entries, written by four nodes at increasing clocks."""
    seqs = dict.fromkeys(NODES, 0)
    made = []
    for n, (kind, target, node) in enumerate(choices):
        writer = NODES[node % len(NODES)]
        seqs[writer] += 1
        hlc = (T0 + n * 1000) << 16
        staff = f"s{target % 3}"
        reservation = f"R{target % 4:04d}"
        options = [
            ("staff.added", staff, {"staff_id": staff, "name": f"職員{target}", "role": "clerk",
                                    "pin_hash": f"h{n}"}),
            ("staff.signed_in", staff, {}), ("staff.signed_out", staff, {}),
            ("staff.signin_failed", staff, {"lockout_attempts": 3, "lockout_ms": 60_000}),
            ("staff.deactivated", "sm", {"staff_id": staff}),
            ("staff.pin_changed", "sm", {"staff_id": staff, "pin_hash": f"p{n}"}),
            ("reservation.booked", "fm", {"reservation_id": reservation, "day": DAY,
                                          "slot": f"1{target % 3}:00", "procedure": "issuance",
                                          "applicant": "self", "name_kana": f"カナ{target}"}),
            ("reservation.cancelled", "fm", {"reservation_id": reservation}),
            ("reservation.noshow", "system", {"reservation_id": reservation}),
            ("closure.added", "sm", {"day": f"2026-12-0{1 + target % 2}", "reason": f"保守{n}"}),
            ("closure.removed", "sm", {"day": f"2026-12-0{1 + target % 2}"}),
            ("procedure.paused", "sm", {"procedure": "pin", "reason": f"J-LIS {n}"}),
            ("procedure.resumed", "sm", {"procedure": "pin"}),
            ("qa.added", "sm", {"qa_id": f"q{target % 2}", "category": "other",
                                "question": f"質問{n}", "answer": f"回答{n}"}),
            ("qa.edited", "sm", {"qa_id": f"q{target % 2}", "answer": f"直した回答{n}"}),
            ("qa.retired", "sm", {"qa_id": f"q{target % 2}"}),
        ]  # fmt: skip
        type_, staff_id, payload = options[kind % len(options)]
        made.append(Event(writer, seqs[writer], hlc, type_, staff_id, None, (), f"{node}",
                          payload))  # fmt: skip
    return made


def store_at(folder: Path) -> Store:
    store = Store(folder / "node.sqlite3", Projection(), HybridClock(lambda: T0))
    store.set_meta("node_id", "nlocal")
    return store


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(0, 11), st.integers(0, 3)),
                min_size=1, max_size=40),
       st.integers(0, 2**32), st.integers(1, 6))  # fmt: skip
def test_any_order_of_arrival_gives_the_rebuilds_rows(
    tmp_path_factory: object, choices: list[tuple[int, int, int]], seed: int, batches: int
) -> None:
    import tempfile

    events = events_of(choices)
    arrival = list(events)
    random.Random(seed).shuffle(arrival)
    with tempfile.TemporaryDirectory() as tmp:
        store = store_at(Path(tmp))
        size = max(1, len(arrival) // batches)
        for n, start in enumerate(range(0, len(arrival), size)):
            store.apply_remote(arrival[start : start + size],
                               (f"f{n}", "x", 0, None, None, 0, 0))  # fmt: skip
        live = store.projection_dump()
        store.rebuild()
        assert store.projection_dump() == live
        store.close()


def test_a_late_sign_in_replays_one_staff_member_not_the_log(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    events = events_of([(0, 0, 0), (0, 1, 1), (1, 0, 0), (1, 1, 1), (2, 1, 1)])
    late, rest = events[2], [e for e in events if e is not events[2]]
    store.apply_remote(rest, ("a", "x", 0, None, None, 0, 0))
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    store.apply_remote([late], ("b", "x", 0, None, None, 0, 0))
    store.conn.set_trace_callback(None)
    replayed = [
        s for s in seen if s.startswith("UPDATE staff") or s.startswith("INSERT INTO staff")
    ]
    assert replayed and all("'s0'" in s for s in replayed)  # only s0's rows were touched
    assert not any("DELETE FROM reservations" in s or "DELETE FROM closures" in s for s in seen)
    live = store.projection_dump()
    store.rebuild()
    assert store.projection_dump() == live


def ticket_events(ticket: str = "nr-1") -> tuple[Event, Event]:
    """The issue of a ticket at reception (nr) and its call at counter 1 (nc)."""
    issued = Event("nr", 1, T0 << 16, "ticket.issued", "fm", ticket, (), None,
                   {"number": "A-001", "lane": "general", "block": 0, "number_seq": 1,
                    "procedure": "pin", "applicant": "self", "day": DAY})  # fmt: skip
    called = Event("nc", 1, (T0 + 5000) << 16, "ticket.called", "cl", ticket, ("nr:1",), "1")
    return issued, called


def test_a_call_read_before_its_issue_waits_for_it_in_a_rebuild_too(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    issued, called = ticket_events()
    store.apply_remote([called], ("c", "nc", 0, None, None, 0, 0))  # the counter's file first
    assert store.rows("SELECT * FROM tickets") == []
    store.rebuild()  # a rebuild now (a catch-up cut short) must not fail on it
    assert store.rows("SELECT * FROM tickets") == []
    store.apply_remote([issued], ("r", "nr", 0, None, None, 0, 0))
    row = store.row("SELECT state, counter FROM tickets")
    assert row == {"state": "called", "counter": "1"}
    live = store.projection_dump()
    store.rebuild()
    assert store.projection_dump() == live
    store.close()


def reserved_ticket() -> list[Event]:
    """A reserved visitor's ticket: issued at reception (nr), called, recalled, started and
    done at counter 1 (nc)."""
    issued = Event("nr", 1, T0 << 16, "ticket.issued", "fm", "nr-1", (), None,
                   {"number": "K-001", "lane": "reserved", "block": 0, "number_seq": 1,
                    "procedure": "issuance", "applicant": "self", "day": DAY,
                    "reservation_id": "R20261124001", "slot": "11:00", "slot_start": T0,
                    "priority": True, "late": False})  # fmt: skip
    moves = ["ticket.called", "ticket.recalled", "ticket.started", "ticket.done"]
    return [issued] + [
        Event("nc", n + 1, (T0 + (n + 1) * 5000) << 16, move, "cl", "nr-1", ("nr:1",), "1",
              {"outcome": "completed"} if move == "ticket.done" else {})
        for n, move in enumerate(moves)
    ]  # fmt: skip


def withheld(event: Event) -> Event:
    """The issue event as the LAN carries it: without the reservation number."""
    payload = {k: v for k, v in event.payload.items() if k != "reservation_id"}
    return event._replace(payload=payload)


def test_a_provisional_issue_shows_the_ticket_until_the_issue_itself_arrives(
    tmp_path: Path,
) -> None:
    store = store_at(tmp_path)
    issued, called, *_ = reserved_ticket()
    store.apply_remote([called], None, provisional=[withheld(issued)])
    row = store.row("SELECT number, state, counter, priority, reservation_id FROM tickets")
    assert row == {"number": "K-001", "state": "called", "counter": "1", "priority": 1,
                   "reservation_id": None}  # fmt: skip
    live = store.projection_dump()
    store.rebuild()
    assert store.projection_dump() == live
    # The issue itself arrives through the share: it takes the provisional one's place.
    assert store.apply_remote([issued], ("r", "nr", 0, None, None, 0, 0)) == (1, 0)
    assert store.row("SELECT reservation_id FROM tickets") == {"reservation_id": "R20261124001"}
    assert store.rows("SELECT * FROM provisional_events") == []
    # A provisional copy that comes late (a LAN packet delayed) changes nothing.
    assert store.apply_remote([], None, provisional=[withheld(issued)]) == (0, 0)
    assert store.rows("SELECT * FROM provisional_events") == []
    live = store.projection_dump()
    store.rebuild()
    assert store.projection_dump() == live
    store.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 4), st.booleans(), st.booleans()), max_size=25),
       st.integers(0, 2**32))  # fmt: skip
def test_any_mix_of_share_and_lan_deliveries_converges_to_the_logs_rows(
    tmp_path_factory: object, deliveries: list[tuple[int, bool, bool]], seed: int
) -> None:
    """Each delivery is one of the ticket's events, by the share (whole) or by the LAN
    (the issue provisional), possibly again; whatever arrived, rebuild == live; once
    the share has delivered everything, every PC has the rows of the whole log."""
    import tempfile

    events = reserved_ticket()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a").mkdir()
        (Path(tmp) / "b").mkdir()
        store = store_at(Path(tmp) / "a")
        for index, by_lan, rebuild in deliveries:
            event = events[index]
            if by_lan and event.type == "ticket.issued":
                store.apply_remote([], None, provisional=[withheld(event)])
            else:
                store.apply_remote([event], None if by_lan else ("f", "x", 0, None, None, 0, 0))
            live = store.projection_dump()
            if rebuild:
                store.rebuild()
                assert store.projection_dump() == live
        rest = list(events)
        random.Random(seed).shuffle(rest)
        store.apply_remote(rest, ("g", "x", 0, None, None, 0, 0))  # the share is back
        whole = store_at(Path(tmp) / "b")
        whole.apply_remote(events, ("h", "x", 0, None, None, 0, 0))
        assert store.projection_dump() == whole.projection_dump()
        assert store.rows("SELECT * FROM provisional_events") == []
        store.close()
        whole.close()
