"""Sync through the shared folder: one round of a PC with the share (design.md §4).

A round, in order:

1. the share itself must be reachable, else the PC is offline and carries on alone;
2. this PC's own records on the share are checked: another install writing under its node id
   (a clone) halts its writes; its own events from before a restored backup are taken back;
3. the heartbeat, the number block's claim, the export of unsent events, and the reading back
   of this PC's segments (what a damaged or deleted file lost is written again);
4. every other PC's new records are imported (even while halted: reading harms nobody);
5. names purged here are scrubbed from this PC's own segments.

Nothing here ever waits on the share or raises because of it: a share that is gone, renamed
or read-only, a file that is locked or damaged, are reported and the next round picks up
where this one stopped.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.core.node import Node
from app.model.clock import day_of
from app.sync.blocks import BlockClaims, BlockTaken
from app.sync.reader import SegmentReader
from app.sync.registry import Registry
from app.sync.share import Share, ShareUnreachable, describe
from app.sync.writer import FULL_CHECK_EVERY, SegmentExporter

log = logging.getLogger(__name__)

#: Full scans of every day folder happen this often (in rounds); otherwise today only.
FULL_SCAN_EVERY = 60
#: Above this many unread bytes a round catches up in bulk: events are stored file by
#: file and the projections rebuilt once at the end (a PC back from a long absence).
BULK_BYTES = 1_000_000

CLONE = (
    "別のPCがこの端末と同じ端末IDで共有フォルダに書き込んでいます（複製されたPC）。番号や記録の"
    "重複を防ぐため、この端末の記録を止めました。システム担当者に連絡してください（複製した側は "
    "madoguchi identity renew で新しい端末にします）"
)
BEHIND = (
    "共有フォルダには、この端末のデータより新しいこの端末の記録があります（古いバックアップから"
    "戻したか、複製されたデータフォルダです）。この端末だけにある記録と番号が重なるため、記録を"
    "止めました。システム担当者に連絡してください"
)


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
    write_failed: bool = False
    republished: int = 0
    adopted: int = 0

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
        self.site = identity.site_id
        if share_dir is None:  # the setting; empty: this PC has no share (never the cwd)
            share_dir = Path(identity.share_dir) if identity.share_dir.strip() else None
        self.share = Share(share_dir, identity.site_id)
        key = bytes.fromhex(node.store.get_meta("site_key") or "")
        self.install = node.store.get_meta("install") or ""
        self.registry = Registry(node, self.share)
        self.exporter = SegmentExporter(node, self.share, key)
        self.reader = SegmentReader(node, self.share, key, bulk_bytes)
        self.blocks = BlockClaims(self.share)
        self._rounds = 0
        self._block_seen = False

    # -- one round ------------------------------------------------------------------------

    def once(self) -> SyncReport:
        """Runs one round (see the module docstring). Never raises for the share."""
        report = SyncReport()
        self._rounds += 1
        try:
            self.share.check()
            if self.node.store.projections_stale:  # a catch-up was cut short
                self.node.store.rebuild()
            self._check_own_record(report)
            if self.node.halted() is None:
                self._write(report)
            announced = self.registry.read_others()
            live = self._recent_days()
            days = sorted(set(self._days_to_read()) | {d for segs in announced.values()
                                                       for d in segs if d in live})  # fmt: skip
            report.imported = self.reader.import_days(days, report.problems, live, announced)
            if self._full_scan() and self.node.store.get_meta("block_after_import") == "1":
                # a block taken over: today's numbers of the PC it replaces are in now
                self.node.store.set_meta("block_proven", "1")
                self.node.store.conn.execute("DELETE FROM meta WHERE key = 'block_after_import'")
            if self.node.halted() is None and not report.write_failed:
                self.exporter.scrub(report.problems)
        except ShareUnreachable as exc:
            report.offline = True
            report.message = (
                f"共有フォルダに接続できません（{exc.strerror or exc}）。この端末はそのまま使えます"
            )
            self.exporter.break_writers()
        halted = self.node.halted()
        if halted is not None:
            report.clone_alarm = True
            report.message = halted
        report.waiting = self.waiting()
        return report

    def waiting(self) -> int:
        """Returns how many of our events have not reached the share yet."""
        row = self.node.store.row(
            "SELECT count(*) AS n FROM events WHERE node_id = ? AND seq > ?",
            (self.node_id, self.exporter.exported_seq()),
        )
        return int((row or {}).get("n") or 0)

    def export(self) -> int:
        """Appends our unsent events to segments (see :class:`SegmentExporter`)."""
        return self.exporter.export()

    def import_all(self, problems: list[str]) -> int:
        """Reads every other node's new records of the days due this round."""
        return self.reader.import_days(self._days_to_read(), problems)

    # -- the parts of a round -------------------------------------------------------------------

    def _check_own_record(self, report: SyncReport) -> None:
        """Halts this node when the share shows another install of it, or a newer self."""
        own = self.registry.own_record()
        if own is None:
            return
        if own.install and own.install != self.install:
            self.node.halt(CLONE)
            return
        if own.exported_seq > self.exporter.exported_seq():
            # A restored backup: take our own newer events back from the share, if no event
            # of ours here was made after the restore (it would share their numbers).
            local = self.node.store.row(
                "SELECT max(seq) AS m FROM events WHERE node_id = ?", (self.node_id,)
            )
            if int((local or {}).get("m") or 0) > self.exporter.exported_seq():
                self.node.halt(BEHIND)
                return
            audit = self.exporter.audit(None, report.problems)
            report.adopted += audit.adopted
            if audit.foreign:
                self.node.halt(CLONE)
            elif own.exported_seq > self.exporter.exported_seq():
                self.node.halt(BEHIND)  # what the heartbeat promised is not all there

    def _write(self, report: SyncReport) -> None:
        try:
            self._ensure_block(report)
            report.exported = self.exporter.export()
            self._heartbeat(report)
            full = self._rounds % FULL_CHECK_EVERY == 0
            audit = self.exporter.audit(None if full else self._recent_days(), report.problems)
            report.republished, report.adopted = audit.republished, report.adopted + audit.adopted
            if audit.foreign:
                self.node.halt(CLONE)
        except ShareUnreachable:
            raise
        except OSError as exc:
            report.write_failed = True
            report.message = (
                f"共有フォルダに書き込めません（{exc.strerror or exc}）。この端末の記録は端末内に"
                "安全に保存され、書き込めるようになると送られます"
            )
            self.exporter.break_writers()

    def _heartbeat(self, report: SyncReport) -> None:
        """Rewrites this PC's heartbeat. Held by another program that keeps others from
        writing it (an antivirus scan on Windows) it waits for the next round: the events
        went out already, so the share is not reported unwritable for it."""
        try:
            self.registry.heartbeat(self.exporter.exported_seq(), self.exporter.current())
        except PermissionError as exc:
            if not self.registry.own_path.exists():
                raise  # the registry folder itself refuses: the share is not writable
            report.problems.append(f"{self.registry.own_path.name}: {describe(exc)}"
                                   "（次の同期で書き直します）")  # fmt: skip

    def _ensure_block(self, report: SyncReport) -> None:
        """Claims this PC's number block on the share (every PC may issue: a transfer does),
        or a free one when the block is another PC's. A proven block is looked at again only
        on full-scan rounds."""
        identity = self.node.identity
        if identity.block_proven and self._block_seen and not self._full_scan():
            return
        try:
            self.blocks.claim(identity.issuer_block, self.node_id, self.install, identity.name)
        except BlockTaken as taken:
            if identity.block_proven:
                report.problems.append(f"{taken}。この端末は新しい番号ブロックを使います")
            self._claim_free_block(identity.name)
            return
        self._block_seen = True
        if not identity.block_proven and self.node.store.get_meta("block_after_import") != "1":
            self.node.store.set_meta("block_proven", "1")

    def _claim_free_block(self, name: str) -> None:
        start = self.blocks.free_block(self.registry.blocks())
        for candidate in range(start, start + 20):  # another PC may take one this instant
            try:
                self.blocks.claim(candidate, self.node_id, self.install, name)
            except BlockTaken:
                continue
            self.node.store.set_meta("issuer_block", str(candidate))
            self.node.store.set_meta("block_proven", "1")
            self._block_seen = True
            log.info("number block %s claimed", candidate)
            return

    def _recent_days(self) -> list[str]:
        today = self.node.today()
        return sorted({today.isoformat(), day_of(self.node.now_ms() - 86_400_000).isoformat()})

    def _full_scan(self) -> bool:
        return self._rounds % FULL_SCAN_EVERY == 1 or FULL_SCAN_EVERY == 1

    def _days_to_read(self) -> list[str]:
        if self._full_scan():
            return [p.name for p in self.share.folders(self.share.days, [])]
        return [d for d in self._recent_days() if (self.share.days / d).is_dir()]

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

    def problem_files(self) -> list[dict[str, Any]]:
        """Returns the files on the share that could not be read whole (要確認)."""
        return self.node.store.rows(
            "SELECT path, node_id, problem FROM sync_files WHERE problem IS NOT NULL ORDER BY path"
        )
