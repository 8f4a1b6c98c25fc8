"""Reservations of card issuance (完全予約制): booking and lookup.

The import of the web reservation export builds on :meth:`ReservationService.book`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from app.staff import Actor

if TYPE_CHECKING:
    from app.node import Node

#: What a reservation number looks like (the web system's numbers, e.g. R202610050001).
RESERVATION_ID = re.compile(r"[A-Za-z0-9-]{4,32}")


class ReservationError(ValueError):
    """A reservation that cannot be booked as given."""


class ReservationService:
    """Books and finds reservations.

    Args:
        node: the node recording them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def book(
        self, actor: Actor, reservation_id: str, day: date, slot: str, procedure: str,
        applicant: str, name_kana: str | None = None,
    ) -> None:  # fmt: skip
        """Records one reservation (or its change, for the same number).

        Raises:
            ReservationError: unknown procedure, closed day, no such slot, slot full.
        """
        actor.require("reservation.manage")
        if not RESERVATION_ID.fullmatch(reservation_id):
            raise ReservationError(f"予約番号 {reservation_id!r} の形式が正しくありません")
        self.node.catalog.lane_for(procedure, applicant)
        cal = self.node.calendar()
        status = cal.status(day)
        if not status.open:
            raise ReservationError(
                f"{day.isoformat()} は閉庁日です（{'、'.join(status.reasons_ja)}）"
            )
        if slot not in {s.strftime("%H:%M") for s in status.slots}:
            raise ReservationError(f"{day.isoformat()} に {slot} の予約枠はありません")
        taken = self.node.store.row(
            "SELECT count(*) AS n FROM reservations WHERE day = ? AND slot = ? "
            "AND state != 'cancelled' AND reservation_id != ?",
            (day.isoformat(), slot, reservation_id),
        )
        if taken is not None and taken["n"] >= self.node.settings.reservations.seats_per_slot:
            raise ReservationError(f"{day.isoformat()} {slot} の予約枠は満席です")
        payload = {"reservation_id": reservation_id, "day": day.isoformat(), "slot": slot,
                   "procedure": procedure, "applicant": applicant, "name_kana": name_kana}  # fmt: skip
        with self.node.write() as w:
            w.append("reservation.booked", actor, payload=payload)

    def for_day(self, day: date) -> list[dict[str, Any]]:
        """Returns a day's reservations by slot."""
        return self.node.store.rows(
            "SELECT * FROM reservations WHERE day = ? ORDER BY slot, reservation_id",
            (day.isoformat(),),
        )
