"""The node's local store: one SQLite file (WAL) holding the event log and projections.

Every change is an event appended in the same transaction that updates the
projection tables (through the injected :class:`Projector`), so the tables the
screens read can always be rebuilt from the events alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from db.event import COLUMNS, SCHEMA, Event
from db.hlc import HybridClock
from db.migrations import PROJECTION_TABLES, migrate

Row = dict[str, Any]
#: A reader's position in a segment: (path, node_id, offset, header JSON, problem, size,
#: mtime_ns).
Cursor = tuple[str, str, int, str | None, str | None, int, int]
_CURSOR_SQL = (
    "INSERT OR REPLACE INTO sync_files (path, node_id, offset, header, problem, size, mtime_ns) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


#: Stores a provisional event unless the event itself is here already.
_PROVISIONAL_SQL = (
    f"INSERT OR IGNORE INTO provisional_events ({COLUMNS}) SELECT ?,?,?,?,?,?,?,?,?,? "
    "WHERE NOT EXISTS (SELECT 1 FROM events WHERE node_id = ? AND seq = ?)"
)


class StoreError(Exception):
    """A problem with the local database the user may have to act on."""


class Projector(Protocol):
    """Turns events into projection rows. Supplied by the domain layer."""

    def apply(self, conn: sqlite3.Connection, event: Event) -> None:
        """Updates the projections for one new event (inside the open transaction)."""

    def rebuild(self, conn: sqlite3.Connection) -> None:
        """Fills empty projections from all events of the ``events`` table."""

    def apply_remote(self, conn: sqlite3.Connection, events: list[Event]) -> None:
        """Updates the projections for events written by other nodes.

        Args:
            conn: the open transaction.
            events: the new events (already in the log), in the global order; some may be
                older than events applied before (projections whose rows depend on the
                order of events refold what they touch).
        """


def connect(path: Path) -> sqlite3.Connection:
    """Opens a node database with the pragmas madoguchi relies on."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    # Deleted and overwritten content is zeroed, so a purged name leaves no trace in the file.
    conn.execute("PRAGMA secure_delete=ON")
    return conn


class Writer:
    """Appends events inside one open write transaction (see :meth:`Store.write`)."""

    def __init__(self, store: Store, node_id: str, next_seq: int) -> None:
        self._store = store
        self._node_id = node_id
        self._next_seq = next_seq
        self.events: list[Event] = []

    def append(
        self,
        type_: str,
        *,
        staff_id: str,
        ticket_id: str | None = None,
        prev: Iterable[str] = (),
        counter: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Event:
        """Appends one event and applies it to the projections.

        Returns:
            The event as stored, with its sequence number and HLC.
        """
        event = Event(
            node_id=self._node_id,
            seq=self._next_seq,
            hlc=self._store.clock.now(),
            type=type_,
            staff_id=staff_id,
            ticket_id=ticket_id,
            prev=tuple(prev),
            counter=counter,
            payload=payload or {},
            schema=SCHEMA,
        )
        self._next_seq += 1
        conn = self._store.conn
        conn.execute(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", event.to_row())
        self._store.projector.apply(conn, event)
        self.events.append(event)
        return event


class Store:
    """One node's database.

    Args:
        path: the SQLite file; created and migrated if new.
        projector: the domain's projection of events into tables.
        clock: the node's hybrid logical clock (tests inject a fake wall clock).
    """

    def __init__(self, path: Path, projector: Projector, clock: HybridClock | None = None) -> None:
        self.path = Path(path)
        self.projector = projector
        self.clock = clock or HybridClock()
        try:
            self.conn = connect(self.path)
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"データベースを開けません: {self.path} ({exc})") from exc
        self._refresh_clock()

    # -- identity -------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """Returns a value of the node's identity/settings table, or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Stores a value in the node's identity/settings table."""
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def node_id(self) -> str:
        """Returns this node's id; raises StoreError if the node was never initialised."""
        node_id = self.get_meta("node_id")
        if node_id is None:
            raise StoreError(
                "この端末は初期設定されていません（madoguchi init を実行してください）"
            )
        return node_id

    # -- writing --------------------------------------------------------------------------

    def _refresh_clock(self) -> None:
        row = self.conn.execute("SELECT max(hlc) FROM events").fetchone()
        if row[0] is not None and row[0] > self.clock.last:
            self.clock.last = row[0]

    @contextmanager
    def write(self, durable: bool = False) -> Iterator[Writer]:
        """Opens a write transaction; events appended in it commit together.

        Args:
            durable: commit with ``synchronous=FULL`` (events a visitor sees the
                result of: issue, call), so a power cut cannot lose them.

        Yields:
            A :class:`Writer` for appending events.
        """
        node_id = self.node_id
        if durable:
            self.conn.execute("PRAGMA synchronous=FULL")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process of this node (CLI beside the window) may have written.
                self._refresh_clock()
                row = self.conn.execute(
                    "SELECT max(seq) FROM events WHERE node_id = ?", (node_id,)
                ).fetchone()
                writer = Writer(self, node_id, (row[0] or 0) + 1)
                yield writer
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        finally:
            if durable:
                self.conn.execute("PRAGMA synchronous=NORMAL")

    def apply_remote(self, events: list[Event], cursor: Cursor | None,
                     provisional: Iterable[Event] = ()) -> tuple[int, int]:  # fmt: skip
        """Applies events of other nodes, exactly once: read from a segment, or pushed over
        the LAN.

        The new events, their projections, the clock and the reader's cursor move in one
        transaction: a crash leaves either all of it or none.

        Args:
            events: events as read (duplicates of events already here are skipped).
            cursor: ``(path, node_id, offset, header, problem, size, mtime_ns)`` of the
                segment; None for events that came by another way.
            provisional: ticket events shown before they arrive whole (a field withheld);
                kept apart from the log (``provisional_events``), each only until the event
                itself arrives; the projection folds a ticket with them until then.

        Returns:
            How many events (and provisional ones) were new, and how far ahead of our wall
            clock (ms) the newest of them was stamped.
        """
        ahead = 0
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            fresh = []
            for event in sorted(events, key=Event.sort_key):
                cur = self.conn.execute(
                    f"INSERT OR IGNORE INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    event.to_row(),
                )
                if cur.rowcount == 1:
                    fresh.append(event)
                    ahead = max(ahead, self.clock.observe(event.hlc).ahead_ms)
            for event in provisional:
                cur = self.conn.execute(_PROVISIONAL_SQL, (*event.to_row(), event.node_id,
                                                           event.seq))  # fmt: skip
                if cur.rowcount == 1:
                    fresh.append(event)
                    ahead = max(ahead, self.clock.observe(event.hlc).ahead_ms)
            if fresh:
                self.projector.apply_remote(self.conn, fresh)
            if cursor is not None:
                self.conn.execute(_CURSOR_SQL, cursor)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        return len(fresh), ahead

    def insert_remote(
        self, batches: list[tuple[list[tuple[Any, ...]], Cursor]]
    ) -> list[tuple[int, int]]:
        """Stores remote event rows and their cursors without projecting them (bulk catch-up).

        Everything given commits in one transaction; the projections are marked stale in
        it, and :meth:`rebuild` (run once after the catch-up, or at the next start after a
        crash) brings them back.

        Args:
            batches: per segment, its new rows and its cursor row.

        Returns:
            Per segment, how many events were new and how far ahead of our wall clock the
            newest was.
        """
        outcome = []
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for rows, cursor in batches:
                before = self.conn.total_changes
                self.conn.executemany(
                    f"INSERT OR IGNORE INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows
                )
                fresh = self.conn.total_changes - before
                ahead = self.clock.observe(max(r[2] for r in rows)).ahead_ms if rows else 0
                if fresh:
                    self.set_meta("projections_stale", "1")
                self.conn.execute(_CURSOR_SQL, cursor)
                outcome.append((fresh, ahead))
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        return outcome

    @property
    def projections_stale(self) -> bool:
        """Tells whether events were stored without being projected (see insert_remote)."""
        return self.get_meta("projections_stale") == "1"

    # -- reading --------------------------------------------------------------------------

    def note_file(self, cursor: Cursor) -> None:
        """Records a file's cursor alone (a file that could not be read, or that had nothing
        new), so it is not reported again until it changes."""
        self.conn.execute(_CURSOR_SQL, cursor)

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Runs a query and returns its rows as dicts."""
        cur = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def row(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """Runs a query and returns its first row as a dict, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def events(self, where: str = "", params: Iterable[Any] = ()) -> Iterator[Event]:
        """Yields events in the global order (HLC, node, seq), optionally filtered."""
        sql = f"SELECT {COLUMNS} FROM events {('WHERE ' + where) if where else ''} "
        sql += "ORDER BY hlc, node_id, seq"
        for row in self.conn.execute(sql, tuple(params)):
            yield Event.from_row(row)

    def ticket_events(self, ticket_id: str) -> list[Event]:
        """Returns every event of one ticket, in the global order."""
        return list(self.events("ticket_id = ?", (ticket_id,)))

    def event_count(self) -> int:
        """Returns the number of events in the log."""
        return int(self.conn.execute("SELECT count(*) FROM events").fetchone()[0])

    # -- maintenance ----------------------------------------------------------------------

    def rebuild(self) -> None:
        """Empties the projections and rebuilds them from the event log, in one transaction."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for table in PROJECTION_TABLES:
                self.conn.execute(f"DELETE FROM {table}")
            self.projector.rebuild(self.conn)
            self.set_meta("projections_stale", "0")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def projection_dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Returns every projection table's rows, sorted, for comparisons."""
        dump = {}
        for table in PROJECTION_TABLES:
            rows = self.conn.execute(f"SELECT * FROM {table}").fetchall()
            dump[table] = sorted(rows, key=repr)
        return dump

    def checkpoint(self) -> None:
        """Copies the WAL into the database and empties it."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def compact(self) -> None:
        """Rewrites the whole database file, then empties the WAL (after a purge).

        ``secure_delete`` zeroes what is deleted, but SQLite leaves copies of moved records in
        the unused space of live pages; only a rewrite of every page (VACUUM) leaves nothing of
        a purged name in the file's bytes.
        """
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_check(self) -> str:
        """Returns SQLite's integrity check verdict (``ok`` when healthy)."""
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        """Closes the database."""
        self.conn.close()
