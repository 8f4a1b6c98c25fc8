"""Projection of events into the tables the screens and reports read.

Every table here is a function of the event log: :meth:`Projection.rebuild` on an
empty database gives the same rows as applying the events one by one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from app.model.qa_projection import HANDLERS as QA_HANDLERS
from app.model.qa_projection import QA_EVENTS
from app.model.records_projection import HANDLERS as RECORDS_HANDLERS
from app.model.ticket_fold import REOPENED, FoldError, fold
from db.event import COLUMNS, NO_PAYLOAD, Event
from db.hlc import wall_of

TICKET_COLUMNS = (
    "ticket_id", "number", "lane", "block", "number_seq", "procedure", "applicant", "day",
    "state", "issued_hlc", "issued_at", "issuer_node", "reservation_id", "slot_start",
    "priority", "called_at", "call_count", "counter", "staff_id", "started_at", "ended_at",
    "outcome", "reason", "transferred_from", "transferred_to", "conflicts", "last_hlc",
    "event_count", "priority_reason", "procedures", "outcomes",
)  # fmt: skip
_TICKET_SQL = (
    f"INSERT OR REPLACE INTO tickets ({', '.join(TICKET_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in TICKET_COLUMNS)})"
)


def _ticket_values(row: dict[str, Any]) -> tuple[Any, ...]:
    conflicts = row["conflicts"]
    row["conflicts"] = (
        json.dumps(conflicts, ensure_ascii=False, sort_keys=True) if conflicts else "[]"
    )
    row["procedures"] = json.dumps(row["procedures"])
    row["outcomes"] = json.dumps(row["outcomes"], sort_keys=True)
    return tuple(row[c] for c in TICKET_COLUMNS)


class Projection:
    """The madoguchi projector (see :class:`db.store.Projector`).

    Ticket rows are folded from all of their events, so the order of arrival never matters
    for them. The other projections depend on the order of their events only within one
    *entity* — a staff member, a reservation, a day's closure, a paused procedure, a Q&A
    entry (:data:`ENTITIES`). Every such event is indexed by its entity
    (``entity_events``); one that arrives older than the newest event already applied to
    its entity refolds that entity alone: its rows are cleared and its events replayed in
    order. The cost of a late event is bounded by its entity, never by the log.
    """

    def apply(self, conn: sqlite3.Connection, event: Event) -> None:
        """Updates the projections for one new event of this node."""
        self.apply_remote(conn, [event])

    def apply_remote(self, conn: sqlite3.Connection, events: list[Event]) -> None:
        """Updates the projections for new events (in the global order).

        An event of this node is normally the newest of its entity, but a remote clock far
        ahead (accepted, but not followed further than a few minutes) can make it older:
        every event is placed by the same rule.
        """
        tickets: set[str] = set()
        refold: dict[str, None] = {}
        for event in events:
            if event.ticket_id is not None:
                tickets.add(event.ticket_id)
                continue
            key = entity_of(event)
            if key is not None:
                newest = conn.execute(
                    "SELECT hlc, node_id, seq FROM entity_events WHERE entity = ? "
                    "ORDER BY hlc DESC, node_id DESC, seq DESC LIMIT 1",
                    (key,),
                ).fetchone()
                _index(conn, key, event)
                if key in refold or (newest is not None and event.sort_key() < tuple(newest)):
                    refold[key] = None  # older than what was applied: replay its entity
                    continue
                if key.startswith("signs:"):
                    # Its effect depends on the member's profile too (added yet or not):
                    # their sign state is recomputed, from their last sign-in on.
                    refold[key] = None
                    continue
            handler = _HANDLERS.get(event.type)
            if handler is not None:
                handler(conn, event)
            if key is not None and key.startswith("staff:"):
                _refold_signs(conn, key[6:])  # its failures may start anew before later ones
        for key in refold:
            _refold_entity(conn, key)
        for ticket_id in sorted(tickets):
            self._refold(conn, ticket_id)

    def _refold(self, conn: sqlite3.Connection, ticket_id: str) -> None:
        cur = conn.execute(f"SELECT {COLUMNS} FROM events WHERE ticket_id = ?", (ticket_id,))
        events = [Event.from_row(r) for r in cur]
        cur = conn.execute(f"SELECT {COLUMNS} FROM provisional_events WHERE ticket_id = ?",
                           (ticket_id,))  # fmt: skip
        provisional = [Event.from_row(r) for r in cur]
        if provisional:
            whole = len(events)
            events = _with_provisional(events, provisional)
            if len(events) - whole < len(provisional):  # some have arrived whole: forget them
                _drop_arrived(conn)
        if not any(e.type == "ticket.issued" for e in events):
            return  # the issue event has not arrived yet; folded when it does
        conn.execute(_TICKET_SQL, _ticket_values(fold(events)))
        reservation = events_reservation(events)
        if reservation is not None:
            _link_reservation(conn, reservation)

    def _replay_ordered(self, conn: sqlite3.Connection) -> None:
        cur = conn.execute(
            f"SELECT {COLUMNS} FROM events WHERE ticket_id IS NULL ORDER BY hlc, node_id, seq"
        )
        index = []
        # The tickets are folded after this, and every reservation is linked to its ticket
        # once at the end: a link per booking would find no ticket yet.
        handlers = {**_HANDLERS, "reservation.booked": _booked_unlinked}
        for row in cur.fetchall():
            event = Event.from_row(row)
            key = entity_of(event)
            if key is not None:
                index.append((key, event.hlc, event.node_id, event.seq, event.type))
            handler = handlers.get(event.type)
            if handler is not None:
                handler(conn, event)
        conn.executemany(
            "INSERT OR IGNORE INTO entity_events (entity, hlc, node_id, seq, type) "
            "VALUES (?, ?, ?, ?, ?)",
            index,
        )

    def rebuild(self, conn: sqlite3.Connection) -> None:
        """Fills empty projections from the whole event log.

        The hot path of a rebuild: ticket events are read grouped by ticket through the
        ticket index, and payloads are decoded only for the moves whose payload the fold
        reads. The result is the same as applying every event in order.
        """
        self._replay_ordered(conn)
        cur = conn.execute(
            "SELECT ticket_id, node_id, seq, hlc, type, staff_id, counter, payload, prev "
            "FROM events INDEXED BY events_ticket WHERE ticket_id IS NOT NULL "
            "ORDER BY ticket_id"
        )
        groups = ((ticket_id, [_light_event(r) for r in group])
                  for ticket_id, group in groupby(cur, key=itemgetter(0)))  # fmt: skip
        rows = _folds(groups, _provisional_by_ticket(conn))
        conn.executemany(_TICKET_SQL, (_ticket_values(row) for row in rows))
        _link_all_reservations(conn)


def _folds(groups: Iterable[tuple[str, list[Event]]],
           provisional: dict[str, list[Event]]) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Yields the row of each ticket whose issue event is here (or a provisional one); a
    ticket whose other events arrived first (read from another PC's segment before the
    issuer's) waits for it, as it does when its events are applied one by one."""
    for ticket_id, events in groups:
        extra = provisional.pop(ticket_id, None)
        try:
            yield fold(_with_provisional(events, extra) if extra else events)
        except FoldError:
            continue
    for extra in provisional.values():  # tickets known so far from the LAN alone
        try:
            yield fold(extra)
        except FoldError:
            continue


# -- provisional events (the LAN's) ---------------------------------------------------------


def _with_provisional(events: list[Event], provisional: list[Event]) -> list[Event]:
    """Returns a ticket's events and the provisional ones whose event is not here yet."""
    here = {(e.node_id, e.seq) for e in events}
    return events + [e for e in provisional if (e.node_id, e.seq) not in here]


def _drop_arrived(conn: sqlite3.Connection) -> None:
    """Forgets the provisional events whose event itself has arrived."""
    conn.execute(
        "DELETE FROM provisional_events WHERE EXISTS (SELECT 1 FROM events e "
        "WHERE e.node_id = provisional_events.node_id AND e.seq = provisional_events.seq)"
    )


def _provisional_by_ticket(conn: sqlite3.Connection) -> dict[str, list[Event]]:
    """Returns the provisional events still waiting for their event, by ticket (a rebuild
    folds them as a live apply did)."""
    _drop_arrived(conn)
    found: dict[str, list[Event]] = {}
    for row in conn.execute(f"SELECT {COLUMNS} FROM provisional_events"):
        event = Event.from_row(row)
        found.setdefault(str(event.ticket_id), []).append(event)
    return found


# -- entities -----------------------------------------------------------------------------

#: Event type → the payload field naming its entity (None: the event's own staff id), for
#: the events whose effect depends on the order of the events of the same entity.
ENTITIES: dict[str, tuple[str, str | None]] = {
    "staff.added": ("staff", "staff_id"),
    "staff.pin_changed": ("staff", "staff_id"),
    "staff.deactivated": ("staff", "staff_id"),
    "staff.signin_failed": ("signs", None),
    "staff.signed_in": ("signs", None),
    "staff.signed_out": ("signs", None),
    "reservation.booked": ("reservation", "reservation_id"),
    "reservation.cancelled": ("reservation", "reservation_id"),
    "reservation.noshow": ("reservation", "reservation_id"),
    "closure.added": ("closure", "day"),
    "closure.removed": ("closure", "day"),
    "procedure.paused": ("pause", "procedure"),
    "procedure.resumed": ("pause", "procedure"),
    **{t: ("qa", "qa_id") for t in QA_EVENTS},
}

#: Entity kind → how to clear its rows before its events are replayed (one parameter: the
#: entity's id), and what to do after (the reservation's link to its ticket).
_CLEAR: dict[str, str] = {
    "staff": "DELETE FROM staff WHERE staff_id = ?",
    "reservation": "DELETE FROM reservations WHERE reservation_id = ?",
    "closure": "DELETE FROM closures WHERE day = ?",
    "pause": "DELETE FROM pauses WHERE procedure = ?",
    "qa": "DELETE FROM qa WHERE qa_id = ?",
}


def entity_of(event: Event) -> str | None:
    """Returns ``kind:id`` of the entity an order-dependent event belongs to, or None."""
    found = ENTITIES.get(event.type)
    if found is None:
        return None
    kind, field = found
    value = event.staff_id if field is None else event.payload.get(field)
    return f"{kind}:{value}"


def _index(conn: sqlite3.Connection, key: str, event: Event) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO entity_events (entity, hlc, node_id, seq, type) "
        "VALUES (?, ?, ?, ?, ?)",
        (key, event.hlc, event.node_id, event.seq, event.type),
    )


_EVENT_COLUMNS = ", ".join("e." + c.strip() for c in COLUMNS.split(","))
_OF_ENTITY = (
    f"SELECT {_EVENT_COLUMNS} FROM entity_events x "
    "JOIN events e ON e.node_id = x.node_id AND e.seq = x.seq WHERE x.entity = ?"
)


def _replay(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> None:
    for row in conn.execute(sql, params).fetchall():
        event = Event.from_row(row)
        handler = _HANDLERS.get(event.type)
        if handler is not None:
            handler(conn, event)


def _refold_entity(conn: sqlite3.Connection, key: str) -> None:
    """Clears one entity's rows and replays its events in the global order."""
    kind, _, value = key.partition(":")
    if kind == "signs":
        _refold_signs(conn, value)
        return
    conn.execute(_CLEAR[kind], (value,))
    _replay(conn, f"{_OF_ENTITY} ORDER BY x.hlc, x.node_id, x.seq", (key,))
    if kind == "reservation":
        _link_reservation(conn, value)
    elif kind == "staff":
        _refold_signs(conn, value)  # adding a member again, a new PIN: failures start anew


def _refold_signs(conn: sqlite3.Connection, staff_id: str) -> None:
    """Recomputes where a staff member is signed in and their failed PINs.

    Bounded by the member's last sign-in, not by their year of shifts: where they are signed
    in comes from their last sign-in and the sign-outs after it; their failed PINs are the
    failures since the last reset (a sign-in, being added again, a new PIN).
    """
    conn.execute(
        "UPDATE staff SET signed_in_at = NULL, signed_in_counter = NULL, signed_in_node = NULL, "
        "failed_count = 0, locked_until = 0 WHERE staff_id = ?",
        (staff_id,),
    )
    signs = f"signs:{staff_id}"
    profile = f"staff:{staff_id}"
    newest = "ORDER BY hlc DESC, node_id DESC, seq DESC LIMIT 1"
    added = conn.execute(
        "SELECT hlc, node_id, seq FROM entity_events WHERE entity = ? AND type = 'staff.added' "
        "ORDER BY hlc, node_id, seq LIMIT 1",
        (profile,),
    ).fetchone()
    if added is None:
        return  # no such member yet: their signs change nothing (as in the log's order)
    last_in = conn.execute(
        f"SELECT hlc, node_id, seq FROM entity_events WHERE entity = ? "
        f"AND type = 'staff.signed_in' AND (hlc, node_id, seq) > (?, ?, ?) {newest}",
        (signs, *added),
    ).fetchone()
    resets = [last_in] if last_in else []
    reset = conn.execute(
        f"SELECT hlc, node_id, seq FROM entity_events WHERE entity = ? "
        f"AND type IN ('staff.added', 'staff.pin_changed') {newest}",
        (profile,),
    ).fetchone()
    if reset is not None:
        resets.append(reset)
    since = max(resets, default=tuple(added))
    start = last_in or tuple(added)
    _replay(conn, f"{_OF_ENTITY} AND ((x.type != 'staff.signin_failed' AND "
                  "(x.hlc, x.node_id, x.seq) >= (?, ?, ?)) OR (x.type = 'staff.signin_failed' "
                  "AND (x.hlc, x.node_id, x.seq) > (?, ?, ?))) "
                  "ORDER BY x.hlc, x.node_id, x.seq",
            (signs, *start, *since))  # fmt: skip


def _link_all_reservations(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE reservations SET state = 'checked_in', ticket_id = ("
        " SELECT t.ticket_id FROM tickets t WHERE t.reservation_id = reservations.reservation_id"
        " ORDER BY t.issued_hlc LIMIT 1)"
        " WHERE state IN ('booked', 'noshow') AND EXISTS ("
        " SELECT 1 FROM tickets t WHERE t.reservation_id = reservations.reservation_id)"
    )


#: Ticket moves whose payload the fold reads; the others are not decoded in a rebuild (nor is
#: ``prev``, which only a correction's fold reads).
_PAYLOAD_READ = frozenset(
    {"ticket.issued", "ticket.transferred", "ticket.done", "ticket.cancelled"}
)


def _light_event(row: tuple[Any, ...]) -> Event:
    ticket_id, node_id, seq, hlc, type_, staff_id, counter, payload, prev = row
    decoded = json.loads(payload) if type_ in _PAYLOAD_READ and payload != "{}" else NO_PAYLOAD
    # A correction undoes only the closing move it had seen: the fold needs its prev.
    seen = tuple(json.loads(prev)) if type_ == REOPENED and prev != "[]" else ()
    return Event(node_id, seq, hlc, type_, staff_id, ticket_id, seen, counter, decoded)


def events_reservation(events: list[Event]) -> str | None:
    """Returns the reservation a ticket was issued for, if any."""
    for event in events:
        if event.type == "ticket.issued":
            value = event.payload.get("reservation_id")
            return None if value is None else str(value)
    return None


def _link_reservation(conn: sqlite3.Connection, reservation_id: str) -> None:
    conn.execute(
        "UPDATE reservations SET state = 'checked_in', ticket_id = ("
        " SELECT ticket_id FROM tickets WHERE reservation_id = ? ORDER BY issued_hlc LIMIT 1)"
        " WHERE reservation_id = ? AND state IN ('booked', 'checked_in', 'noshow')"
        " AND EXISTS (SELECT 1 FROM tickets WHERE reservation_id = ?)",
        (reservation_id, reservation_id, reservation_id),
    )


# -- closures ---------------------------------------------------------------------------


def _closure_added(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO closures (day, reason, staff_id, hlc) VALUES (?, ?, ?, ?)",
        (e.payload["day"], e.payload["reason"], e.staff_id, e.hlc),
    )


def _closure_removed(conn: sqlite3.Connection, e: Event) -> None:
    # Only removes what was there before it: a closure re-added later (by HLC) stays.
    conn.execute("DELETE FROM closures WHERE day = ? AND hlc < ?", (e.payload["day"], e.hlc))


# -- staff ------------------------------------------------------------------------------


def _staff_added(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    conn.execute(
        "INSERT INTO staff (staff_id, name, role, pin_hash, active) VALUES (?, ?, ?, ?, 1) "
        "ON CONFLICT(staff_id) DO UPDATE SET name = excluded.name, role = excluded.role, "
        "pin_hash = excluded.pin_hash, active = 1, failed_count = 0, locked_until = 0",
        (p["staff_id"], p["name"], p["role"], p["pin_hash"]),
    )


def _staff_pin_changed(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE staff SET pin_hash = ?, failed_count = 0, locked_until = 0 WHERE staff_id = ?",
        (e.payload["pin_hash"], e.payload["staff_id"]),
    )


def _staff_deactivated(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute("UPDATE staff SET active = 0 WHERE staff_id = ?", (e.payload["staff_id"],))


def _signin_failed(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    conn.execute(
        "UPDATE staff SET failed_count = failed_count + 1, "
        "locked_until = CASE WHEN failed_count + 1 >= ? THEN ? ELSE locked_until END "
        "WHERE staff_id = ?",
        (p["lockout_attempts"], wall_of(e.hlc) + p["lockout_ms"], e.staff_id),
    )


def _signed_in(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE staff SET failed_count = 0, locked_until = 0, signed_in_at = ?, "
        "signed_in_counter = ?, signed_in_node = ? WHERE staff_id = ?",
        (wall_of(e.hlc), e.counter, e.node_id, e.staff_id),
    )


def _signed_out(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE staff SET signed_in_at = NULL, signed_in_counter = NULL, signed_in_node = NULL "
        "WHERE staff_id = ? AND signed_in_node = ?",
        (e.staff_id, e.node_id),
    )


# -- reservations -------------------------------------------------------------------------


def _purged_before(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT max(before) FROM purges").fetchone()
    return str(row[0] or "")


def _reservation_booked(conn: sqlite3.Connection, e: Event, link: bool = True) -> None:
    p = e.payload
    if p.get("name_kana") and p["day"] <= _purged_before(conn):
        # A booking for a day whose names are already purged arrived late: keep no name.
        p = dict(p, name_kana=None)
        _scrub_booked(conn, p["day"])
    conn.execute(
        "INSERT INTO reservations "
        "(reservation_id, day, slot, procedure, applicant, name_kana, state, hlc) "
        "VALUES (?, ?, ?, ?, ?, ?, 'booked', ?) "
        "ON CONFLICT(reservation_id) DO UPDATE SET day = excluded.day, slot = excluded.slot, "
        "procedure = excluded.procedure, applicant = excluded.applicant, "
        "name_kana = excluded.name_kana, hlc = excluded.hlc, "
        # A booking cancelled by one export and booked again by the next comes back.
        "state = CASE WHEN reservations.state = 'cancelled' THEN 'booked' "
        "ELSE reservations.state END",
        (p["reservation_id"], p["day"], p["slot"], p["procedure"], p["applicant"],
         p.get("name_kana"), e.hlc),
    )  # fmt: skip
    if link:
        _link_reservation(conn, p["reservation_id"])


def _booked_unlinked(conn: sqlite3.Connection, e: Event) -> None:
    _reservation_booked(conn, e, link=False)


def _reservation_cancelled(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE reservations SET state = 'cancelled' WHERE reservation_id = ? AND state = 'booked'",
        (e.payload["reservation_id"],),
    )


# -- procedure pauses ----------------------------------------------------------------------


def _paused(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO pauses (procedure, reason, staff_id, hlc) VALUES (?, ?, ?, ?)",
        (e.payload["procedure"], e.payload["reason"], e.staff_id, e.hlc),
    )


def _resumed(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "DELETE FROM pauses WHERE procedure = ? AND hlc < ?", (e.payload["procedure"], e.hlc)
    )


def _scrub_booked(conn: sqlite3.Connection, before: str) -> None:
    # Personal data must not outlive its purpose (番号法・個人情報保護法): the names are
    # removed from the booking events themselves, the one place the log is rewritten.
    conn.execute(
        "UPDATE events SET payload = json_remove(payload, '$.name_kana') "
        "WHERE type = 'reservation.booked' AND json_extract(payload, '$.day') <= ? "
        "AND json_extract(payload, '$.name_kana') IS NOT NULL",
        (before,),
    )


def _purged(conn: sqlite3.Connection, e: Event) -> None:
    before = e.payload["before"]
    conn.execute("INSERT OR IGNORE INTO purges (before, hlc) VALUES (?, ?)", (before, e.hlc))
    conn.execute("UPDATE reservations SET name_kana = NULL WHERE day <= ?", (before,))
    _scrub_booked(conn, before)


def _reservation_noshow(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE reservations SET state = 'noshow' WHERE reservation_id = ? AND state = 'booked'",
        (e.payload["reservation_id"],),
    )


_HANDLERS = {
    "reservation.purged": _purged,
    "reservation.noshow": _reservation_noshow,
    "procedure.paused": _paused,
    "procedure.resumed": _resumed,
    "closure.added": _closure_added,
    "closure.removed": _closure_removed,
    "staff.added": _staff_added,
    "staff.pin_changed": _staff_pin_changed,
    "staff.deactivated": _staff_deactivated,
    "staff.signin_failed": _signin_failed,
    "staff.signed_in": _signed_in,
    "staff.signed_out": _signed_out,
    "reservation.booked": _reservation_booked,
    "reservation.cancelled": _reservation_cancelled,
    **QA_HANDLERS,
    **RECORDS_HANDLERS,
}
