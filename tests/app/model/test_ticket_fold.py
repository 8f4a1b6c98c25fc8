"""A ticket's state is a pure function of its events, whatever order they arrive in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.model.ticket_fold import fold
from db.event import Event

ISSUE = {"number": "A-001", "lane": "general", "block": 0, "number_seq": 1,
         "procedure": "pin", "applicant": "self", "day": "2026-11-24"}  # fmt: skip
MS = 1_795_485_600_000


def ev(node: str, seq: int, at_s: int, type_: str, counter: str | None = None,
       **payload: object) -> Event:  # fmt: skip
    return Event(node_id=node, seq=seq, hlc=(MS + at_s * 1000) << 16, type=type_,
                 staff_id="s", ticket_id="t1", counter=counter,
                 payload=dict(ISSUE) if type_ == "ticket.issued" else dict(payload))  # fmt: skip


# Two counters called the same ticket while cut off; counter 2's call is earlier.
CONFLICT = [
    ev("rec", 1, 0, "ticket.issued"),
    ev("c1", 1, 60, "ticket.called", "1"),
    ev("c1", 2, 70, "ticket.started", "1"),
    ev("c2", 1, 59, "ticket.called", "2"),
    ev("c2", 2, 75, "ticket.started", "2"),
    ev("c2", 3, 900, "ticket.done", "2", outcome="completed"),
]


@given(st.permutations(CONFLICT))
def test_any_delivery_order_gives_the_same_row(order: list[Event]) -> None:
    assert fold(order) == fold(CONFLICT)


def test_concurrent_calls_resolve_by_clock_and_flag_the_loser() -> None:
    row = fold(CONFLICT)
    assert row["counter"] == "2" and row["state"] == "done"
    losers = {(c["counter"], c["type"]) for c in row["conflicts"]}
    assert losers == {("1", "ticket.called"), ("1", "ticket.started")}
    assert all(c["winner"] == "2" for c in row["conflicts"])
    assert row["event_count"] == 6


def test_a_late_duplicate_issue_is_flagged_not_applied() -> None:
    events = [ev("rec", 1, 0, "ticket.issued"), ev("rec", 9, 5, "ticket.issued")]
    row = fold(events)
    assert row["state"] == "waiting" and row["conflicts"][0]["why"] == "issued twice"


def test_times_come_from_the_winning_events() -> None:
    row = fold(CONFLICT)
    assert row["called_at"] - row["issued_at"] == 59_000
    assert row["started_at"] - row["called_at"] == 16_000
    assert row["ended_at"] - row["started_at"] == 825_000


def evp(node: str, seq: int, at_s: int, type_: str, prev: tuple[str, ...] = (),
        counter: str | None = None) -> Event:  # fmt: skip
    base = ev(node, seq, at_s, type_, counter)
    return Event(node_id=base.node_id, seq=base.seq, hlc=base.hlc, type=base.type,
                 staff_id="s", ticket_id="t1", prev=prev, counter=counter,
                 payload=base.payload)  # fmt: skip


# PC "a" cancels; PCs "b" and "c" both saw that. "c" reopens, then cancels again; "b",
# cut off from "c", reopens later — its correction must not undo "c"'s second cancel.
CORRECTIONS = [
    evp("rec", 1, 0, "ticket.issued"),
    evp("a", 1, 10, "ticket.cancelled"),
    evp("c", 1, 20, "ticket.reopened", ("rec:1", "a:1")),
    evp("c", 2, 30, "ticket.cancelled", ("rec:1", "a:1", "c:1")),
    evp("b", 1, 40, "ticket.reopened", ("rec:1", "a:1")),
]


@given(st.permutations(CORRECTIONS))
def test_a_correction_only_overrides_what_it_had_seen(order: list[Event]) -> None:
    row = fold(order)
    assert row["state"] == "cancelled"
    assert [c["event"] for c in row["conflicts"]] == ["b:1"]


def test_a_correction_restores_the_state_before_the_closing_move() -> None:
    events = [
        evp("rec", 1, 0, "ticket.issued"),
        evp("c1", 1, 60, "ticket.called", counter="1"),
        evp("c1", 2, 200, "ticket.noshow", ("rec:1", "c1:1"), counter="1"),
        evp("rec", 2, 300, "ticket.reopened", ("rec:1", "c1:1", "c1:2")),
    ]
    row = fold(events)
    assert (row["state"], row["counter"], row["ended_at"]) == ("called", "1", None)
    assert row["conflicts"] == []
