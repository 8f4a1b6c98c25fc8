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

from app.core.actor import NODE_ROLES, Actor
from app.core.catalog import Catalog, load_catalog
from app.core.center_calendar import CenterCalendar
from app.core.errors import UserError
from app.core.machine import fingerprint
from app.core.privacy import check_payload
from app.core.settings import Settings, load_settings
from app.core.sharepath import ShareError, check_site_id, normalise_share
from app.model.clock import day_of
from app.model.projection import Projection
from db.event import Event
from db.hlc import HybridClock, wall_ms_now
from db.migrations import applied_names, migration_names
from db.store import Store, StoreError, Writer

DB_FILE = "node.sqlite3"
#: Meta key of a demo PC's clock: milliseconds added to the wall clock, so that a demo made
#: at any hour runs inside the opening hours of an open day (:mod:`app.sim.demo`).
DEMO_CLOCK = "demo_clock_ms"
COPIED = (
    "この端末（{name}）のデータは別のPCか別のフォルダから複製されたものです。番号や記録の重複を"
    "防ぐため、この端末では発券・呼出しなどの記録を止めています。システム担当者に連絡してください"
    "（複製なら madoguchi identity renew で新しい端末に、同じPCの移動・名前変更なら madoguchi "
    "identity confirm で確認します）"
)


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
    #: The number block is this PC's for sure (claimed on the share, or set by hand).
    block_proven: bool = True

    def to_json(self) -> dict[str, Any]:
        """Returns the identity as a JSON object."""
        return {
            "node_id": self.node_id, "site_id": self.site_id, "name": self.name,
            "role": self.role, "share_dir": self.share_dir, "printer": self.printer,
            "counter": self.counter, "lanes": list(self.lanes),
            "issuer_block": self.issuer_block, "block_proven": self.block_proven,
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
        """Appends one event done by ``actor`` at their counter.

        Raises:
            PrivacyError: a My Number in any field of the event: its payload, who did it,
                the counter, the ticket.
        """
        check_payload(payload or {})
        check_payload({"職員ID": actor.staff_id, "窓口番号": actor.counter or "",
                       "整理券": ticket_id or ""})  # fmt: skip
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
        self._machine: str | None = None
        self._shift_ms = 0
        try:
            self.store = Store(self.data_dir / DB_FILE, Projection(),
                               HybridClock(lambda: wall_ms() + self._shift_ms))  # fmt: skip
        except StoreError as exc:
            raise NodeError(str(exc)) from exc
        self._shift_ms = int(self.store.get_meta(DEMO_CLOCK) or 0)

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
            block_proven=meta.get("block_proven", "1") == "1",
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
        block_proven: bool = True,
    ) -> Identity:
        """Creates this node's identity (a new random node id).

        Args:
            site_key: the site's shared secret (hex) that signs every segment on the
                share; every PC of a site needs the same one. A new one is made if None.
            block_proven: the caller made sure no other PC holds ``issuer_block``; if not,
                the node issues no ticket until its sync claims a block on the share.

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
        try:
            check_site_id(site_id)
            share_dir = normalise_share(share_dir, site_id) if share_dir.strip() else ""
        except ShareError as exc:
            raise NodeError(str(exc)) from None
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
            "machine": fingerprint(self.data_dir),
            "block_proven": "1" if block_proven else "0",
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
        check_payload({"窓口番号": counter or ""})
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

    @property
    def demo_clock(self) -> bool:
        """Tells whether this PC runs on a demo clock (see :meth:`set_demo_clock`)."""
        return self._shift_ms != 0

    def set_demo_clock(self, shift_ms: int) -> None:
        """Runs this PC's clock ``shift_ms`` ahead of the wall clock (behind if negative),
        for good: a demo site's PCs all get the same shift. Real PCs never have one."""
        self.store.set_meta(DEMO_CLOCK, str(int(shift_ms)))
        self._shift_ms = int(shift_ms)

    @contextmanager
    def write(self, durable: bool = False) -> Iterator[Recorder]:
        """Opens a write transaction (see :meth:`db.store.Store.write`).

        Raises:
            NodeError: this node may not write (a copied data folder, or a clone found on
                the share); the message says why and what to do.
        """
        reason = self.halted()
        if reason is not None:
            raise NodeError(reason)
        with self.store.write(durable=durable) as writer:
            yield Recorder(writer)

    # -- is this node itself? ------------------------------------------------------------------

    def halted(self) -> str | None:
        """Returns why this node may not write events now, or None when it may.

        A data folder whose machine fingerprint is not the one recorded at set-up was copied
        (see :mod:`app.core.machine`); a node the sync found written by another install of
        itself on the share is halted by :meth:`halt`.
        """
        stored = self.store.get_meta("machine")
        if stored is None:
            if self.initialised:  # set up before fingerprints: this is where it lives
                self.store.set_meta("machine", self._fingerprint())
        elif stored != self._fingerprint():
            return COPIED.format(name=self.store.get_meta("node_name") or "")
        return self.store.get_meta("halted")

    def renew_identity(self, actor: Actor, name: str) -> Identity:
        """Makes a copied data folder a new PC of the site: a new node id, install and
        fingerprint, a new name, and no number block until its sync claims one. The events
        it holds stay (they are the other PCs', and the original's, which it still shares).

        Raises:
            AuthError: the actor may not set PCs up.
            NodeError: the name is empty or is this node's own.
        """
        actor.require("node.setup")
        name = name.strip()
        if not name or name == self.identity.name:
            raise NodeError("新しい端末名を入力してください（元の端末と同じ名前は使えません）")
        values = {"node_id": "n" + secrets.token_hex(6), "node_name": name,
                  "install": secrets.token_hex(8), "machine": fingerprint(self.data_dir),
                  "block_proven": "0", "exported_seq": "0"}  # fmt: skip
        check_payload(values)
        self.store.conn.execute("BEGIN IMMEDIATE")
        for key, value in values.items():
            self.store.set_meta(key, value)
        self.store.conn.execute("DELETE FROM meta WHERE key = 'halted'")
        self.store.conn.execute("COMMIT")
        self._machine = None
        return self.identity

    def confirm_identity(self, actor: Actor) -> Identity:
        """Accepts this folder where it is now (the same PC moved or renamed): records the
        fingerprint of here and lifts a halt.

        Raises:
            AuthError: the actor may not set PCs up.
        """
        actor.require("node.setup")
        self.store.conn.execute("BEGIN IMMEDIATE")
        self.store.set_meta("machine", fingerprint(self.data_dir))
        self.store.conn.execute("DELETE FROM meta WHERE key = 'halted'")
        self.store.conn.execute("COMMIT")
        self._machine = None
        return self.identity

    def halt(self, reason: str) -> None:
        """Stops this node's writes until a person renews or confirms its identity."""
        self.store.set_meta("halted", reason)

    def _fingerprint(self) -> str:
        if self._machine is None:
            self._machine = fingerprint(self.data_dir)
        return self._machine

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
        return applied_names(self.store.conn), migration_names()

    def close(self) -> None:
        """Closes the database."""
        self.store.close()
