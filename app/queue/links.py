"""Whether the waiting-room board and the counters reach each other, and by which path. No Qt.

A call reaches the board by two paths: the LAN (the counter pushes it to the board's PC at
once: :mod:`app.lan`) and the shared folder (the counter's PC writes it there, the board's
PC reads it). What this PC knows of each is in ``sync_nodes``: when another PC's heartbeat
was last read on the share (``last_heard_ms``), and whether it is heard on the LAN
(``lan_up``: 1 heard; 0 not heard, fallen silent at ``lan_changed_ms`` or never heard since
the start; NULL: the LAN has not worked here since the start). Another PC is reached when:

- it is heard on the LAN; or
- this PC's own rounds with the share succeed and its heartbeat is younger than the
  threshold (setting ``display.silence_seconds``) — unless the LAN says it fell silent
  and the share has not heard from it since (a PC switched off is known as such within
  seconds, not after the threshold).

So:

- the board that reaches no counter PC cannot show their calls: it tells the room that the
  counters call in person (:meth:`Links.board_hears_counters`);
- a counter that reaches no board cannot have its calls shown: the clerk is told to call the
  number aloud (:meth:`Links.board_reached`), within five seconds when the LAN works;
- the site manager sees, per PC, which paths work (:meth:`Links.paths`).

Either side only speaks up during opening hours: before the doors open and after they
close, a silent PC is the normal state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.model.clock import to_ms

if TYPE_CHECKING:
    from app.core.node import Node

#: Meta key of this PC's state with the share, kept by the sync (``ok``, ``offline``,
#: ``write_failed``, ``halted``; none before its first round).
SHARE_STATE = "share_state"
#: How long a PC is silent on the LAN before it is not heard there (app.lan.peers.SILENCE).
LAN_SILENCE_MS = 3000


@dataclass(frozen=True)
class Hearing:
    """What one side hears of the other.

    Attributes:
        silent: no PC of the other side reached, during opening hours.
        last_heard_ms: when the other side was last heard from, by either path (None:
            never).
    """

    silent: bool
    last_heard_ms: int | None


@dataclass(frozen=True)
class PathState:
    """Which paths reach one other PC, for the site manager.

    Attributes:
        node_id: the PC.
        name: its name.
        role: its role.
        share: its heartbeat on the share is young enough (and this PC's share works).
        share_heard_ms: when its heartbeat was last read.
        lan: heard on the LAN (True), silent there (False), or unknown (None).
        own_share: its own state with the share, as it says on the LAN (None: unknown).
    """

    node_id: str
    name: str
    role: str
    share: bool
    share_heard_ms: int | None
    lan: bool | None
    own_share: str | None


class Links:
    """Reads what this PC heard of the others lately.

    Args:
        node: the PC (its ``sync_nodes`` table, its clock and calendar).
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    @property
    def threshold_ms(self) -> int:
        """Returns how long a silence on the share may last before it is told (setting)."""
        return self.node.settings.display.silence_seconds * 1000

    def _rows(self, role: str | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT node_id, name, role, last_heard_ms, lan_up, lan_changed_ms, lan_share "
               "FROM sync_nodes WHERE role IS NOT NULL")  # fmt: skip
        if role is None:
            return self.node.store.rows(sql + " ORDER BY role, name, node_id")
        return self.node.store.rows(sql + " AND role = ?", (role,))

    def _share_works(self, writing: bool) -> bool:
        state = self.node.store.get_meta(SHARE_STATE)
        return state in (None, "ok") or (not writing and state == "write_failed")

    def _by_share(self, row: dict[str, Any], now: int, share_works: bool) -> bool:
        heard = row["last_heard_ms"]
        if not share_works or heard is None or now - heard > self.threshold_ms:
            return False
        fell_silent = row["lan_changed_ms"] if row["lan_up"] == 0 else None
        return fell_silent is None or heard > fell_silent  # written since: it is there

    @staticmethod
    def _last_heard(row: dict[str, Any], now: int) -> int | None:
        times = [row["last_heard_ms"]]
        if row["lan_up"] == 1:
            times.append(now)
        elif row["lan_up"] == 0 and row["lan_changed_ms"] is not None:
            times.append(row["lan_changed_ms"] - LAN_SILENCE_MS)
        known = [t for t in times if t is not None]
        return max(known) if known else None

    def _hearing(self, role: str, since_ms: int, writing: bool) -> Hearing:
        rows = self._rows(role)
        if not rows:
            return Hearing(False, None)  # no such PC at this site: nothing to tell
        now = self.node.now_ms()
        share_works = self._share_works(writing)
        heard = max((t for r in rows if (t := self._last_heard(r, now)) is not None),
                    default=None)  # fmt: skip
        if any(r["lan_up"] == 1 or self._by_share(r, now, share_works) for r in rows):
            return Hearing(False, heard)
        hours = self.node.calendar().hours(self.node.today())
        open_now = hours is not None and (
            to_ms(self.node.today(), hours.open) <= now < to_ms(self.node.today(), hours.close)
        )
        # The LAN's word is taken at once; the share's silence only after the threshold.
        told = any(r["lan_up"] == 0 for r in rows) or (
            now - max(heard or 0, since_ms) > self.threshold_ms
        )
        return Hearing(open_now and told, heard)

    def board_hears_counters(self, since_ms: int) -> Hearing:
        """Tells whether the board reaches any counter PC (it can read their calls).

        Args:
            since_ms: when the board started listening (a board just started is not
                silent before it has had the time to hear anyone).
        """
        return self._hearing("counter", since_ms, writing=False)

    def board_reached(self, since_ms: int) -> Hearing:
        """Tells whether this counter reaches a display board (``silent``: its calls are
        not shown in the waiting room).

        Args:
            since_ms: when this counter started listening.
        """
        return self._hearing("display", since_ms, writing=True)

    def paths(self) -> list[PathState]:
        """Returns which paths reach every other PC of the site, by role and name."""
        now = self.node.now_ms()
        share_works = self._share_works(writing=False)
        return [
            PathState(r["node_id"], r["name"] or r["node_id"], r["role"],
                      self._by_share(r, now, share_works), r["last_heard_ms"],
                      None if r["lan_up"] is None else bool(r["lan_up"]), r["lan_share"])
            for r in self._rows()
        ]  # fmt: skip
