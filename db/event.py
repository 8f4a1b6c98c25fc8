"""The event record: one fact that happened at one node, immutable once written."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any, NamedTuple

#: Version of the event envelope; payload shapes are versioned by event type.
SCHEMA = 1


#: The payload of an event that has none (shared: never mutate a payload).
NO_PAYLOAD: dict[str, Any] = MappingProxyType({})  # type: ignore[assignment]


class Event(NamedTuple):
    """One event of the log (a named tuple: a rebuild makes hundreds of thousands).

    A payload is never mutated once the event exists; copy it to change it.

    Attributes:
        node_id: the node that wrote it; with ``seq`` unique forever.
        seq: the node's sequence number, 1, 2, 3 … never reused.
        hlc: hybrid logical clock value (see :mod:`db.hlc`).
        type: dotted event type, e.g. ``ticket.called``.
        staff_id: who did it (``system`` for the program itself).
        ticket_id: the ticket it concerns, if any.
        prev: ids (``node:seq``) of the ticket's events the writer had seen.
        counter: the counter (窓口) it happened at, if any.
        payload: type-specific data, JSON-serialisable.
        schema: envelope version.
    """

    node_id: str
    seq: int
    hlc: int
    type: str
    staff_id: str
    ticket_id: str | None = None
    prev: tuple[str, ...] = ()
    counter: str | None = None
    payload: dict[str, Any] = NO_PAYLOAD
    schema: int = SCHEMA

    @property
    def id(self) -> str:
        """Returns the event's global id, ``node_id:seq``."""
        return f"{self.node_id}:{self.seq}"

    def sort_key(self) -> tuple[int, str, int]:
        """Returns the total order every node agrees on: HLC, then node, then seq."""
        return (self.hlc, self.node_id, self.seq)

    def to_row(self) -> tuple[Any, ...]:
        """Returns the values of the ``events`` table row, in column order."""
        return (
            self.node_id,
            self.seq,
            self.hlc,
            self.type,
            self.ticket_id,
            json.dumps(list(self.prev)),
            self.staff_id,
            self.counter,
            json.dumps(dict(self.payload), ensure_ascii=False, sort_keys=True),
            self.schema,
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Event:
        """Builds an event from an ``events`` table row (see :data:`COLUMNS`)."""
        node_id, seq, hlc, type_, ticket_id, prev, staff_id, counter, payload, schema = row
        return cls(
            node_id,
            seq,
            hlc,
            type_,
            staff_id,
            ticket_id,
            () if prev == "[]" else tuple(json.loads(prev)),
            counter,
            NO_PAYLOAD if payload == "{}" else json.loads(payload),
            schema,
        )

    def to_json(self) -> dict[str, Any]:
        """Returns the event as a JSON object (the CLI's ``events`` output)."""
        return {
            "node_id": self.node_id,
            "seq": self.seq,
            "hlc": self.hlc,
            "type": self.type,
            "ticket_id": self.ticket_id,
            "prev": list(self.prev),
            "staff_id": self.staff_id,
            "counter": self.counter,
            "payload": dict(self.payload),
            "schema": self.schema,
        }


COLUMNS = "node_id, seq, hlc, type, ticket_id, prev, staff_id, counter, payload, schema"
