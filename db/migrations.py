"""Numbered schema migrations of the node database.

Each migration runs in its own transaction together with the record that it ran
(sqlite-utils ``Migrations``).  Never edit a migration that has shipped: add one.

Opening a database that is up to date reads the record with one query; sqlite-utils is
loaded only when there is a migration to run, so a command that opens a PC's database
does not pay for it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

#: The migration set's name in sqlite-utils' record (``_sqlite_migrations``).
SET_NAME = "madoguchi"
_STEPS: list[Callable[[Database], None]] = []


def _step(fn: Callable[[Database], None]) -> Callable[[Database], None]:
    _STEPS.append(fn)
    return fn


@_step
def m001_event_log(db: Database) -> None:
    """The node's identity and the event log."""
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """
        CREATE TABLE events (
            node_id   TEXT    NOT NULL,
            seq       INTEGER NOT NULL,
            hlc       INTEGER NOT NULL,
            type      TEXT    NOT NULL,
            ticket_id TEXT,
            prev      TEXT    NOT NULL DEFAULT '[]',
            staff_id  TEXT    NOT NULL,
            counter   TEXT,
            payload   TEXT    NOT NULL DEFAULT '{}',
            schema    INTEGER NOT NULL,
            PRIMARY KEY (node_id, seq)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX events_ticket ON events (ticket_id) WHERE ticket_id IS NOT NULL")
    db.execute("CREATE INDEX events_hlc ON events (hlc)")


@_step
def m002_projections(db: Database) -> None:
    """Tables the screens read; rebuilt from the events at will."""
    db.execute(
        """
        CREATE TABLE tickets (
            ticket_id        TEXT PRIMARY KEY,
            number           TEXT    NOT NULL,
            lane             TEXT    NOT NULL,
            block            INTEGER NOT NULL,
            number_seq       INTEGER NOT NULL,
            procedure        TEXT    NOT NULL,
            applicant        TEXT    NOT NULL,
            day              TEXT    NOT NULL,
            state            TEXT    NOT NULL,
            issued_hlc       INTEGER NOT NULL,
            issued_at        INTEGER NOT NULL,
            issuer_node      TEXT    NOT NULL,
            reservation_id   TEXT,
            slot_start       INTEGER,
            priority         INTEGER NOT NULL DEFAULT 0,
            called_at        INTEGER,
            call_count       INTEGER NOT NULL DEFAULT 0,
            counter          TEXT,
            staff_id         TEXT,
            started_at       INTEGER,
            ended_at         INTEGER,
            outcome          TEXT,
            reason           TEXT,
            transferred_from TEXT,
            transferred_to   TEXT,
            conflicts        TEXT    NOT NULL DEFAULT '[]',
            last_hlc         INTEGER NOT NULL,
            event_count      INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX tickets_queue ON tickets (day, state, lane)")
    db.execute("CREATE INDEX tickets_numbering ON tickets (day, lane, block, number_seq)")
    db.execute(
        """
        CREATE TABLE closures (
            day      TEXT PRIMARY KEY,
            reason   TEXT    NOT NULL,
            staff_id TEXT    NOT NULL,
            hlc      INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE staff (
            staff_id      TEXT PRIMARY KEY,
            name          TEXT    NOT NULL,
            role          TEXT    NOT NULL,
            pin_hash      TEXT    NOT NULL,
            active        INTEGER NOT NULL DEFAULT 1,
            failed_count  INTEGER NOT NULL DEFAULT 0,
            locked_until  INTEGER NOT NULL DEFAULT 0,
            signed_in_at  INTEGER,
            signed_in_counter TEXT,
            signed_in_node TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE reservations (
            reservation_id TEXT PRIMARY KEY,
            day            TEXT NOT NULL,
            slot           TEXT NOT NULL,
            procedure      TEXT NOT NULL,
            applicant      TEXT NOT NULL,
            name_kana      TEXT,
            state          TEXT NOT NULL,
            ticket_id      TEXT,
            hlc            INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX reservations_day ON reservations (day, slot)")


@_step
def m003_sync_state(db: Database) -> None:
    """What this node has read from the shared folder, and what it knows of the others."""
    db.execute(
        """
        CREATE TABLE sync_files (
            path     TEXT PRIMARY KEY,
            node_id  TEXT    NOT NULL,
            offset   INTEGER NOT NULL DEFAULT 0,
            header   TEXT,
            problem  TEXT,
            size     INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        """
        CREATE TABLE sync_nodes (
            node_id         TEXT PRIMARY KEY,
            name            TEXT,
            role            TEXT,
            issuer_block    INTEGER,
            install         TEXT,
            last_heard_ms   INTEGER,
            clock_offset_ms INTEGER,
            ahead_ms        INTEGER NOT NULL DEFAULT 0,
            events          INTEGER NOT NULL DEFAULT 0
        )
        """
    )


@_step
def m004_ticket_reservation_index(db: Database) -> None:
    """Check-in links a reservation to its ticket; without this index every booked event
    scanned the whole tickets table (40 s to import 10,000 rows on a year of data)."""
    db.execute("CREATE INDEX tickets_reservation ON tickets (reservation_id)")


@_step
def m005_pauses(db: Database) -> None:
    """Procedures the site manager paused (J-LIS down), shown on the reception buttons."""
    db.execute(
        """
        CREATE TABLE pauses (
            procedure TEXT PRIMARY KEY,
            reason    TEXT    NOT NULL,
            staff_id  TEXT    NOT NULL,
            hlc       INTEGER NOT NULL
        )
        """
    )


@_step
def m006_purges(db: Database) -> None:
    """Up to which visit day the names of reservations have been purged."""
    db.execute("CREATE TABLE purges (before TEXT PRIMARY KEY, hlc INTEGER NOT NULL)")


@_step
def m007_inquiries_qa(db: Database) -> None:
    """Inquiries answered at the counters (no personal data) and the shared Q&A collection."""
    db.execute(
        """
        CREATE TABLE inquiries (
            inquiry_id TEXT PRIMARY KEY,
            day        TEXT    NOT NULL,
            at         INTEGER NOT NULL,
            category   TEXT    NOT NULL,
            question   TEXT    NOT NULL,
            answer     TEXT    NOT NULL,
            qa_id      TEXT,
            staff_id   TEXT    NOT NULL,
            counter    TEXT,
            hlc        INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX inquiries_day ON inquiries (day, at)")
    db.execute(
        """
        CREATE TABLE qa (
            qa_id       TEXT PRIMARY KEY,
            category    TEXT    NOT NULL,
            question    TEXT    NOT NULL,
            answer      TEXT    NOT NULL,
            active      INTEGER NOT NULL DEFAULT 1,
            version     INTEGER NOT NULL DEFAULT 1,
            created_hlc INTEGER NOT NULL,
            created_at  INTEGER NOT NULL,
            created_by  TEXT    NOT NULL,
            updated_at  INTEGER NOT NULL,
            updated_by  TEXT    NOT NULL,
            hlc         INTEGER NOT NULL
        )
        """
    )


@_step
def m008_file_changes(db: Database) -> None:
    """When each shared file was last read as it was: a file that changes other than by
    growing (restored, replaced, damaged and mended) is read again from its start."""
    db.execute("ALTER TABLE sync_files ADD COLUMN mtime_ns INTEGER NOT NULL DEFAULT 0")


@_step
def m009_own_segments(db: Database) -> None:
    """The segments this PC wrote, what they hold and how it left them: a file that changed
    or went missing is read back and what it lost written again."""
    db.execute(
        """
        CREATE TABLE own_segments (
            path      TEXT PRIMARY KEY,
            day       TEXT    NOT NULL,
            first_seq INTEGER NOT NULL,
            last_seq  INTEGER NOT NULL,
            size      INTEGER NOT NULL,
            mtime_ns  INTEGER NOT NULL,
            intact    INTEGER NOT NULL DEFAULT 1
        )
        """
    )


@_step
def m010_entity_events(db: Database) -> None:
    """Which events belong to which order-dependent entity (a staff member, a reservation,
    a day's closure …), so a late event replays its entity alone, never the whole log.
    Filled by the projection (a rebuild fills it from the log)."""
    db.execute(
        """
        CREATE TABLE entity_events (
            entity  TEXT    NOT NULL,
            hlc     INTEGER NOT NULL,
            node_id TEXT    NOT NULL,
            seq     INTEGER NOT NULL,
            type    TEXT    NOT NULL,
            PRIMARY KEY (entity, hlc, node_id, seq)
        ) WITHOUT ROWID
        """
    )
    db.execute("INSERT INTO meta (key, value) VALUES ('projections_stale', '1') "
               "ON CONFLICT(key) DO UPDATE SET value = '1'")  # fmt: skip


@_step
def m011_reports_records(db: Database) -> None:
    """What the site manager records for the city's reports: free-text entries of a day or
    a month (改善内容, 市との調整事項, 問題点). Each row is the latest event of its id (by
    the global order, kept in ``hlc, node_id, seq``), so events may arrive in any order."""
    db.execute(
        """
        CREATE TABLE report_notes (
            note_id  TEXT PRIMARY KEY,
            period   TEXT    NOT NULL,
            kind     TEXT    NOT NULL,
            text     TEXT    NOT NULL,
            removed  INTEGER NOT NULL DEFAULT 0,
            staff_id TEXT    NOT NULL,
            at       INTEGER NOT NULL,
            hlc      INTEGER NOT NULL,
            node_id  TEXT    NOT NULL,
            seq      INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX report_notes_period ON report_notes (period)")


@_step
def m012_reports_deliverables(db: Database) -> None:
    """The meetings whose minutes are due (議事録), and the deliverables marked handed in to
    the city; registers like ``report_notes`` (the newest event of a key wins)."""
    db.execute(
        """
        CREATE TABLE meetings (
            meeting_id TEXT PRIMARY KEY,
            day        TEXT    NOT NULL,
            kind       TEXT    NOT NULL,
            title      TEXT    NOT NULL,
            removed    INTEGER NOT NULL DEFAULT 0,
            staff_id   TEXT    NOT NULL,
            at         INTEGER NOT NULL,
            hlc        INTEGER NOT NULL,
            node_id    TEXT    NOT NULL,
            seq        INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE deliverables (
            key          TEXT PRIMARY KEY,
            submitted_on TEXT,
            staff_id     TEXT    NOT NULL,
            at           INTEGER NOT NULL,
            hlc          INTEGER NOT NULL,
            node_id      TEXT    NOT NULL,
            seq          INTEGER NOT NULL
        )
        """
    )


@_step
def m013_reports_staffing(db: Database) -> None:
    """The training log (要員育成報告書), the staffing structure's dated assignments (業務体制表)
    and the roster of planned staff per day."""
    db.execute(
        """
        CREATE TABLE trainings (
            training_id TEXT PRIMARY KEY,
            staff_id    TEXT    NOT NULL,
            day         TEXT    NOT NULL,
            course      TEXT    NOT NULL,
            trainer     TEXT    NOT NULL,
            hours       REAL    NOT NULL,
            record      TEXT    NOT NULL,
            removed     INTEGER NOT NULL DEFAULT 0,
            by_staff    TEXT    NOT NULL,
            at          INTEGER NOT NULL,
            hlc         INTEGER NOT NULL,
            node_id     TEXT    NOT NULL,
            seq         INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX trainings_day ON trainings (day)")
    db.execute(
        """
        CREATE TABLE structure (
            event_id  TEXT PRIMARY KEY,
            staff_id  TEXT    NOT NULL,
            position  TEXT    NOT NULL,
            from_day  TEXT    NOT NULL,
            note      TEXT    NOT NULL,
            by_staff  TEXT    NOT NULL,
            at        INTEGER NOT NULL,
            hlc       INTEGER NOT NULL,
            node_id   TEXT    NOT NULL,
            seq       INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE roster (
            day       TEXT PRIMARY KEY,
            staff_ids TEXT    NOT NULL,
            staff_id  TEXT    NOT NULL,
            at        INTEGER NOT NULL,
            hlc       INTEGER NOT NULL,
            node_id   TEXT    NOT NULL,
            seq       INTEGER NOT NULL
        )
        """
    )


@_step
def m014_operating_day(db: Database) -> None:
    """The day as the center runs it: counters paused with a reason (a register: the newest
    event of a counter wins), and the operating modes' periods (縮小運転, J-LIS停止,
    臨時閉庁 of part of a day) with the marks that ended them; neither depends on the order
    its events arrive in. Tickets keep a priority visitor's reason (優先), the procedures of a
    visit of several and the outcome of each."""
    db.execute(
        """
        CREATE TABLE counter_pauses (
            counter  TEXT PRIMARY KEY,
            paused   INTEGER NOT NULL,
            reason   TEXT    NOT NULL,
            staff_id TEXT    NOT NULL,
            at       INTEGER NOT NULL,
            hlc      INTEGER NOT NULL,
            node_id  TEXT    NOT NULL,
            seq      INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE modes (
            period_id  TEXT PRIMARY KEY,
            day        TEXT    NOT NULL,
            kind       TEXT    NOT NULL,
            start_ms   INTEGER NOT NULL,
            end_ms     INTEGER,
            procedures TEXT    NOT NULL,
            lanes      TEXT    NOT NULL,
            close_ms   INTEGER,
            reason     TEXT    NOT NULL,
            staff_id   TEXT    NOT NULL,
            hlc        INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX modes_day ON modes (day)")
    db.execute(
        """
        CREATE TABLE mode_ends (
            event_id  TEXT PRIMARY KEY,
            period_id TEXT    NOT NULL,
            at_ms     INTEGER NOT NULL,
            staff_id  TEXT    NOT NULL,
            hlc       INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX mode_ends_period ON mode_ends (period_id)")
    # A priority visitor's reason (優先: a code of a fixed list, nothing personal).
    db.execute("ALTER TABLE tickets ADD COLUMN priority_reason TEXT")
    # Several procedures in one visit: each procedure still to be served with a ticket, and
    # the outcome of each served at it (JSON); the rows are refolded from their events.
    db.execute("ALTER TABLE tickets ADD COLUMN procedures TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE tickets ADD COLUMN outcomes TEXT NOT NULL DEFAULT '{}'")
    db.execute("INSERT INTO meta (key, value) VALUES ('projections_stale', '1') "
               "ON CONFLICT(key) DO UPDATE SET value = '1'")  # fmt: skip


@_step
def m015_lan(db: Database) -> None:
    """The direct LAN path: what this PC knows of each other PC there, and the events shown
    before they arrive whole (a field that never travels on the LAN withheld)."""
    for column in ("lan_address TEXT", "lan_announced TEXT", "lan_up INTEGER",
                   "lan_changed_ms INTEGER", "lan_share TEXT", "lan_epoch INTEGER"):  # fmt: skip
        db.execute(f"ALTER TABLE sync_nodes ADD COLUMN {column}")
    db.execute(
        """
        CREATE TABLE provisional_events (
            node_id   TEXT    NOT NULL,
            seq       INTEGER NOT NULL,
            hlc       INTEGER NOT NULL,
            type      TEXT    NOT NULL,
            ticket_id TEXT    NOT NULL,
            prev      TEXT    NOT NULL DEFAULT '[]',
            staff_id  TEXT    NOT NULL,
            counter   TEXT,
            payload   TEXT    NOT NULL DEFAULT '{}',
            schema    INTEGER NOT NULL,
            PRIMARY KEY (node_id, seq)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX provisional_ticket ON provisional_events (ticket_id)")


#: Projection tables, emptied and refilled by a rebuild.
PROJECTION_TABLES = ("tickets", "closures", "staff", "reservations", "pauses", "purges",
                     "inquiries", "qa", "entity_events", "report_notes", "meetings", "deliverables",
                     "trainings", "structure", "roster", "counter_pauses", "modes", "mode_ends")  # fmt: skip


@cache
def _migrations() -> Migrations:
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(SET_NAME)
    for fn in _STEPS:
        migrations()(fn)
    return migrations


def migrate(conn: sqlite3.Connection, stop_before: str | None = None) -> None:
    """Brings the database up to the newest schema (or up to ``stop_before``)."""
    if stop_before is None and applied_names(conn) == migration_names():
        return
    from sqlite_utils import Database

    _migrations().apply(Database(conn), stop_before=stop_before)


def migration_names() -> list[str]:
    """Returns the names of all migrations, oldest first."""
    return [fn.__name__ for fn in _STEPS]


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """Returns the names of the migrations this database has run, in the order they ran."""
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            (SET_NAME,),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    return [str(row[0]) for row in rows]
