"""Calls as the waiting room sees them: which are new, which stay on the board, what is said.

:class:`CallWatcher` is the board's memory: given the tickets being called now and the
day's latest calls, it says which calls (and recalls) are new since it last looked, so
they are announced once and their row flashes, and which calls are shown very large (the
newest per counter) or listed below. Calls already on the board when it starts are shown
but not announced again. No Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
_NUMBER = re.compile(r"^([A-Za-z]+)-?(\d+)$")


@dataclass(frozen=True)
class Call:
    """One call to announce.

    Attributes:
        number: the display number, e.g. ``A-012``.
        counter: the counter the visitor goes to, e.g. ``3``.
        lane: the ticket's lane id (for the board; not spoken).
        call_count: 1 for the first call, 2 for the first recall, …
        called_at: when the ticket was called (ms); tells one day's A-012 from another's.
    """

    number: str
    counter: str
    lane: str = ""
    call_count: int = 1
    called_at: int = 0

    @property
    def key(self) -> tuple[str, str, int, int]:
        """Returns what makes two announcements the same one."""
        return (self.number, self.counter, self.call_count, self.called_at)


def spoken_number(number: str) -> str:
    """Returns a display number as read out: the prefix letter, the number without zeros.

    ``A-012`` → ``A 12``; anything else is returned unchanged.
    """
    match = _NUMBER.match(number.strip())
    return f"{match.group(1).upper()} {int(match.group(2))}" if match else number


def sentence(call: Call, lang: str) -> str:
    """Returns the spoken call in ``ja`` or ``en``."""
    number = spoken_number(call.number)
    if lang == "ja":
        return f"受付番号 {number}番の方、{call.counter}番窓口へお越しください"
    return f"Ticket number {number}, please come to counter {call.counter}"


@dataclass
class BoardState:
    """What the board shows after a look at the calls.

    Attributes:
        current: the calls shown very large, newest first, one per counter.
        recent: earlier calls listed beside them, newest first.
        fresh: calls and recalls new since the last look, to announce in this order.
        flash: the ticket whose row flashes (the newest fresh call shown), if any.
    """

    current: list[Row] = field(default_factory=list)
    recent: list[Row] = field(default_factory=list)
    fresh: list[Call] = field(default_factory=list)
    flash: str | None = None


class CallWatcher:
    """Remembers the calls a board has seen (see the module docstring).

    Args:
        rows: how many calls are shown very large.
        recent: how many earlier calls are listed.
    """

    def __init__(self, rows: int, recent: int) -> None:
        self.rows, self.recent = rows, recent
        self._seen: dict[str, tuple[int, int]] = {}  # ticket id -> (called_at, call_count)
        self._order: dict[str, int] = {}  # ticket id -> when this board saw its last call
        self._calls_seen = 0
        self._started = False

    def look(self, called: list[Row], latest: list[Row]) -> BoardState:
        """Takes in the calls of now and returns what to show, announce and flash.

        Args:
            called: the tickets being called now (``QueueQueries.called_now``).
            latest: the day's latest calls in any state, newest first, at least
                ``rows + recent`` of them (``QueueQueries.recent_calls``).
        """
        state = BoardState()
        fresh = [r for r in called if self._seen.get(r["ticket_id"]) != _mark(r)]
        for row in fresh:
            self._seen[row["ticket_id"]] = _mark(row)
            self._calls_seen += 1
            self._order[row["ticket_id"]] = self._calls_seen if self._started else 0
            if self._started:
                state.fresh.append(Call(row["number"], str(row["counter"]), row["lane"],
                                        row["call_count"], row["called_at"]))  # fmt: skip
        newest = sorted(called, key=lambda r: (self._order[r["ticket_id"]], r["called_at"]),
                        reverse=True)  # fmt: skip
        by_counter: dict[str, Row] = {}
        for row in newest:
            by_counter.setdefault(str(row["counter"]), row)
        state.current = list(by_counter.values())[: self.rows]
        shown = {r["ticket_id"] for r in state.current}
        state.recent = [r for r in latest if r["ticket_id"] not in shown][: self.recent]
        if self._started and fresh and state.current:
            state.flash = state.current[0]["ticket_id"]
        self._started = True
        return state


def _mark(row: Row) -> tuple[int, int]:
    return (int(row["called_at"] or 0), int(row["call_count"] or 0))
