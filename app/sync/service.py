"""Sync through the shared folder: export our events, read everyone else's.

The share holds only files that exactly one PC writes (design.md §4)::

    <share>/madoguchi/v1/<site>/registry/<node_id>.json
    <share>/madoguchi/v1/<site>/days/<YYYY-MM-DD>/nodes/<node_id>/seg-<first>-<install>-<run>.log

Nothing here ever waits on the share or raises because of it: a share that is gone,
renamed, read-only or full makes :meth:`SyncService.once` report ``offline`` and the
node carries on; the next round picks up where this one stopped.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.core.node import Node
from app.model.clock import day_of
from db.event import Event
from db.segments import Header, SegmentWriter, read_segment
from db.store import Cursor

#: Full scans of every day folder happen this often (in rounds); otherwise today only.
FULL_SCAN_EVERY = 60
#: Above this many unread bytes a round catches up in bulk: events are stored file by
#: file and the projections rebuilt once at the end (a PC back from a long absence).
BULK_BYTES = 1_000_000
#: Rows stored per transaction during a bulk catch-up (the UI can write in between).
BULK_ROWS = 50_000


@dataclass
class SyncReport:
    """What one round did."""

    offline: bool = False
    message: str = ""
    exported: int = 0
    imported: int = 0
    waiting: int = 0
    problems: list[str] = field(default_factory=list)
    clone_alarm: bool = False

    def to_json(self) -> dict[str, Any]:
        """Returns the report as a JSON object."""
        return asdict(self)


class SyncService:
    """One node's view of the shared folder.

    Args:
        node: the node that syncs.
        share_dir: the shared folder (default: the node's setting).
        bulk_bytes: above this many unread bytes a round catches up in bulk.
    """

    def __init__(self, node: Node, share_dir: Path | None = None,
                 bulk_bytes: int = BULK_BYTES) -> None:  # fmt: skip
        self.node = node
        identity = node.identity
        self.node_id = identity.node_id
        share = Path(share_dir) if share_dir is not None else Path(identity.share_dir)
        self.root = share / "madoguchi" / "v1" / identity.site_id
        self.site = identity.site_id
        self.key = bytes.fromhex(node.store.get_meta("site_key") or "")
        self.install = node.store.get_meta("install") or ""
        self._run = secrets.token_hex(3)
        self._writers: dict[str, SegmentWriter] = {}
        self._rounds = 0
        self._bulk_bytes = bulk_bytes

    # -- one round ------------------------------------------------------------------------

    def once(self) -> SyncReport:
        """Runs one round: heartbeat, export, import. Never raises for the share."""
        report = SyncReport()
        self._rounds += 1
        try:
            if not self.root.parent.parent.parent.is_dir():
                raise FileNotFoundError(2, "共有フォルダが見つかりません", str(self.root))
            if self.node.store.projections_stale:  # a catch-up was cut short
                self.node.store.rebuild()
            report.clone_alarm = self._check_clone()
            if not report.clone_alarm:
                self._heartbeat()
                report.exported = self.export()
            report.imported = self.import_all(report.problems)
            if not report.clone_alarm:
                self.scrub_segments()
        except OSError as exc:
            report.offline = True
            report.message = (
                f"共有フォルダに接続できません（{exc.strerror or exc}）。この端末はそのまま使えます"
            )
            for writer in self._writers.values():
                writer.broken = True
        if report.clone_alarm:
            report.message = (
                "別のPCがこの端末と同じ端末IDで書き込んでいます。書き込みを止めました。"
                "複製したPCは madoguchi init で新しい端末として設定してください"
            )
        report.waiting = self.waiting()
        return report

    def waiting(self) -> int:
        """Returns how many of our events have not reached the share yet."""
        row = self.node.store.row(
            "SELECT count(*) AS n FROM events WHERE node_id = ? AND seq > ?",
            (self.node_id, self._exported_seq()),
        )
        return int((row or {}).get("n") or 0)

    # -- writing ----------------------------------------------------------------------------

    def _exported_seq(self) -> int:
        return int(self.node.store.get_meta("exported_seq") or 0)

    def export(self) -> int:
        """Appends our unsent events to segments, fsynced; returns how many."""
        events = list(
            self.node.store.events("node_id = ? AND seq > ?", (self.node_id, self._exported_seq()))
        )
        events.sort(key=lambda e: e.seq)
        sent = 0
        for day, chunk in _runs_by_day(events):
            writer = self._writers.get(day)
            if writer is None or writer.broken:
                name = f"seg-{chunk[0].seq:09d}-{self.install[:8]}-{self._run}.log"
                path = self.root / "days" / day / "nodes" / self.node_id / name
                header = Header(self.site, self.node_id, self.install, chunk[0].seq)
                writer = SegmentWriter(path, self.key, header)
                self._writers[day] = writer
            writer.append(chunk)
            self.node.store.set_meta("exported_seq", str(chunk[-1].seq))
            sent += len(chunk)
        return sent

    def scrub_segments(self) -> int:
        """Rewrites our own segments without the names that a purge removed.

        Only the PC that wrote a segment ever touches it: it writes a scrubbed copy under a
        new name (fsynced) and then deletes the original. Readers dedupe the events by
        (node, seq), so nothing is applied twice.

        Returns:
            How many segment files were rewritten.
        """
        row = self.node.store.row("SELECT max(before) AS b FROM purges")
        before = (row or {}).get("b")
        if not before or before <= (self.node.store.get_meta("scrubbed_before") or ""):
            return 0
        rewritten = 0
        for path in sorted(self.root.glob(f"days/*/nodes/{self.node_id}/seg-*.log")):
            result = read_segment(path, self.key, self.site)
            if result.header is None or not any(_named_before(r, before) for r in result.rows):
                continue
            day = path.parent.parent.parent.name
            self._writers.pop(day, None)  # never append to a file that is going away
            scrubbed = [Event.from_row(_scrub(r) if _named_before(r, before) else r)
                        for r in result.rows]  # fmt: skip
            name = f"{path.stem}-p{secrets.token_hex(2)}.log"
            writer = SegmentWriter(path.with_name(name), self.key, result.header)
            writer.append(scrubbed)
            path.unlink()
            rewritten += 1
        self.node.store.set_meta("scrubbed_before", str(before))
        return rewritten

    def _heartbeat(self) -> None:
        identity = self.node.identity
        folder = self.root / "registry"
        folder.mkdir(parents=True, exist_ok=True)
        record = {
            "node_id": self.node_id, "name": identity.name, "role": identity.role,
            "site": self.site, "install": self.install, "issuer_block": identity.issuer_block,
            "wall_ms": self.node.now_ms(), "exported_seq": self._exported_seq(),
        }  # fmt: skip
        (folder / f"{self.node_id}.json").write_text(json.dumps(record), encoding="utf-8")

    def _check_clone(self) -> bool:
        """Tells whether another machine writes under our node id (then we stop)."""
        path = self.root / "registry" / f"{self.node_id}.json"
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return False
        except ValueError:
            return False  # being rewritten; look again next round
        return bool(record.get("install")) and record.get("install") != self.install

    # -- reading ----------------------------------------------------------------------------

    def _day_folders(self) -> Iterator[Path]:
        days = self.root / "days"
        if not days.is_dir():
            return
        if self._rounds % FULL_SCAN_EVERY == 1 or FULL_SCAN_EVERY == 1:
            yield from sorted(p for p in days.iterdir() if p.is_dir())
        else:
            today = self.node.today()
            for name in sorted(
                {today.isoformat(), day_of(self.node.now_ms() - 86_400_000).isoformat()}
            ):
                if (days / name).is_dir():
                    yield days / name

    def import_all(self, problems: list[str]) -> int:
        """Reads every other node's new records and applies them; returns how many."""
        known = {r["path"]: r for r in self.node.store.rows("SELECT * FROM sync_files")}
        todo: list[tuple[Path, dict[str, Any] | None]] = []
        unread = 0
        for day in self._day_folders():
            nodes = day / "nodes"
            if not nodes.is_dir():
                continue
            for node_dir in sorted(nodes.iterdir()):
                if node_dir.name == self.node_id:
                    continue
                for path in sorted(node_dir.glob("seg-*.log")):
                    row = known.get(str(path))
                    size = path.stat().st_size
                    if row is not None and (row["problem"] or size <= row["offset"]):
                        continue
                    todo.append((path, row))
                    unread += size - (row["offset"] if row else 0)
        bulk = unread > self._bulk_bytes
        applied = 0
        pending: list[tuple[str, list[tuple[Any, ...]], Cursor]] = []
        for path, row in todo:
            if not bulk:
                applied += self._import_file(path, row, problems)
                continue
            node_id, rows, cursor = self._read_file(path, row, problems)
            pending.append((node_id, rows, cursor))
            if sum(len(p[1]) for p in pending) >= BULK_ROWS:
                applied += self._store_bulk(pending)
                pending = []
        applied += self._store_bulk(pending)
        if bulk and self.node.store.projections_stale:
            self.node.store.rebuild()
        self._read_registry()
        return applied

    def _read_file(
        self, path: Path, row: dict[str, Any] | None, problems: list[str]
    ) -> tuple[str, list[tuple[Any, ...]], Cursor]:
        """Reads a segment's new records; returns its node, the rows and the new cursor."""
        size = path.stat().st_size
        header = None
        if row is not None and row["header"]:
            h = json.loads(row["header"])
            header = Header(h["site"], h["node_id"], h["install"], h["first_seq"])
        result = read_segment(path, self.key, self.site, row["offset"] if row else 0, header)
        if result.problem:
            problems.append(f"{path.name}: {result.problem}")
        if result.header is not None and result.header.node_id != path.parent.name:
            result.problem = result.problem or "フォルダと端末IDが一致しません"
            result.rows = []
        node_id = result.header.node_id if result.header else path.parent.name
        header_json = json.dumps(asdict(result.header)) if result.header else None
        return node_id, result.rows, (str(path), node_id, result.offset, header_json,
                                      result.problem, size)  # fmt: skip

    def _import_file(self, path: Path, row: dict[str, Any] | None, problems: list[str]) -> int:
        node_id, rows, cursor = self._read_file(path, row, problems)
        fresh, ahead = self.node.store.apply_remote([Event.from_row(r) for r in rows], cursor)
        self._count(node_id, fresh, ahead)
        return fresh

    def _store_bulk(self, pending: list[tuple[str, list[tuple[Any, ...]], Cursor]]) -> int:
        if not pending:
            return 0
        outcome = self.node.store.insert_remote([(rows, cursor) for _, rows, cursor in pending])
        for (node_id, _, _), (fresh, ahead) in zip(pending, outcome, strict=True):
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

    def _read_registry(self) -> None:
        folder = self.root / "registry"
        if not folder.is_dir():
            return
        own = folder / f"{self.node_id}.json"
        own_skew = self._skew(own) if own.exists() else None
        for path in folder.glob("*.json"):
            if path.name == own.name:
                continue
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
                skew = self._skew(path, record)
            except (OSError, ValueError):
                continue  # being rewritten; next round
            offset = None if skew is None or own_skew is None else skew - own_skew
            self.node.store.conn.execute(
                "INSERT INTO sync_nodes (node_id, name, role, issuer_block, install, "
                "last_heard_ms, clock_offset_ms) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(node_id) DO UPDATE SET name = excluded.name, role = excluded.role, "
                "issuer_block = excluded.issuer_block, install = excluded.install, "
                "last_heard_ms = excluded.last_heard_ms, clock_offset_ms = excluded.clock_offset_ms",
                (record.get("node_id"), record.get("name"), record.get("role"),
                 record.get("issuer_block"), record.get("install"),
                 self.node.now_ms() - (offset or 0) - max(0, int(self._age_ms(path))), offset),
            )  # fmt: skip

    def _age_ms(self, path: Path) -> float:
        own = self.root / "registry" / f"{self.node_id}.json"
        try:
            return (own.stat().st_mtime - path.stat().st_mtime) * 1000
        except OSError:
            return 0.0

    @staticmethod
    def _skew(path: Path, record: dict[str, Any] | None = None) -> int | None:
        """Returns a node's wall clock minus the file server's clock when it wrote."""
        data = record if record is not None else json.loads(path.read_text(encoding="utf-8"))
        wall = data.get("wall_ms")
        return None if wall is None else int(wall) - int(path.stat().st_mtime * 1000)

    # -- status ----------------------------------------------------------------------------

    def status(self) -> list[dict[str, Any]]:
        """Returns what we know of every other node, for the status bar and the CLI."""
        rows = self.node.store.rows("SELECT * FROM sync_nodes ORDER BY name, node_id")
        conflicts = self.node.store.rows(
            "SELECT counter, conflicts FROM tickets WHERE conflicts != '[]'"
        )
        alarm_ms = self.node.settings.sync.clock_alarm_seconds * 1000
        for row in rows:
            offset = row["clock_offset_ms"]
            row["clock_alarm"] = bool(
                (offset is not None and abs(offset) > alarm_ms) or row["ahead_ms"] > alarm_ms
            )
            row["conflicts"] = len(conflicts)
        return rows


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
