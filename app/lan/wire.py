"""The LAN packets: one UDP datagram each, signed with the site key.

A datagram is::

    b"MDL1" + HMAC-SHA256(LAN key, b"MDL1" + body) + body

The body is compact JSON (UTF-8). The LAN key is made from the site key
(HMAC-SHA256(site key, "madoguchi lan v1")), so a packet can never pass for a segment
record, nor a record for a packet. Every body names the site (``s``), the sending PC
(``n``), its epoch (``e``: a number that grows at each start of its LAN path), a counter
that grows with each packet it sends (``c``) and the kind (``k``); the epoch and counter
let a receiver refuse a packet it has seen before (:mod:`app.lan.guard`).

Kinds:

- ``h`` hello, every second to every PC it knows: role (``r``), name (``m``), the port
  (``p``) and host (``h``; empty: the address the packet came from) to reach it, its own
  state with the shared folder (``sh``), and the PCs it hears with their addresses (``pc``:
  a PC that missed one in the registry learns it from the others);
- ``v`` events: ticket events as ``events`` rows, whole (``ev``) or provisional (``pv``, a
  field that never travels on the LAN withheld: :mod:`app.lan.carried`);
- ``a`` acknowledgement: the ids (``node:seq``) of the events received (``ids``).

A datagram is at most :data:`MAX_DATAGRAM` bytes, one Ethernet frame. Anything else — too
long, not a madoguchi packet, signed with another key or altered, of another site, a body
that is not what its kind says — raises :class:`Rejected`, whose reason is what the
receiver counts it under.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from db.event import Event

MAGIC = b"MDL1"
#: The largest datagram sent or accepted: it fits one Ethernet frame (1500 bytes less the IP
#: and UDP headers), so no packet is ever cut into IP fragments.
MAX_DATAGRAM = 1400
_MAC = 32
_HEAD = len(MAGIC) + _MAC
#: Event ids in one acknowledgement (well inside a datagram).
MAX_IDS = 48
#: PCs a hello tells of (a site has about ten).
MAX_KNOWN = 16
#: Shares states a hello may tell.
SHARE_STATES = ("ok", "offline", "write_failed", "halted", "none", "")


class Rejected(Exception):
    """A datagram that is not an authentic packet of this site.

    Attributes:
        reason: ``oversized``, ``garbage``, ``forged`` (another key, or altered),
            ``foreign`` (another site) or ``malformed`` (authentic, but not a valid body).
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def lan_key(site_key: bytes) -> bytes:
    """Returns the key of the LAN packets, made from the site key."""
    return hmac.digest(site_key, b"madoguchi lan v1", "sha256")


@dataclass(frozen=True)
class Hello:
    """What a hello says of its sender."""

    role: str
    name: str
    port: int
    host: str
    share: str
    known: tuple[tuple[str, str], ...] = ()  # (node id, host:port) of the PCs it hears


@dataclass(frozen=True)
class Packet:
    """An authentic packet, read.

    Attributes:
        node: the sending PC.
        epoch: the sender's epoch (grows at each start of its LAN path).
        count: the packet's number within the epoch.
        kind: ``h``, ``v`` or ``a``.
        hello: a hello's content.
        events: whole events.
        provisional: provisional events (a field withheld).
        ids: the event ids acknowledged.
    """

    node: str
    epoch: int
    count: int
    kind: str
    hello: Hello | None = None
    events: tuple[Event, ...] = ()
    provisional: tuple[Event, ...] = ()
    ids: tuple[str, ...] = field(default_factory=tuple)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def row_json(event: Event) -> bytes:
    """Returns an event's row as it travels in a packet."""
    return _dumps(list(event.to_row()))


class Sealer:
    """Makes the packets of one PC, numbering them.

    Args:
        key: the LAN key (:func:`lan_key`).
        site: the site id.
        node: this PC's node id.
        epoch: this start's epoch.
    """

    def __init__(self, key: bytes, site: str, node: str, epoch: int) -> None:
        self._key, self.site, self.node, self.epoch = key, site, node, epoch
        self.count = 0

    def _seal(self, kind: str, fields: dict[str, Any], raw: bytes = b"") -> bytes:
        self.count += 1
        head = {"s": self.site, "n": self.node, "e": self.epoch, "c": self.count, "k": kind}
        body = _dumps({**head, **fields})
        if raw:  # pre-encoded lists of rows, spliced in before the closing brace
            body = body[:-1] + b"," + raw + b"}"
        datagram = MAGIC + hmac.digest(self._key, MAGIC + body, "sha256") + body
        if len(datagram) > MAX_DATAGRAM:
            raise ValueError(f"packet of {len(datagram)} bytes")
        return datagram

    def hello(self, hello: Hello) -> bytes:
        """Returns a hello."""
        return self._seal("h", {"r": hello.role, "m": hello.name, "p": hello.port,
                                "h": hello.host, "sh": hello.share,
                                "pc": [list(k) for k in hello.known[:MAX_KNOWN]]})  # fmt: skip

    def acks(self, ids: list[str]) -> list[bytes]:
        """Returns the acknowledgements of these event ids (as many packets as it takes)."""
        return [self._seal("a", {"ids": ids[i : i + MAX_IDS]}) for i in range(0, len(ids), MAX_IDS)]

    def room(self) -> int:
        """Returns the bytes left for rows in an events packet (:meth:`events`)."""
        probe = {"s": self.site, "n": self.node, "e": self.epoch, "c": 10**12, "k": "v"}
        return MAX_DATAGRAM - _HEAD - len(_dumps(probe)) - len(b',"ev":[],"pv":[]')

    def events(self, whole: list[bytes], provisional: list[bytes]) -> bytes:
        """Returns an events packet of rows made by :func:`row_json` (their sizes, plus one
        byte each, must fit :meth:`room`)."""
        raw = b'"ev":[' + b",".join(whole) + b'],"pv":[' + b",".join(provisional) + b"]"
        return self._seal("v", {}, raw)


def open_packet(key: bytes, data: bytes, site: str) -> Packet:
    """Reads a datagram.

    Raises:
        Rejected: it is not an authentic, valid packet of this site.
    """
    if len(data) > MAX_DATAGRAM:
        raise Rejected("oversized")
    if len(data) <= _HEAD or not data.startswith(MAGIC):
        raise Rejected("garbage")
    body = data[_HEAD:]
    if not hmac.compare_digest(data[len(MAGIC) : _HEAD], hmac.digest(key, MAGIC + body, "sha256")):
        raise Rejected("forged")
    try:
        record = json.loads(body)
    except ValueError as exc:  # UnicodeDecodeError is one
        raise Rejected("malformed", "not JSON") from exc
    if not isinstance(record, dict):
        raise Rejected("malformed", "not an object")
    if record.get("s") != site:
        raise Rejected("foreign")
    get: Any = record.get
    node, epoch, count, kind = get("n"), get("e"), get("c"), get("k")
    if not (_text(node, 64) and _count(epoch) and _count(count)):
        raise Rejected("malformed", "sender")
    if kind == "h":
        known = get("pc")
        if not (type(known) is list and len(known) <= MAX_KNOWN and all(
                type(k) is list and len(k) == 2 and _text(k[0], 64) and _text(k[1], 260)
                for k in known)):  # fmt: skip
            raise Rejected("malformed", "hello")
        hello = Hello(get("r"), get("m"), get("p"), get("h"), get("sh"),
                      tuple((k[0], k[1]) for k in known))  # fmt: skip
        if not (_text(hello.role, 20) and _text(hello.name, 64, empty=True)
                and _text(hello.host, 253, empty=True) and hello.share in SHARE_STATES
                and type(hello.port) is int and 0 < hello.port < 65536):  # fmt: skip
            raise Rejected("malformed", "hello")
        return Packet(node, epoch, count, kind, hello=hello)
    if kind == "v":
        whole, provisional = get("ev"), get("pv")
        if type(whole) is not list or type(provisional) is not list:
            raise Rejected("malformed", "events")
        return Packet(node, epoch, count, kind, events=tuple(_event(r) for r in whole),
                      provisional=tuple(_event(r) for r in provisional))  # fmt: skip
    if kind == "a":
        ids = get("ids")
        if type(ids) is not list or len(ids) > MAX_IDS or not all(_text(i, 80) for i in ids):
            raise Rejected("malformed", "acknowledgement")
        return Packet(node, epoch, count, kind, ids=tuple(ids))
    raise Rejected("malformed", "kind")


def _text(value: Any, limit: int, empty: bool = False) -> bool:
    return type(value) is str and (empty or value != "") and len(value) <= limit


def _count(value: Any) -> bool:
    return type(value) is int and 0 < value < 2**63


def _event(record: Any) -> Event:
    """Returns a ticket event from a row, checking every value's type."""
    if type(record) is not list or len(record) != 10:
        raise Rejected("malformed", "not an event row")
    node, seq, hlc, type_, ticket, prev, staff_id, counter, payload, schema = record
    if not (_text(node, 64) and _count(seq) and _count(hlc) and type(schema) is int
            and _text(type_, 40) and type_.startswith("ticket.") and _text(ticket, 80)
            and _text(staff_id, 64) and (counter is None or _text(counter, 20, empty=True))
            and type(prev) is str and type(payload) is str):  # fmt: skip
        raise Rejected("malformed", "event values")
    try:
        event = Event.from_row(tuple(record))
    except (ValueError, TypeError) as exc:
        raise Rejected("malformed", "event JSON") from exc
    if type(event.payload) is not dict and event.payload != {}:
        raise Rejected("malformed", "event payload")
    if not all(type(p) is str for p in event.prev):
        raise Rejected("malformed", "event prev")
    return event
