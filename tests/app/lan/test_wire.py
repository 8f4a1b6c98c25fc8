"""The LAN packets: what a PC sends is read back as sent; anything else is refused with the
reason it is counted under."""

from __future__ import annotations

import json

import pytest

from app.lan.wire import (
    MAX_DATAGRAM,
    MAX_IDS,
    Hello,
    Rejected,
    Sealer,
    lan_key,
    open_packet,
    row_json,
)
from db.event import Event

KEY = lan_key(bytes.fromhex("ab" * 32))


def call(seq: int, reason: str = "") -> Event:
    payload = {"reason": reason} if reason else {}
    return Event("nc1", seq, (1_795_000_000_000 + seq) << 16, "ticket.called", "cl", "nr-1",
                 ("nr:1",), "3", payload)  # fmt: skip


def reason_of(data: bytes, site: str = "test", key: bytes = KEY) -> str:
    with pytest.raises(Rejected) as caught:
        open_packet(key, data, site)
    return caught.value.reason


def test_hello_events_and_acks_read_back_as_sent() -> None:
    sealer = Sealer(KEY, "test", "nc1", 7)
    hello = Hello("counter", "窓口3", 47150, "", "offline")
    packet = open_packet(KEY, sealer.hello(hello), "test")
    assert (packet.node, packet.epoch, packet.count, packet.kind) == ("nc1", 7, 1, "h")
    assert packet.hello == hello
    events = [call(1), call(2, "書類を取りに戻る")]
    datagram = sealer.events([row_json(events[0])], [row_json(events[1])])
    packet = open_packet(KEY, datagram, "test")
    assert packet.count == 2 and packet.events == (events[0],)
    assert packet.provisional == (events[1],)
    ids = [f"nr:{i}" for i in range(MAX_IDS + 3)]
    acks = sealer.acks(ids)
    assert len(acks) == 2
    assert [i for a in acks for i in open_packet(KEY, a, "test").ids] == ids


def test_events_fill_a_datagram_and_never_more() -> None:
    sealer = Sealer(KEY, "test", "nc1", 7)
    rows, size = [], 0
    seq = 1
    while size + len(row_json(call(seq))) + 1 <= sealer.room():
        rows.append(row_json(call(seq)))
        size += len(rows[-1]) + 1
        seq += 1
    datagram = sealer.events(rows, [])
    assert MAX_DATAGRAM - 120 < len(datagram) <= MAX_DATAGRAM
    assert len(open_packet(KEY, datagram, "test").events) == len(rows)
    with pytest.raises(ValueError):
        sealer.events(rows + rows[:3], [])


def test_what_is_not_an_authentic_packet_of_the_site_is_refused_by_its_reason() -> None:
    sealer = Sealer(KEY, "test", "nc1", 7)
    good = sealer.events([row_json(call(1))], [])
    assert reason_of(good + b"x" * (MAX_DATAGRAM - len(good) + 1)) == "oversized"
    assert reason_of(b"") == "garbage"
    assert reason_of(b"GET / HTTP/1.1\r\n\r\n") == "garbage"
    flipped = bytearray(good)
    flipped[-5] ^= 0x01
    assert reason_of(bytes(flipped)) == "forged"
    other_key = lan_key(bytes.fromhex("cd" * 32))
    assert reason_of(good, key=other_key) == "forged"
    assert reason_of(good, site="another") == "foreign"


def sealed(body: object) -> bytes:
    """A datagram with a correct signature around any body (what a PC with the key could
    send by mistake)."""
    import hmac

    raw = json.dumps(body).encode() if not isinstance(body, bytes) else body
    return b"MDL1" + hmac.digest(KEY, b"MDL1" + raw, "sha256") + raw


@pytest.mark.parametrize("body", [
    b"\xff\xfe not json", b"[1, 2]", {"s": "test"},
    {"s": "test", "n": "x", "e": 0, "c": 1, "k": "h"},
    {"s": "test", "n": "x", "e": 1, "c": 1, "k": "h", "r": "counter", "m": "", "p": 70000,
     "h": "", "sh": "ok"},
    {"s": "test", "n": "x", "e": 1, "c": 1, "k": "v", "ev": "no", "pv": []},
    {"s": "test", "n": "x", "e": 1, "c": 1, "k": "v", "ev": [[1, 2, 3]], "pv": []},
    {"s": "test", "n": "x", "e": 1, "c": 1, "k": "v", "pv": [],
     "ev": [["n", 1, 5, "staff.added", "t", "[]", "sm", None, "{}", 1]]},
    {"s": "test", "n": "x", "e": 1, "c": 1, "k": "v", "pv": [],
     "ev": [["n", 1, 5, "ticket.called", "t", "[]", "cl", "1", "{not json", 1]]},
    {"s": "test", "n": "x", "e": 1, "c": 1, "k": "v", "pv": [],
     "ev": [["n", 1, 5, "ticket.called", "t", "5", "cl", "1", "{}", 1]]},
    {"s": "test", "n": "x", "e": 1, "c": 1, "k": "v", "pv": [],
     "ev": [["n", 1, 5, "ticket.called", "t", "[]", "cl", "1", "[1]", 1]]},
    {"s": "test", "n": "x", "e": 1, "c": 1, "k": "a", "ids": [1, 2]},
    {"s": "test", "n": "x", "e": 1, "c": 1, "k": "z"},
])  # fmt: skip
def test_an_authentic_packet_that_is_not_what_its_kind_says_is_malformed(body: object) -> None:
    assert reason_of(sealed(body)) == "malformed"


def test_a_hello_tells_the_pcs_its_sender_hears() -> None:
    sealer = Sealer(KEY, "test", "nc1", 7)
    known = tuple((f"n{i:02d}", f"10.0.0.{i}:47150") for i in range(20))
    hello = Hello("counter", "窓口3", 47150, "", "ok", known)
    packet = open_packet(KEY, sealer.hello(hello), "test")
    assert packet.hello is not None and packet.hello.known == known[:16]  # at most 16
