"""Counters paused with a reason (休憩, 事務作業, ダブルチェック対応, その他). No Qt.

A clerk pauses their counter instead of signing out when they step away for a while: the
counter stays signed in, calls nobody new (``call_next`` refuses), is shown paused on the
site manager's live view and does not count as open in the staffing advice. The reports
add up the minutes each counter was paused, by reason.

Each counter's state is a register (:func:`app.model.records_projection.keep_newest`): the
newest pause or resume by ``(hlc, node_id, seq)`` wins, whatever order the events arrive
in. A pause holds for the day it was made: the next morning the counter starts open.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import time
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.core.errors import InputError, UserError
from app.core.i18n import Msg
from app.model.clock import to_datetime, to_ms
from app.model.records_projection import COUNTER_PAUSED, COUNTER_RESUMED
from db.hlc import wall_of

if TYPE_CHECKING:
    from app.core.node import Node

PAUSED = COUNTER_PAUSED
RESUMED = COUNTER_RESUMED
#: Why a counter is paused: code → (Japanese, English). A fixed list: nothing personal.
REASONS: Mapping[str, Msg] = MappingProxyType({
    "break": Msg("pauses", "Break"),
    "paperwork": Msg("pauses", "Back-office work"),
    "double_check": Msg("pauses", "Double check"),
    "other": Msg("pauses", "Other"),
})  # fmt: skip


#: How long a pause is expected to last (minutes) before any of its reason ended today.
EXPECTED_MINUTES: Mapping[str, int] = MappingProxyType(
    {"break": 30, "paperwork": 15, "double_check": 10, "other": 15}
)


def expected_minutes(node: Node, now_ms: int) -> dict[str, float]:
    """Returns reason → how long a pause of it lasts: the mean of today's pauses of that
    reason already ended, or :data:`EXPECTED_MINUTES`."""
    midnight = _midnight(now_ms)
    started: dict[str, tuple[str, int]] = {}
    spans: dict[str, list[int]] = {}
    for row in node.store.rows(
        "SELECT type, payload, hlc FROM events WHERE type IN (?, ?) AND hlc >= ? "
        "ORDER BY hlc, node_id, seq",
        (COUNTER_PAUSED, COUNTER_RESUMED, midnight << 16),
    ):
        payload = json.loads(row["payload"])
        counter, at = str(payload.get("counter")), wall_of(row["hlc"])
        if counter in started:
            reason, since = started.pop(counter)
            spans.setdefault(reason, []).append(at - since)
        if row["type"] == COUNTER_PAUSED:
            started[counter] = (str(payload.get("reason")), at)
    found = {reason: float(minutes) for reason, minutes in EXPECTED_MINUTES.items()}
    found.update({reason: sum(ms) / len(ms) / 60_000 for reason, ms in spans.items()})
    return found


class CounterPaused(UserError):
    """The counter is paused: it calls nobody until it is resumed."""


def _midnight(now_ms: int) -> int:
    return to_ms(to_datetime(now_ms).date(), time(0, 0))


def paused_now(node: Node, now_ms: int) -> dict[str, dict[str, Any]]:
    """Returns counter → its pause (``reason``, ``at`` epoch ms, ``staff_id``) for every
    counter paused today and not resumed since."""
    rows = node.store.rows(
        "SELECT counter, reason, at, staff_id FROM counter_pauses WHERE paused = 1 AND at >= ?",
        (_midnight(now_ms),),
    )
    return {r["counter"]: r for r in rows}


class CounterPauses:
    """Pauses and resumes counters.

    Args:
        node: the node recording them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    @staticmethod
    def _counter(actor: Actor) -> str:
        actor.require("ticket.serve")
        if not actor.counter:
            raise InputError("窓口番号が設定されていません（この端末の窓口番号を設定してください）",
                             en="No counter number is set (set this PC's counter number)")  # fmt: skip
        return actor.counter

    def pause(self, actor: Actor, reason: str) -> None:
        """Pauses the actor's counter with a reason of :data:`REASONS`.

        Raises:
            InputError: an unknown reason, or no counter.
        """
        counter = self._counter(actor)
        if reason not in REASONS:
            names = "、".join(f"{code}（{name.text_in('ja')}）" for code, name in REASONS.items())
            raise InputError(f"一時停止の理由 {reason} はありません（{names}）",
                             en=f"No pause reason {reason} ({', '.join(REASONS)})")  # fmt: skip
        with self.node.write() as w:
            w.append(PAUSED, actor, payload={"counter": counter, "reason": reason})

    def resume(self, actor: Actor) -> None:
        """Opens the actor's counter again.

        Raises:
            InputError: the counter is not paused.
        """
        counter = self._counter(actor)
        if self.state(counter) is None:
            raise InputError(f"{counter}番窓口は一時停止していません",
                             en=f"Counter {counter} is not paused")  # fmt: skip
        with self.node.write() as w:
            w.append(RESUMED, actor, payload={"counter": counter})

    def state(self, counter: str | None) -> dict[str, Any] | None:
        """Returns the pause of a counter now (``reason``, ``at``), or None when it is open."""
        if counter is None:
            return None
        return paused_now(self.node, self.node.now_ms()).get(counter)

    def all(self) -> dict[str, dict[str, Any]]:
        """Returns every counter paused now (see :func:`paused_now`)."""
        return paused_now(self.node, self.node.now_ms())

    def refuse_calls(self, counter: str | None) -> None:
        """Refuses to call the next visitor at a paused counter.

        Raises:
            CounterPaused: the counter is paused; the message names the reason.
        """
        pause = self.state(counter)
        if pause is None:
            return
        name = REASONS.get(pause["reason"])
        ja, en = (name.text_in("ja"), name.text) if name else (pause["reason"], pause["reason"])
        since = to_datetime(pause["at"]).strftime("%H:%M")
        raise CounterPaused(
            f"{counter}番窓口は一時停止中です（{ja}、{since}〜）。再開してから呼び出してください",
            en=f"Counter {counter} is paused ({en.lower()}, since {since}). Resume it first.",
        )
