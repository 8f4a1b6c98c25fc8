"""What the windows see of their node (see :class:`NodeView`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from app.core.actor import Actor
from app.core.catalog import Catalog
from app.core.center_calendar import CenterCalendar
from app.core.node import Identity, Node
from app.core.settings import Settings


class NodeView:
    """What the windows may know of their node, and the one setup they may change.

    Its identity, settings, catalog, clock and calendar, whether its data changed, and the
    counter number and lanes of this PC; never its store. Windows are handed this (and the
    services of :mod:`app.services`), never the :class:`Node`.

    Args:
        node: the node seen.
    """

    def __init__(self, node: Node) -> None:
        self._node = node

    @property
    def identity(self) -> Identity:
        """Returns who this PC is (read afresh: the counter setup may change it)."""
        return self._node.identity

    @property
    def settings(self) -> Settings:
        """Returns the site's settings."""
        return self._node.settings

    @property
    def catalog(self) -> Catalog:
        """Returns the procedure catalog."""
        return self._node.catalog

    @property
    def data_dir(self) -> Path:
        """Returns the node's folder (a worker thread opens its own connection there)."""
        return self._node.data_dir

    def now_ms(self) -> int:
        """Returns the node's wall clock in epoch milliseconds."""
        return self._node.now_ms()

    @property
    def demo_clock(self) -> bool:
        """Tells whether the PC runs on a demo clock (shown as デモ時刻)."""
        return self._node.demo_clock

    def today(self) -> date:
        """Returns the center's calendar day now."""
        return self._node.today()

    def calendar(self) -> CenterCalendar:
        """Returns the center calendar with the ad-hoc closures recorded so far."""
        return self._node.calendar()

    def data_version(self) -> int:
        """Returns a number that changes whenever the node's data changed (any writer)."""
        return self._node.data_version()

    def configure_counter(
        self, actor: Actor, counter: str | None, lanes: Iterable[str]
    ) -> Identity:
        """Changes this PC's counter number and lanes (see :meth:`Node.configure_counter`)."""
        return self._node.configure_counter(actor, counter, lanes)
