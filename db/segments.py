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
    """A record that cannot be trusted (bad key, garbage, another node's event)."""


class FileChanged(SegmentError):
    """A segment being written was changed by someone else since the last append."""


class ForeignSegment(SegmentError):
    """An authentic file that is not a segment of this site: none of it is read."""


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
        self._left: tuple[int, int] = (0, 0)  # (size, mtime_ns) as the last write left it
        self._write([sign(key, header.body())], mode="xb")

    def _write(self, lines: list[bytes], mode: str = "ab") -> None:
        with open(self.path, mode) as f:
            if mode == "ab":
                # Only this writer appends to its file: if it is not as the last write left
                # it (truncated, a byte changed, replaced), appending could glue a record to
                # a torn one, or make a changed file look like ours. The caller starts a new
                # segment; the changed one is read back. Asked through the open handle: a
                # Windows PC's SMB client may answer a path's size and time from its cache,
                # seconds older than the file.
                info = os.fstat(f.fileno())
                if (info.st_size, info.st_mtime_ns) != self._left:
                    raise FileChanged(f"{self.path.name} が外から変更されました")
            f.write(b"".join(lines))
            f.flush()
            os.fsync(f.fileno())
        # Taken once the handle is closed: Windows sets a written file's time again when
        # its handle closes, so a time asked before closing is not the file's time after.
        info = os.stat(self.path)
        self._left = (info.st_size, info.st_mtime_ns)

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
        problems: what was wrong with the complete records that were passed over, each with
            its byte offset; the authentic records after them are in ``rows`` all the same.
    """

    header: Header | None
    rows: list[Row] = field(default_factory=list)
    offset: int = 0
    problems: list[str] = field(default_factory=list)
    #: where each of ``rows`` ends in the file (a reader may apply them in batches)
    ends: list[int] = field(default_factory=list)

    @property
    def problem(self) -> str | None:
        """Returns the problems as one line (the first three and how many), or None."""
        if not self.problems:
            return None
        more = f"（ほか{len(self.problems) - 3}件）" if len(self.problems) > 3 else ""
        return " / ".join(self.problems[:3]) + more

    @property
    def events(self) -> list[Event]:
        """Returns the rows as events."""
        return [Event.from_row(r) for r in self.rows]


def read_segment(path: Path, key: bytes, site: str, offset: int = 0,
                 header: Header | None = None, node_id: str | None = None) -> ReadResult:  # fmt: skip
    """Reads the complete, authentic records of a segment from ``offset``.

    A complete record that is not authentic (a flipped byte, another key, garbage) is
    reported and passed over; reading goes on at the next record boundary, so one damaged
    byte never hides the authentic records after it. An incomplete last record (a torn tail,
    an append in progress) is left for the next read.

    Args:
        path: the segment file.
        key: the site key.
        site: the site id the header must name.
        offset: bytes already read (0 for a new file).
        header: the header read before, when ``offset`` > 0.
        node_id: the node whose folder holds the file; records of any other node are
            refused (the header names it too).

    Raises:
        OSError: the file cannot be read now (share gone, locked); try again later.
    """
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    result = ReadResult(header=header, offset=offset)
    # First check every complete line's signature; the JSON of the authentic event lines is
    # then parsed in one call (a contract year is ~280,000 lines).
    bodies: list[bytes] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    while True:
        end = data.find(b"\n", position)
        if end < 0:
            break  # torn tail or an append in progress: next poll
        at = offset + position
        mac, _, body = data[position:end].partition(b" ")
        position = end + 1
        result.offset = offset + position
        try:
            if not hmac.compare_digest(mac, _mac(key, body)):
                raise SegmentError(
                    "署名が一致しません（この拠点の端末が書いたものではないか、壊れています）"
                )
            if result.header is None and at == 0:
                result.header = _header(_load(body), site)
                continue
        except ForeignSegment as exc:
            result.problems.append(str(exc))
            result.offset = offset + len(data)
            return result
        except (SegmentError, KeyError, TypeError, ValueError) as exc:
            result.problems.append(f"{at}バイト目: {_problem(exc)}")
            continue
        bodies.append(body)
        starts.append(at)
        ends.append(offset + position)
    if not bodies:
        return result
    expected = node_id or (result.header.node_id if result.header else None)
    if expected is None:
        result.problems.append("ヘッダーがなく、どの端末の記録か確かめられません")
        return result
    try:
        records = json.loads(b"[" + b",".join(bodies) + b"]")
        result.rows = [_row(r, expected) for r in records]
        result.ends = ends
    except (SegmentError, TypeError, ValueError):
        result.rows, result.ends = [], []
        for body, at, end in zip(bodies, starts, ends, strict=True):  # keep the good ones
            try:
                result.rows.append(_row(_load(body), expected))
            except (SegmentError, TypeError, ValueError) as exc:
                result.problems.append(f"{at}バイト目: {_problem(exc)}")
                continue
            result.ends.append(end)
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
        raise ForeignSegment("madoguchi のセグメントではありません")
    if record.get("site") != site:
        raise ForeignSegment(f"別の拠点（{record.get('site')}）のセグメントです")
    return Header(site=site, node_id=str(record["node"]), install=str(record["install"]),
                  first_seq=int(record["first_seq"]))  # fmt: skip


def _row(record: Any, node_id: str) -> Row:
    if type(record) is not list or len(record) != 10:
        raise SegmentError("壊れた記録です（イベントの形ではありません）")
    writer, seq, hlc, type_, ticket, prev, staff_id, counter, payload, schema = record
    if writer != node_id:
        raise SegmentError(f"端末 {node_id} のセグメントに別の端末の記録があります")
    if not (type(seq) is int and type(hlc) is int and type(schema) is int
            and type(type_) is str and type(staff_id) is str and type(prev) is str
            and type(payload) is str and (ticket is None or type(ticket) is str)
            and (counter is None or type(counter) is str)):  # fmt: skip
        raise SegmentError("壊れた記録です（値の型が違います）")
    return tuple(record)
