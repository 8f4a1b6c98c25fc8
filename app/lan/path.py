"""The LAN path of one PC: its UDP socket and the loop that serves it.

Why UDP to each known PC, one port: a call must reach the board in a tenth of a second and
never wait on a PC that is off. A datagram is sent and forgotten in microseconds, with no
connection to set up or time out; the sender resends until the receiver acknowledges
(:mod:`app.lan.outbox`), and the share carries everything anyway. Broadcast and multicast
are often filtered between the switches of a city building; unicast to the addresses the
registry announces needs nothing of the network but the one port, the same on every PC
(setting ``lan.port``), open in the PCs' firewall.

One thread runs :meth:`LanPath.run`. It waits on the socket (and on :meth:`LanPath.wake`,
which the window calls right after it wrote), and:

- pushes this PC's new ticket events to every PC it knows, a move together with the
  ticket's earlier events (a board that missed the issue still shows the call); a PC heard
  for the first time since either started gets this PC's ticket events of the day;
- applies what arrives through the store's exactly-once apply (events are unique by
  ``(node_id, seq)``; the share's copy of the same event is then passed over) and
  acknowledges it; tells ``on_news`` when something new was applied;
- says hello to every PC every second, and writes who is heard when that changes
  (:mod:`app.lan.peers`);
- ignores and counts anything that is not an authentic, fresh packet of this site
  (:mod:`app.lan.wire`, :mod:`app.lan.guard`); nothing a packet holds is ever logged.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time as dtime
from typing import Any

from app.core.node import Node
from app.core.privacy import PrivacyError, check_payload
from app.lan.carried import WHOLE, carried
from app.lan.guard import Floods, Replays, Tally
from app.lan.outbox import Entry
from app.lan.peers import Peer, Peers, parse_address
from app.lan.wire import Hello, Packet, Rejected, Sealer, lan_key, open_packet, row_json
from app.model.clock import to_ms
from app.queue.links import SHARE_STATE
from db.event import COLUMNS, Event
from db.hlc import pack

log = logging.getLogger(__name__)

#: Meta keys: the address this PC announces in the registry, and the epoch of its LAN path
#: (one more at each start). Its state with the share (told in hellos) is kept by the sync.
ADDRESS, EPOCH = "lan_address", "lan_epoch"
#: Seconds between hellos, between looks at the addresses in the registry's copy, and
#: between checks of who is heard.
HELLO_EVERY, LOAD_EVERY, CHECK_EVERY = 1.0, 1.0, 0.25
#: The loop's longest wait; it also looks this often for ticket events another process of
#: this PC wrote (the command line; the window wakes it at once).
TICK = 0.25
#: Datagrams read per wake-up, and sent to one PC per pass: the loop stays responsive.
READ_BATCH, SEND_BATCH = 256, 16
#: This PC's ticket events of the day sent to a PC heard for the first time (the newest).
CATCH_UP = 1000
#: Ignored packets are summed up in the log at most this often (seconds).
LOG_EVERY = 60.0


@dataclass
class LanStatus:
    """What the LAN path of this PC is doing (for the windows and ``sync status``)."""

    port: int = 0
    problem: str = ""
    ignored: dict[str, int] = field(default_factory=dict)
    received: int = 0
    applied: int = 0
    sent: int = 0
    peers: list[dict[str, Any]] = field(default_factory=list)


def own_host(setting: str) -> str:
    """Returns the address others reach this PC at: the setting's, else the one this PC's
    traffic leaves from (no packet is sent to find it), else its host name's."""
    configured = parse_address(setting) if ":" in setting else None
    if setting:
        return configured[0] if configured else setting
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        host = str(probe.getsockname()[0])
    except OSError:
        host = ""
    finally:
        probe.close()
    if not host or host.startswith("0."):
        try:
            host = socket.gethostbyname(socket.gethostname())
        except OSError:
            host = "127.0.0.1"
    return host


class LanPath:
    """The LAN path of one node (see the module docstring).

    Args:
        node: the node, opened in the thread that runs the path.
        on_news: called (in that thread) when events that arrived were new here.
        clock: monotonic seconds (tests may drive it).
    """

    def __init__(self, node: Node, on_news: Callable[[], object] = lambda: None,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.node, self.on_news, self.clock = node, on_news, clock
        identity = node.identity
        self.node_id, self.site, self.role = identity.node_id, identity.site_id, identity.role
        self.name = identity.name
        self.settings = node.settings.lan
        self.key = lan_key(bytes.fromhex(node.store.get_meta("site_key") or ""))
        self.ignored = Tally()
        self.status = LanStatus()
        self.sock: socket.socket | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._floods = Floods()
        self._pushed = 0
        self._next_hello = self._next_load = self._next_check = self._next_poll = 0.0
        self._logged_at, self._logged = self.clock(), 0
        self.peers: Peers | None = None
        self.replays: Replays | None = None
        self.sealer: Sealer | None = None
        self.hello_host, self.hello_port = "", 0

    # -- starting and stopping ------------------------------------------------------------

    def open(self) -> bool:
        """Binds the port and announces it; False (and ``status.problem``) when the path
        cannot be used here (the port is taken): the PC works through the share alone."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if hasattr(socket, "SIO_UDP_CONNRESET"):  # Windows: a closed port must not break reads
            sock.ioctl(socket.SIO_UDP_CONNRESET, False)  # type: ignore[attr-defined]
        try:
            sock.bind(("", self.settings.port))
        except OSError as exc:
            sock.close()
            self.status.problem = f"UDP {self.settings.port}: {exc.strerror or exc}"
            log.warning("LAN path not available: %s", self.status.problem)
            return False
        sock.setblocking(False)
        self.sock = sock
        port = int(sock.getsockname()[1])
        self.status.port = port
        configured = parse_address(self.settings.address)
        announced = configured or (own_host(self.settings.address), port)
        self.hello_port = announced[1]
        self.hello_host = announced[0] if self.settings.address else ""
        store = self.node.store
        epoch = max(int(store.get_meta(EPOCH) or 0) + 1, self.node.now_ms())
        store.set_meta(EPOCH, str(epoch))
        store.set_meta(ADDRESS, f"{announced[0]}:{announced[1]}")
        self.sealer = Sealer(self.key, self.site, self.node_id, epoch)
        started = self.clock()
        self.peers = Peers(self.node, started)
        self.replays = Replays(self.peers.epochs())
        self._pushed = self._own_max()
        log.info("LAN path on UDP %s, announced as %s:%s", port, *announced)
        return True

    def close(self) -> None:
        """Closes the sockets."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        self._wake_r.close()
        self._wake_w.close()

    def wake(self) -> None:
        """Makes the loop look at once (this PC wrote something: push it now)."""
        with contextlib.suppress(OSError):
            self._wake_w.send(b"!")

    def run(self, stopping: Callable[[], bool]) -> None:
        """Serves the path until ``stopping()`` (looked at every :data:`TICK` seconds at
        least), sleeping until the next thing due when nothing arrives."""
        while not stopping():
            try:
                self.step(self._idle(self.clock()))
            except sqlite3.OperationalError as exc:  # busy past its timeout: go on next turn
                log.warning("LAN path: %s", exc)

    def _idle(self, now: float) -> float:
        """Returns how long the loop may wait for a packet before something is due."""
        due = [self._next_hello, self._next_check, self._next_poll]
        due += [t for peer in self.peers or [] if (t := peer.outbox.next_due()) is not None]
        return min(TICK, max(0.0, min(due) - now))

    # -- one turn of the loop ---------------------------------------------------------------

    def step(self, timeout: float) -> None:
        """Waits up to ``timeout`` seconds for a packet or a wake-up, then does what is due."""
        sock = self.sock
        if sock is None:
            return
        try:
            ready, _, _ = select.select([sock, self._wake_r], [], [], timeout)
        except (OSError, ValueError):
            return  # closed while waiting
        now = self.clock()
        if self._wake_r in ready:
            with contextlib.suppress(OSError):
                self._wake_r.recv(4096)
            self._next_poll = now  # this PC wrote: push it now
        if sock in ready:
            self._read(sock)
        self._duties()

    def _duties(self) -> None:
        assert self.peers is not None
        now = self.clock()
        if now >= self._next_poll:
            self._next_poll = now + TICK
            self._push_new(now)
        if now >= self._next_load:
            self._next_load = now + LOAD_EVERY
            self.peers.load(now)
        if now >= self._next_hello:
            self._next_hello = now + HELLO_EVERY
            self._say_hello()
        for peer in self.peers:
            self._flush(peer, now)
        if now >= self._next_check:
            self._next_check = now + CHECK_EVERY
            self.peers.check(now)
            self._log_ignored(now)

    # -- receiving ------------------------------------------------------------------------------

    def _read(self, sock: socket.socket) -> None:
        for _ in range(READ_BATCH):
            try:
                data, source = sock.recvfrom(65535)
            except BlockingIOError:
                return
            except OSError:  # an ICMP error of an earlier send, a datagram too large …
                continue
            try:
                self.receive(data, str(source[0]))
            except Rejected as exc:
                self.ignored[exc.reason] += 1
            except sqlite3.OperationalError:  # the database busy past its timeout: resent later
                self.ignored["busy"] += 1
            except Exception:  # a bug must not end the path; the packet's content is not logged
                log.exception("LAN packet could not be taken")
                self.ignored["error"] += 1

    def receive(self, data: bytes, source: str) -> None:
        """Takes one datagram from ``source`` (its IP address).

        Raises:
            Rejected: not taken; the reason is counted by the caller.
        """
        assert self.peers is not None and self.replays is not None
        now = self.clock()
        if not self._floods.allow(source, now):
            raise Rejected("flooded")
        packet = open_packet(self.key, data, self.site)
        if packet.node == self.node_id:
            raise Rejected("foreign", "own node id")
        fresh = self.replays.accept(packet.node, packet.epoch, packet.count)
        if fresh is None:
            raise Rejected("replayed")
        peer = self.peers.heard(packet.node, now)
        if peer is None:
            raise Rejected("unknown", "too many PCs")
        self.status.received += 1
        if fresh:
            self.peers.new_epoch(packet.node, packet.epoch)
            self._catch_up(peer, now)
        if packet.hello is not None:
            self.peers.hello(peer, packet.hello, source)
            self.peers.learn(packet.hello.known)
        elif packet.kind == "a":
            peer.outbox.ack(packet.ids)
        elif packet.kind == "v":
            self._apply(peer, packet)

    def _apply(self, peer: Peer, packet: Packet) -> None:
        ids = [e.id for e in (*packet.events, *packet.provisional)]
        whole = [e for e in packet.events if self._takes(e)]
        provisional = [e for e in packet.provisional if self._takes(e)]
        fresh = 0
        if whole or provisional:
            fresh, _ = self.node.store.apply_remote(whole, None, provisional)
        self._send(peer, self._sealer().acks(ids))
        if fresh:
            self.status.applied += fresh
            self.on_news()

    def _takes(self, event: Event) -> bool:
        """Tells whether an event that arrived may be applied here (never this PC's own;
        never one the privacy guard refuses)."""
        if event.node_id == self.node_id:
            return False
        try:
            check_payload(dict(event.payload))
        except PrivacyError:
            self.ignored["private"] += 1
            return False
        return True

    # -- sending --------------------------------------------------------------------------------

    def _sealer(self) -> Sealer:
        assert self.sealer is not None
        return self.sealer

    def _send(self, peer: Peer, datagrams: list[bytes]) -> None:
        if peer.address is None or self.sock is None:
            return
        for datagram in datagrams:
            try:
                self.sock.sendto(datagram, peer.address)
                self.status.sent += 1
            except OSError:  # unreachable now: resent later, or carried by the share
                return

    def _say_hello(self) -> None:
        assert self.peers is not None
        share = self.node.store.get_meta(SHARE_STATE) or "none"
        hello = Hello(self.role, self.name, self.hello_port, self.hello_host, share,
                      self.peers.heard_now(self.clock()))  # fmt: skip
        for peer in self.peers:
            self._send(peer, [self._sealer().hello(hello)])

    def _own_max(self) -> int:
        row = self.node.store.row("SELECT max(seq) AS m FROM events WHERE node_id = ?",
                                  (self.node_id,))  # fmt: skip
        return int((row or {}).get("m") or 0)

    def _push_new(self, now: float) -> None:
        """Queues this PC's ticket events written since the last look for every PC."""
        top = self._own_max()  # read first: what is written meanwhile goes at the next look
        if top <= self._pushed:
            return
        events = list(self.node.store.events(
            "node_id = ? AND seq > ? AND seq <= ? AND type LIKE 'ticket.%'",
            (self.node_id, self._pushed, top)))  # fmt: skip
        self._pushed = top
        items: dict[str, tuple[str, bytes]] = {}
        for event in sorted(events, key=lambda e: e.seq):
            history = [] if event.type == "ticket.issued" else self.node.store.ticket_events(
                str(event.ticket_id))  # fmt: skip
            for item in [*history, event]:
                travel = carried(item)
                if travel is not None:
                    items[item.id] = (travel[0], row_json(travel[1]))
        assert self.peers is not None
        for peer in self.peers:
            for key, (kind, row) in items.items():
                peer.outbox.add(key, kind, row, now)

    def _catch_up(self, peer: Peer, now: float) -> None:
        """Queues this PC's ticket events of the day for a PC heard first since either
        started (it may have missed them while one of the two was off)."""
        since = pack(to_ms(self.node.today(), dtime(0, 0)))
        cur = self.node.store.conn.execute(
            f"SELECT {COLUMNS} FROM events WHERE node_id = ? AND hlc >= ? "
            "AND type LIKE 'ticket.%' ORDER BY seq DESC LIMIT ?",
            (self.node_id, since, CATCH_UP),
        )
        for event in reversed([Event.from_row(r) for r in cur.fetchall()]):
            travel = carried(event)
            if travel is not None:
                peer.outbox.add(event.id, travel[0], row_json(travel[1]), now)

    def _flush(self, peer: Peer, now: float) -> None:
        """Sends what is due to a PC, as few datagrams as it takes (at most
        :data:`SEND_BATCH` a pass)."""
        if peer.address is None or not len(peer.outbox):
            return
        due = peer.outbox.due(now)
        sealer = self._sealer()
        room = sealer.room()
        for _ in range(SEND_BATCH):
            if not due:
                return
            packed: list[Entry] = []
            size = 0
            while due and size + len(due[0].row) + 1 <= room:
                size += len(due[0].row) + 1
                packed.append(due.pop(0))
            if not packed:  # one event larger than a datagram: the share carries it
                peer.outbox.ack((due.pop(0).key,))
                continue
            datagram = sealer.events([e.row for e in packed if e.kind == WHOLE],
                                     [e.row for e in packed if e.kind != WHOLE])  # fmt: skip
            self._send(peer, [datagram])
            peer.outbox.sent(packed, now)

    # -- telling ------------------------------------------------------------------------------

    def _log_ignored(self, now: float) -> None:
        total = sum(self.ignored.values())
        if total > self._logged and now - self._logged_at >= LOG_EVERY:
            log.warning("LAN: packets ignored so far: %s", self.ignored.line())
            self._logged, self._logged_at = total, now

    def snapshot(self) -> LanStatus:
        """Returns the path's state now."""
        status = self.status
        status.ignored = dict(self.ignored)
        now = self.clock()
        status.peers = [
            {"node_id": p.node_id, "name": p.name, "role": p.role, "heard": p.alive(now),
             "share": p.share, "waiting": len(p.outbox)}
            for p in (self.peers or [])
        ]  # fmt: skip
        return status
