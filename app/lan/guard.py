"""Refusing what the LAN path must not take: replayed packets and floods, counted by reason.

A packet is replayed when its sender's epoch is older than one already heard from that PC,
or when its number was accepted before within the epoch (a duplicate on the network, or a
recording sent again). Numbers more than :data:`WINDOW` below the highest one accepted are
refused too: a packet that late has been resent long since. The epoch heard last from each
PC is kept in the database (``sync_nodes.lan_epoch``), so a restart does not open the door
to the packets of an earlier epoch.

A flood is more packets from one address than :data:`RATE` a second (after a burst of
:data:`BURST`): the rest are dropped before their signature is even checked.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass

#: How far below the highest accepted number a packet may come (packets reordered).
WINDOW = 1024
#: Packets a second one address may send, and the burst it may send at once.
RATE, BURST = 400.0, 800.0
#: Addresses whose rate is followed (the least recent are forgotten first).
ADDRESSES = 256

#: Why packets were ignored, in the order they are shown.
REASONS = ("oversized", "garbage", "forged", "foreign", "malformed", "replayed", "flooded",
           "private", "unknown", "busy", "error")  # fmt: skip


@dataclass
class _Window:
    epoch: int
    top: int = 0
    seen: int = 0  # bit i: number top - i was accepted


class Replays:
    """Which packets of each PC were accepted.

    Args:
        epochs: the epoch last heard from each PC (from the database).
    """

    def __init__(self, epochs: dict[str, int]) -> None:
        self._epochs = dict(epochs)
        self._windows: dict[str, _Window] = {}

    def accept(self, node: str, epoch: int, count: int) -> bool | None:
        """Records a packet if it is new.

        Returns:
            None when it is a replay (refuse it), True when it starts an epoch not heard
            before in this run (the sender started again, or this PC did), else False.
        """
        known = self._epochs.get(node)
        if known is not None and epoch < known:
            return None
        window = self._windows.get(node)
        if window is None or window.epoch != epoch:
            self._windows[node] = _Window(epoch, count, 1)
            self._epochs[node] = epoch
            return True
        if count > window.top:
            shift = count - window.top
            window.seen = ((window.seen << shift) | 1) & ((1 << WINDOW) - 1)
            window.top = count
            return False
        back = window.top - count
        if back >= WINDOW or window.seen >> back & 1:
            return None
        window.seen |= 1 << back
        return False


class Floods:
    """A token bucket per source address.

    Args:
        rate: packets a second.
        burst: packets at once.
    """

    def __init__(self, rate: float = RATE, burst: float = BURST) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, address: str, now: float) -> bool:
        """Takes a token for a packet from ``address`` at ``now`` (seconds); False: drop it."""
        tokens, then = self._buckets.pop(address, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[address] = (tokens - 1.0 if allowed else tokens, now)
        while len(self._buckets) > ADDRESSES:
            self._buckets.popitem(last=False)
        return allowed


class Tally(Counter[str]):
    """Packets ignored, by reason (:data:`REASONS`)."""

    def line(self) -> str:
        """Returns the counts as one line, e.g. ``forged 3, replayed 1``."""
        return ", ".join(f"{reason} {self[reason]}" for reason in REASONS if self[reason])
