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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.node import Node
from app.lan.path import ADDRESS
from app.sync.share import Share

#: How much later another PC must be heard from before its row is rewritten (ms).
HEARD_STEP_MS = 15_000
#: How far its clock offset must move before its row is rewritten (ms).
OFFSET_STEP_MS = 250


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

    def heartbeat(self, exported_seq: int) -> None:
        """Writes this node's record (raises OSError when the share cannot be written)."""
        identity = self.node.identity
        self.share.registry.mkdir(parents=True, exist_ok=True)
        record = {
            "node_id": self.node_id, "name": identity.name, "role": identity.role,
            "site": identity.site_id, "install": self.node.store.get_meta("install") or "",
            "issuer_block": identity.issuer_block, "wall_ms": self.node.now_ms(),
            "exported_seq": exported_seq, "lan": self.node.store.get_meta(ADDRESS),
        }  # fmt: skip
        self.own_path.write_text(json.dumps(record), encoding="utf-8")

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
        for record, _ in self._others():
            block = record.get("issuer_block")
            if isinstance(block, int):
                found[block] = str(record.get("node_id"))
        return found

    def same_name(self, name: str) -> list[dict[str, Any]]:
        """Returns the records of other PCs of that name (a PC reinstalled, or a mistake)."""
        return [r for r, _ in self._others() if r.get("name") == name]

    def read_others(self) -> None:
        """Stores what every other PC's record says (last heard, clock offset, the address
        of its LAN path).

        Every PC rewrites its record each round, so a row changes only when it says
        something new: another name, role, block or install, a clock offset that moved by
        :data:`OFFSET_STEP_MS`, or a last-heard time :data:`HEARD_STEP_MS` later. A quiet
        site then leaves the database alone, and the windows that watch it do not redraw
        for nothing. The LAN address a PC announces is taken when it announces a new one
        (it was moved, its address changed); in between, the address its packets come from
        is the one kept (:mod:`app.lan.peers`), and it stays known when the share is gone.
        """
        own_skew = self._skew(self.own_path) if self.own_path.exists() else None
        for record, path in self._others():
            try:
                skew = self._skew(path, record)
            except (OSError, ValueError):
                continue  # being rewritten; next round
            offset = None if skew is None or own_skew is None else skew - own_skew
            lan = _text(record.get("lan"))
            self.node.store.conn.execute(
                "INSERT INTO sync_nodes (node_id, name, role, issuer_block, install, "
                "last_heard_ms, clock_offset_ms, lan_address, lan_announced) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(node_id) DO UPDATE SET name = excluded.name, role = excluded.role, "
                "issuer_block = excluded.issuer_block, install = excluded.install, "
                "last_heard_ms = excluded.last_heard_ms, clock_offset_ms = excluded.clock_offset_ms, "
                "lan_address = CASE WHEN lan_announced IS NOT excluded.lan_announced "
                "THEN coalesce(excluded.lan_announced, lan_address) ELSE lan_address END, "
                "lan_announced = excluded.lan_announced "
                "WHERE name IS NOT excluded.name OR role IS NOT excluded.role "
                "OR issuer_block IS NOT excluded.issuer_block OR install IS NOT excluded.install "
                "OR last_heard_ms IS NULL OR excluded.last_heard_ms - last_heard_ms >= ? "
                "OR (clock_offset_ms IS NULL) != (excluded.clock_offset_ms IS NULL) "
                "OR abs(clock_offset_ms - excluded.clock_offset_ms) >= ? "
                "OR lan_announced IS NOT excluded.lan_announced",
                (record.get("node_id"), record.get("name"), record.get("role"),
                 record.get("issuer_block"), record.get("install"),
                 self.node.now_ms() - (offset or 0) - max(0, int(self._age_ms(path))), offset,
                 lan, lan, HEARD_STEP_MS, OFFSET_STEP_MS),
            )  # fmt: skip

    def _others(self) -> list[tuple[dict[str, Any], Path]]:
        folder = self.share.registry
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.glob("*.json")):
            if path.name == self.own_path.name:
                continue
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # being rewritten, or unreadable: next round
            if isinstance(record, dict):
                found.append((record, path))
        return found

    def _age_ms(self, path: Path) -> float:
        try:
            return (self.own_path.stat().st_mtime - path.stat().st_mtime) * 1000
        except OSError:
            return 0.0

    @staticmethod
    def _skew(path: Path, record: dict[str, Any] | None = None) -> int | None:
        """Returns a node's wall clock minus the file server's clock when it wrote."""
        data = record if record is not None else json.loads(path.read_text(encoding="utf-8"))
        wall = data.get("wall_ms")
        return None if wall is None else int(wall) - int(path.stat().st_mtime * 1000)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= 300 else None
