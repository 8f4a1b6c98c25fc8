"""Tests of the center calendar against 6(1) and 8 of the specification (domain.md, Calendar)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from app.core.center_calendar import CenterCalendar, DayStatus, MonthSummary
from app.core.settings import Hours, Settings, load_settings

FIRST = date(2026, 8, 1)
LAST = date(2027, 3, 31)
WEEKDAY_HOURS = Hours(time(10, 30), time(18, 30), time(10, 15), time(19, 0))
WEEKEND_HOURS = Hours(time(9, 0), time(17, 0), time(8, 45), time(17, 30))
TABLE_MONTHS = [f"2026-{m:02d}" for m in range(8, 13)] + [f"2027-{m:02d}" for m in range(1, 4)]
TABLE_OPEN_DAYS = [22, 20, 21, 21, 19, 19, 19, 21]
TABLE_CAPACITY = [2816, 2560, 2688, 2688, 2432, 2432, 2432, 2688]
JLIS_JA = "第3土曜日の翌日曜日（J-LIS保守のため閉庁）"
YEAR_END_JA = "年末年始（12月29日〜1月3日）"


@pytest.fixture(scope="module")
def site() -> Settings:
    return load_settings()


@pytest.fixture(scope="module")
def cal(site: Settings) -> CenterCalendar:
    return CenterCalendar(site.calendar, site.reservations)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- the specification's table -------------------------------------------------------------


def test_months_reproduce_the_specification_table(cal: CenterCalendar) -> None:
    summaries = cal.months("2026-08", "2027-03")
    assert [m.month for m in summaries] == TABLE_MONTHS
    assert [m.open_days for m in summaries] == TABLE_OPEN_DAYS
    assert [m.capacity for m in summaries] == TABLE_CAPACITY
    assert sum(m.open_days for m in summaries) == 162
    assert sum(m.capacity for m in summaries) == 20736


def test_month_closed_days_are_the_complement_of_open_days(cal: CenterCalendar) -> None:
    september = cal.month(2026, 9)
    closed = {s.day for s in september.closed_days}
    assert len(closed) == 30 - september.open_days
    assert closed.isdisjoint(cal.open_days(date(2026, 9, 1), date(2026, 9, 30)))
    assert all(not s.open and s.reasons_ja for s in september.closed_days)


def test_months_outside_the_period_are_all_closed(cal: CenterCalendar) -> None:
    july, april = cal.months("2026-07", "2027-04")[0], cal.months("2027-04", "2027-04")[0]
    for summary in (july, april):
        assert summary.open_days == 0
        assert summary.capacity == 0
        assert summary.closed_days == ()  # only closed days inside the contract period
    outside = cal.status(date(2026, 7, 31))
    assert not outside.open
    assert "契約期間外" in outside.reasons_ja
    assert "Outside the contract period" in outside.reasons_en


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-8", "2027-03", "YYYY-MM"),
        ("2026-13", "2027-03", "YYYY-MM"),
        ("2026-08", "March", "YYYY-MM"),
        ("2026-00", "2026-01", "YYYY-MM"),
        ("2027-03", "2026-08", "first > last"),
    ],
)
def test_months_errors(cal: CenterCalendar, first: str, last: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cal.months(first, last)


# --- closing rules --------------------------------------------------------------------------


def test_every_wednesday_and_thursday_is_closed(cal: CenterCalendar) -> None:
    midweek = [d for d in _days(FIRST, LAST) if d.isoweekday() in (3, 4)]
    assert len(midweek) == 69  # 35 Wednesdays, 34 Thursdays
    for day in midweek:
        status = cal.status(day)
        assert not status.open
        expected = "水曜日は定休日" if day.isoweekday() == 3 else "木曜日は定休日"
        assert expected in status.reasons_ja
    assert "Closed on Wednesdays" in cal.status(date(2026, 9, 23)).reasons_en


def test_sunday_after_third_saturday_is_closed(cal: CenterCalendar) -> None:
    status = cal.status(date(2026, 9, 20))
    assert not status.open
    assert status.reasons_ja == (JLIS_JA,)
    assert status.reasons_en == ("Sunday after the 3rd Saturday (J-LIS maintenance)",)
    assert status.hours is None and status.slots == () and status.capacity == 0
    assert cal.is_open(date(2026, 9, 19))  # the 3rd Saturday itself
    assert cal.is_open(date(2026, 9, 13))  # the Sunday after the 2nd Saturday
    assert cal.is_open(date(2026, 9, 27))  # the Sunday after the 4th Saturday


def test_one_jlis_sunday_a_month(cal: CenterCalendar) -> None:
    jlis = [d for d in _days(FIRST, LAST) if JLIS_JA in cal.status(d).reasons_ja]
    expected = [date(2026, 8, 16), date(2026, 9, 20), date(2026, 10, 18), date(2026, 11, 22)]
    expected += [date(2026, 12, 20), date(2027, 1, 17), date(2027, 2, 21), date(2027, 3, 21)]
    assert jlis == expected
    assert all(d.isoweekday() == 7 for d in jlis)


def test_jlis_sunday_rule_can_be_switched_off(site: Settings) -> None:
    open_sundays = CenterCalendar(
        replace(site.calendar, closed_sunday_after_third_saturday=False), site.reservations
    )
    assert open_sundays.is_open(date(2026, 9, 20))
    assert open_sundays.month(2026, 9).open_days == 21


def test_public_holiday_mondays_are_open_with_weekday_hours(cal: CenterCalendar) -> None:
    for day, name in [
        (date(2026, 9, 21), "敬老の日"),
        (date(2026, 10, 12), "スポーツの日"),
        (date(2027, 1, 11), "成人の日"),
    ]:
        status = cal.status(day)
        assert status.open, day
        assert status.holiday == name
        assert status.hours == WEEKDAY_HOURS
        assert status.capacity == 128


def test_weekend_and_weekday_hours(cal: CenterCalendar) -> None:
    assert cal.hours(date(2026, 9, 26)) == WEEKEND_HOURS  # Saturday
    assert cal.hours(date(2026, 9, 27)) == WEEKEND_HOURS  # Sunday
    assert cal.hours(date(2026, 9, 25)) == WEEKDAY_HOURS  # Friday
    assert cal.hours(date(2026, 9, 29)) == WEEKDAY_HOURS  # Tuesday
    assert cal.hours(date(2026, 9, 30)) is None  # Wednesday
    assert cal.hours(date(2027, 3, 20)) == WEEKEND_HOURS  # Saturday, 3rd Saturday


def test_year_end_break(cal: CenterCalendar) -> None:
    assert cal.is_open(date(2026, 12, 28))
    for day in _days(date(2026, 12, 29), date(2027, 1, 3)):
        status = cal.status(day)
        assert not status.open
        assert YEAR_END_JA in status.reasons_ja
        assert "Year-end break (Dec 29 – Jan 3)" in status.reasons_en
    assert cal.is_open(date(2027, 1, 4))
    # 2026-12-31 is a Thursday: both reasons are listed.
    assert cal.status(date(2026, 12, 31)).reasons_ja == ("木曜日は定休日", YEAR_END_JA)
    assert cal.status(date(2027, 1, 1)).holiday == "元日"


def test_holiday_that_is_the_jlis_sunday_is_closed(cal: CenterCalendar) -> None:
    sunday = cal.status(date(2027, 3, 21))
    assert sunday.holiday == "春分の日"
    assert not sunday.open
    assert sunday.reasons_ja == (JLIS_JA,)
    monday = cal.status(date(2027, 3, 22))
    assert monday.holiday is not None
    assert monday.open
    assert monday.hours == WEEKDAY_HOURS


def test_adhoc_closures_and_with_closures(cal: CenterCalendar) -> None:
    day = date(2026, 10, 2)  # a Friday, open
    assert cal.is_open(day)
    closed = cal.with_closures({day: "システム保守", date(2026, 10, 7): "台風"})
    status = closed.status(day)
    assert not status.open
    assert status.reasons_ja == ("臨時閉庁: システム保守",)
    assert status.reasons_en == ("Ad-hoc closure: システム保守",)
    assert closed.capacity(day) == 0
    assert closed.month(2026, 10).open_days == 20
    assert closed.month(2026, 10).capacity == 2688 - 128
    # A closure on a Wednesday adds its reason to the regular one.
    assert closed.status(date(2026, 10, 7)).reasons_ja == ("水曜日は定休日", "臨時閉庁: 台風")
    # The original is unchanged, and with_closures replaces rather than adds.
    assert cal.is_open(day)
    assert closed.with_closures({}).is_open(day)


def test_constructor_closures_are_copied(site: Settings) -> None:
    closures = {date(2026, 10, 2): "停電"}
    cal = CenterCalendar(site.calendar, site.reservations, closures)
    closures.clear()
    assert not cal.is_open(date(2026, 10, 2))


# --- slots and capacity ---------------------------------------------------------------------


def test_weekday_slots(cal: CenterCalendar) -> None:
    slots = cal.slots(date(2026, 9, 25))
    assert len(slots) == 16
    assert slots[0] == time(10, 30)
    assert slots[-1] == time(18, 0)
    assert slots[1] == time(11, 0)


def test_weekend_slots(cal: CenterCalendar) -> None:
    slots = cal.slots(date(2026, 9, 26))
    assert slots[0] == time(9, 0)
    assert slots[-1] == time(16, 30)
    assert len(slots) == 16
    assert cal.capacity(date(2026, 9, 26)) == 128


def test_other_slot_minutes_and_seats_change_capacity(site: Settings) -> None:
    longer = CenterCalendar(
        site.calendar, replace(site.reservations, slot_minutes=45, seats_per_slot=5)
    )
    slots = longer.slots(date(2026, 9, 25))
    # 10:30 … 17:30 (17:30 + 45 min = 18:15 <= 18:30; 18:15 + 45 min is past the close).
    assert slots == tuple(time(10 + (30 + 45 * i) // 60, (30 + 45 * i) % 60) for i in range(10))
    assert longer.capacity(date(2026, 9, 25)) == 50
    assert longer.month(2026, 9).capacity == 20 * 50
    more_seats = CenterCalendar(site.calendar, replace(site.reservations, seats_per_slot=10))
    assert more_seats.months("2026-08", "2027-03")[0].capacity == 22 * 16 * 10


def test_invalid_reservation_settings_are_refused(site: Settings) -> None:
    with pytest.raises(ValueError, match="slot_minutes"):
        CenterCalendar(site.calendar, replace(site.reservations, slot_minutes=0))


# --- JSON -----------------------------------------------------------------------------------


def test_day_to_json(cal: CenterCalendar) -> None:
    data = cal.status(date(2026, 9, 21)).to_json()
    assert data["day"] == "2026-09-21"
    assert data["open"] is True
    assert data["holiday"] == "敬老の日"
    assert (data["open_time"], data["close_time"]) == ("10:30", "18:30")
    assert (data["staff_start"], data["staff_end"]) == ("10:15", "19:00")
    assert data["slots"][0] == "10:30" and data["slots"][-1] == "18:00"
    assert data["capacity"] == 128
    assert data["reasons_ja"] == [] and data["reasons_en"] == []
    closed = cal.status(date(2026, 9, 20)).to_json()
    assert closed["open"] is False and closed["open_time"] is None and closed["slots"] == []
    assert closed["reasons_ja"] == [JLIS_JA]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_month_to_json(cal: CenterCalendar) -> None:
    data = cal.month(2026, 12).to_json()
    assert set(data) == {"month", "open_days", "capacity", "closed_days"}
    assert (data["month"], data["open_days"], data["capacity"]) == ("2026-12", 19, 2432)
    assert len(data["closed_days"]) == 31 - 19
    assert data["closed_days"][0]["day"] == "2026-12-02"
    json.dumps(data, ensure_ascii=False)  # serialisable without a custom encoder


# --- deadlines ------------------------------------------------------------------------------


def test_open_days(cal: CenterCalendar) -> None:
    week = cal.open_days(date(2026, 9, 18), date(2026, 9, 24))
    assert week == [date(2026, 9, 18), date(2026, 9, 19), date(2026, 9, 21), date(2026, 9, 22)]
    assert cal.open_days(date(2026, 9, 24), date(2026, 9, 18)) == []


def test_nth_center_day_after(cal: CenterCalendar) -> None:
    # Friday 9/18 → Sat 9/19, (Sun 9/20 J-LIS), Mon 9/21 holiday, Tue 9/22.
    assert cal.nth_center_day_after(date(2026, 9, 18), 3) == date(2026, 9, 22)
    # The monthly report "by the 3rd open day of the next month": Aug → 9/1, 9/4, 9/5.
    assert cal.nth_center_day_after(date(2026, 8, 31), 3) == date(2026, 9, 5)
    # Across the year-end break: 12/28 → 1/4, 1/5, 1/8.
    assert cal.nth_center_day_after(date(2026, 12, 28), 1) == date(2027, 1, 4)
    assert cal.nth_center_day_after(date(2026, 12, 28), 3) == date(2027, 1, 8)
    # A closed day as the start does not count itself.
    assert cal.nth_center_day_after(date(2026, 9, 23), 1) == date(2026, 9, 25)


def test_nth_center_day_after_errors(cal: CenterCalendar) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        cal.nth_center_day_after(date(2026, 9, 1), 0)
    with pytest.raises(ValueError, match="open days left"):
        cal.nth_center_day_after(date(2027, 3, 28), 5)


def test_city_office_days(cal: CenterCalendar) -> None:
    assert not cal.is_city_office_day(date(2026, 11, 23))  # 勤労感謝の日 (Monday)
    assert cal.is_city_office_day(date(2026, 11, 24))
    assert cal.is_city_office_day(date(2026, 11, 25))  # a Wednesday: the center is closed
    assert not cal.is_city_office_day(date(2026, 11, 28))  # Saturday
    assert not cal.is_city_office_day(date(2026, 11, 29))  # Sunday
    assert cal.is_city_office_day(date(2026, 12, 28))
    for day in _days(date(2026, 12, 29), date(2027, 1, 3)):
        assert not cal.is_city_office_day(day), day
    assert cal.is_city_office_day(date(2027, 1, 4))


def test_nth_city_office_day_after(cal: CenterCalendar) -> None:
    # Friday 11/20 → (Sat, Sun, Mon 11/23 holiday) Tue 11/24, Wed 11/25, Thu 11/26.
    assert cal.nth_city_office_day_after(date(2026, 11, 20), 3) == date(2026, 11, 26)
    # Across the year-end break: 12/25 (Fri) → 12/28, 1/4, 1/5.
    assert cal.nth_city_office_day_after(date(2026, 12, 25), 3) == date(2027, 1, 5)
    # Outside the contract period too: the city's days do not end with the contract.
    assert cal.nth_city_office_day_after(date(2027, 3, 31), 1) == date(2027, 4, 1)
    with pytest.raises(ValueError, match="at least 1"):
        cal.nth_city_office_day_after(date(2026, 11, 20), 0)


def test_city_office_days_ignore_center_closures(cal: CenterCalendar) -> None:
    closed = cal.with_closures({date(2026, 11, 24): "停電"})
    assert not closed.is_open(date(2026, 11, 24))
    assert closed.is_city_office_day(date(2026, 11, 24))


# --- properties -----------------------------------------------------------------------------


@hsettings(database=None, max_examples=300)
@given(st.dates(min_value=FIRST, max_value=LAST))
def test_open_iff_hours_and_slots(day: date) -> None:
    site = load_settings()
    cal = CenterCalendar(site.calendar, site.reservations)
    status = cal.status(day)
    assert isinstance(status, DayStatus)
    assert status.open == bool(status.slots) == (status.hours is not None)
    assert status.open == (not status.reasons_ja) == (not status.reasons_en)
    assert len(status.reasons_ja) == len(status.reasons_en)
    assert status.capacity == (128 if status.open else 0)
    if status.hours is not None:
        assert day.isoweekday() in (1, 2, 5, 6, 7)
        assert status.slots[0] == status.hours.open


@hsettings(database=None, max_examples=50)
@given(
    st.dates(min_value=date(2026, 6, 1), max_value=date(2027, 5, 31)),
    st.integers(min_value=1, max_value=5),
)
def test_nth_center_day_is_the_nth_open_day(day: date, n: int) -> None:
    site = load_settings()
    cal = CenterCalendar(site.calendar, site.reservations)
    later = cal.open_days(day + timedelta(days=1), LAST)
    if len(later) < n:
        with pytest.raises(ValueError):
            cal.nth_center_day_after(day, n)
    else:
        assert cal.nth_center_day_after(day, n) == later[n - 1]


@hsettings(database=None, max_examples=30)
@given(st.integers(min_value=2026, max_value=2027), st.integers(min_value=1, max_value=12))
def test_month_counts_add_up(year: int, month: int) -> None:
    site = load_settings()
    summary = CenterCalendar(site.calendar, site.reservations).month(year, month)
    assert isinstance(summary, MonthSummary)
    assert summary.capacity == summary.open_days * 128
    assert summary.month == f"{year}-{month:02d}"
