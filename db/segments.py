"""Segment files on the shared folder: the only way events travel between PCs.

Each file is written by exactly one node and only appended to by the process that
created it.  A record is one line::

    <HMAC-SHA256 of the JSON, hex> <JSON>\\n

The first record of a file is its header (site, node, install, first seq); every other
record is one event as a JSON array in the column order of the ``events`` table, with
``prev`` and ``payload`` kept as JSON text, so a reader stores exactly what it read.  The site key authenticates every record, so a file not written by
a PC of the site is reported and never applied.  A line without its newline is a torn
tail or an append in progress: readers stop there and try again at the next poll.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.event import Event

MAGIC = "madoguchi-segment"
VERSION = 1


class SegmentError(Exception):
    """A segment that cannot be trusted (bad key, foreign site, garbage)."""


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.digest(key, body, "sha256").hex().encode()


def sign(key: bytes, body: bytes) -> bytes:
    """Returns the record line for a JSON body."""
    return _mac(key, body) + b" " + body + b"\n"


def event_body(event: Event) -> bytes:
    """Returns an event's record: its ``events`` row as a JSON array (ASCII, one line)."""
    return json.dumps(event.to_row(), ensure_ascii=True, separators=(",", ":")).encode()


Row = tuple[Any, ...]


@dataclass(frozen=True)
class Header:
    """The first record of a segment."""

    site: str
    node_id: str
    install: str
    first_seq: int

    def body(self) -> bytes:
        """Returns the header's JSON."""
        return json.dumps({"magic": MAGIC, "v": VERSION, "site": self.site, "node": self.node_id,
                           "install": self.install, "first_seq": self.first_seq},
                          sort_keys=True, separators=(",", ":")).encode()  # fmt: skip


class SegmentWriter:
    """Appends events to one segment file that it created itself.

    The file is created with ``xb`` (never over an existing one) and opened only for
    the moment of each append, so no handle stays open on the file server. After a
    failed append the writer is ``broken`` and must not be used again: the tail of its
    file may be torn, so the next events go to a new segment.

    Args:
        path: the file to create (it must not exist).
        key: the site key.
        header: what the first record says.
    """

    def __init__(self, path: Path, key: bytes, header: Header) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._key = key
        self.broken = False
        self._write([sign(key, header.body())], mode="xb")

    def _write(self, lines: list[bytes], mode: str = "ab") -> None:
        with open(self.path, mode) as f:
            f.write(b"".join(lines))
            f.flush()
            os.fsync(f.fileno())

    def append(self, events: list[Event]) -> None:
        """Appends events durably (flush and fsync); marks the writer broken on error."""
        if self.broken:
            raise SegmentError("壊れた可能性のあるセグメントには追記しません")
        try:
            self._write([sign(self._key, event_body(e)) for e in events])
        except BaseException:
            self.broken = True
            raise


@dataclass
class ReadResult:
    """What one read of a segment found.

    Attributes:
        header: the file's header, if it was read (now or before).
        rows: complete, authentic event records after the given offset, as ``events``
            table rows (see :meth:`db.event.Event.from_row`).
        offset: where the next read should start (the end of the last complete record).
        problem: why the rest of the file cannot be trusted, if so.
    """

    header: Header | None
    rows: list[Row] = field(default_factory=list)
    offset: int = 0
    problem: str | None = None

    @property
    def events(self) -> list[Event]:
        """Returns the rows as events."""
        return [Event.from_row(r) for r in self.rows]


def read_segment(path: Path, key: bytes, site: str, offset: int = 0,
                 header: Header | None = None) -> ReadResult:  # fmt: skip
    """Reads the complete, authentic records of a segment from ``offset``.

    Args:
        path: the segment file.
        key: the site key.
        site: the site id the header must name.
        offset: bytes already read (0 for a new file).
        header: the header read before, when ``offset`` > 0.

    Raises:
        OSError: the file cannot be read now (share gone); try again later.
    """
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    result = ReadResult(header=header, offset=offset)
    # First check every complete line's signature; the JSON of the authentic event lines is
    # then parsed in one call (a contract year is ~280,000 lines).
    bodies: list[bytes] = []
    ends: list[int] = []
    position = 0
    while True:
        end = data.find(b"\n", position)
        if end < 0:
            break  # torn tail or an append in progress: next poll
        mac, _, body = data[position:end].partition(b" ")
        try:
            if not hmac.compare_digest(mac, _mac(key, body)):
                raise SegmentError("署名が一致しません（この拠点の端末が書いたものではありません）")
            if result.header is None:
                result.header = _header(_load(body), site)
                result.offset = offset + end + 1
            else:
                bodies.append(body)
                ends.append(end + 1)
        except (SegmentError, KeyError, TypeError, ValueError) as exc:
            result.problem = _problem(exc)
            break
        position = end + 1
    if not bodies or result.header is None:
        return result
    try:
        records = json.loads(b"[" + b",".join(bodies) + b"]")
        result.rows = [_row(r, result.header) for r in records]
        result.offset = offset + ends[-1]
    except (SegmentError, TypeError, ValueError):
        # Find the first bad record, keep what comes before it.
        for body, end in zip(bodies, ends, strict=True):
            try:
                result.rows.append(_row(_load(body), result.header))
            except (SegmentError, TypeError, ValueError) as exc:
                result.problem = _problem(exc)
                break
            result.offset = offset + end
    return result


def _load(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise SegmentError(f"壊れた記録です: {exc}") from exc


def _problem(exc: Exception) -> str:
    return str(exc) if isinstance(exc, SegmentError) else f"壊れた記録です: {exc!r}"


def _header(record: Any, site: str) -> Header:
    if not isinstance(record, dict) or record.get("magic") != MAGIC or record.get("v") != VERSION:
        raise SegmentError("madoguchi のセグメントではありません")
    if record.get("site") != site:
        raise SegmentError(f"別の拠点（{record.get('site')}）のセグメントです")
    return Header(site=site, node_id=str(record["node"]), install=str(record["install"]),
                  first_seq=int(record["first_seq"]))  # fmt: skip


def _row(record: Any, header: Header) -> Row:
    if not isinstance(record, list) or len(record) != 10:
        raise SegmentError("壊れた記録です（イベントの形ではありません）")
    node_id, seq, hlc, type_, _ticket, prev, staff_id, _counter, payload, schema = record
    if node_id != header.node_id:
        raise SegmentError(f"端末 {header.node_id} のセグメントに別の端末の記録があります")
    if not (isinstance(seq, int) and isinstance(hlc, int) and isinstance(schema, int)
            and isinstance(type_, str) and isinstance(staff_id, str)
            and isinstance(prev, str) and isinstance(payload, str)):  # fmt: skip
        raise SegmentError("壊れた記録です（値の型が違います）")
    return tuple(record)
