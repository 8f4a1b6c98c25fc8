"""The center's calendar: open days, hours, reservation slots and capacity (6(1), 8 of the spec).

Also the city's office days (開庁日), which set report deadlines. No Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

import jpholiday

from app.core.errors import InputError
from app.core.settings import CalendarSettings, Hours, ReservationSettings

_WEEKDAYS_JA = ("月", "火", "水", "木", "金", "土", "日")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_CITY_YEAR_END = ((12, 29), (1, 3))
_JLIS_SUNDAY = (
    "第3土曜日の翌日曜日（J-LIS保守のため閉庁）",
    "Sunday after the 3rd Saturday (J-LIS maintenance)",
)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _in_break(day: date, first: tuple[int, int], last: tuple[int, int]) -> bool:
    """Tells whether a day lies in a month-day range, inclusive, possibly across the new year."""
    key = (day.month, day.day)
    if first <= last:
        return first <= key <= last
    return key >= first or key <= last


def _parse_month(text: str) -> tuple[int, int]:
    match = _MONTH_RE.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"月 {text!r} は YYYY-MM ではありません (expected YYYY-MM)")
    return int(match.group(1)), int(match.group(2))


def _nth_after(day: date, n: int, counts: Callable[[date], bool], last: date | None) -> date:
    """Returns the n-th day strictly after ``day`` that ``counts``, searching up to ``last``."""
    if n < 1:
        raise ValueError(f"n = {n} must be at least 1")
    found = 0
    while found < n:
        day += timedelta(days=1)
        if last is not None and day > last:
            raise InputError(f"契約期間内に {n} 開所日がありません (no {n} open days left)")
        found += counts(day)
    return day


@dataclass(frozen=True)
class DayStatus:
    """Whether the center is open on one day, and what it offers then."""

    day: date
    open: bool
    reasons_ja: tuple[str, ...]
    reasons_en: tuple[str, ...]
    holiday: str | None
    hours: Hours | None
    slots: tuple[time, ...]
    capacity: int

    def to_json(self) -> dict[str, Any]:
        """Returns the day as JSON-ready values.

        Returns:
            The day with ISO dates and ``HH:MM`` times; times are ``None`` when closed.
        """
        hours = self.hours
        return {
            "day": self.day.isoformat(),
            "open": self.open,
            "reasons_ja": list(self.reasons_ja),
            "reasons_en": list(self.reasons_en),
            "holiday": self.holiday,
            "open_time": _hhmm(hours.open) if hours else None,
            "close_time": _hhmm(hours.close) if hours else None,
            "staff_start": _hhmm(hours.staff_start) if hours else None,
            "staff_end": _hhmm(hours.staff_end) if hours else None,
            "slots": [_hhmm(slot) for slot in self.slots],
            "capacity": self.capacity,
        }


@dataclass(frozen=True)
class MonthSummary:
    """Open days and reservation capacity of one month."""

    month: str
    open_days: int
    capacity: int
    closed_days: tuple[DayStatus, ...]

    def to_json(self) -> dict[str, Any]:
        """Returns the month as JSON-ready values.

        Returns:
            The month, its counts and its closed days (each as ``DayStatus.to_json``).
        """
        return {
            "month": self.month,
            "open_days": self.open_days,
            "capacity": self.capacity,
            "closed_days": [status.to_json() for status in self.closed_days],
        }


class CenterCalendar:
    """The center's calendar from the site settings plus ad-hoc closures (臨時閉庁).

    Args:
        calendar: the calendar rules of the site.
        reservations: slot length and seats a slot.
        closures: ad-hoc closures, day -> reason text.

    Raises:
        ValueError: the slot length is not positive or the seats a slot are negative.
    """

    def __init__(
        self,
        calendar: CalendarSettings,
        reservations: ReservationSettings,
        closures: Mapping[date, str] | None = None,
    ) -> None:
        if reservations.slot_minutes < 1 or reservations.seats_per_slot < 0:
            raise ValueError("slot_minutes must be >= 1 and seats_per_slot >= 0")
        self._calendar = calendar
        self._reservations = reservations
        self._closures: Mapping[date, str] = MappingProxyType(dict(closures or {}))

    def with_closures(self, closures: Mapping[date, str]) -> CenterCalendar:
        """Returns a copy of this calendar with other ad-hoc closures.

        Args:
            closures: the new ad-hoc closures, day -> reason; they replace the current ones.

        Returns:
            A new calendar with the same settings.
        """
        return CenterCalendar(self._calendar, self._reservations, closures)

    def _closed_reasons(self, day: date) -> list[tuple[str, str]]:
        """Returns every (Japanese, English) reason the center is closed on a day."""
        cal = self._calendar
        reasons: list[tuple[str, str]] = []
        if not cal.first_day <= day <= cal.last_day:
            reasons.append(("契約期間外", "Outside the contract period"))
        weekday = day.isoweekday()
        if weekday not in cal.open_weekdays:
            name_ja, name_en = _WEEKDAYS_JA[weekday - 1], _WEEKDAYS_EN[weekday - 1]
            reasons.append((f"{name_ja}曜日は定休日", f"Closed on {name_en}s"))
        # The Sunday right after the month's 3rd Saturday (a Saturday falling on day 15–21).
        if cal.closed_sunday_after_third_saturday and weekday == 7 and 16 <= day.day <= 22:
            reasons.append(_JLIS_SUNDAY)
        if _in_break(day, cal.year_end_from, cal.year_end_to):
            (fm, fd), (tm, td) = cal.year_end_from, cal.year_end_to
            span_ja = f"{fm}月{fd}日〜{tm}月{td}日"
            span_en = f"{_MONTHS_EN[fm - 1]} {fd} – {_MONTHS_EN[tm - 1]} {td}"
            reasons.append((f"年末年始（{span_ja}）", f"Year-end break ({span_en})"))
        if day in self._closures:
            reason = self._closures[day]
            reasons.append((f"臨時閉庁: {reason}", f"Ad-hoc closure: {reason}"))
        return reasons

    def _slots_of(self, hours: Hours) -> tuple[time, ...]:
        step = timedelta(minutes=self._reservations.slot_minutes)
        start = datetime.combine(date.min, hours.open)
        close = datetime.combine(date.min, hours.close)
        slots: list[time] = []
        while start + step <= close:
            slots.append(start.time())
            start += step
        return tuple(slots)

    def status(self, day: date) -> DayStatus:
        """Returns whether the center is open on a day, why not, its hours and slots.

        Args:
            day: any day, inside the contract period or not.

        Returns:
            The day's status; a closed day lists every reason it is closed.
        """
        reasons = self._closed_reasons(day)
        holiday = jpholiday.is_holiday_name(day)
        if reasons:
            ja, en = (tuple(texts) for texts in zip(*reasons, strict=True))
            return DayStatus(day, False, ja, en, holiday, None, (), 0)
        cal = self._calendar
        hours = cal.weekend_hours if day.isoweekday() >= 6 else cal.weekday_hours
        slots = self._slots_of(hours)
        capacity = len(slots) * self._reservations.seats_per_slot
        return DayStatus(day, True, (), (), holiday, hours, slots, capacity)

    def is_open(self, day: date) -> bool:
        """Tells whether the center is open on a day.

        Args:
            day: the day.

        Returns:
            True when the center is open.
        """
        return self.status(day).open

    def hours(self, day: date) -> Hours | None:
        """Returns the open and staff hours of a day.

        Args:
            day: the day.

        Returns:
            The hours, or None when the center is closed.
        """
        return self.status(day).hours

    def slots(self, day: date) -> tuple[time, ...]:
        """Returns the reservation slot start times of a day.

        Args:
            day: the day.

        Returns:
            The start times, empty when the center is closed.
        """
        return self.status(day).slots

    def capacity(self, day: date) -> int:
        """Returns the reservation capacity of a day.

        Args:
            day: the day.

        Returns:
            Slots times seats a slot; 0 when the center is closed.
        """
        return self.status(day).capacity

    def month(self, year: int, month: int) -> MonthSummary:
        """Summarises one month.

        Args:
            year: the year.
            month: the month, 1 to 12.

        Returns:
            Open days, capacity and the closed days inside the contract period.

        Raises:
            ValueError: the month is not 1 to 12.
        """
        day = date(year, month, 1)
        statuses: list[DayStatus] = []
        while day.month == month:
            statuses.append(self.status(day))
            day += timedelta(days=1)
        cal = self._calendar
        return MonthSummary(
            month=f"{year:04d}-{month:02d}",
            open_days=sum(1 for s in statuses if s.open),
            capacity=sum(s.capacity for s in statuses),
            closed_days=tuple(
                s for s in statuses if not s.open and cal.first_day <= s.day <= cal.last_day
            ),
        )

    def months(self, first: str, last: str) -> list[MonthSummary]:
        """Summarises a range of months.

        Args:
            first: the first month, ``YYYY-MM``.
            last: the last month, ``YYYY-MM``, inclusive.

        Returns:
            One summary a month, in order.

        Raises:
            ValueError: a month is malformed or ``first`` is after ``last``.
        """
        year, month = _parse_month(first)
        end = _parse_month(last)
        if (year, month) > end:
            raise InputError(f"最初の月 {first} が最後の月 {last} より後です (first > last)")
        summaries: list[MonthSummary] = []
        while (year, month) <= end:
            summaries.append(self.month(year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return summaries

    def open_days(self, first: date, last: date) -> list[date]:
        """Returns the open days of a range.

        Args:
            first: the first day.
            last: the last day, inclusive.

        Returns:
            The open days in order; empty when ``first`` is after ``last``.
        """
        days = (first + timedelta(days=i) for i in range((last - first).days + 1))
        return [day for day in days if self.is_open(day)]

    def nth_center_day_after(self, day: date, n: int) -> date:
        """Returns the n-th open center day strictly after a day (e.g. 翌月3開所日後).

        Args:
            day: the day to count from; it does not count itself.
            n: how many open days to count, at least 1.

        Returns:
            The n-th open day after ``day``.

        Raises:
            ValueError: ``n`` is below 1, or the contract period ends first.
        """
        return _nth_after(day, n, self.is_open, self._calendar.last_day)

    @staticmethod
    def is_city_office_day(day: date) -> bool:
        """Tells whether the city offices are open (開庁日: Mon–Fri, no holiday, not 12/29–1/3).

        Args:
            day: the day.

        Returns:
            True on a city office day.
        """
        return (
            day.isoweekday() <= 5
            and not jpholiday.is_holiday(day)
            and not _in_break(day, *_CITY_YEAR_END)
        )

    def nth_city_office_day_after(self, day: date, n: int) -> date:
        """Returns the n-th city office day strictly after a day (e.g. 開催日後3開庁日).

        Args:
            day: the day to count from; it does not count itself.
            n: how many office days to count, at least 1.

        Returns:
            The n-th city office day after ``day``.

        Raises:
            ValueError: ``n`` is below 1.
        """
        return _nth_after(day, n, self.is_city_office_day, None)
