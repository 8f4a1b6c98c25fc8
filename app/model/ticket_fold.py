"""A ticket's state as a pure function of its events.

Events are folded in the order every node agrees on (HLC, node, seq).  An event that
is not a valid move from the state reached so far (two counters calling the same
ticket while cut off from each other, a counter acting on a ticket another counter
holds) changes nothing and is recorded as a conflict, so every node computes the same
row and the counter that lost can be told.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from app.model.ticket_states import (
    CALLED,
    CANCELLED,
    DONE,
    HELD,
    NOSHOW,
    SERVING,
    TERMINAL,
    TRANSFERRED,
    WAITING,
)
from db.event import Event
from db.hlc import wall_of

ISSUED = "ticket.issued"
#: A correction: undoes the closing move its writer had seen (a no-show marked by
#: mistake, a visitor who comes back). It never undoes a move it had not seen.
REOPENED = "ticket.reopened"
#: The city's double check (シ) asked for a ticket, and a city staff member's sign-off:
#: the visitor stays at the counter, so neither moves the ticket.
CHECK_REQUESTED = "ticket.check_requested"
CHECK_SIGNED = "ticket.check_signed"
#: Facts about a ticket that do not move it (printing, double checks); the fold passes over
#: them.
NOTES = frozenset({"ticket.printed", "ticket.print_failed", CHECK_REQUESTED, CHECK_SIGNED})
#: Fields a reopen restores to what they were before the closing move.
_RESTORED = ("state", "counter", "ended_at", "outcome", "reason", "staff_id", "fee", "outcomes")

#: event type -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "ticket.called": (frozenset({WAITING}), CALLED),
    "ticket.recalled": (frozenset({CALLED}), CALLED),
    "ticket.started": (frozenset({CALLED}), SERVING),
    "ticket.held": (frozenset({CALLED, SERVING}), HELD),
    "ticket.resumed": (frozenset({HELD}), SERVING),
    "ticket.transferred": (frozenset({CALLED, SERVING, HELD}), TRANSFERRED),
    "ticket.done": (frozenset({SERVING}), DONE),
    "ticket.noshow": (frozenset({CALLED}), NOSHOW),
    "ticket.cancelled": (frozenset({WAITING, CALLED, HELD}), CANCELLED),
}

#: Moves only the counter that has the ticket may make.
OWNER_ONLY = frozenset(
    {
        "ticket.recalled",
        "ticket.started",
        "ticket.held",
        "ticket.resumed",
        "ticket.transferred",
        "ticket.done",
        "ticket.noshow",
    }
)

#: The order every node agrees on (same as Event.sort_key, computed in C).
_ORDER = attrgetter("hlc", "node_id", "seq")


class FoldError(Exception):
    """The events do not describe a ticket (no issue event)."""


def refusal(state: str, owner: str | None, event_type: str, counter: str | None) -> str | None:
    """Returns why an event may not apply to a ticket, or None if it may.

    Args:
        state: the ticket's current state.
        owner: the counter that has the ticket (called it), if any.
        event_type: the move, e.g. ``ticket.started``.
        counter: the counter making the move.
    """
    if event_type == REOPENED:
        return (
            None
            if state in (DONE, NOSHOW, CANCELLED)
            else f"{event_type} is not possible from {state}"
        )
    if event_type not in TRANSITIONS:
        return f"unknown move {event_type}"
    allowed_from, _ = TRANSITIONS[event_type]
    if state not in allowed_from:
        return f"{event_type} is not possible from {state}"
    if event_type in OWNER_ONLY and owner is not None and counter != owner:
        return f"the ticket is at counter {owner}"
    return None


def fold(events: Iterable[Event]) -> dict[str, Any]:
    """Returns the ``tickets`` row of one ticket from all of its events.

    Args:
        events: every event with this ticket id, in any order.

    Raises:
        FoldError: there is no ``ticket.issued`` event among them.
    """
    ordered = sorted(events, key=_ORDER)
    issued = next((e for e in ordered if e.type == ISSUED), None)
    if issued is None:
        raise FoldError("ticket has no issue event")
    p = issued.payload
    row: dict[str, Any] = {
        "ticket_id": issued.ticket_id,
        "number": p["number"],
        "lane": p["lane"],
        "block": p["block"],
        "number_seq": p["number_seq"],
        "procedure": p["procedure"],
        "applicant": p["applicant"],
        "day": p["day"],
        "state": WAITING,
        "issued_hlc": issued.hlc,
        "issued_at": wall_of(issued.hlc),
        "issuer_node": issued.node_id,
        "reservation_id": p.get("reservation_id"),
        "slot_start": p.get("slot_start"),
        "priority": 1 if p.get("priority") else 0,
        "priority_reason": p.get("priority_reason"),
        # Every procedure of the visit still to be served with this ticket, and the outcome
        # of each served at it (a done's, or a transfer's for those served before moving on).
        "procedures": list(p.get("procedures") or [p["procedure"]]),
        "outcomes": {},
        "called_at": None,
        "call_count": 0,
        "counter": None,
        "staff_id": issued.staff_id,
        "started_at": None,
        "ended_at": None,
        "outcome": None,
        "fee": None,  # not a column of the tickets table: the reports read it
        "reason": None,
        "transferred_from": p.get("transferred_from"),
        "transferred_to": None,
        "conflicts": [],
        "last_hlc": issued.hlc,
        "event_count": len(ordered),
    }
    closing: tuple[str, dict[str, Any]] | None = None  # the closing move and what it replaced
    for event in ordered:
        if event is issued:
            continue
        row["last_hlc"] = max(row["last_hlc"], event.hlc)
        if event.type == ISSUED:
            row["conflicts"].append({"event": event.id, "type": event.type, "why": "issued twice"})
            continue
        if event.type in NOTES:
            continue
        if event.type == REOPENED:
            why = refusal(row["state"], row["counter"], event.type, event.counter)
            if why is None and closing is not None and closing[0] in event.prev:
                row.update(closing[1])
                row["reopened"] = row.get("reopened", 0) + 1
                closing = None
                continue
            row["conflicts"].append(
                {"event": event.id, "type": event.type, "counter": event.counter,
                 "staff_id": event.staff_id, "winner": row["counter"],
                 "why": why or "the closing move was not seen by the correction"}
            )  # fmt: skip
            continue
        why = refusal(row["state"], row["counter"], event.type, event.counter)
        if why is not None:
            row["conflicts"].append(
                {
                    "event": event.id,
                    "type": event.type,
                    "counter": event.counter,
                    "staff_id": event.staff_id,
                    "winner": row["counter"],
                    "why": why,
                }
            )
            continue
        if TRANSITIONS[event.type][1] in TERMINAL:
            closing = (event.id, {k: row[k] for k in _RESTORED})
        _apply(row, event)
    row.pop("reopened", None)
    return row


def _apply(row: dict[str, Any], event: Event) -> None:
    at = wall_of(event.hlc)
    _, target = TRANSITIONS[event.type]
    row["state"] = target
    row["staff_id"] = event.staff_id
    if event.type == "ticket.called":
        row["called_at"] = at
        row["call_count"] = 1
        row["counter"] = event.counter
    elif event.type == "ticket.recalled":
        row["call_count"] += 1
    elif event.type == "ticket.started" and row["started_at"] is None:
        row["started_at"] = at
    elif event.type == "ticket.transferred":
        row["transferred_to"] = event.payload.get("new_ticket_id")
        row["reason"] = event.payload.get("reason")
        row["outcomes"] = dict(event.payload.get("outcomes") or {})
    elif event.type == "ticket.done":
        row["outcome"] = event.payload.get("outcome")
        row["fee"] = event.payload.get("fee")
        # A ticket of one procedure records only its outcome.
        row["outcomes"] = dict(event.payload.get("outcomes") or {row["procedure"]: row["outcome"]})
    elif event.type == "ticket.cancelled":
        row["reason"] = event.payload.get("reason")
    if target in TERMINAL:
        row["ended_at"] = at


def timings(row: dict[str, Any]) -> dict[str, int | None]:
    """Returns waiting (issue→call), walking (call→start) and service (start→end) ms.

    A reserved visitor who checked in early waits from the start of the slot, not from
    check-in (their wait is the center's only from the time they were promised). Each is
    None while the ticket has not reached the later step.
    """

    def span(a: int | None, b: int | None) -> int | None:
        return None if a is None or b is None else b - a

    service_end = row["ended_at"] if row["state"] in (DONE, TRANSFERRED) else None
    waits_from = row["issued_at"]
    if row["priority"] and row["reservation_id"] and row["slot_start"] is not None:
        waits_from = max(waits_from, row["slot_start"])
    return {
        "waiting_ms": span(waits_from, row["called_at"]),
        "walking_ms": span(row["called_at"], row["started_at"]),
        "service_ms": span(row["started_at"], service_end),
    }
