"""Whether reception takes visitors now, as the public status says it. No Qt.

One small function, :func:`reception_state`, so that operating modes (a cut-off of walk-ins
before closing, a reduced service) extend it in one place: today it knows the calendar,
the hours and the paused procedures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.model.clock import to_datetime
from app.queue.pauses import JLIS, PauseService

if TYPE_CHECKING:
    from app.core.node import Node

#: Reception states: before opening, open, after closing, and a closed day.
BEFORE_OPEN, OPEN, AFTER_CLOSE, CLOSED = "before_open", "open", "after_close", "closed"
#: The operating mode published beside the state (only "normal" exists today).
NORMAL = "normal"


@dataclass(frozen=True)
class Paused:
    """A procedure reception does not take now (``jlis``: every J-LIS procedure)."""

    procedure: str
    reason: str


@dataclass(frozen=True)
class ReceptionState:
    """Whether reception takes visitors now.

    Attributes:
        state: :data:`BEFORE_OPEN`, :data:`OPEN`, :data:`AFTER_CLOSE` or :data:`CLOSED`.
        mode: the operating mode (:data:`NORMAL`).
        hours: today's open hours ("10:30–18:30"), None on a closed day.
        reasons_ja: why the center is closed today (Japanese), empty when open.
        reasons_en: the same in English.
        paused: procedures paused now.
    """

    state: str
    mode: str
    hours: str | None
    reasons_ja: tuple[str, ...]
    reasons_en: tuple[str, ...]
    paused: tuple[Paused, ...]


def reception_state(node: Node, now_ms: int) -> ReceptionState:
    """Returns whether reception takes visitors at ``now_ms`` (calendar, hours, pauses)."""
    moment = to_datetime(now_ms)
    day = node.calendar().status(moment.date())
    paused = tuple(Paused(p, r) for p, r in sorted(PauseService(node).all().items(),
                                                    key=lambda item: item[0] != JLIS))  # fmt: skip
    if not day.open or day.hours is None:
        return ReceptionState(CLOSED, NORMAL, None, day.reasons_ja, day.reasons_en, paused)
    hours = day.hours
    now = moment.time()
    state = BEFORE_OPEN if now < hours.open else OPEN if now < hours.close else AFTER_CLOSE
    shown = f"{hours.open:%H:%M}–{hours.close:%H:%M}"
    return ReceptionState(state, NORMAL, shown, (), (), paused)
