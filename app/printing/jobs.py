"""Printing an issued ticket and remembering the outcome (the reprint queue).

Each attempt is recorded as ``ticket.printed`` or ``ticket.print_failed`` (notes the
ticket fold passes over), so a ticket whose printer failed stays in this PC's reprint
queue until a reprint succeeds, across restarts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.printing.layout import TicketContent, ticket_content
from app.printing.printer import Printer
from app.printing.printers import PrinterFactory, PrintResult, print_ticket, printer_for

if TYPE_CHECKING:
    from app.core.node import Node


def print_and_record(
    node: Node,
    actor: Actor,
    ticket_id: str,
    printer: Printer | None = None,
    lang: str | None = None,
) -> PrintResult:
    """Prints a ticket (in the language it was issued in, or ``lang``) and records whether
    it worked. Never raises for the printer."""
    result = print_ticket(node, ticket_id, printer, lang=lang)
    row = node.store.row("SELECT ticket_id FROM tickets WHERE ticket_id = ?", (ticket_id,))
    real_id = row["ticket_id"] if row else ticket_id
    with node.write() as w:
        w.append("ticket.printed" if result.ok else "ticket.print_failed", actor,
                 ticket_id=real_id, payload={} if result.ok else {"message": result.message})  # fmt: skip
    return result


def reprint_queue(node: Node) -> list[dict[str, Any]]:
    """Returns today's tickets of this PC whose last print attempt failed, oldest first.

    Only today's: a ticket from an earlier day is never reprinted, and the query stays
    as cheap on the last day of the contract as on the first (it runs on every refresh).
    """
    return node.store.rows(
        "SELECT t.* FROM tickets t WHERE t.day = ? AND ("
        " SELECT e.type FROM events e WHERE e.ticket_id = t.ticket_id AND e.node_id = ?"
        " AND e.type IN ('ticket.printed', 'ticket.print_failed')"
        " ORDER BY e.seq DESC LIMIT 1) = 'ticket.print_failed'"
        " ORDER BY t.issued_hlc",
        (node.today().isoformat(), node.identity.node_id),
    )


class TicketPrinting:
    """Printing at this PC, for the windows: print and record, the reprint queue, what a
    ticket says (the on-screen preview) and the PC's printer from its setting.

    Args:
        node: the node printing.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def printer(self, schemes: Mapping[str, PrinterFactory] | None = None) -> Printer:
        """Returns the printer of this PC's setting (``schemes`` adds backends, e.g. the Qt
        system printer).

        Raises:
            PrinterError: the setting names no usable printer.
        """
        return printer_for(self.node.identity.printer, self.node.today, schemes,
                           self.node.settings.printing.roll_mm)  # fmt: skip

    @property
    def roll_mm(self) -> int:
        """Returns the width of the ticket printer's roll (setting ``printing.roll_mm``)."""
        return self.node.settings.printing.roll_mm

    def print_and_record(self, actor: Actor, ticket_id: str, printer: Printer | None = None,
                         lang: str | None = None) -> PrintResult:  # fmt: skip
        """Prints a ticket in Japanese and the visitor's language (the one it was issued
        in) and records whether it worked (see :func:`print_and_record`)."""
        return print_and_record(self.node, actor, ticket_id, printer, lang)

    def reprint_queue(self) -> list[dict[str, Any]]:
        """Returns today's tickets of this PC whose last print failed (see
        :func:`reprint_queue`)."""
        return reprint_queue(self.node)

    def content(self, row: dict[str, Any], lang: str | None = None) -> TicketContent:
        """Returns what a ticket says (number, people ahead, estimated wait …)."""
        return ticket_content(self.node, row, lang=lang)
