"""Hybrid logical clock.

An HLC value packs wall-clock milliseconds and a logical counter into one integer,
``(ms << 16) | counter``, so it orders like a number, fits SQLite's INTEGER and keeps
the wall time readable (``hlc >> 16``).  Ties between nodes are broken by node id
where events are sorted, never here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

LOGICAL_BITS = 16
LOGICAL_MASK = (1 << LOGICAL_BITS) - 1
#: How far a remote clock may drag ours ahead of our own wall clock.
DEFAULT_MAX_DRIFT_MS = 5 * 60 * 1000


def wall_ms_now() -> int:
    """Returns the system wall clock in milliseconds since the epoch."""
    return time.time_ns() // 1_000_000


def pack(ms: int, logical: int = 0) -> int:
    """Returns the HLC value of a wall time and logical counter."""
    return (ms << LOGICAL_BITS) | logical


def wall_of(hlc: int) -> int:
    """Returns the wall-clock milliseconds an HLC value carries."""
    return hlc >> LOGICAL_BITS


@dataclass
class ObserveResult:
    """What observing a remote HLC did.

    Attributes:
        ahead_ms: how far the remote clock was ahead of our wall clock (0 if not).
        clamped: True when the remote was further ahead than the allowed drift, so
            our clock only moved up to the limit (the event is still accepted).
    """

    ahead_ms: int
    clamped: bool


class HybridClock:
    """Issues strictly increasing HLC values for one node.

    Args:
        wall_ms: source of wall-clock milliseconds (injected by tests).
        last: the highest HLC this node has issued or seen, to resume after restart.
        max_drift_ms: how far a remote clock may pull ours past our wall clock.
    """

    def __init__(
        self,
        wall_ms: Callable[[], int] = wall_ms_now,
        last: int = 0,
        max_drift_ms: int = DEFAULT_MAX_DRIFT_MS,
    ) -> None:
        self._wall_ms = wall_ms
        self.last = last
        self.max_drift_ms = max_drift_ms

    def wall_ms(self) -> int:
        """Returns the wall clock this HLC reads."""
        return self._wall_ms()

    def now(self) -> int:
        """Returns a new HLC value, greater than every value issued or observed."""
        candidate = pack(self._wall_ms())
        self.last = candidate if candidate > self.last else self.last + 1
        return self.last

    def observe(self, remote: int) -> ObserveResult:
        """Advances the clock past a remote event's HLC, within the drift limit.

        Args:
            remote: the HLC of an event written by another node.

        Returns:
            How far ahead the remote clock was, and whether it had to be clamped.
        """
        wall = self._wall_ms()
        ahead = max(0, wall_of(remote) - wall)
        limit = pack(wall + self.max_drift_ms)
        clamped = remote > limit
        target = min(remote, limit)
        if target > self.last:
            self.last = target
        return ObserveResult(ahead_ms=ahead, clamped=clamped)
