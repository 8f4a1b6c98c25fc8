"""The city's double check (シ 手続きの照合): asked for a ticket, signed off by city staff.

A counter asks for the check while it serves the visitor (``ticket.check_requested``); the
visitor stays where they are, the ticket does not move and keeps its place. A city staff
member signs it off (``ticket.check_signed``); a contractor's clerk cannot. Both are events
of the ticket that its fold passes over (:data:`app.model.ticket_fold.NOTES`), so the
checks of a ticket are read from its events in the global order: each sign-off answers
the earliest request before it that has none yet. Every PC reads the same pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.model import ticket_fold as tf
from app.model import ticket_states as ts
from app.queue.tickets import TicketError, TicketService
from db.event import Event
from db.hlc import wall_of

if TYPE_CHECKING:
    from app.core.node import Node


@dataclass(frozen=True)
class Check:
    """One double check of a ticket: asked at ``requested_ms``, signed at ``signed_ms``."""

    requested_ms: int
    requested_by: str
    counter: str | None
    signed_ms: int | None
    signed_by: str | None


def pair_checks(events: list[Event]) -> list[Check]:
    """Returns the checks of one ticket from its events (any order), oldest first."""
    checks: list[dict[str, Any]] = []
    for e in sorted(events, key=Event.sort_key):
        if e.type == tf.CHECK_REQUESTED:
            checks.append({"requested_ms": wall_of(e.hlc), "requested_by": e.staff_id,
                           "counter": e.counter, "signed_ms": None, "signed_by": None})  # fmt: skip
        elif e.type == tf.CHECK_SIGNED:
            open_ = next((c for c in checks if c["signed_ms"] is None), None)
            if open_ is not None:
                open_.update(signed_ms=wall_of(e.hlc), signed_by=e.staff_id)
    return [Check(**c) for c in checks]


class DoubleChecks:
    """Asks for double checks and signs them off.

    Args:
        node: the node recording them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node
        self._tickets = TicketService(node)

    def checks(self, ticket_id: str) -> list[Check]:
        """Returns a ticket's checks, oldest first."""
        return pair_checks(self.node.store.ticket_events(ticket_id))

    def request(self, actor: Actor, ref: str) -> dict[str, Any]:
        """Asks for the city's double check of a ticket being served; returns the ticket.

        Raises:
            AuthError: the actor may not serve tickets.
            TicketError: no such ticket, one not being called or served, or a check already
                waiting for it.
        """
        actor.require("ticket.serve")
        with self.node.write() as w:
            row = self._tickets.get(ref)
            if row["state"] not in (ts.CALLED, ts.SERVING, ts.HELD):
                raise TicketError(
                    f"{row['number']} は対応中ではないためダブルチェックを依頼できません"
                )
            if any(c.signed_ms is None for c in self.checks(row["ticket_id"])):
                raise TicketError(
                    f"{row['number']} のダブルチェックは依頼済みです（市職員の確認待ち）"
                )
            w.append(tf.CHECK_REQUESTED, actor, ticket_id=row["ticket_id"])
        return row

    def sign(self, actor: Actor, ref: str) -> dict[str, Any]:
        """Signs off the waiting double check of a ticket (city staff only).

        Raises:
            AuthError: the actor is not city staff.
            TicketError: no such ticket, or no check waiting for it.
        """
        actor.require("ticket.doublecheck")
        with self.node.write() as w:
            row = self._tickets.get(ref)
            if not any(c.signed_ms is None for c in self.checks(row["ticket_id"])):
                raise TicketError(f"{row['number']} に確認待ちのダブルチェックはありません")
            w.append(tf.CHECK_SIGNED, actor, ticket_id=row["ticket_id"])
        return row

    def waiting(self) -> list[dict[str, Any]]:
        """Returns today's tickets with a check waiting: ``ticket_id, number, procedure,
        applicant, counter, requested_ms``, oldest request first."""
        rows = self.node.store.rows(
            "SELECT DISTINCT t.ticket_id, t.number, t.procedure, t.applicant FROM events e "
            "JOIN tickets t ON t.ticket_id = e.ticket_id WHERE e.type = ? AND t.day = ?",
            (tf.CHECK_REQUESTED, self.node.today().isoformat()),
        )
        out = []
        for row in rows:
            check = next((c for c in self.checks(row["ticket_id"]) if c.signed_ms is None), None)
            if check is not None:
                out.append({**row, "counter": check.counter, "requested_ms": check.requested_ms})
        return sorted(out, key=lambda r: r["requested_ms"])
