"""Projection of inquiries and of the Q&A collection (質疑応答集) into their tables. No Qt.

``inquiries`` rows depend only on their own event. ``qa`` rows depend on the order of their
events (an edit changes what the add wrote), so ``qa`` is one of the ordered tables that
:mod:`app.model.projection` replays when an older event arrives from another PC. Every handler
is a function of the events in the global order (HLC, node, seq): an edit or a retirement
whose add has not arrived yet changes nothing, and the replay that the add's arrival
causes applies it in its place.

:func:`fold_qa` computes the same rows in Python from a list of events, for the collection
as it stood at a past moment (the Q&A report of a date).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from app.model.clock import day_of
from db.event import Event
from db.hlc import wall_of

INQUIRY_LOGGED = "inquiry.logged"
QA_ADDED = "qa.added"
QA_EDITED = "qa.edited"
QA_RETIRED = "qa.retired"
QA_EVENTS = (QA_ADDED, QA_EDITED, QA_RETIRED)
#: The fields of a Q&A entry an edit may change.
QA_FIELDS = ("category", "question", "answer")


def _inquiry_logged(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    at = wall_of(e.hlc)
    conn.execute(
        "INSERT OR REPLACE INTO inquiries (inquiry_id, day, at, category, question, answer, "
        "qa_id, staff_id, counter, hlc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (p["inquiry_id"], day_of(at).isoformat(), at, p["category"], p["question"],
         p["answer"], p.get("qa_id"), e.staff_id, e.counter, e.hlc),
    )  # fmt: skip


def _qa_added(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    at = wall_of(e.hlc)
    conn.execute(
        "INSERT OR IGNORE INTO qa (qa_id, category, question, answer, active, version, "
        "created_hlc, created_at, created_by, updated_at, updated_by, hlc) "
        "VALUES (?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?)",
        (p["qa_id"], p["category"], p["question"], p["answer"], e.hlc, at, e.staff_id, at,
         e.staff_id, e.hlc),
    )  # fmt: skip


def _qa_edited(conn: sqlite3.Connection, e: Event) -> None:
    p = e.payload
    conn.execute(
        "UPDATE qa SET category = coalesce(?, category), question = coalesce(?, question), "
        "answer = coalesce(?, answer), version = version + 1, updated_at = ?, "
        "updated_by = ?, hlc = ? WHERE qa_id = ?",
        (p.get("category"), p.get("question"), p.get("answer"), wall_of(e.hlc), e.staff_id,
         e.hlc, p["qa_id"]),
    )  # fmt: skip


def _qa_retired(conn: sqlite3.Connection, e: Event) -> None:
    conn.execute(
        "UPDATE qa SET active = 0, version = version + 1, updated_at = ?, updated_by = ?, "
        "hlc = ? WHERE qa_id = ?",
        (wall_of(e.hlc), e.staff_id, e.hlc, e.payload["qa_id"]),
    )


#: Handlers of :mod:`app.model.projection` for the events of this module.
HANDLERS: dict[str, Callable[[sqlite3.Connection, Event], None]] = {
    INQUIRY_LOGGED: _inquiry_logged,
    QA_ADDED: _qa_added,
    QA_EDITED: _qa_edited,
    QA_RETIRED: _qa_retired,
}


def fold_qa(events: Iterable[Event]) -> dict[str, dict[str, Any]]:
    """Returns the ``qa`` rows (qa_id → row) the events make, applied in the given order.

    Args:
        events: ``qa.*`` events in the global order (other types are skipped).

    Returns:
        The same rows as the ``qa`` table would hold after these events.
    """
    rows: dict[str, dict[str, Any]] = {}
    for e in events:
        qa_id = str(e.payload.get("qa_id", ""))
        at = wall_of(e.hlc)
        if e.type == QA_ADDED:
            if qa_id not in rows:
                rows[qa_id] = {
                    "qa_id": qa_id, "category": e.payload["category"],
                    "question": e.payload["question"], "answer": e.payload["answer"],
                    "active": 1, "version": 1, "created_hlc": e.hlc, "created_at": at, "created_by": e.staff_id,
                    "updated_at": at, "updated_by": e.staff_id, "hlc": e.hlc,
                }  # fmt: skip
            continue
        row = rows.get(qa_id)
        if row is None or e.type not in (QA_EDITED, QA_RETIRED):
            continue
        if e.type == QA_EDITED:
            row.update({f: e.payload[f] for f in QA_FIELDS if e.payload.get(f) is not None})
        else:
            row["active"] = 0
        row.update(version=row["version"] + 1, updated_at=at, updated_by=e.staff_id, hlc=e.hlc)
    return rows
