"""Local time of the center. Japan has no daylight saving: JST is a fixed +09:00."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")


def to_datetime(ms: int) -> datetime:
    """Returns the JST datetime of epoch milliseconds."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(JST)


def day_of(ms: int) -> date:
    """Returns the center's calendar day of epoch milliseconds."""
    return to_datetime(ms).date()


def to_ms(day: date, at: time) -> int:
    """Returns epoch milliseconds of a JST day and time."""
    return int(datetime.combine(day, at, tzinfo=JST).timestamp() * 1000)


def hhmm(ms: int) -> str:
    """Returns the JST ``HH:MM`` of epoch milliseconds."""
    return to_datetime(ms).strftime("%H:%M")


def iso(ms: int) -> str:
    """Returns the JST ISO 8601 timestamp (seconds) of epoch milliseconds."""
    return to_datetime(ms).isoformat(timespec="seconds")
