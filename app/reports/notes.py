"""Report entries: what the site manager writes for a day's or a month's report. No Qt.

The specification inspects the 作業日報 and the 月次業務計画・実績報告書 for 問題点, 改善内容 and
市との調整事項 (12(2)); the figures cannot say them. An entry is free text of a kind
(:data:`NOTE_KINDS`) for a period, a day (``YYYY-MM-DD``) or a month (``YYYY-MM``), recorded
as an event, checked for personal data like every text that goes to the city, and changed
or removed by later events (the newest wins on every PC).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.core.errors import InputError
from app.core.i18n import Msg
from app.inquiries.categories import clean_text
from app.model.records_projection import NOTE_REMOVED, NOTE_SET

if TYPE_CHECKING:
    from app.core.node import Node

#: The kinds of report entries: code → names.
NOTE_KINDS: Mapping[str, Msg] = {
    "problem": Msg("notes", "Problems"),
    "improvement": Msg("notes", "Improvements"),
    "city": Msg("notes", "Matters agreed with the city"),
}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def parse_period(text: str) -> str:
    """Returns a report entry's period, ``YYYY-MM-DD`` or ``YYYY-MM``.

    Raises:
        InputError: neither a day nor a month.
    """
    period = text.strip().replace("/", "-")
    if _MONTH.match(period):
        return period
    if _DAY.match(period):
        try:
            return date.fromisoformat(period).isoformat()
        except ValueError:
            pass
    raise InputError(f"期間 {text!r} は日 YYYY-MM-DD か月 YYYY-MM で指定してください")


def kind_code(kind: str) -> str:
    """Returns the code of a kind given as its code or Japanese name.

    Raises:
        InputError: no such kind.
    """
    for code, name in NOTE_KINDS.items():
        if kind.strip() in (code, name.text_in("ja"), name.text):
            return code
    names = "、".join(f"{name.text_in('ja')}（{code}）" for code, name in NOTE_KINDS.items())
    raise InputError(f"種類 {kind!r} はありません（{names}）")


class ReportNotes:
    """Records and lists report entries.

    Args:
        node: the node recording them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def set(self, actor: Actor, period: str, kind: str, text: str,
            note_id: str | None = None) -> str:  # fmt: skip
        """Records an entry, or replaces the text of ``note_id``; returns its id.

        Raises:
            AuthError: the actor may not record report entries (site manager, admin).
            PrivacyError: the text seems to hold personal data; nothing is recorded.
            InputError: bad period or kind, empty or too long text, unknown ``note_id``.
        """
        actor.require("report.record")
        payload = {"period": parse_period(period), "kind": kind_code(kind),
                   "text": clean_text(text, NOTE_KINDS[kind_code(kind)].text_in("ja"))}  # fmt: skip
        if note_id is not None:
            self._get(note_id)
        note_id = note_id or f"note-{secrets.token_hex(6)}"
        with self.node.write() as w:
            w.append(NOTE_SET, actor, payload={"note_id": note_id, **payload})
        return note_id

    def remove(self, actor: Actor, note_id: str) -> None:
        """Removes an entry (a later event; the history stays in the log).

        Raises:
            AuthError: the actor may not record report entries.
            InputError: no such entry.
        """
        actor.require("report.record")
        row = self._get(note_id)
        with self.node.write() as w:
            w.append(NOTE_REMOVED, actor, payload={"note_id": note_id, "period": row["period"],
                                                   "kind": row["kind"]})  # fmt: skip

    def _get(self, note_id: str) -> dict[str, Any]:
        row = self.node.store.row(
            "SELECT * FROM report_notes WHERE note_id = ? AND removed = 0", (note_id,)
        )
        if row is None:
            raise InputError(f"報告事項 {note_id} はありません（削除済みか、IDの誤り）")
        return row

    def of(self, period: str) -> list[dict[str, Any]]:
        """Returns the entries of a day or a month (only the month's own, not its days'),
        by kind, oldest first: ``note_id, period, kind, text, staff_id, at``."""
        return self._rows("period = ?", parse_period(period))

    def of_month_days(self, month: str) -> list[dict[str, Any]]:
        """Returns the entries of every day of a month (``YYYY-MM``), by day and kind."""
        return self._rows("period LIKE ? AND length(period) = 10", parse_period(month) + "-%")

    def _rows(self, where: str, value: str) -> list[dict[str, Any]]:
        order = {code: n for n, code in enumerate(NOTE_KINDS)}
        rows = self.node.store.rows(
            "SELECT note_id, period, kind, text, staff_id, at FROM report_notes "
            f"WHERE removed = 0 AND {where} ORDER BY period, at, note_id",
            (value,),
        )
        return sorted(rows, key=lambda r: (r["period"], order.get(r["kind"], 9)))
