"""What one PC has still to get to another over the LAN: sent, and sent again, until
acknowledged.

An entry is one event (whole or provisional) for one PC. It is sent at once, then again
after 0.15 s, 0.3 s, 0.6 s, then every :data:`MAX_BACKOFF` seconds until that PC
acknowledges it; when the PC is heard again after a silence every entry is due at once.
An outbox keeps at most :data:`LIMIT` entries and none older than :data:`TTL` seconds:
the share carries whatever the LAN could not.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

FIRST_BACKOFF, MAX_BACKOFF = 0.15, 1.0
LIMIT = 3000
TTL = 1800.0


@dataclass
class Entry:
    """One event on its way.

    Attributes:
        key: the event's id, ``node:seq``.
        kind: ``ev`` (whole) or ``pv`` (provisional).
        row: the row as it travels (:func:`app.lan.wire.row_json`).
        born: when it was queued (monotonic seconds).
        due: when it is sent next.
        tries: how many times it was sent.
    """

    key: str
    kind: str
    row: bytes
    born: float
    due: float
    tries: int = 0


class Outbox:
    """The entries for one PC, oldest first."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, key: str, kind: str, row: bytes, now: float) -> None:
        """Queues an event (one already queued stays as it is)."""
        if key in self._entries:
            return
        self._entries[key] = Entry(key, kind, row, now, now)
        while len(self._entries) > LIMIT:
            self._entries.popitem(last=False)

    def due(self, now: float) -> list[Entry]:
        """Returns the entries to send now, oldest first (expired ones are dropped)."""
        for key in [k for k, e in self._entries.items() if now - e.born > TTL]:
            del self._entries[key]
        return [e for e in self._entries.values() if e.due <= now]

    def next_due(self) -> float | None:
        """Returns when the next entry is due (None: nothing waits)."""
        return min((e.due for e in self._entries.values()), default=None)

    def sent(self, entries: list[Entry], now: float) -> None:
        """Notes that entries went out; each is due again after its back-off."""
        for entry in entries:
            entry.tries += 1
            entry.due = now + min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (entry.tries - 1))

    def ack(self, keys: tuple[str, ...]) -> None:
        """Forgets the entries the PC has acknowledged."""
        for key in keys:
            self._entries.pop(key, None)

    def hurry(self, now: float) -> None:
        """Makes every entry due now (the PC is heard again)."""
        for entry in self._entries.values():
            entry.due = now
