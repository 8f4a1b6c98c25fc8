"""Reservations of card issuance (完全予約制): booking and lookup.

The import of the web reservation export builds on :meth:`ReservationService.book`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.core.errors import UserError
from app.model.clock import to_ms
from app.reservations.romaji import is_romaji, romaji_matches

if TYPE_CHECKING:
    from app.core.node import Node

#: What a reservation number looks like (the web system's numbers, e.g. R202610050001).
RESERVATION_ID = re.compile(r"[A-Za-z0-9-]{4,32}")


class ReservationError(UserError):
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

    def capacity_left(self, day: date) -> int:
        """Returns the day's reservation capacity not yet booked (cancellations free a seat)."""
        booked = self.node.store.row(
            "SELECT count(*) AS n FROM reservations WHERE day = ? AND state != 'cancelled'",
            (day.isoformat(),),
        )
        return max(0, self.node.calendar().capacity(day) - int((booked or {}).get("n") or 0))

    def for_day(self, day: date) -> list[dict[str, Any]]:
        """Returns a day's reservations by slot."""
        return self.node.store.rows(
            "SELECT * FROM reservations WHERE day = ? ORDER BY slot, reservation_id",
            (day.isoformat(),),
        )

    # -- no-shows -------------------------------------------------------------------------

    def sweep_noshows(self, actor: Actor) -> list[str]:
        """Marks today's reservations not checked in by the end of their slot plus the
        grace period as no-shows (one event each). Any PC may run it; a reservation a PC
        already sees as no-show or checked in is left alone.

        Returns:
            The reservation numbers marked now.
        """
        rules = self.node.settings.reservations
        now = self.node.now_ms()
        today = self.node.today()
        due = []
        for row in self.for_day(today):
            if row["state"] != "booked":
                continue
            hour, minute = (int(x) for x in row["slot"].split(":"))
            start = to_ms(today, time(hour, minute))
            if now >= start + (rules.slot_minutes + rules.late_grace_minutes) * 60_000:
                due.append(row["reservation_id"])
        if due:
            with self.node.write() as w:
                for reservation_id in due:
                    w.append("reservation.noshow", actor,
                             payload={"reservation_id": reservation_id})  # fmt: skip
        return due

    # -- personal data ----------------------------------------------------------------------

    def purge(self, actor: Actor, keep_days: int | None = None) -> int:
        """Purges the names of reservations whose day is ``keep_days`` or more ago.

        The names leave the tables, the booking events and (the whole file rewritten, the WAL
        emptied) every byte of the database; the reservations still count in statistics.

        Returns:
            How many reservations lost their name.
        """
        days = self.node.settings.reservations.purge_after_days if keep_days is None else keep_days
        before = (self.node.today() - timedelta(days=days)).isoformat()
        row = self.node.store.row(
            "SELECT count(*) AS n FROM reservations WHERE day <= ? AND name_kana IS NOT NULL",
            (before,),
        )
        named = int((row or {}).get("n") or 0)
        leftover = self.node.store.row(
            "SELECT count(*) AS n FROM events WHERE type = 'reservation.booked' "
            "AND json_extract(payload, '$.day') <= ? "
            "AND json_extract(payload, '$.name_kana') IS NOT NULL",
            (before,),
        )
        if named or (leftover and leftover["n"]):
            with self.node.write() as w:
                w.append("reservation.purged", actor, payload={"before": before})
            self.node.store.compact()
            self.node.store.set_meta("compacted_before", before)
        return named

    # -- finding --------------------------------------------------------------------------

    def find(self, day: date, text: str) -> list[dict[str, Any]]:
        """Finds a day's reservations by number (exact, scanner) or by name.

        A name in kana ignores full/half width, spaces, hiragana/katakana and small kana;
        a name in romaji finds the katakana name in any usual spelling
        (:mod:`app.reservations.romaji`).
        """
        query = text.strip()
        if not query:
            return []
        rows = self.for_day(day)
        exact = [r for r in rows if r["reservation_id"].upper() == query.upper()]
        if exact:
            return exact
        named = [r for r in rows if r["name_kana"]]
        if is_romaji(query):
            return [r for r in named if romaji_matches(query, r["name_kana"])]
        key = kana_key(query)
        return [r for r in named if key and key in kana_key(r["name_kana"])]

    def around(self, day: date, now_ms: int, slots: int = 2) -> list[dict[str, Any]]:
        """Returns the reservations of the current slot and the next ones, not yet checked in."""
        slot_minutes = self.node.settings.reservations.slot_minutes
        starts = [s.strftime("%H:%M") for s in self.node.calendar().slots(day)
                  if to_ms(day, s) + slot_minutes * 60_000 > now_ms]  # fmt: skip
        wanted = set(starts[:slots])
        return [r for r in self.for_day(day) if r["slot"] in wanted and r["state"] == "booked"]


_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")


def kana_key(text: str) -> str:
    """Returns a name in a form where 'ﾀﾅｶ　しょうた' and 'タナカショウタ' compare equal."""
    normal = unicodedata.normalize("NFKC", text)
    katakana = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in normal)
    return "".join(katakana.split()).translate(_SMALL).upper()
