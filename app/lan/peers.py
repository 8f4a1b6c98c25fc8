"""The other PCs of the site as this PC hears them on the LAN.

Their addresses come from the registry on the share (each PC announces its own; the sync
keeps the last one known in ``sync_nodes.lan_address``, so the path works when the share is
gone), from their hellos, which correct them (the address a hello came from is where that
PC is now), and from the hellos of the others, which tell the PCs they hear. Whether a PC is heard is kept in memory, and written to ``sync_nodes``
only when it changes (``lan_up``, ``lan_changed_ms``), so that a quiet site leaves the
database — and the windows that watch it — alone:

- heard: an authentic packet from it within :data:`SILENCE` seconds;
- not heard: silent that long after it was heard (``lan_changed_ms``: when that was
  noticed), or, once this PC hears some PC on the LAN (the path works here), never heard
  since the start (no time: its port may be closed, the share tells whether it is there);
- unknown (NULL): the path has not worked here since the start (the port is closed, or the
  site has a single PC); the share alone tells then.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.lan.outbox import Outbox
from app.queue.links import LAN_SILENCE_MS

if TYPE_CHECKING:
    from app.core.node import Node
    from app.lan.wire import Hello

#: Seconds without a packet after which a PC is not heard on the LAN (hellos go every
#: second: three in a row lost). A counter knows within five seconds that the board is gone.
SILENCE = LAN_SILENCE_MS / 1000
#: At most this many other PCs are followed (the rest of a packet storm is ignored).
MAX_PEERS = 64


def parse_address(text: str | None) -> tuple[str, int] | None:
    """Returns ``(host, port)`` of ``host:port``, or None."""
    if not text:
        return None
    host, _, port = text.rpartition(":")
    try:
        number = int(port)
    except ValueError:
        return None
    return (host, number) if host and 0 < number < 65536 else None


@dataclass
class Peer:
    """Another PC of the site."""

    node_id: str
    address: tuple[str, int] | None = None
    name: str | None = None
    role: str | None = None
    share: str | None = None
    heard: float | None = None  # monotonic seconds of its last authentic packet
    up: bool | None = None  # as last written to the database
    outbox: Outbox = field(default_factory=Outbox)

    def alive(self, now: float) -> bool:
        """Tells whether it was heard within :data:`SILENCE` seconds."""
        return self.heard is not None and now - self.heard <= SILENCE


class Peers:
    """The other PCs of one site.

    Args:
        node: this PC (its ``sync_nodes`` table and clock).
        started: when the LAN path started (monotonic seconds).
    """

    def __init__(self, node: Node, started: float) -> None:
        self.node = node
        self.own = node.identity.node_id
        self.started = started
        self.heard_any = False
        self._peers: dict[str, Peer] = {}
        # A new start has heard nobody yet: no PC is "heard" from an earlier run.
        node.store.conn.execute("UPDATE sync_nodes SET lan_up = NULL WHERE lan_up IS NOT NULL")
        self.load(started)

    def __iter__(self) -> Iterator[Peer]:
        return iter(list(self._peers.values()))

    def get(self, node_id: str) -> Peer | None:
        """Returns a PC known here, or None."""
        return self._peers.get(node_id)

    def load(self, now: float) -> None:
        """Takes the addresses, names and roles known from the registry (the address of a
        PC heard now is the one its packets come from)."""
        rows = self.node.store.rows(
            "SELECT node_id, name, role, lan_address FROM sync_nodes WHERE node_id != ?",
            (self.own,),
        )
        for row in rows:
            peer = self._peers.get(row["node_id"])
            if peer is None:
                if len(self._peers) >= MAX_PEERS:
                    continue
                peer = self._peers[row["node_id"]] = Peer(row["node_id"])
            peer.name, peer.role = row["name"] or peer.name, row["role"] or peer.role
            if not peer.alive(now):
                peer.address = parse_address(row["lan_address"]) or peer.address

    def heard(self, node_id: str, now: float) -> Peer | None:
        """Notes an authentic packet from a PC; returns it (None: too many PCs)."""
        peer = self._peers.get(node_id)
        if peer is None:
            if len(self._peers) >= MAX_PEERS:
                return None
            peer = self._peers[node_id] = Peer(node_id)
        if not peer.alive(now):
            peer.outbox.hurry(now)  # back after a silence: resend what waits at once
        peer.heard = now
        self.heard_any = True
        return peer

    def hello(self, peer: Peer, hello: Hello, source: str) -> None:
        """Takes what a hello says: where the PC is, who it is, its state with the share."""
        address = (hello.host or source, hello.port)
        changed = (address != peer.address, hello.share != peer.share,
                   (hello.name, hello.role) != (peer.name, peer.role))  # fmt: skip
        peer.address, peer.share = address, hello.share
        peer.name, peer.role = hello.name or peer.name, hello.role
        if any(changed):
            self.node.store.conn.execute(
                "INSERT INTO sync_nodes (node_id, name, role, lan_address, lan_share) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(node_id) DO UPDATE SET "
                "lan_address = excluded.lan_address, lan_share = excluded.lan_share, "
                "name = coalesce(name, excluded.name), role = coalesce(role, excluded.role)",
                (peer.node_id, peer.name, peer.role, f"{address[0]}:{address[1]}", hello.share),
            )

    def learn(self, known: tuple[tuple[str, str], ...]) -> None:
        """Takes the PCs another one hears, with their addresses, that this PC does not
        know yet (it missed them in the registry); the hellos then go both ways."""
        for node_id, text in known:
            address = parse_address(text)
            if node_id == self.own or address is None or node_id in self._peers:
                continue
            if len(self._peers) >= MAX_PEERS:
                return
            self._peers[node_id] = Peer(node_id, address)

    def heard_now(self, now: float) -> tuple[tuple[str, str], ...]:
        """Returns the PCs heard now and their addresses, for the hellos."""
        return tuple((p.node_id, f"{p.address[0]}:{p.address[1]}") for p in self
                     if p.address is not None and p.alive(now))  # fmt: skip

    def new_epoch(self, node_id: str, epoch: int) -> None:
        """Keeps the epoch a PC started (replays of an earlier one stay refused)."""
        self.node.store.conn.execute(
            "UPDATE sync_nodes SET lan_epoch = ? WHERE node_id = ? "
            "AND (lan_epoch IS NULL OR lan_epoch < ?)",
            (epoch, node_id, epoch),
        )

    def epochs(self) -> dict[str, int]:
        """Returns the epoch last heard from each PC."""
        rows = self.node.store.rows(
            "SELECT node_id, lan_epoch FROM sync_nodes WHERE lan_epoch IS NOT NULL"
        )
        return {r["node_id"]: int(r["lan_epoch"]) for r in rows}

    def check(self, now: float) -> None:
        """Writes who is heard and who is not, where that changed (see the module)."""
        for peer in self:
            alive = peer.alive(now)
            if alive:
                state: bool | None = True
            elif peer.up is True or (self.heard_any and now - self.started > SILENCE):
                state = False
            else:
                state = None
            if state is None or state == peer.up:
                continue
            peer.up = state
            # A PC never heard since the start has not "fallen silent": no time of change, and
            # the share alone tells whether it is there (its port may be closed).
            changed = self.node.now_ms() if peer.heard is not None else None
            self.node.store.conn.execute(
                "INSERT INTO sync_nodes (node_id, name, role, lan_up, lan_changed_ms) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(node_id) DO UPDATE SET "
                "lan_up = excluded.lan_up, lan_changed_ms = excluded.lan_changed_ms",
                (peer.node_id, peer.name, peer.role, int(state), changed),
            )
