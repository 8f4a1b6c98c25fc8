"""Typed site settings: the defaults in ``resources/site.toml``, overridden per site.

All settings and their defaults live here and in that one file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.core.errors import InputError
from app.core.paths import resources_dir
from app.core.privacy import PrivacyError, check_payload


class SettingsError(InputError):
    """A site configuration that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Hours:
    """Open hours (開庁時間) and staff hours (勤務時間) of one kind of day."""

    open: time
    close: time
    staff_start: time
    staff_end: time


@dataclass(frozen=True)
class CalendarSettings:
    """The rules of the center's calendar (6(1) of the specification)."""

    first_day: date
    last_day: date
    open_weekdays: frozenset[int]
    closed_sunday_after_third_saturday: bool
    year_end_from: tuple[int, int]
    year_end_to: tuple[int, int]
    weekday_hours: Hours
    weekend_hours: Hours


@dataclass(frozen=True)
class ReservationSettings:
    """Reservation slots and check-in rules."""

    slot_minutes: int
    seats_per_slot: int
    checkin_early_minutes: int
    late_grace_minutes: int
    purge_after_days: int


@dataclass(frozen=True)
class ReceptionSettings:
    """When reception stops taking walk-ins (受付終了) and how priority visitors are called."""

    #: Minutes before closing after which a walk-in needs the floor manager's yes, for a
    #: procedure not listed in ``cutoff_by_procedure``.
    cutoff_minutes: int
    cutoff_by_procedure: Mapping[str, int]
    #: A priority visitor (優先) is called as if their ticket had been issued this many
    #: minutes earlier (:meth:`app.queue.tickets.TicketService.queue`).
    priority_head_start_minutes: int

    def cutoff(self, procedure: str) -> int:
        """Returns the minutes before closing at which walk-ins of a procedure end."""
        return self.cutoff_by_procedure.get(procedure, self.cutoff_minutes)


@dataclass(frozen=True)
class SiteInfo:
    """The site's names, place and public reservation address."""

    id: str
    name_ja: str
    name_en: str
    place_ja: str
    place_en: str
    reservation_url: str


@dataclass(frozen=True)
class CounterSettings:
    """Rules of the counters."""

    noshow_after_calls: int


@dataclass(frozen=True)
class StaffSettings:
    """Sign-in lockout rules."""

    lockout_attempts: int
    lockout_minutes: int


@dataclass(frozen=True)
class ScreenSettings:
    """How often the windows look again."""

    poll_ms: int
    live_refresh_seconds: int
    staffing_hours: int


@dataclass(frozen=True)
class LiveSettings:
    """The site manager's live view: the plan per hour and when a wait is an alert."""

    walk_ins_per_hour: float
    amber_factor: float
    red_factor: float


@dataclass(frozen=True)
class DisplaySettings:
    """The waiting-room board."""

    language_seconds: int
    flash_seconds: int
    blink_ms: int
    large_rows: int
    recent_rows: int
    silence_seconds: int


@dataclass(frozen=True)
class PrintingSettings:
    """The ticket printer's paper."""

    roll_mm: int


#: Roll widths a ticket printer may take (their printable widths: app.printing.layout.ROLLS).
ROLL_WIDTHS = (58, 80)


@dataclass(frozen=True)
class SyncSettings:
    """Rounds with the shared folder."""

    interval_seconds: float
    clock_alarm_seconds: int


@dataclass(frozen=True)
class LanSettings:
    """The direct LAN path between the PCs of the site (:mod:`app.lan`)."""

    enabled: bool
    port: int
    address: str


@dataclass(frozen=True)
class StatusSettings:
    """The public waiting status (status.json and its page) and the LAN page server."""

    publish_dir: str
    interval_seconds: int
    stale_seconds: int
    base_url: str
    serve: str
    recent_calls: int


@dataclass(frozen=True)
class Settings:
    """Everything configurable about a site."""

    site: SiteInfo
    calendar: CalendarSettings
    reservations: ReservationSettings
    reception: ReceptionSettings
    staff: StaffSettings
    counter: CounterSettings
    block_size: int
    screens: ScreenSettings
    live: LiveSettings
    display: DisplaySettings
    sync: SyncSettings
    printing: PrintingSettings
    lan: LanSettings
    status: StatusSettings


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _get(raw: dict[str, Any], dotted: str) -> Any:
    node: Any = raw
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise SettingsError(f"設定 {dotted} がありません")
        node = node[part]
    return node


def _time(raw: dict[str, Any], dotted: str) -> time:
    value = _get(raw, dotted)
    try:
        hour, minute = str(value).split(":")
        return time(int(hour), int(minute))
    except ValueError as exc:
        raise SettingsError(f"設定 {dotted} = {value!r} は HH:MM の時刻ではありません") from exc


def _month_day(raw: dict[str, Any], dotted: str) -> tuple[int, int]:
    value = str(_get(raw, dotted))
    try:
        month, day = (int(x) for x in value.split("-"))
        date(2000, month, day)
    except ValueError as exc:
        raise SettingsError(f"設定 {dotted} = {value!r} は MM-DD ではありません") from exc
    return month, day


def _int(raw: dict[str, Any], dotted: str, minimum: int = 0) -> int:
    value = _get(raw, dotted)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise SettingsError(f"設定 {dotted} = {value!r} は {minimum} 以上の整数にしてください")
    return value


def _number(raw: dict[str, Any], dotted: str, minimum: float = 0.0) -> float:
    value = _get(raw, dotted)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < minimum:
        raise SettingsError(f"設定 {dotted} = {value!r} は {minimum:g} 以上の数にしてください")
    return float(value)


def _minutes_table(raw: dict[str, Any], dotted: str) -> Mapping[str, int]:
    table = _get(raw, dotted)
    if not isinstance(table, dict):
        raise SettingsError(f"設定 {dotted} は 手続 = 分 の表にしてください")
    return MappingProxyType({str(key): _int(raw, f"{dotted}.{key}") for key in table})


def _date(raw: dict[str, Any], dotted: str) -> date:
    value = _get(raw, dotted)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise SettingsError(f"設定 {dotted} = {value!r} は YYYY-MM-DD ではありません") from exc


def _hours(raw: dict[str, Any], kind: str) -> Hours:
    hours = Hours(
        open=_time(raw, f"hours.{kind}.open"),
        close=_time(raw, f"hours.{kind}.close"),
        staff_start=_time(raw, f"hours.{kind}.staff_start"),
        staff_end=_time(raw, f"hours.{kind}.staff_end"),
    )
    if not hours.staff_start <= hours.open < hours.close <= hours.staff_end:
        raise SettingsError(f"設定 hours.{kind}: 勤務時間が開庁時間を含んでいません")
    return hours


def parse_settings(raw: dict[str, Any]) -> Settings:
    """Builds typed settings from a merged TOML document.

    Raises:
        SettingsError: a key is missing or has a value of the wrong kind.
    """
    weekdays = _get(raw, "calendar.open_weekdays")
    if not isinstance(weekdays, list) or not all(
        isinstance(d, int) and 1 <= d <= 7 for d in weekdays
    ):
        raise SettingsError(
            "設定 calendar.open_weekdays は 1（月）〜7（日）の数の一覧にしてください"
        )
    settings = Settings(
        site=SiteInfo(**{k: str(_get(raw, f"site.{k}")) for k in SiteInfo.__dataclass_fields__}),
        calendar=CalendarSettings(
            first_day=_date(raw, "calendar.first_day"),
            last_day=_date(raw, "calendar.last_day"),
            open_weekdays=frozenset(weekdays),
            closed_sunday_after_third_saturday=bool(
                _get(raw, "calendar.closed_sunday_after_third_saturday")
            ),
            year_end_from=_month_day(raw, "calendar.year_end_from"),
            year_end_to=_month_day(raw, "calendar.year_end_to"),
            weekday_hours=_hours(raw, "weekday"),
            weekend_hours=_hours(raw, "weekend"),
        ),
        reservations=ReservationSettings(
            slot_minutes=_int(raw, "reservations.slot_minutes", 1),
            seats_per_slot=_int(raw, "reservations.seats_per_slot", 0),
            checkin_early_minutes=_int(raw, "reservations.checkin_early_minutes"),
            late_grace_minutes=_int(raw, "reservations.late_grace_minutes"),
            purge_after_days=_int(raw, "reservations.purge_after_days", 1),
        ),
        reception=ReceptionSettings(
            cutoff_minutes=_int(raw, "reception.cutoff_minutes"),
            cutoff_by_procedure=_minutes_table(raw, "reception.cutoff_by_procedure"),
            priority_head_start_minutes=_int(raw, "reception.priority_head_start_minutes"),
        ),
        staff=StaffSettings(
            lockout_attempts=_int(raw, "staff.lockout_attempts", 1),
            lockout_minutes=_int(raw, "staff.lockout_minutes", 1),
        ),
        counter=CounterSettings(noshow_after_calls=_int(raw, "counter.noshow_after_calls", 1)),
        block_size=_int(raw, "numbering.block_size", 10),
        screens=ScreenSettings(
            poll_ms=_int(raw, "screens.poll_ms", 50),
            live_refresh_seconds=_int(raw, "screens.live_refresh_seconds", 1),
            staffing_hours=_int(raw, "screens.staffing_hours", 1),
        ),
        live=LiveSettings(
            walk_ins_per_hour=_number(raw, "live.walk_ins_per_hour"),
            amber_factor=_number(raw, "live.amber_factor", 0.1),
            red_factor=_number(raw, "live.red_factor", 0.1),
        ),
        display=DisplaySettings(
            language_seconds=_int(raw, "display.language_seconds", 1),
            flash_seconds=_int(raw, "display.flash_seconds", 1),
            blink_ms=_int(raw, "display.blink_ms", 100),
            large_rows=_int(raw, "display.large_rows", 1),
            recent_rows=_int(raw, "display.recent_rows", 0),
            silence_seconds=_int(raw, "display.silence_seconds", 5),
        ),
        sync=SyncSettings(
            interval_seconds=_number(raw, "sync.interval_seconds", 0.05),
            clock_alarm_seconds=_int(raw, "sync.clock_alarm_seconds", 1),
        ),
        printing=PrintingSettings(roll_mm=_int(raw, "printing.roll_mm", 1)),
        lan=LanSettings(
            enabled=bool(_get(raw, "lan.enabled")),
            port=_int(raw, "lan.port"),
            address=str(_get(raw, "lan.address")).strip(),
        ),
        status=StatusSettings(
            publish_dir=str(_get(raw, "status.publish_dir")),
            interval_seconds=_int(raw, "status.interval_seconds", 1),
            stale_seconds=_int(raw, "status.stale_seconds", 10),
            base_url=str(_get(raw, "status.base_url")).rstrip("/"),
            serve=str(_get(raw, "status.serve")),
            recent_calls=_int(raw, "status.recent_calls", 1),
        ),
    )
    if settings.lan.port > 65535:
        raise SettingsError(f"設定 lan.port = {settings.lan.port} は 0〜65535 にしてください")
    if settings.status.interval_seconds > 15:
        raise SettingsError("設定 status.interval_seconds は 15 以下にしてください")
    if settings.printing.roll_mm not in ROLL_WIDTHS:
        raise SettingsError(
            f"設定 printing.roll_mm = {settings.printing.roll_mm} は 58 か 80 にしてください"
        )
    if settings.live.red_factor < settings.live.amber_factor:
        raise SettingsError("設定 live.red_factor は amber_factor 以上にしてください")
    if settings.calendar.first_day > settings.calendar.last_day:
        raise SettingsError("設定 calendar.first_day が last_day より後になっています")
    return settings


def load_settings(override: Path | None = None) -> Settings:
    """Loads the default site settings, merged with a site file if it exists.

    Args:
        override: a site's ``site.toml``; keys there replace the defaults.

    Raises:
        SettingsError: the file is not valid TOML or a value is wrong.
    """
    default_file = resources_dir() / "site.toml"
    raw = tomllib.loads(default_file.read_text(encoding="utf-8"))
    if override is not None and override.exists():
        try:
            over = tomllib.loads(override.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{override}: {exc}") from exc
        try:
            check_payload(over, f"{override.name} の設定")
        except PrivacyError as exc:
            raise SettingsError(str(exc)) from None
        raw = _merge(raw, over)
    return parse_settings(raw)
