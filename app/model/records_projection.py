"""Projection of what the site manager records for the city's reports. No Qt.

Each record (a report entry of a day or a month, a meeting, a deliverable handed in, whether
a counter is paused) is a register: its row is what the
newest of its events says, newest by the global order ``(hlc, node_id, seq)``. A handler
writes its row only when its event is newer than the one the row holds, so the rows are
the same whatever order the events arrive in, on every PC, and none of these tables needs
the replay of :mod:`app.model.projection` when an older event comes in late. The operating
modes' periods are not even registers: a period never changes once started, and the marks
that end it are kept side by side (:mod:`app.queue.modes` reads the earliest).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from datetime import date, time
from typing import Any

from app.model.clock import to_ms
from db.event import Event
from db.hlc import wall_of

NOTE_SET = "report.note_set"
NOTE_REMOVED = "report.note_removed"


def keep_newest(conn: sqlite3.Connection, table: str, key: str, e: Event,
                values: Mapping[str, Any], by: str = "staff_id") -> None:  # fmt: skip
    """Writes a register's row from an event unless the row already holds a newer one.

    Args:
        conn: the open transaction.
        table: the register's table (columns: ``key``, the ``values``, ``staff_id, at, hlc,
            node_id, seq``).
        key: the name of the key column; its value is ``values[key]``.
        e: the event.
        values: the row's columns as the event sets them (the key included).
        by: the column that names who recorded the event.
    """
    row = {**values, by: e.staff_id, "at": wall_of(e.hlc), "hlc": e.hlc,
           "node_id": e.node_id, "seq": e.seq}  # fmt: skip
    names = list(row)
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != key)
    conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)}) "
        f"ON CONFLICT({key}) DO UPDATE SET {updates} "
        f"WHERE (excluded.hlc, excluded.node_id, excluded.seq) > ({table}.hlc, {table}.node_id, "
        f"{table}.seq)",
        tuple(row.values()),
    )


def _note_set(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    keep_newest(conn, "report_notes", "note_id", e, {
        "note_id": p["note_id"], "period": p["period"], "kind": p["kind"], "text": p["text"],
        "removed": 0,
    })  # fmt: skip


def _note_removed(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    keep_newest(conn, "report_notes", "note_id", e, {
        "note_id": p["note_id"], "period": p["period"], "kind": p["kind"], "text": "",
        "removed": 1,
    })  # fmt: skip


MEETING_SET = "meeting.recorded"
MEETING_REMOVED = "meeting.removed"
SUBMITTED = "deliverable.submitted"


def _meeting(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    keep_newest(conn, "meetings", "meeting_id", e, {
        "meeting_id": p["meeting_id"], "day": p["day"], "kind": p["kind"],
        "title": p.get("title", ""), "removed": int(e.type == MEETING_REMOVED),
    })  # fmt: skip


def _submitted(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    keep_newest(conn, "deliverables", "key", e, {"key": p["key"], "submitted_on": p.get("on")})


TRAINING_SET = "training.recorded"
TRAINING_REMOVED = "training.removed"
ASSIGNED = "structure.assigned"
ROSTER_SET = "roster.set"


def _training(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    removed = e.type == TRAINING_REMOVED
    row = {"training_id": p["training_id"], "staff_id": p["staff_id"], "day": p["day"],
           "course": p.get("course", ""), "trainer": p.get("trainer", ""),
           "hours": float(p.get("hours", 0)), "record": p.get("record", ""),
           "removed": int(removed)}  # fmt: skip
    keep_newest(conn, "trainings", "training_id", e, row, by="by_staff")


def _assigned(conn: sqlite3.Connection, e: Event) -> None:
    # Every assignment is kept (the structure's versions); which is in force on a day is
    # read from all of them, so their order of arrival does not matter.
    p = e.payload
    conn.execute(
        "INSERT OR IGNORE INTO structure (event_id, staff_id, position, from_day, note, by_staff,"
        " at, hlc, node_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (e.id, p["staff_id"], p["position"], p["from"], p.get("note", ""), e.staff_id,
         wall_of(e.hlc), e.hlc, e.node_id, e.seq),
    )  # fmt: skip


def _roster(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    keep_newest(conn, "roster", "day", e, {"day": p["day"], "staff_ids": ",".join(p["staff_ids"])})


COUNTER_PAUSED = "counter.paused"
COUNTER_RESUMED = "counter.resumed"


def _counter_pause(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    keep_newest(conn, "counter_pauses", "counter", e, {
        "counter": p["counter"], "paused": int(e.type == COUNTER_PAUSED),
        "reason": p.get("reason", ""),
    })  # fmt: skip


MODE_STARTED = "mode.started"
MODE_ENDED = "mode.ended"


def _mode_started(conn: sqlite3.Connection, e: Event) -> None:
    # A period is never changed once started (it is ended by a mark of its own), so its
    # row is the same whenever its event arrives.
    p = e.payload
    day = date.fromisoformat(p["day"])
    conn.execute(
        "INSERT OR IGNORE INTO modes (period_id, day, kind, start_ms, end_ms, procedures, lanes, "
        "close_ms, reason, staff_id, hlc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (p["period_id"], p["day"], p["kind"], _at(day, p["start"]), _at(day, p.get("end")),
         json.dumps(p.get("procedures", [])), json.dumps(p.get("lanes", [])),
         _at(day, p.get("close_at")), p["reason"], e.staff_id, e.hlc),
    )  # fmt: skip


def _mode_ended(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    conn.execute(
        "INSERT OR IGNORE INTO mode_ends (event_id, period_id, at_ms, staff_id, hlc) "
        "VALUES (?, ?, ?, ?, ?)",
        (e.id, p["period_id"], _at(date.fromisoformat(p["day"]), p["at"]), e.staff_id, e.hlc),
    )


def _at(day: date, hhmm: str | None) -> int | None:
    if hhmm is None:
        return None
    hour, minute = (int(x) for x in hhmm.split(":"))
    return to_ms(day, time(hour, minute))


#: Handlers of :mod:`app.model.projection` for the events of this module.
HANDLERS: dict[str, Callable[[sqlite3.Connection, Event], None]] = {
    NOTE_SET: _note_set,
    NOTE_REMOVED: _note_removed,
    MEETING_SET: _meeting,
    MEETING_REMOVED: _meeting,
    SUBMITTED: _submitted,
    TRAINING_SET: _training,
    TRAINING_REMOVED: _training,
    ASSIGNED: _assigned,
    ROSTER_SET: _roster,
    COUNTER_PAUSED: _counter_pause,
    COUNTER_RESUMED: _counter_pause,
    MODE_STARTED: _mode_started,
    MODE_ENDED: _mode_ended,
}
