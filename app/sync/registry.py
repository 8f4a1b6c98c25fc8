"""The registry on the share: each PC's heartbeat, and what this PC learns from the others'.

Every round a PC rewrites ``registry/<node_id>.json`` (its name, role, install, number block,
wall clock and how far it has exported). Others read it to know when they last heard from
it and how far its clock is from the file server's (the file's modification time is the
server's clock). A PC also reads its own record: written by another install of itself, or
saying it had exported further than it has now, it shows that the folder was copied or
restored from a backup.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.node import Node
from app.sync.share import Share

#: How much later another PC must be heard from before its row is rewritten (ms).
HEARD_STEP_MS = 15_000
#: How far its clock offset must move before its row is rewritten (ms).
OFFSET_STEP_MS = 250
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEGMENT = re.compile(r"^seg-[0-9A-Za-z-]+\.log$")


@dataclass(frozen=True)
class OwnRecord:
    """What the registry says of this node id (possibly written by another install)."""

    install: str
    exported_seq: int


class Registry:
    """The registry folder, for one node.

    Args:
        node: the node.
        share: the site's folder on the shared drive.
    """

    def __init__(self, node: Node, share: Share) -> None:
        self.node = node
        self.share = share
        self.node_id = node.identity.node_id

    @property
    def own_path(self) -> Path:
        """Returns this node's heartbeat file."""
        return self.share.registry / f"{self.node_id}.json"

    def heartbeat(self, exported_seq: int, segments: dict[str, str] | None = None) -> None:
        """Writes this node's record (raises OSError when the share cannot be written).

        Args:
            exported_seq: the last sequence number on the share.
            segments: day → the segment this node appends to now; other PCs read it there
                before their SMB client's cached listing shows it.
        """
        identity = self.node.identity
        self.share.registry.mkdir(parents=True, exist_ok=True)
        record = {
            "node_id": self.node_id, "name": identity.name, "role": identity.role,
            "site": identity.site_id, "install": self.node.store.get_meta("install") or "",
            "issuer_block": identity.issuer_block, "wall_ms": self.node.now_ms(),
            "exported_seq": exported_seq, "segments": segments or {},
        }  # fmt: skip
        write_record(self.own_path, json.dumps(record).encode("utf-8"))

    def own_record(self) -> OwnRecord | None:
        """Returns this node id's record as the share has it, or None (none, or being
        rewritten this instant)."""
        try:
            record = json.loads(self.own_path.read_text(encoding="utf-8"))
            return OwnRecord(str(record.get("install") or ""), int(record.get("exported_seq", 0)))
        except (OSError, ValueError, TypeError):
            return None

    def blocks(self) -> dict[int, str]:
        """Returns block → node id of every other PC's record (set up before claims)."""
        found: dict[int, str] = {}
        for record, _, _ in self._others():
            block = record.get("issuer_block")
            if isinstance(block, int):
                found[block] = str(record.get("node_id"))
        return found

    def same_name(self, name: str) -> list[dict[str, Any]]:
        """Returns the records of other PCs of that name (a PC reinstalled, or a mistake)."""
        return [r for r, _, _ in self._others() if r.get("name") == name]

    def read_others(self) -> dict[str, dict[str, str]]:
        """Stores what every other PC's record says (last heard, clock offset).

        Every PC rewrites its record each round, so a row changes only when it says
        something new: another name, role, block or install, a clock offset that moved by
        :data:`OFFSET_STEP_MS`, or a last-heard time :data:`HEARD_STEP_MS` later. A quiet
        site then leaves the database alone, and the windows that watch it do not redraw
        for nothing.

        Returns:
            node id → day → the segment each PC says it appends to now.
        """
        own = _read(self.own_path)
        own_skew = _skew(*own) if own is not None else None
        announced: dict[str, dict[str, str]] = {}
        for record, path, mtime_ms in self._others():
            segments = record.get("segments")
            node_id = str(record.get("node_id"))
            if isinstance(segments, dict) and path.stem == node_id:
                announced[node_id] = {d: n for d, n in segments.items() if isinstance(d, str)
                                      and isinstance(n, str) and _DAY.match(d)
                                      and _SEGMENT.match(n)}  # fmt: skip
            try:
                skew = _skew(record, mtime_ms)
            except (TypeError, ValueError):
                continue  # not a heartbeat this PC understands
            age_ms = 0 if own is None else own[1] - mtime_ms
            offset = None if skew is None or own_skew is None else skew - own_skew
            self.node.store.conn.execute(
                "INSERT INTO sync_nodes (node_id, name, role, issuer_block, install, "
                "last_heard_ms, clock_offset_ms) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(node_id) DO UPDATE SET name = excluded.name, role = excluded.role, "
                "issuer_block = excluded.issuer_block, install = excluded.install, "
                "last_heard_ms = excluded.last_heard_ms, clock_offset_ms = excluded.clock_offset_ms "
                "WHERE name IS NOT excluded.name OR role IS NOT excluded.role "
                "OR issuer_block IS NOT excluded.issuer_block OR install IS NOT excluded.install "
                "OR last_heard_ms IS NULL OR excluded.last_heard_ms - last_heard_ms >= ? "
                "OR (clock_offset_ms IS NULL) != (excluded.clock_offset_ms IS NULL) "
                "OR abs(clock_offset_ms - excluded.clock_offset_ms) >= ?",
                (record.get("node_id"), record.get("name"), record.get("role"),
                 record.get("issuer_block"), record.get("install"),
                 self.node.now_ms() - (offset or 0) - max(0, age_ms), offset,
                 HEARD_STEP_MS, OFFSET_STEP_MS),
            )  # fmt: skip
        return announced

    def _others(self) -> list[tuple[dict[str, Any], Path, int]]:
        """Returns every other PC's record, its file and the file's time (ms, server)."""
        folder = self.share.registry
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.glob("*.json")):
            if path.name == self.own_path.name:
                continue
            read = _read(path)
            if read is not None:
                found.append((read[0], path, read[1]))
        return found


def write_record(path: Path, data: bytes) -> None:
    """Rewrites a heartbeat in place, in one write.

    Not a new file renamed over the old one: on Windows a file another PC is reading cannot
    be replaced (a sharing violation), while it can be written, and a reader that meets
    the record half-written skips it until the next round. ``madoguchi --smoke`` checks it
    on the share (:mod:`app.sync.probe`).
    """
    with open(path, "wb") as f:
        f.write(data)


def _read(path: Path) -> tuple[dict[str, Any], int] | None:
    """Returns a heartbeat and its file's time (ms, the file server's clock), or None (none,
    unreadable, or being rewritten this instant: next round).

    The time is asked through the handle the record was read with: a path's time may come
    from the SMB client's cache, ten seconds older than the record read now, and the clock
    offset would be off by as much.
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
            mtime_ns = os.fstat(f.fileno()).st_mtime_ns
        record = json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return None
    return (record, mtime_ns // 1_000_000) if isinstance(record, dict) else None


def _skew(record: dict[str, Any], mtime_ms: int) -> int | None:
    """Returns a node's wall clock minus the file server's clock when it wrote."""
    wall = record.get("wall_ms")
    return None if wall is None else int(wall) - mtime_ms
