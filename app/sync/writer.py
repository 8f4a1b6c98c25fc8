"""Writing this PC's events to the share, and making sure they stay there.

Export appends unsent events to this PC's segment of the day (flush and fsync) and only then
marks them exported; after any error it never appends after a possibly torn tail (a new
segment with a fresh name is started). Every segment this PC writes is recorded locally with
the sequence numbers it holds and its size and time after the write.

Verification makes delivery a fact rather than a belief: a segment of this PC that changed
since it was written (a flipped byte, a file replaced, deleted or quarantined by antivirus) is
read back, and every event whose authentic record is gone from the share is written again
into a new segment. Readers deduplicate by ``(node_id, seq)``, so a republished event is
applied once wherever it arrives. Recent days are checked every round, all days every
:data:`FULL_CHECK_EVERY` rounds.

The same reading back finds what must never happen: records of this node id that this PC
did not write. Written by another install, they are a clone (the node stops writing); written
by this install but unknown here, they are this PC's own events from before a backup was
restored: they are taken back into the local log, so numbering goes on above them.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.node import Node
from app.model.clock import day_of
from app.sync.share import Share, describe
from db.event import COLUMNS, Event
from db.segments import FileChanged, Header, SegmentWriter, read_segment

#: Rounds between checks of all of this PC's segments (recent days are checked every round).
FULL_CHECK_EVERY = 60
#: Events read and exported at a time.
EXPORT_BATCH = 5_000
#: A file server whose file times are whole seconds (FAT's 2 s, some NAS) gives a file
#: changed by another hand within the same step after this PC's write the time of that
#: write: the change cannot be seen by its time. Such a file is read back once, this many
#: seconds after this PC's last write to it, when any later change shows in its time.
RACY_S = 2.5
#: The suffix of a purge's scrubbed copy (``seg-…-p1a2b.log``).
_SCRUBBED = re.compile(r"(-p[0-9a-f]{4})+$")


@dataclass
class Audit:
    """What reading back this PC's segments found.

    Attributes:
        republished: events written again because their records were gone or damaged.
        adopted: this PC's own events found on the share and taken back (a restored backup).
        foreign: files of this node id written by another install (a clone).
    """

    republished: int = 0
    adopted: int = 0
    foreign: list[str] | None = None


class SegmentExporter:
    """Exports one node's events and keeps them on the share.

    Args:
        node: the writing node.
        share: the site's folder on the shared drive.
        key: the site key.
    """

    def __init__(self, node: Node, share: Share, key: bytes) -> None:
        self.node = node
        self.share = share
        self.key = key
        identity = node.identity
        self.node_id = identity.node_id
        self.site = identity.site_id
        self.install = node.store.get_meta("install") or ""
        self._run = secrets.token_hex(3)
        self._writers: dict[str, SegmentWriter] = {}
        self._racy: dict[str, float] = {}  # path → when written, for whole-second times

    # -- export -------------------------------------------------------------------------------

    def exported_seq(self) -> int:
        """Returns the last sequence number known to be on the share."""
        return int(self.node.store.get_meta("exported_seq") or 0)

    def current(self) -> dict[str, str]:
        """Returns day → the segment this PC appends to (the last two days it wrote)."""
        days = sorted(d for d, w in self._writers.items() if not w.broken)[-2:]
        return {day: self._writers[day].path.name for day in days}

    def break_writers(self) -> None:
        """Forgets the open segments (after an error their tails may be torn)."""
        for writer in self._writers.values():
            writer.broken = True

    def export(self) -> int:
        """Appends our unsent events to segments, fsynced, in batches of
        :data:`EXPORT_BATCH` (a PC back after a long time offline never holds them all in
        memory); returns how many."""
        sent = 0
        while True:
            cur = self.node.store.conn.execute(
                f"SELECT {COLUMNS} FROM events WHERE node_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (self.node_id, self.exported_seq(), EXPORT_BATCH),
            )
            events = [Event.from_row(r) for r in cur.fetchall()]
            if not events:
                return sent
            for day, chunk in _runs_by_day(events):
                self._append(day, chunk)
                self.node.store.set_meta("exported_seq", str(chunk[-1].seq))
                sent += len(chunk)

    def _append(self, day: str, chunk: list[Event], republish: bool = False) -> None:
        """Appends a run of events to the day's segment (a new one for a republished run,
        which keeps every file one contiguous run of numbers)."""
        writer = None if republish else self._writers.get(day)
        if writer is None or writer.broken:
            writer = self._new_writer(day, chunk, keep=not republish)
        try:
            self._write(writer, day, chunk)
        except FileChanged:  # someone changed our file: these events go to a new one
            self._write(self._new_writer(day, chunk, keep=not republish), day, chunk)

    def _new_writer(self, day: str, chunk: list[Event], keep: bool) -> SegmentWriter:
        name = f"seg-{chunk[0].seq:09d}-{self.install[:8]}-{self._run}-{secrets.token_hex(2)}.log"
        path = self.share.node_folder(day, self.node_id) / name
        writer = SegmentWriter(path, self.key, Header(self.site, self.node_id, self.install,
                                                      chunk[0].seq))  # fmt: skip
        if keep:
            self._writers[day] = writer
        return writer

    def _write(self, writer: SegmentWriter, day: str, chunk: list[Event]) -> None:
        try:
            writer.append(chunk)
        except FileChanged:
            raise  # nothing was written: the changed file is read back by the audit
        except BaseException:
            self._record(writer.path, day, chunk, intact=False)
            raise
        self._record(writer.path, day, chunk)

    def _record(self, path: Path, day: str, chunk: list[Event], intact: bool = True) -> None:
        """Remembers what this PC wrote into a file and the file as it is now.

        A failed write records no size: the file may have been changed before it (cut
        short, closed by an ACL), and recording it as it is now would make the audit take
        it as this PC left it and never read it back; it is read back next round.
        """
        try:
            info = path.stat()
            size, mtime = info.st_size, info.st_mtime_ns
        except OSError:
            size, mtime, intact = -1, 0, False
        if not intact:
            size, mtime = -1, 0  # read back next round
        elif mtime % 1_000_000_000 == 0:
            self._racy[str(path)] = time.monotonic()
        self.node.store.conn.execute(
            "INSERT INTO own_segments (path, day, first_seq, last_seq, size, mtime_ns, intact) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET "
            "first_seq = min(first_seq, excluded.first_seq), "
            "last_seq = max(last_seq, excluded.last_seq), size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, intact = excluded.intact",
            (str(path), day, chunk[0].seq, chunk[-1].seq, size, mtime, int(intact)),
        )

    # -- reading back -------------------------------------------------------------------------

    def audit(self, days: list[str] | None, problems: list[str]) -> Audit:
        """Reads back this PC's segments of ``days`` (None: all days) that changed since
        written, or that it did not write; republishes what is missing, adopts its own
        events from before a restore, and names the files of another install.

        Every segment holds a contiguous run of sequence numbers (export appends runs in
        order; a republish writes each run to a file of its own), so what a file covers is
        its first and last number. An event is safe when an unchanged, intact file covers
        it, or when its record was just read back intact.
        """
        audit = Audit(foreign=[])
        mine = {r["path"]: r for r in self.node.store.rows("SELECT * FROM own_segments")
                if days is None or r["day"] in days}  # fmt: skip
        found: dict[str, tuple[int, int]] = {}
        for day in days if days is not None else self._all_days(problems):
            folder = self.share.node_folder(day, self.node_id)
            for entry in self.share.files(folder, "seg-", ".log", problems):
                found[str(entry.path)] = (entry.size, entry.mtime_ns)
        present: set[int] = set()
        suspects: list[dict[str, Any]] = []
        safe: list[tuple[int, int]] = []
        for path, (size, mtime) in found.items():
            row = mine.get(path)
            unchanged = row is not None and (row["size"], row["mtime_ns"]) == (size, mtime)
            if unchanged and not self._racy_due(path):
                if row is not None and row["intact"]:
                    safe.append((row["first_seq"], row["last_seq"]))
                continue  # as this PC left it
            self._racy.pop(path, None)
            seqs, intact = self._read_back(Path(path), row, audit, problems)
            present |= seqs
            if row is not None and not intact:
                suspects.append(row)
        missing = [row for path, row in mine.items() if path not in found]
        exported = self.exported_seq()
        lost = sorted({
            seq for row in (*suspects, *missing)
            for seq in range(row["first_seq"], row["last_seq"] + 1)
            if seq <= exported and seq not in present
            and not any(first <= seq <= last for first, last in safe)
        })  # fmt: skip
        if lost:
            audit.republished = self._republish(lost)
        for row in missing:
            self.node.store.conn.execute("DELETE FROM own_segments WHERE path = ?", (row["path"],))
        return audit

    def _racy_due(self, path: str) -> bool:
        """Tells whether a file written when its time could not tell a later change (see
        :data:`RACY_S`) is due to be read back once."""
        written = self._racy.get(path)
        return written is not None and time.monotonic() - written >= RACY_S

    def _read_back(self, path: Path, row: dict[str, Any] | None, audit: Audit,
                   problems: list[str]) -> tuple[set[int], bool]:  # fmt: skip
        """Reads one of this node's files; returns its intact sequence numbers and whether
        it holds every number it should."""
        try:
            result = read_segment(path, self.key, self.site, node_id=self.node_id)
            info = path.stat()
        except OSError:
            return set(), False
        header = result.header
        if header is not None and header.install != self.install:
            assert audit.foreign is not None
            audit.foreign.append(path.name)
            return set(), True
        seqs = {int(r[1]) for r in result.rows}
        if row is None and result.rows:
            audit.adopted += self._adopt(path, result.rows, audit)
        if result.problem:
            problems.append(f"{path.name}（この端末の記録）: {result.problem}")
        if row is not None:
            first, last = row["first_seq"], row["last_seq"]
        else:
            first = min(seqs, default=header.first_seq if header else 0)
            last = max(seqs, default=first)
        intact = not result.problem and all(s in seqs for s in range(first, last + 1))
        self.node.store.conn.execute(
            "INSERT INTO own_segments (path, day, first_seq, last_seq, size, mtime_ns, intact) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, intact = excluded.intact",
            (str(path), path.parent.parent.parent.name, first, last, info.st_size,
             info.st_mtime_ns, int(intact)),
        )  # fmt: skip
        return seqs, intact

    def _adopt(self, path: Path, rows: list[tuple[Any, ...]], audit: Audit) -> int:
        """Takes this PC's own events from the share back into its log (after a restore).

        A record of the same number as an event here, but not the same event, was written
        by a clone: nothing is taken and the file is named in ``audit.foreign``.
        """
        first = min(int(r[1]) for r in rows)
        have = {int(e.seq): e for e in self.node.store.events("node_id = ? AND seq >= ?",
                                                             (self.node_id, first))}  # fmt: skip
        # Same number, another event (its clock and kind tell; a purge may have changed the
        # payload of an event that is the same one).
        if any(int(r[1]) in have and (have[int(r[1])].hlc, have[int(r[1])].type) != (r[2], r[3])
               for r in rows):  # fmt: skip
            assert audit.foreign is not None
            audit.foreign.append(path.name)
            return 0
        new = [Event.from_row(r) for r in rows if int(r[1]) not in have]
        if not new:
            return 0
        cursor = (str(path), self.node_id, 0, None, None, -1, 0)
        fresh, _ = self.node.store.apply_remote(new, cursor)
        top = max(e.seq for e in new)
        if top > self.exported_seq():
            self.node.store.set_meta("exported_seq", str(top))
        return fresh

    def _republish(self, seqs: list[int]) -> int:
        """Writes these events again, each contiguous run into a new segment of its own."""
        marks = ",".join("?" * len(seqs))
        events = sorted(self.node.store.events(f"node_id = ? AND seq IN ({marks})",
                                               (self.node_id, *seqs)), key=lambda e: e.seq)  # fmt: skip
        run: list[Event] = []
        for event in events:
            if run and event.seq != run[-1].seq + 1:
                self._write_run(run)
                run = []
            run.append(event)
        if run:
            self._write_run(run)
        return len(events)

    def _write_run(self, run: list[Event]) -> None:
        for day, chunk in _runs_by_day(run):
            self._append(day, chunk, republish=True)

    def _all_days(self, problems: list[str]) -> list[str]:
        return [p.name for p in self.share.folders(self.share.days, problems)]

    # -- purge ------------------------------------------------------------------------------

    def scrub(self, problems: list[str] | None = None) -> int:
        """Rewrites our own segments without the names that a purge removed.

        Only the PC that wrote a segment ever touches it: it writes a scrubbed copy under a
        new name (fsynced) and then deletes the original. Readers dedupe the events by
        (node, seq), so nothing is applied twice.

        On Windows a file another PC is reading at that moment cannot be deleted (a sharing
        violation): the original is then remembered and deleted in a later round, once
        nobody holds it; its scrubbed copy is already on the share, so the file is never
        rewritten twice.

        Args:
            problems: where an original that could not be deleted yet is reported.

        Returns:
            How many segment files were rewritten.
        """
        self._delete_scrubbed(problems)
        row = self.node.store.row("SELECT max(before) AS b FROM purges")
        before = (row or {}).get("b")
        if not before or before <= (self.node.store.get_meta("scrubbed_before") or ""):
            return 0
        rewritten = 0
        pending = self._pending_deletes()
        for path in sorted(self.share.days.glob(f"*/nodes/{self.node_id}/seg-*.log")):
            if str(path) in pending:
                continue  # already rewritten; only its deletion waits
            result = read_segment(path, self.key, self.site, node_id=self.node_id)
            if result.header is None or not any(_named_before(r, before) for r in result.rows):
                continue
            day = path.parent.parent.parent.name
            self._writers.pop(day, None)  # never append to a file that is going away
            scrubbed = [Event.from_row(_scrub(r) if _named_before(r, before) else r)
                        for r in result.rows]  # fmt: skip
            # one suffix, not one more per purge: a file of bookings for weeks ahead is
            # scrubbed at every purge, and Windows limits a path to 260 characters
            stem = _SCRUBBED.sub("", path.stem)
            writer = SegmentWriter(path.with_name(f"{stem}-p{secrets.token_hex(2)}.log"),
                                   self.key, result.header)  # fmt: skip
            writer.append(scrubbed)
            self._record(writer.path, day, scrubbed)
            pending.add(str(path))
            self._set_pending(pending)
            rewritten += 1
        self.node.store.set_meta("scrubbed_before", str(before))
        self._delete_scrubbed(problems)
        return rewritten

    def _pending_deletes(self) -> set[str]:
        return set(json.loads(self.node.store.get_meta("scrub_pending") or "[]"))

    def _set_pending(self, pending: set[str]) -> None:
        self.node.store.set_meta("scrub_pending", json.dumps(sorted(pending)))

    def _delete_scrubbed(self, problems: list[str] | None) -> None:
        """Deletes the originals of scrubbed segments; one held open stays for later."""
        pending = self._pending_deletes()
        if not pending:
            return
        for name in sorted(pending):
            path = Path(name)
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                if problems is not None:
                    problems.append(f"{path.name}: 名前を消した写しに置き換え済みです。元の"
                                    f"ファイルは次の同期で削除します（{describe(exc)}）")  # fmt: skip
                continue
            pending.discard(name)
            self.node.store.conn.execute("DELETE FROM own_segments WHERE path = ?", (name,))
        self._set_pending(pending)


def _named_before(row: tuple[Any, ...], before: str) -> bool:
    if row[3] != "reservation.booked":
        return False
    payload = json.loads(row[8])
    return bool(payload.get("name_kana")) and str(payload.get("day", "")) <= before


def _scrub(row: tuple[Any, ...]) -> tuple[Any, ...]:
    payload = json.loads(row[8])
    payload.pop("name_kana", None)
    payload_json = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return (*row[:8], payload_json, row[9])


def _runs_by_day(events: list[Event]) -> Iterator[tuple[str, list[Event]]]:
    """Splits events (in seq order) into runs of the same day."""
    run: list[Event] = []
    day = ""
    for event in events:
        event_day = day_of(event.hlc >> 16).isoformat()
        if run and event_day != day:
            yield day, run
            run = []
        day = event_day
        run.append(event)
    if run:
        yield day, run
