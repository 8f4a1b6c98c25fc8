"""Whether the waiting-room board and the counters hear each other. No Qt.

A call reaches the board through the shared data: the counter's PC writes it to the share,
the board's PC reads it there. Every PC's sync round also writes a heartbeat on the share
and reads everyone else's (:mod:`app.sync.registry` keeps when each PC was last heard from,
in ``sync_nodes``). So:

- the board that has not heard from any counter PC for longer than the threshold
  (setting ``display.silence_seconds``) cannot show their calls: it tells the room that
  the counters call in person (:meth:`Links.board_hears_counters`);
- a counter that has not heard from the board for as long cannot reach it either (the
  board is off, or one of the two is cut off from the share): the clerk is told to call
  the number aloud (:meth:`Links.board_reached`).

Either side only speaks up during opening hours: before the doors open and after they
close, a silent PC is the normal state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.model.clock import to_ms

if TYPE_CHECKING:
    from app.core.node import Node


@dataclass(frozen=True)
class Hearing:
    """What one side hears of the other.

    Attributes:
        silent: nothing heard for longer than the threshold, during opening hours.
        last_heard_ms: when the other side was last heard from (None: never).
    """

    silent: bool
    last_heard_ms: int | None


class Links:
    """Reads what this PC heard of the others lately.

    Args:
        node: the PC (its ``sync_nodes`` table, its clock and calendar).
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    @property
    def threshold_ms(self) -> int:
        """Returns how long a silence may last before it is told (setting)."""
        return self.node.settings.display.silence_seconds * 1000

    def last_heard(self, role: str) -> int | None:
        """Returns when a PC of this role was last heard from (the latest of them)."""
        row = self.node.store.row(
            "SELECT max(last_heard_ms) AS heard FROM sync_nodes WHERE role = ?", (role,)
        )
        value = (row or {}).get("heard")
        return None if value is None else int(value)

    def _hearing(self, role: str, since_ms: int) -> Hearing:
        heard = self.last_heard(role)
        if heard is None:
            return Hearing(False, None)  # no such PC at this site: nothing to tell
        now = self.node.now_ms()
        hours = self.node.calendar().hours(self.node.today())
        open_now = hours is not None and (
            to_ms(self.node.today(), hours.open) <= now < to_ms(self.node.today(), hours.close)
        )
        quiet_since = max(heard, since_ms)
        return Hearing(open_now and now - quiet_since > self.threshold_ms, heard)

    def board_hears_counters(self, since_ms: int) -> Hearing:
        """Tells whether the board hears from the counter PCs.

        Args:
            since_ms: when the board started listening (a board just started is not
                silent before it has had the time to hear anyone).
        """
        return self._hearing("counter", since_ms)

    def board_reached(self, since_ms: int) -> Hearing:
        """Tells whether this counter hears from the display board (``silent``: the board
        may not show this counter's calls).

        Args:
            since_ms: when this counter started listening.
        """
        return self._hearing("display", since_ms)
