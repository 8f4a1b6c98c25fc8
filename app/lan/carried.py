"""What travels on the LAN path: the moves of tickets, and no personal data.

Only ticket events travel (issue, call, recall, start, hold, resume, transfer, end, no-show,
cancel, correction, printing, double checks): what the board and the counters show. They
carry display numbers, lanes, procedures, times, counters and staff ids. A field that could
tell who a visitor is never travels: the reservation number of a checked-in visitor is
withheld, and the issue event goes as a *provisional* event without it (the board and the
counters need the ticket, not the booking; the event itself follows through the share). An
event whose free text (a reason typed at a counter) holds contact data — a phone number, an
e-mail address, a booking key, a birth date, a My Number — does not travel at all. Nothing
else does either: reservations (names), staff (PIN hashes), inquiries and the Q&A stay on
the share.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core.privacy import find_contact_data
from db.event import Event

#: Fields of a ticket event that never travel on the LAN.
WITHHELD = ("reservation_id",)
WHOLE, PROVISIONAL = "ev", "pv"


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def carried(event: Event) -> tuple[str, Event] | None:
    """Returns how an event travels on the LAN: ``("ev", event)`` whole, ``("pv", copy)``
    without its withheld fields, or None when it travels through the share only."""
    if not event.type.startswith("ticket.") or event.ticket_id is None:
        return None
    if any(find_contact_data(text) for text in _texts(event.payload)):
        return None
    if any(name in event.payload for name in WITHHELD):
        payload = {k: v for k, v in event.payload.items() if k not in WITHHELD}
        return PROVISIONAL, event._replace(payload=payload)
    return WHOLE, event
