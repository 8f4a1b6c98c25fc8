"""When reception issues tickets: the center's calendar, the day's hours and 受付終了. No Qt.

The rules, in the order :meth:`app.queue.tickets.TicketService.issue` applies them:

- A **closed day** (水曜日・木曜日, 第3土曜日の翌日曜日, 年末年始 12/29–1/3, 臨時閉庁) issues no
  ticket at all, walk-in or reservation: the refusal names every reason the calendar gives.
- A walk-in **before opening** or **after closing** needs the floor manager's yes (a
  縮小運転 may close the day early: :mod:`app.queue.modes`).
- **受付終了** (the cut-off): walk-ins of a procedure are taken until
  ``reception.cutoff_by_procedure`` (or ``reception.cutoff_minutes``) minutes before closing;
  later each ticket needs the floor manager's yes too. A visit of several procedures is past
  its cut-off as soon as one of them is.

- **受付終了見込み**: a walk-in whose own visit is expected to end after closing (see
  :mod:`app.queue.forecast`) needs the floor manager's yes as well.

A reserved visitor is received by the rules of their booking (its day and slot), not by
these hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from app.core.center_calendar import DayStatus
from app.core.errors import ConfirmationNeeded, UserError
from app.model.clock import day_of, hhmm, to_ms
from app.queue.forecast import ServiceMinutes, forecast
from app.queue.modes import ModeService

if TYPE_CHECKING:
    from app.core.catalog import Procedure
    from app.core.node import Node
    from app.queue.routes import Stop

_WEEKDAYS = ("月", "火", "水", "木", "金", "土", "日")


class ClosedDay(UserError):
    """No ticket can be issued: the center is closed today (the message says why)."""


class OutsideHours(ConfirmationNeeded):
    """A walk-in before opening, after closing or after its procedure's cut-off; the floor
    manager may still issue it (``issue(..., confirm_closed=True)``), e.g. for a visitor let
    in before the doors closed."""


@dataclass(frozen=True)
class ReceptionDay:
    """One day as reception sees it: open or not, and its hours in epoch ms."""

    status: DayStatus
    open_ms: int | None
    close_ms: int | None
    #: The day closes early (縮小運転).
    early_close: bool = False
    #: Procedure → when its walk-ins end (受付終了), epoch ms.
    cutoffs: Mapping[str, int] = field(default_factory=dict)

    @property
    def day(self) -> date:
        """Returns the day."""
        return self.status.day

    def cutoff_ms(self, procedure: str) -> int | None:
        """Returns when walk-ins of a procedure end (受付終了), or None on a closed day."""
        return self.cutoffs.get(procedure)


def reception_day(node: Node, day: date) -> ReceptionDay:
    """Returns a day with its opening and closing times (None when closed); a 縮小運転 that
    closes early (:mod:`app.queue.modes`) brings the closing forward."""
    status = node.calendar().status(day)
    if not status.open or status.hours is None:
        return ReceptionDay(status, None, None)
    close = to_ms(day, status.hours.close)
    early = ModeService(node).close_ms(day)
    closes = min(close, early or close)
    rules = node.settings.reception
    cutoffs = {code: closes - rules.cutoff(code) * 60_000 for code in node.catalog.procedures}
    return ReceptionDay(status, to_ms(day, status.hours.open), closes,
                        early_close=early is not None and early < close, cutoffs=cutoffs)  # fmt: skip


def refuse_closed(day: ReceptionDay) -> None:
    """Refuses any ticket on a closed day.

    Raises:
        ClosedDay: the center is closed; the message lists the calendar's reasons.
    """
    status = day.status
    if status.open:
        return
    d = status.day
    raise ClosedDay(
        f"本日（{d.month}/{d.day} {_WEEKDAYS[d.weekday()]}）は閉庁日のため整理券は発行できません"
        f"（閉庁日: {'、'.join(status.reasons_ja)}）",
        en=f"The center is closed today ({d:%a %d %b}): no ticket can be issued "
        f"({'; '.join(status.reasons_en)})",
    )


def check_walk_in(node: Node, day: ReceptionDay, procedures: list[Procedure], now: int) -> None:
    """Asks before a walk-in outside reception hours (see the module docstring).

    Raises:
        OutsideHours: before opening, after closing or past a procedure's cut-off.
    """
    if day.open_ms is None or day.close_ms is None:
        return
    opens, closes = hhmm(day.open_ms), hhmm(day.close_ms)
    if now < day.open_ms:
        raise OutsideHours(
            f"開庁前です（本日は{opens}から）。それでも発券しますか",
            en=f"The center opens at {opens} today. Issue a ticket all the same?",
        )
    if now >= day.close_ms:
        early_ja, early_en = (
            ("縮小運転のため", " (reduced operation)") if day.early_close else ("", "")
        )
        raise OutsideHours(
            f"{early_ja}受付時間（{closes}まで）を過ぎています。それでも発券しますか",
            en=f"Reception closed at {closes}{early_en}. Issue a ticket all the same?",
        )
    for proc in procedures:
        cutoff = day.cutoff_ms(proc.code)
        if cutoff is not None and now >= cutoff:
            raise OutsideHours(
                f"{proc.name_ja}の受付は{hhmm(cutoff)}で終了しました（閉庁 {closes}）。"
                "それでも発券しますか",
                en=f"Reception for {proc.name_en} ended at {hhmm(cutoff)} (closing at "
                f"{closes}). Issue a ticket all the same?",
            )


def check_overrun(node: Node, day: ReceptionDay, route: list[Stop], now: int) -> None:
    """Asks before a walk-in whose visit is expected to end after closing (the expected end
    of :mod:`app.queue.forecast`: when they would be called, plus the minutes of their
    procedures).

    Raises:
        OutsideHours: the visit is expected to end after closing.
    """
    if day.close_ms is None or not day.open_ms or now < day.open_ms:
        return
    first = route[0].lane.id
    minutes = ServiceMinutes(node, day.day.isoformat())
    expected = forecast(node, now, [first]).visit_end_ms(
        first, sum(minutes.of(stop.procedures) for stop in route)
    )
    if expected is not None and expected > day.close_ms:
        closes = hhmm(day.close_ms)
        if day_of(expected) != day.day:  # not before midnight: a time would read as today's
            raise OutsideHours(
                f"この方の手続は閉庁（{closes}）までに終わらず、本日中にも終わらない見込みです。"
                "それでも発券しますか",
                en=f"This visit is not expected to end today, nor by closing ({closes}). "
                "Issue a ticket all the same?",
            )
        ends = hhmm(expected)
        raise OutsideHours(
            f"本日の受付終了見込みは{ends}で、閉庁（{closes}）までに終わらない見込みです。"
            "それでも発券しますか",
            en=f"This visit is expected to end at {ends}, after closing ({closes}). "
            "Issue a ticket all the same?",
        )
