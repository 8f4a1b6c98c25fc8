"""One madoguchi node (a PC): its identity, settings, catalog and local store.

Widgets and the CLI get a :class:`Node` passed in; nothing here is global.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.core.actor import Actor
from app.core.catalog import Catalog, load_catalog
from app.core.center_calendar import CenterCalendar
from app.core.errors import UserError
from app.core.privacy import check_payload
from app.core.settings import Settings, load_settings
from app.model.clock import day_of
from app.model.projection import Projection
from db.event import Event
from db.hlc import HybridClock, wall_ms_now
from db.migrations import applied_names, migration_names
from db.store import Store, StoreError, Writer

NODE_ROLES: dict[str, tuple[str, str]] = {
    "reception": ("受付", "Reception"),
    "counter": ("窓口", "Counter"),
    "display": ("呼出表示", "Display board"),
    "admin": ("管理", "Site manager"),
}
DB_FILE = "node.sqlite3"


class NodeError(UserError):
    """A node that cannot be set up or opened as asked; the message says why."""


@dataclass(frozen=True)
class Identity:
    """Who this PC is, set at ``madoguchi init`` and kept in its database."""

    node_id: str
    site_id: str
    name: str
    role: str
    share_dir: str
    printer: str
    counter: str | None
    lanes: tuple[str, ...]
    issuer_block: int

    def to_json(self) -> dict[str, Any]:
        """Returns the identity as a JSON object."""
        return {
            "node_id": self.node_id, "site_id": self.site_id, "name": self.name,
            "role": self.role, "share_dir": self.share_dir, "printer": self.printer,
            "counter": self.counter, "lanes": list(self.lanes),
            "issuer_block": self.issuer_block,
        }  # fmt: skip


class Recorder:
    """Appends events for an actor; every payload passes the privacy guard first."""

    def __init__(self, writer: Writer) -> None:
        self._writer = writer

    @property
    def next_seq(self) -> int:
        """Returns the sequence number the next appended event will get."""
        return self._writer._next_seq

    def append(
        self,
        type_: str,
        actor: Actor,
        *,
        ticket_id: str | None = None,
        prev: Iterable[str] = (),
        payload: dict[str, Any] | None = None,
    ) -> Event:
        """Appends one event done by ``actor`` at their counter."""
        check_payload(payload or {})
        return self._writer.append(
            type_,
            staff_id=actor.staff_id,
            ticket_id=ticket_id,
            prev=prev,
            counter=actor.counter,
            payload=payload,
        )


class Node:
    """A node's data folder opened for use.

    Args:
        data_dir: the node's folder (database, site overrides, logs).
        wall_ms: wall clock in epoch ms (tests and simulations inject their own).
    """

    def __init__(self, data_dir: Path, wall_ms: Callable[[], int] = wall_ms_now) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings: Settings = load_settings(self.data_dir / "site.toml")
        site_catalog = self.data_dir / "catalog.toml"
        self.catalog: Catalog = load_catalog(site_catalog if site_catalog.exists() else None)
        try:
            self.store = Store(self.data_dir / DB_FILE, Projection(), HybridClock(wall_ms))
        except StoreError as exc:
            raise NodeError(str(exc)) from exc

    # -- identity -------------------------------------------------------------------------

    @property
    def initialised(self) -> bool:
        """Tells whether ``madoguchi init`` has been run for this folder."""
        return self.store.get_meta("node_id") is not None

    @property
    def identity(self) -> Identity:
        """Returns this node's identity.

        Raises:
            NodeError: the folder was never set up with ``madoguchi init``.
        """
        node_id = self.store.get_meta("node_id")
        if node_id is None:
            raise NodeError(
                f"{self.data_dir} は初期設定されていません（madoguchi init を実行してください）"
            )
        meta = {r["key"]: r["value"] for r in self.store.rows("SELECT key, value FROM meta")}
        return Identity(
            node_id=node_id,
            site_id=meta["site_id"],
            name=meta["node_name"],
            role=meta["role"],
            share_dir=meta.get("share_dir", ""),
            printer=meta.get("printer", ""),
            counter=meta.get("counter") or None,
            lanes=tuple(json.loads(meta.get("lanes", "[]"))),
            issuer_block=int(meta.get("issuer_block", "0")),
        )

    def initialise(
        self,
        *,
        site_id: str,
        name: str,
        role: str,
        share_dir: str = "",
        printer: str = "",
        counter: str | None = None,
        lanes: Iterable[str] = (),
        issuer_block: int = 0,
        site_key: str | None = None,
    ) -> Identity:
        """Creates this node's identity (a new random node id).

        Args:
            site_key: the site's shared secret (hex) that signs every segment on the
                share; every PC of a site needs the same one. A new one is made if None.

        Raises:
            NodeError: already initialised, or a value is not acceptable.
        """
        if self.initialised:
            raise NodeError(f"{self.data_dir} は初期設定済みです（別のフォルダを指定してください）")
        if role not in NODE_ROLES:
            raise NodeError(f"役割 {role} はありません（{', '.join(NODE_ROLES)}）")
        lane_ids = tuple(lanes) or tuple(self.catalog.lanes)
        for lane in lane_ids:
            self.catalog.lane(lane)
        if not 0 <= issuer_block < 1000:
            raise NodeError("番号ブロックは 0〜999 にしてください")
        key = site_key or secrets.token_hex(32)
        try:
            if len(bytes.fromhex(key)) < 16:
                raise ValueError
        except ValueError:
            raise NodeError("拠点キーは32文字以上の16進数にしてください") from None
        values = {
            # The letter keeps an id (and the ticket ids made from it) from ever being 12
            # bare digits, which the privacy guard would take for a My Number.
            "node_id": "n" + secrets.token_hex(6),
            "site_id": site_id,
            "node_name": name,
            "role": role,
            "share_dir": share_dir,
            "printer": printer,
            "counter": counter or "",
            "lanes": json.dumps(list(lane_ids)),
            "issuer_block": str(issuer_block),
            "site_key": key,
            "install": secrets.token_hex(8),
        }
        check_payload(values)
        self.store.conn.execute("BEGIN IMMEDIATE")
        for key, value in values.items():
            self.store.set_meta(key, value)
        self.store.conn.execute("COMMIT")
        return self.identity

    def configure_counter(
        self, actor: Actor, counter: str | None, lanes: Iterable[str]
    ) -> Identity:
        """Changes this PC's counter number and the lanes it calls (a site manager's job).

        Raises:
            AuthError: the actor may not change the site's setup.
            CatalogError: an unknown lane.
        """
        actor.require("calendar.edit")
        lane_ids = tuple(lanes) or tuple(self.catalog.lanes)
        for lane in lane_ids:
            self.catalog.lane(lane)
        if counter is not None and not counter.strip():
            raise NodeError("窓口番号を入力してください")
        self.store.set_meta("counter", (counter or "").strip())
        self.store.set_meta("lanes", json.dumps(list(lane_ids)))
        return self.identity

    # -- time and writing -------------------------------------------------------------------

    def now_ms(self) -> int:
        """Returns the node's wall clock in epoch milliseconds."""
        return self.store.clock.wall_ms()

    def today(self) -> date:
        """Returns the center's calendar day now."""
        return day_of(self.now_ms())

    @contextmanager
    def write(self, durable: bool = False) -> Iterator[Recorder]:
        """Opens a write transaction (see :meth:`db.store.Store.write`)."""
        with self.store.write(durable=durable) as writer:
            yield Recorder(writer)

    # -- calendar ---------------------------------------------------------------------------

    def calendar(self) -> CenterCalendar:
        """Returns the center calendar with the ad-hoc closures recorded so far."""
        closures = {
            date.fromisoformat(r["day"]): r["reason"]
            for r in self.store.rows("SELECT day, reason FROM closures")
        }
        return CenterCalendar(self.settings.calendar, self.settings.reservations, closures)

    def data_version(self) -> int:
        """Returns a number that changes whenever another connection commits (a window sees
        the CLI's, the sync thread's or another window's changes by polling it)."""
        return int(self.store.conn.execute("PRAGMA data_version").fetchone()[0])

    def schema(self) -> tuple[list[str], list[str]]:
        """Returns the migrations this database has run and every migration there is."""
        return applied_names(self.store.db), migration_names()

    def close(self) -> None:
        """Closes the database."""
        self.store.close()
