"""One round of a PC's background work, the same for a window and for ``sync --watch``.

A round syncs with the shared folder, then records the reservations whose slot has passed
without a check-in (any PC that sees a slot end first records its no-shows; a PC that
already sees the mark leaves it alone). The windows run :meth:`SyncLoop.round` in their
sync thread; ``madoguchi sync --watch`` runs :meth:`SyncLoop.run` in the foreground.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.core.actor import SYSTEM
from app.core.node import Node
from app.model.clock import to_datetime
from app.reservations.bookings import ReservationService
from app.sync.service import SyncReport, SyncService

log = logging.getLogger(__name__)


@dataclass
class RoundReport(SyncReport):
    """A sync round and the no-shows recorded after it."""

    noshows: int = 0
    compacted: bool = False


class SyncLoop:
    """The background rounds of one node.

    Args:
        node: the node (opened in the thread that runs the rounds).
    """

    def __init__(self, node: Node) -> None:
        self.node = node
        self.sync = SyncService(node)
        self.reservations = ReservationService(node)

    def round(self) -> RoundReport:
        """Runs one round; never raises for the share (a bug is logged and reported)."""
        try:
            report = RoundReport(**vars(self.sync.once()))
            report.noshows = len(self.reservations.sweep_noshows(SYSTEM))
            report.compacted = self.compact_if_due()
        except Exception as exc:  # a bug must not end the rounds silently
            log.exception("sync round failed")
            report = RoundReport(offline=True, message=f"同期でエラーが起きました: {exc}",
                                 waiting=-1)  # fmt: skip
        return report

    def compact_if_due(self) -> bool:
        """Rewrites the database file after a purge made on another PC, outside staff hours.

        A purge here compacts at once (:meth:`ReservationService.purge`); one that arrives
        from another PC leaves copies of the names in unused space of the file until this
        PC compacts, which holds the database for a moment (a second or two for a year), so
        it waits until nobody works: before staff hours, after them, or on a closed day.
        """
        node = self.node
        row = node.store.row("SELECT max(before) AS b FROM purges")
        before = str((row or {}).get("b") or "")
        if not before or before <= (node.store.get_meta("compacted_before") or ""):
            return False
        hours = node.calendar().hours(node.today())
        now = to_datetime(node.now_ms()).time()
        if hours is not None and hours.staff_start <= now <= hours.staff_end:
            return False
        node.store.compact()
        node.store.set_meta("compacted_before", before)
        return True

    def run(self, stop: threading.Event, interval_s: float,
            on_report: Callable[[RoundReport], object],
            wake: threading.Event | None = None) -> None:  # fmt: skip
        """Runs rounds until ``stop`` is set, reporting each: every ``interval_s``, and at
        once when ``wake`` is set (a window's own write goes out without waiting)."""
        while not stop.is_set():
            on_report(self.round())
            if wake is None:
                stop.wait(interval_s)
            else:
                wake.wait(interval_s)
                wake.clear()
