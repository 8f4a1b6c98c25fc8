"""Junk on the LAN port, on a real socket: garbage, oversized, altered, truncated, wrong-key,
other-site, replayed and flooding datagrams among a counter's real calls. Every one is
counted by its reason and ignored; the calls arrive, exactly once; the PC goes on."""

from __future__ import annotations

import random
import socket
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from app.core.actor import Actor
from app.lan.path import LanPath
from app.lan.wire import MAX_DATAGRAM, Hello, Sealer, lan_key, row_json
from app.queue.tickets import TicketService
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import KEY, site_node

FLOOR = Actor("fm", "floor_manager")
CLERK = Actor("cl", "clerk", "1")


@pytest.mark.skipif(sys.platform != "linux", reason="other loopback addresses: Linux")
def test_junk_on_the_lan_port_is_counted_and_ignored(tmp_path: Path, clock: FakeClock) -> None:
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    display = site_node(tmp_path, "display", clock, block=3, role="display", staff=False)
    board = LanPath(display)
    assert board.open()
    target = ("127.0.0.1", board.status.port)
    rng = random.Random(20261124)
    # The counter's real moves, sealed as its LAN path seals them.
    service = TicketService(counter)
    numbers = [service.issue(FLOOR, "pin", "self")["ticket_id"] for _ in range(30)]
    for ticket in numbers:
        service.call(CLERK, ticket)
    events = list(counter.store.events("type LIKE 'ticket.%'"))
    sealer = Sealer(lan_key(bytes.fromhex(KEY)), "test", counter.identity.node_id, 5)
    legit = [sealer.hello(Hello("counter", "counter-1", 9, "127.0.0.1", "ok"))]
    legit += [sealer.events([row_json(e) for e in events[i : i + 4]], [])
              for i in range(0, len(events), 4)]  # fmt: skip
    wrong_key = Sealer(lan_key(bytes.fromhex("cd" * 32)), "test", "nx", 1)
    other_site = Sealer(lan_key(bytes.fromhex(KEY)), "another", "nx", 1)
    junk: list[tuple[str, bytes]] = []
    for _ in range(400):
        junk.append(("garbage", bytes(rng.randrange(256) for _ in range(rng.randrange(1, 1400)))))
    for _ in range(20):
        junk.append(("oversized", bytes(rng.randrange(MAX_DATAGRAM + 1, 60_000))))
    for _ in range(300):
        packet = bytearray(rng.choice(legit[1:]))
        packet[rng.randrange(40, len(packet))] ^= 1 << rng.randrange(8)  # one bit flipped
        junk.append(("forged", bytes(packet)))
    for _ in range(100):
        packet = rng.choice(legit[1:])
        junk.append(("forged", packet[: rng.randrange(40, len(packet) - 1)]))  # cut short
    for _ in range(100):
        junk.append(("forged", wrong_key.events([row_json(rng.choice(events))], [])))
    for _ in range(30):
        junk.append(("foreign", other_site.events([row_json(rng.choice(events))], [])))

    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # the counter, 127.0.0.1
    others = []  # other machines on the LAN, each within its rate
    for host in range(2, 9):
        machine = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        machine.bind((f"127.0.0.{host}", 0))
        others.append(machine)

    def pump(count: int) -> None:
        """Serves the board's path until it has taken (or refused) ``count`` datagrams."""
        deadline = time.monotonic() + 10
        while board.status.received + sum(board.ignored.values()) < count:
            assert time.monotonic() < deadline
            board.step(0.01)

    order = [("legit", p) for p in legit[1:]] + junk
    rng.shuffle(order)
    sent = 0
    for kind, datagram in [("legit", legit[0]), *order]:  # the hello first
        (sender if kind == "legit" else others[sent % 6]).sendto(datagram, target)
        sent += 1
        if sent % 20 == 0 or len(datagram) > 8000:  # never more than the socket's buffer
            pump(sent)
    pump(sent)
    for datagram in legit[1:]:  # the counter's packets replayed
        sender.sendto(datagram, target)
        sent += 1
    pump(sent)
    flood = others[6]
    for _ in range(12):  # one machine floods the port
        for _ in range(100):
            flood.sendto(b"x" * 64, target)
        sent += 100
        pump(sent)
    for sock in (sender, *others):
        sock.close()

    expected = Counter(kind for kind, _ in junk)
    assert {k: board.ignored[k] for k in ("forged", "foreign", "oversized")} == {
        k: expected[k] for k in ("forged", "foreign", "oversized")
    }
    assert board.ignored["garbage"] + board.ignored["flooded"] == expected["garbage"] + 1200
    assert board.ignored["flooded"] > 0  # one machine may not flood the port
    assert board.ignored["replayed"] == len(legit) - 1
    assert board.ignored["error"] == 0 and board.status.received == len(legit)
    # The log holds the counter's real events, each once, and nothing else.
    got = display.store.rows("SELECT node_id, seq FROM events ORDER BY seq")
    assert [(r["node_id"], r["seq"]) for r in got] == [(e.node_id, e.seq) for e in events]
    called = display.store.rows("SELECT count(*) AS n FROM tickets WHERE state = 'called'")
    assert called == [{"n": len(numbers)}]
    # The PC goes on: the share's copies change nothing, rebuild == live.
    SyncService(counter).once()
    SyncService(display).once()
    assert display.store.event_count() == counter.store.event_count()  # each event once
    live = display.store.projection_dump()
    display.store.rebuild()
    assert display.store.projection_dump() == live
    board.close()
    counter.close()
    display.close()
