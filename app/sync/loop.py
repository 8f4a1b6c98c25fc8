"""One round of a PC's background work, the same for a window and for ``sync --watch``.

A round syncs with the shared folder, then records the reservations whose slot has passed
without a check-in, and on the PC that publishes the public waiting status
(``status.publish_dir``) writes it when its interval has passed. One PC of the site does that (:func:`sweeps_noshows`), so that every
reservation gets one mark, not one per PC. Outside staff hours it also purges the names of
reservations ``purge_after_days`` after their day (the first PC to find some does it; the
others then find none) and rewrites the database file after a purge. The windows run
:meth:`SyncLoop.round` in their sync thread; ``madoguchi sync --watch`` runs
:meth:`SyncLoop.run` in the foreground.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from app.core.actor import SYSTEM
from app.core.node import Node
from app.model.clock import to_datetime
from app.reservations.bookings import ReservationService
from app.status.publish import PublishError, StatusPublisher
from app.sync.service import SyncReport, SyncService

log = logging.getLogger(__name__)


#: The order in which roles mark the site's no-shows: the reception PC knows who came.
SWEEPER_ROLES = ("reception", "admin", "counter", "display")
#: A PC not heard from for this long no longer keeps another from marking no-shows.
SWEEPER_SILENCE_MS = 2 * 3600_000


def sweeps_noshows(node: Node) -> bool:
    """Tells whether this PC marks the site's no-shows: the first by role
    (:data:`SWEEPER_ROLES`), then by node id, among itself and the PCs heard from in the
    last :data:`SWEEPER_SILENCE_MS`. Every PC decides alike from the registry, so one PC
    sweeps; a PC that stays away hands the task to the next one.
    """

    def rank(role: str, node_id: str) -> tuple[int, str]:
        order = SWEEPER_ROLES.index(role) if role in SWEEPER_ROLES else len(SWEEPER_ROLES)
        return (order, node_id)

    identity = node.identity
    others = node.store.rows(
        "SELECT node_id, role FROM sync_nodes WHERE role IS NOT NULL AND last_heard_ms >= ?",
        (node.now_ms() - SWEEPER_SILENCE_MS,),
    )
    mine = rank(identity.role, identity.node_id)
    return all(
        mine < rank(r["role"], r["node_id"]) for r in others if r["node_id"] != identity.node_id
    )


@dataclass
class RoundReport(SyncReport):
    """A sync round and the no-shows recorded after it."""

    noshows: int = 0
    purged: int = 0
    compacted: bool = False
    published: int = 0  # when the status this round published was taken (epoch ms)
    status_error: str = ""  # why the status could not be published


class SyncLoop:
    """The background rounds of one node.

    Args:
        node: the node (opened in the thread that runs the rounds).
    """

    def __init__(self, node: Node) -> None:
        self.node = node
        self.sync = SyncService(node)
        self.reservations = ReservationService(node)
        self.publisher = StatusPublisher(node)

    def round(self) -> RoundReport:
        """Runs one round; never raises for the share (a bug is logged and reported)."""
        try:
            report = RoundReport(**vars(self.sync.once()))
            if sweeps_noshows(self.node):
                report.noshows = len(self.reservations.sweep_noshows(SYSTEM))
            report.purged = self.purge_if_due()
            report.compacted = self.compact_if_due()
            self.publish_if_due(report)
        except Exception as exc:  # a bug must not end the rounds silently
            log.exception("sync round failed")
            report = RoundReport(offline=True, message=f"同期でエラーが起きました: {exc}",
                                 waiting=-1)  # fmt: skip
        return report

    def publish_if_due(self, report: RoundReport) -> None:
        """Publishes the public status when this PC publishes and its interval has passed
        (``status.publish_dir``, every ``status.interval_seconds``); a folder that cannot be
        written is reported and tried again next time."""
        try:
            published = self.publisher.publish_if_due()
        except PublishError as exc:
            report.status_error = str(exc)
            return
        if published is not None:
            report.published = published.updated_at

    def quiet(self) -> bool:
        """Tells whether nobody works now: before or after staff hours, or a closed day."""
        node = self.node
        hours = node.calendar().hours(node.today())
        now = to_datetime(node.now_ms()).time()
        return hours is None or not hours.staff_start <= now <= hours.staff_end

    def purge_if_due(self) -> int:
        """Purges the names of reservations ``purge_after_days`` or more after their day,
        once nobody works (the purge rewrites the database file); returns how many.

        Personal data must not outlive its purpose: the purge happens on its own, without
        anyone having to remember ``madoguchi purge``.
        """
        node = self.node
        if not self.quiet() or node.halted() is not None:
            return 0
        days = node.settings.reservations.purge_after_days
        before = (node.today() - timedelta(days=days)).isoformat()
        row = node.store.row(
            "SELECT count(*) AS n FROM reservations WHERE day <= ? AND name_kana IS NOT NULL",
            (before,),
        )
        if not row or not row["n"]:
            return 0
        return self.reservations.purge(SYSTEM)

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
        if not self.quiet():
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
