"""The facts of a period, read from the event log (see :mod:`app.reports.figures`). No Qt.

Tickets are folded from their own events with :func:`app.model.ticket_fold.fold`; the ``tickets``
projection is never read, so a figure is always what the events say. Reservation numbers stay
inside these facts (to match check-ins); nothing here is meant for export as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from app.model.clock import to_datetime, to_ms
from app.model.records_projection import COUNTER_PAUSED, COUNTER_RESUMED
from app.model.ticket_fold import ISSUED, REOPENED, fold, timings
from app.queue.checks import Check, pair_checks
from db.event import Event
from db.hlc import pack, wall_of

if TYPE_CHECKING:
    from app.core.node import Node

TURNED_BACK = "visit.turned_back"
INCIDENT = "incident.recorded"
_STAFF_TYPES = ("staff.signed_in", "staff.signed_out")


@dataclass(frozen=True)
class TicketFact:
    """One ticket as its events tell it.

    ``wait_ms`` runs from issue to call, but for a reserved visitor with priority from the
    later of check-in and the slot start: arriving early is not waiting for the center.
    """

    ticket_id: str
    number: str
    day: date
    hour: int
    issued_ms: int
    procedure: str
    applicant: str
    lane: str
    operator: str
    counter: str | None
    state: str
    outcome: str | None
    transfer: bool
    reserved: bool
    priority: bool
    wait_ms: int | None
    walk_ms: int | None
    service_ms: int | None
    conflicts: int
    event_ids: tuple[str, ...]
    reservation_id: str | None
    fee: str | None = None
    checks: tuple[Check, ...] = ()
    #: A priority visitor's reason (優先), or None.
    priority_reason: str | None = None
    #: Every procedure the ticket stood for, and the outcome of each served at it.
    procedures: tuple[str, ...] = ()
    outcomes: tuple[tuple[str, str], ...] = ()
    transferred_to: str | None = None


@dataclass(frozen=True)
class ProcedureFact:
    """One procedure of one visit, counted once: where it was served and how it ended.

    A visit is its first ticket and the tickets it was transferred to; ``day`` and
    ``hour`` are the visit's (its first ticket's issue), the counter, lane and operator
    those of the ticket that served the procedure (the first ticket's lane if none did).
    """

    visit_id: str
    ticket_id: str
    number: str
    day: date
    hour: int
    procedure: str
    applicant: str
    lane: str
    operator: str
    counter: str | None
    reserved: bool
    outcome: str | None
    event_ids: tuple[str, ...]


@dataclass(frozen=True)
class TurnedBack:
    """A visit turned back at reception for missing documents (no ticket)."""

    event_id: str
    day: date
    hour: int
    procedure: str
    applicant: str
    lane: str
    operator: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class ReservationFact:
    """A reservation of a day in the period, as its last booking left it."""

    reservation_id: str
    day: date
    hour: int
    slot: str
    procedure: str
    applicant: str
    lane: str
    operator: str
    cancelled: bool
    ticket_id: str | None
    counter: str | None
    late: bool
    noshow: bool
    event_ids: tuple[str, ...]


@dataclass(frozen=True)
class Shift:
    """A staff member signed in at a counter from ``start_ms`` to ``end_ms`` (None: still)."""

    staff_id: str
    counter: str | None
    day: date
    start_ms: int
    end_ms: int | None
    event_ids: tuple[str, ...]


@dataclass(frozen=True)
class CounterPause:
    """A counter paused from ``start_ms`` to ``end_ms`` for a reason (休憩 …).

    A pause ends when the counter resumes, is paused again for another reason, or at the
    end of the day's staff hours (midnight on a closed day), whichever comes first.
    """

    counter: str
    reason: str
    day: date
    start_ms: int
    end_ms: int
    staff_id: str
    event_ids: tuple[str, ...]

    @property
    def minutes(self) -> float:
        """Returns how long the counter was paused."""
        return (self.end_ms - self.start_ms) / 60_000


@dataclass(frozen=True)
class Incident:
    """A security incident the site manager recorded."""

    event_id: str
    day: date
    at_ms: int
    staff_id: str
    summary: str


@dataclass(frozen=True)
class Facts:
    """Everything the figures of a period are made of."""

    first: date
    last: date
    tickets: tuple[TicketFact, ...]
    turned_back: tuple[TurnedBack, ...]
    reservations: tuple[ReservationFact, ...]
    shifts: tuple[Shift, ...]
    incidents: tuple[Incident, ...]
    as_of_ms: int
    pauses: tuple[CounterPause, ...] = ()
    procedures: tuple[ProcedureFact, ...] = ()


def _bounds(first: date, last: date) -> tuple[int, int]:
    return pack(to_ms(first, time(0))), pack(to_ms(last + timedelta(days=1), time(0)))


def _ticket(events: list[Event], operators: dict[str, str]) -> TicketFact:
    row = fold(events)
    spans = timings(row)
    wait = spans["waiting_ms"]
    if wait is not None and row["priority"] and row["slot_start"]:
        wait = max(0, row["called_at"] - max(row["issued_at"], row["slot_start"]))
    return TicketFact(
        ticket_id=row["ticket_id"], number=row["number"], day=date.fromisoformat(row["day"]),
        hour=to_datetime(row["issued_at"]).hour, issued_ms=row["issued_at"],
        procedure=row["procedure"],
        applicant=row["applicant"], lane=row["lane"],
        operator=operators.get(row["lane"], "unknown"), counter=row["counter"],
        state=row["state"], outcome=row["outcome"], transfer=bool(row["transferred_from"]),
        reserved=row["reservation_id"] is not None, priority=bool(row["priority"]),
        wait_ms=wait, walk_ms=spans["walking_ms"], service_ms=spans["service_ms"],
        conflicts=len(row["conflicts"]), event_ids=tuple(e.id for e in sorted(events, key=Event.sort_key)),
        reservation_id=row["reservation_id"], fee=row["fee"], checks=tuple(pair_checks(events)),
        priority_reason=row["priority_reason"], procedures=tuple(row["procedures"]),
        outcomes=tuple(sorted(row["outcomes"].items())), transferred_to=row["transferred_to"],
    )  # fmt: skip


#: Ticket moves whose payload the fold reads; only these payloads are decoded.
_PAYLOAD_READ = frozenset({ISSUED, "ticket.transferred", "ticket.done", "ticket.cancelled"})
_TICKET_EVENTS = (
    "SELECT ticket_id, node_id, seq, hlc, type, staff_id, counter, prev, payload FROM events "
    "WHERE ticket_id IN (SELECT ticket_id FROM events WHERE type = ? AND hlc >= ? AND hlc < ?)"
)


def _tickets(node: Node, low: int, high: int, operators: dict[str, str]) -> list[TicketFact]:
    """Folds every ticket issued in the period from all of its events.

    The events are read straight from the log, decoding only what the fold uses (the
    payloads of the moves above, ``prev`` of corrections): the same events as
    :meth:`db.store.Store.events` gives, at a fraction of the cost.
    """
    grouped: dict[str, list[Event]] = {}
    cursor = node.store.conn.execute(_TICKET_EVENTS, (ISSUED, low, high))
    for ticket_id, node_id, seq, hlc, type_, staff_id, counter, prev, payload in cursor:
        event = Event(
            node_id=node_id, seq=seq, hlc=hlc, type=type_, staff_id=staff_id,
            ticket_id=ticket_id, counter=counter,
            prev=tuple(json.loads(prev)) if type_ == REOPENED else (),
            payload=json.loads(payload) if type_ in _PAYLOAD_READ else {},
        )  # fmt: skip
        grouped.setdefault(ticket_id, []).append(event)
    return [_ticket(events, operators) for events in grouped.values()]


def _reservations(
    node: Node, first: date, last: date, tickets: list[TicketFact], as_of: int
) -> list[ReservationFact]:
    catalog = node.catalog
    rules = node.settings.reservations
    by_id: dict[str, list[Event]] = {}
    for event in node.store.events(
        "type IN ('reservation.booked', 'reservation.cancelled', 'reservation.noshow') AND "
        "json_extract(payload, '$.reservation_id') IN (SELECT json_extract(payload, "
        "'$.reservation_id') FROM events WHERE type = 'reservation.booked' "
        "AND json_extract(payload, '$.day') BETWEEN ? AND ?)",
        (first.isoformat(), last.isoformat()),
    ):
        by_id.setdefault(event.payload["reservation_id"], []).append(event)
    checked: dict[str, TicketFact] = {}
    for t in tickets:  # in issue order: the first ticket of a reservation is its check-in
        if t.reservation_id is not None:
            checked.setdefault(t.reservation_id, t)
    facts: list[ReservationFact] = []
    for reservation_id, events in by_id.items():
        booked = [e for e in events if e.type == "reservation.booked"][-1].payload
        day = date.fromisoformat(booked["day"])
        if not first <= day <= last:
            continue  # moved to a day outside the period by a later booking
        ticket = checked.get(reservation_id)
        moves = [e.type for e in events if e.type != "reservation.noshow"]
        cancelled = ticket is None and moves[-1] == "reservation.cancelled"
        swept = any(e.type == "reservation.noshow" for e in events)
        hour, minute = (int(x) for x in booked["slot"].split(":"))
        gone = (
            to_ms(day, time(hour, minute))
            + (rules.slot_minutes + rules.late_grace_minutes) * 60_000
        )
        lane = catalog.lanes.get(
            catalog.procedures[booked["procedure"]].route.get(booked["applicant"], "")
        )
        facts.append(ReservationFact(
            reservation_id=reservation_id, day=day, hour=hour, slot=booked["slot"],
            procedure=booked["procedure"], applicant=booked["applicant"],
            lane=lane.id if lane else "", operator=lane.operator if lane else "unknown",
            cancelled=cancelled, ticket_id=ticket.ticket_id if ticket else None,
            counter=ticket.counter if ticket else None,
            late=ticket is not None and not ticket.priority,
            noshow=ticket is None and not cancelled and (swept or gone < as_of),
            event_ids=tuple(e.id for e in events) + (ticket.event_ids[:1] if ticket else ()),
        ))  # fmt: skip
    return sorted(facts, key=lambda r: (r.day, r.slot, r.event_ids[0]))


def _procedures(tickets: list[TicketFact]) -> list[ProcedureFact]:
    """Each procedure of each visit once, found where along the visit it was served."""
    by_id = {t.ticket_id: t for t in tickets}
    found: list[ProcedureFact] = []
    for first in tickets:
        if first.transfer:
            continue
        chain = [first]
        while chain[-1].transferred_to in by_id and len(chain) < 20:
            chain.append(by_id[str(chain[-1].transferred_to)])
        for code in first.procedures or (first.procedure,):
            served = next((t for t in chain if code in dict(t.outcomes)), None)
            at = served or first
            found.append(ProcedureFact(
                visit_id=first.ticket_id, ticket_id=at.ticket_id, number=first.number,
                day=first.day, hour=first.hour, procedure=code, applicant=first.applicant,
                lane=at.lane, operator=at.operator, counter=at.counter, reserved=first.reserved,
                outcome=dict(at.outcomes).get(code) if served else None,
                event_ids=tuple(e for t in chain for e in t.event_ids),
            ))  # fmt: skip
    return found


def _pauses(node: Node, low: int, high: int, as_of: int) -> list[CounterPause]:
    """Pairs each counter's pauses with what ended them (see :class:`CounterPause`)."""
    calendar = node.calendar()
    found: list[CounterPause] = []
    open_: dict[str, tuple[Event, int]] = {}

    def end_of(day: date) -> int:
        hours = calendar.hours(day)
        end = to_ms(day, hours.staff_end) if hours else to_ms(day + timedelta(days=1), time(0))
        return min(end, as_of)

    def close(counter: str, at: int, by: Event | None) -> None:
        began, start = open_.pop(counter)
        day = to_datetime(start).date()
        end = min(at, end_of(day))
        if end > start:
            ids = (began.id,) if by is None else (began.id, by.id)
            found.append(CounterPause(counter, str(began.payload.get("reason", "")), day,
                                      start, end, began.staff_id, ids))  # fmt: skip

    for event in node.store.events(
        "ticket_id IS NULL AND hlc >= ? AND hlc < ? AND type IN (?, ?)",
        (low, high, COUNTER_PAUSED, COUNTER_RESUMED),
    ):
        counter = str(event.payload.get("counter", ""))
        at = wall_of(event.hlc)
        if counter in open_:
            close(counter, at, event)
        if event.type == COUNTER_PAUSED:
            open_[counter] = (event, at)
    for counter in list(open_):
        close(counter, as_of, None)
    found.sort(key=lambda p: (p.start_ms, p.counter))
    return found


def load_facts(node: Node, first: date, last: date) -> Facts:
    """Reads the facts of the days ``first`` to ``last`` from a node's events.

    Args:
        node: the node whose event log is read.
        first: the first day.
        last: the last day, inclusive.

    Returns:
        Tickets issued in the period (folded from all their events), turned-back visits,
        reservations of its days, staff shifts, counter pauses and recorded incidents. A reservation counts
        as a no-show once its slot and the grace time have passed by the latest of the
        node's clock and its newest event (a simulated site lies in the future).
    """
    low, high = _bounds(first, last)
    operators = {lane.id: lane.operator for lane in node.catalog.lanes.values()}
    newest = node.store.row("SELECT max(hlc) AS h FROM events")
    as_of = max(node.now_ms(), wall_of(newest["h"]) if newest and newest["h"] else 0)
    tickets = _tickets(node, low, high, operators)
    tickets.sort(key=lambda t: (t.issued_ms, t.ticket_id))
    turned: list[TurnedBack] = []
    shifts: list[Shift] = []
    incidents: list[Incident] = []
    open_shifts: dict[tuple[str, str], tuple[Event, int]] = {}
    for event in node.store.events(
        "ticket_id IS NULL AND hlc >= ? AND hlc < ? AND type IN (?, ?, ?, ?)",
        (low, high, TURNED_BACK, INCIDENT, *_STAFF_TYPES),
    ):
        at = wall_of(event.hlc)
        day = to_datetime(at).date()
        if event.type == TURNED_BACK:
            p = event.payload
            proc = node.catalog.procedures.get(p["procedure"])
            lane_id = proc.route.get(p["applicant"], "") if proc else ""
            turned.append(TurnedBack(event.id, day, to_datetime(at).hour, p["procedure"],
                                     p["applicant"], lane_id, operators.get(lane_id, "unknown"),
                                     tuple(p.get("missing", ()))))  # fmt: skip
        elif event.type == INCIDENT:
            incidents.append(Incident(event.id, day, at, event.staff_id, str(event.payload.get("summary", ""))))  # fmt: skip
        else:
            key = (event.staff_id, event.node_id)
            if key in open_shifts:  # signed in again without signing out: the shift ends
                began, start = open_shifts.pop(key)
                shifts.append(Shift(began.staff_id, began.counter, to_datetime(start).date(),
                                    start, at, (began.id, event.id)))  # fmt: skip
            if event.type == "staff.signed_in":
                open_shifts[key] = (event, at)
    for began, start in open_shifts.values():
        shifts.append(Shift(began.staff_id, began.counter, to_datetime(start).date(), start,
                            None, (began.id,)))  # fmt: skip
    shifts.sort(key=lambda s: (s.start_ms, s.staff_id))
    return Facts(
        first=first, last=last, tickets=tuple(tickets), turned_back=tuple(turned),
        reservations=tuple(_reservations(node, first, last, tickets, as_of)),
        shifts=tuple(shifts), incidents=tuple(incidents), as_of_ms=as_of,
        pauses=tuple(_pauses(node, low, high, as_of)), procedures=tuple(_procedures(tickets)),
    )  # fmt: skip
