"""What every printer backend is: a :class:`Printer` that raises :class:`PrinterError`.

Kept apart from the backends (:mod:`app.printing.printers`, :mod:`app.printing.escpos_printer`,
the Qt printer in ``ui/``) so that each of them depends on this and nothing else of the others.
"""

from __future__ import annotations

from typing import Protocol

from app.core.errors import UserError


class PrinterError(UserError):
    """A printer that cannot print now; ``message_ja`` says what happened and what to do.

    Args:
        message_ja: the message for the floor manager.
        en: the same in English (a window shown in English).
    """

    def __init__(self, message_ja: str, en: str | None = None) -> None:
        super().__init__(message_ja, en=en)
        self.message_ja = message_ja


class Printer(Protocol):
    """Prints one ticket, given as PDF and as a PNG raster of the same layout."""

    def print_ticket(self, pdf: bytes, png: bytes, name: str) -> None:
        """Prints a ticket.

        Args:
            pdf: the ticket as a PDF.
            png: the ticket as a PNG at the printer's resolution.
            name: the job name, ``<number>-<ticket_id>``.

        Raises:
            PrinterError: the ticket could not be printed.
        """
        ...


class NullPrinter:
    """Prints nothing (a node without a printer; the ticket is shown on screen)."""

    def print_ticket(self, pdf: bytes, png: bytes, name: str) -> None:
        """Does nothing."""
