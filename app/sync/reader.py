"""Reading the other PCs' segments and applying their events, exactly once.

Each segment file is read from where this PC stopped (its cursor, kept in the same
transaction as the events it applied). A file is read again from its start when it changed
other than by growing, or when it had damaged records and changed at all (a restored or
mended file): events are deduplicated by ``(node_id, seq)``, so rereading never applies
anything twice. Unreadable entries are reported and passed over; damaged records are reported
and the authentic ones after them applied (:func:`db.segments.read_segment`).

On a Windows share the listing is a cached hint (:mod:`app.sync.share`). On the days being
written (today, yesterday), the one file of each other PC that can still grow — its newest,
or the one its heartbeat names — is looked at through a handle every round, so an append is
read in the next round and a new segment is found before the listing shows it. Only the
newest segment grows: a PC appends to the segment it started in this run and writes every
other file (republished events, a purge's scrubbed copy) whole, at once.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.core.node import Node
from app.sync.share import Entry, Share, describe
from db.event import Event
from db.segments import Header, read_segment
from db.store import Cursor

#: Rows stored per transaction during a bulk catch-up (the UI can write in between).
BULK_ROWS = 5_000
#: Events applied per transaction in a normal round: the write lock is never held for
#: longer than one such batch (a few milliseconds), whatever the size of a file.
APPLY_BATCH = 200

Pending = tuple[str, list[tuple[Any, ...]], Cursor, list[int]]
#: node id → day → the segment its heartbeat says it is writing
Announced = dict[str, dict[str, str]]


class SegmentReader:
    """Imports the segments of every other PC of the site.

    Args:
        node: the reading node.
        share: the site's folder on the shared drive.
        key: the site key.
        bulk_bytes: above this many unread bytes a round catches up in bulk (events stored
            file by file, the projections rebuilt once at the end: a PC back from a long
            absence).
    """

    def __init__(self, node: Node, share: Share, key: bytes, bulk_bytes: int) -> None:
        self.node = node
        self.share = share
        self.key = key
        identity = node.identity
        self.site = identity.site_id
        self.node_id = identity.node_id
        self.bulk_bytes = bulk_bytes

    def import_days(self, days: list[str], problems: list[str], live: Collection[str] = (),
                    announced: Announced | None = None) -> int:  # fmt: skip
        """Reads every other node's new records of these days and applies them.

        Args:
            days: the days to read.
            problems: where what could not be read is reported.
            live: the days being written: each node's growing segment is looked at
                through a handle, whatever the (cached) listing says.
            announced: node id → day → the segment its heartbeat says it writes.

        Returns:
            How many events were new here.
        """
        known = {r["path"]: r for r in self.node.store.rows("SELECT * FROM sync_files")}
        todo: list[tuple[Entry, dict[str, Any] | None, int]] = []
        unread = 0
        announced = announced or {}
        for day in days:
            nodes = self.share.days / day / "nodes"
            folders = self.share.folders(nodes, problems)
            if day in live:
                listed = {f.name for f in folders}
                folders += [nodes / n for n, segs in sorted(announced.items())
                            if day in segs and n not in listed]  # fmt: skip
            for node_dir in folders:
                if node_dir.name == self.node_id:
                    continue
                listing: list[str] = []
                entries = self.share.files(node_dir, "seg-", ".log", listing)
                if day in live:
                    named = announced.get(node_dir.name, {}).get(day)
                    entries = self._growing(node_dir, entries, named)
                for entry in entries:
                    row = known.get(str(entry.path))
                    start = _start(entry, row)
                    if start is None:
                        continue
                    todo.append((entry, row, start))
                    unread += entry.size - start
                self._note_listing(node_dir, listing, known, problems)
        bulk = unread > self.bulk_bytes
        applied = 0
        pending: list[Pending] = []
        for entry, row, start in todo:
            read = self._read(entry, row, start, known, problems)
            if read is None:
                continue
            if not bulk:
                applied += self._apply(read)
                continue
            pending.append(read)
            if sum(len(p[1]) for p in pending) >= BULK_ROWS:
                applied += self._store_bulk(pending)
                pending = []
        applied += self._store_bulk(pending)
        if bulk and self.node.store.projections_stale:
            self.node.store.rebuild()
        return applied

    def _growing(self, node_dir: Path, entries: list[Entry], named: str | None) -> list[Entry]:
        """Replaces the listed size and time of a node's growing segment by the server's
        (and adds the one its heartbeat names, if the listing does not show it yet)."""
        names = {e.path.name: e for e in entries}
        candidates = set(names)
        if named is not None and named not in names:
            candidates.add(named)
        if not candidates:
            return entries
        newest = max(candidates)  # seg-<first seq, 9 digits>-…: the last one started
        try:
            names[newest] = self.share.fresh(node_dir / newest)
        except FileNotFoundError:
            names.pop(newest, None)  # announced but not there yet, or gone since listed
        except OSError:
            pass  # locked or closed by an ACL: the read reports it, as for any other file
        return sorted(names.values(), key=lambda e: e.path.name)

    # -- one file ------------------------------------------------------------------------------

    def _read(self, entry: Entry, row: dict[str, Any] | None, start: int,
              known: dict[str, dict[str, Any]], problems: list[str]) -> Pending | None:  # fmt: skip
        path = entry.path
        header = None
        if row is not None and row["header"] and start > 0:
            h = json.loads(row["header"])
            header = Header(h["site"], h["node_id"], h["install"], h["first_seq"])
        node_id = path.parent.name
        try:
            result = read_segment(path, self.key, self.site, start, header, node_id)
        except OSError as exc:
            self._unreadable(entry, node_id, describe(exc), known, problems)
            return None
        if result.header is not None and result.header.node_id != node_id:
            result.problems.append("フォルダと端末IDが一致しません")
            result.rows = []
        old_problem = (row or {}).get("problem")
        problem = result.problem if start == 0 else _join(old_problem, result.problem)
        if result.problem and result.problem != old_problem:
            problems.append(f"{path.name}: {result.problem}")
        header_json = json.dumps(asdict(result.header)) if result.header else None
        cursor: Cursor = (str(path), node_id, result.offset, header_json, problem, entry.size,
                          entry.mtime_ns)  # fmt: skip
        return node_id, result.rows, cursor, result.ends

    def _unreadable(self, entry: Entry, node_id: str, why: str,
                    known: dict[str, dict[str, Any]], problems: list[str]) -> None:  # fmt: skip
        row = known.get(str(entry.path))
        if row is None or row["problem"] != why:
            problems.append(f"{entry.path.name}: {why}")
        offset = row["offset"] if row else 0
        header = row["header"] if row else None
        # size -1: looked at again next round, whatever its size then
        self.node.store.note_file((str(entry.path), node_id, offset, header, why, -1, 0))

    def _note_listing(self, node_dir: Path, listing: list[str],
                      known: dict[str, dict[str, Any]], problems: list[str]) -> None:  # fmt: skip
        """Reports entries named like segments that are no readable files, once each."""
        for line in listing:
            name, _, why = line.partition(": ")
            key = str(node_dir / name)
            if known.get(key, {}).get("problem") != why:
                problems.append(line)
                self.node.store.note_file((key, node_dir.name, 0, None, why, -1, 0))

    def _apply(self, read: Pending) -> int:
        """Applies a file's new events in batches of :data:`APPLY_BATCH`, each with the
        cursor at its last record (a crash between batches resumes after it)."""
        node_id, rows, cursor, ends = read
        applied = 0
        for start in range(0, max(len(rows), 1), APPLY_BATCH):
            chunk = rows[start : start + APPLY_BATCH]
            last = start + len(chunk) >= len(rows)
            # An intermediate cursor records the size it reached, so the next round goes on
            # from there (the file is larger than that).
            step: Cursor = cursor if last else (*cursor[:2], ends[start + len(chunk) - 1],
                                                cursor[3], None, ends[start + len(chunk) - 1], 0)  # fmt: skip
            fresh, ahead = self.node.store.apply_remote([Event.from_row(r) for r in chunk], step)
            self._count(node_id, fresh, ahead)
            applied += fresh
        return applied

    def _store_bulk(self, pending: list[Pending]) -> int:
        if not pending:
            return 0
        outcome = self.node.store.insert_remote([(rows, cursor) for _, rows, cursor, _ in pending])
        for (node_id, _, _, _), (fresh, ahead) in zip(pending, outcome, strict=True):
            self._count(node_id, fresh, ahead)
        return sum(fresh for fresh, _ in outcome)

    def _count(self, node_id: str, fresh: int, ahead: int) -> None:
        if fresh or ahead:
            self.node.store.conn.execute(
                "INSERT INTO sync_nodes (node_id, ahead_ms, events) VALUES (?, ?, ?) "
                "ON CONFLICT(node_id) DO UPDATE SET ahead_ms = max(ahead_ms, excluded.ahead_ms), "
                "events = events + excluded.events",
                (node_id, ahead, fresh),
            )


def _start(entry: Entry, row: dict[str, Any] | None) -> int | None:
    """Returns where to read a file from, or None when it has not changed since."""
    if row is None:
        return 0
    same = entry.size == row["size"] and entry.mtime_ns == row["mtime_ns"]
    if same:
        return None
    if row["problem"] or entry.size < row["offset"] or entry.size == row["size"]:
        return 0  # damaged before, shrunk, or rewritten in place: read it all again
    return int(row["offset"])


def _join(old: str | None, new: str | None) -> str | None:
    if old and new:
        return f"{old} / {new}"
    return old or new
