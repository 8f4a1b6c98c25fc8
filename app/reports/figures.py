"""Statistics of a period, computed from the event log only (design §3).

:func:`load_facts` reads the events of a period and folds each ticket from its own events
(:func:`app.model.ticket_fold.fold`); it never reads the ``tickets`` projection. Every figure is a
set of facts (tickets, turned-back visits, reservations) chosen by a :class:`FigureKey`, so
:func:`explain` can name the tickets and events behind any number of a report.

A key reads ``<period>/<measure>[/<dimension>=<value>…]``, e.g. ``2026-10-05/visits/hour=10``
or ``2026-10/served/procedure=certificate/operator=city``. A bare number after the measure is
an hour. Periods: ``YYYY-MM-DD``, ``YYYY-MM``, ``FY2026`` (April–March) or
``YYYY-MM-DD..YYYY-MM-DD``. No Qt.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from app.core.errors import InputError
from app.model.clock import to_datetime
from app.reports.facts import (
    Facts,
    Incident,
    ProcedureFact,
    ReservationFact,
    Shift,
    TicketFact,
    TurnedBack,
    load_facts,
)

if TYPE_CHECKING:
    from app.core.node import Node

__all__ = [
    "CERTIFICATE_PLAN",
    "MEASURES",
    "FigureKey",
    "Figures",
    "Period",
    "ProcedureFact",
    "ReservationFact",
    "Shift",
    "TicketFact",
    "TimeStats",
    "TurnedBack",
    "explain",
    "figures_for",
    "percentile",
]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_FY = re.compile(r"^FY(\d{4})$")
DIMENSIONS = (
    "month",
    "day",
    "hour",
    "procedure",
    "applicant",
    "operator",
    "lane",
    "counter",
    "reserved",
    "priority_reason",
)

#: E-certificate renewals planned at the center per month (8 of the specification).
CERTIFICATE_PLAN: Mapping[str, int] = MappingProxyType(
    {"2026-08": 207, "2026-09": 264, "2026-10": 338, "2026-11": 362, "2026-12": 427,
     "2027-01": 578, "2027-02": 535, "2027-03": 602}
)  # fmt: skip

Fact = TicketFact | TurnedBack | ReservationFact | Incident | ProcedureFact


def _outcome(outcome: str) -> Any:
    return lambda f: f.outcome == outcome


#: measure -> (source, predicate, Japanese name)
MEASURES: dict[str, tuple[str, Any, str]] = {
    "visits": ("tickets", lambda t: not t.transfer, "受付（整理券）"),
    "tickets": ("tickets", lambda t: True, "整理券（回付先を含む）"),
    "procedures": ("procedures", lambda f: True, "手続（1回の来庁で複数の手続は手続ごと）"),
    "served": ("procedures", _outcome("completed"), "完了（手続）"),
    "transferred": ("tickets", lambda t: t.state == "transferred", "回付"),
    "noshow": ("tickets", lambda t: t.state == "noshow", "呼出し不在"),
    "cancelled": ("tickets", lambda t: t.state == "cancelled", "取消"),
    "deferred": ("procedures", _outcome("deferred"), "J-LIS停止で後日（手続）"),
    "revisit": ("procedures", _outcome("revisit"), "書類不備・再来庁（手続）"),
    "open": ("tickets", lambda t: t.state in ("waiting", "called", "serving", "held"), "未完了"),
    "conflicts": ("tickets", lambda t: t.conflicts > 0, "競合のあった整理券"),
    "waited": ("tickets", lambda t: t.wait_ms is not None, "呼出し済み（待ち時間の母数）"),
    "waited_15": ("tickets", lambda t: t.wait_ms is not None and t.wait_ms <= 15 * 60_000,
                  "15分以内に呼出し"),
    "waited_30": ("tickets", lambda t: t.wait_ms is not None and t.wait_ms <= 30 * 60_000,
                  "30分以内に呼出し"),
    "serviced": ("tickets", lambda t: t.service_ms is not None, "対応時間の母数"),
    "turned_back": ("turned_back", lambda v: True, "書類不備で返戻（受付）"),
    "reservations": ("reservations", lambda r: not r.cancelled, "予約"),
    "checked_in": ("reservations", lambda r: r.ticket_id is not None, "予約の受付"),
    "late": ("reservations", lambda r: r.late, "遅刻（優先なしで受付）"),
    "reservation_noshow": ("reservations", lambda r: r.noshow, "予約の不在"),
    "incidents": ("incidents", lambda i: True, "情報セキュリティ事故"),
    "fee_reissue": ("tickets", lambda t: t.fee == "reissue", "手数料の対象（再交付）"),
    "fee_express": ("tickets", lambda t: t.fee == "express", "手数料の対象（特急）"),
    "checks": ("tickets", lambda t: bool(t.checks), "ダブルチェックを依頼した整理券"),
    "checks_waiting": ("tickets", lambda t: any(c.signed_ms is None for c in t.checks),
                       "ダブルチェックの確認待ち"),
    "priority": ("tickets", lambda t: t.priority_reason is not None and not t.transfer,
                 "優先案内の方"),
}  # fmt: skip


@dataclass(frozen=True)
class Period:
    """A span of days a report or a figure covers."""

    first: date
    last: date
    text: str

    @classmethod
    def parse(cls, text: str) -> Period:
        """Reads ``YYYY-MM-DD``, ``YYYY-MM``, ``FY2026`` or ``YYYY-MM-DD..YYYY-MM-DD``.

        Raises:
            ValueError: the text is none of these.
        """
        text = text.strip()
        try:
            if ".." in text:
                a, b = text.split("..", 1)
                return cls(date.fromisoformat(a), date.fromisoformat(b), text)
            if _DAY.match(text):
                day = date.fromisoformat(text)
                return cls(day, day, text)
            if (m := _MONTH.match(text)) is not None:
                first = date(int(m.group(1)), int(m.group(2)), 1)
                nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
                return cls(first, nxt - timedelta(days=1), text)
            if (m := _FY.match(text)) is not None:
                year = int(m.group(1))
                return cls(date(year, 4, 1), date(year + 1, 3, 31), text)
        except ValueError:
            pass
        raise InputError(
            f"期間 {text!r} が読めません（YYYY-MM-DD、YYYY-MM、FY2026、"
            "YYYY-MM-DD..YYYY-MM-DD のいずれかで指定してください）"
        )


@dataclass(frozen=True)
class FigureKey:
    """Names one figure: a period, a measure and dimension filters."""

    period: str
    measure: str
    filters: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> FigureKey:
        """Reads a key such as ``2026-10-05/visits/hour=10``.

        Raises:
            ValueError: unknown period, measure or dimension.
        """
        parts = [p for p in text.strip().split("/") if p]
        if len(parts) < 2:
            raise InputError(f"キー {text!r} は 期間/項目[/次元=値…] の形にしてください")
        Period.parse(parts[0])
        if parts[1] not in MEASURES:
            raise InputError(f"項目 {parts[1]} はありません（{', '.join(MEASURES)}）")
        filters: list[tuple[str, str]] = []
        for part in parts[2:]:
            name, _, value = part.partition("=") if "=" in part else ("hour", "", part)
            if name not in DIMENSIONS:
                raise InputError(f"次元 {name} はありません（{', '.join(DIMENSIONS)}）")
            filters.append((name, value))
        return cls(parts[0], parts[1], tuple(filters))

    def __str__(self) -> str:
        return "/".join([self.period, self.measure, *(f"{k}={v}" for k, v in self.filters)])

    def with_filters(self, **filters: object) -> FigureKey:
        """Returns this key with more dimension filters."""
        extra = tuple((k, str(v)) for k, v in filters.items() if v is not None)
        return FigureKey(self.period, self.measure, self.filters + extra)


class Explained(NamedTuple):
    """A fact behind a figure: its ticket (if any) and the events that made it."""

    ticket_id: str | None
    number: str | None
    event_ids: tuple[str, ...]


def percentile(values: Sequence[float], p: float) -> float:
    """Returns the p-th percentile by the nearest-rank method (values sorted ascending)."""
    if not values:
        raise ValueError("no values")
    rank = max(1, -(-len(values) * p // 100))
    return float(values[int(rank) - 1])


@dataclass(frozen=True)
class TimeStats:
    """Summary of durations, in minutes; shares are fractions 0–1 (None without data)."""

    count: int
    mean: float | None
    p50: float | None
    p90: float | None
    max: float | None
    within_15: float | None
    within_30: float | None

    @classmethod
    def of(cls, values_ms: Iterable[int]) -> TimeStats:
        """Summarises durations given in milliseconds."""
        minutes = sorted(v / 60_000 for v in values_ms)
        n = len(minutes)
        if n == 0:
            return cls(0, None, None, None, None, None, None)
        return cls(
            count=n,
            mean=sum(minutes) / n,
            p50=percentile(minutes, 50),
            p90=percentile(minutes, 90),
            max=minutes[-1],
            within_15=sum(1 for m in minutes if m <= 15) / n,
            within_30=sum(1 for m in minutes if m <= 30) / n,
        )


_iso = functools.lru_cache(maxsize=4096)(date.isoformat)


def _value(fact: Fact, name: str) -> str:
    if name == "day":
        return _iso(fact.day)
    if name == "month":
        return _iso(fact.day)[:7]
    value = getattr(fact, name, None)
    return value if isinstance(value, str) else "" if value is None else str(value)


class Figures:
    """The facts of one period and the figures made from them.

    Args:
        facts: the period's facts (see :func:`load_facts`).
    """

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self._measured: dict[str, list[Fact]] = {}

    def select(self, measure: str, **filters: object) -> list[Fact]:
        """Returns the facts a measure counts, optionally filtered by dimensions."""
        counted = self._measured.get(measure)
        if counted is None:
            source, keep, _ = MEASURES[measure]
            counted = self._measured[measure] = [f for f in getattr(self.facts, source) if keep(f)]
        wanted = [(k, str(v)) for k, v in filters.items() if v is not None]
        if not wanted:
            return list(counted)
        return [fact for fact in counted if all(_value(fact, k) == v for k, v in wanted)]

    def count(self, measure: str, **filters: object) -> int:
        """Returns how many facts a measure counts."""
        return len(self.select(measure, **filters))

    def by(self, measure: str, *dimensions: str, **filters: object) -> dict[tuple[str, ...], int]:
        """Counts a measure grouped by dimensions (keys are the dimension values)."""
        counts: dict[tuple[str, ...], int] = {}
        for fact in self.select(measure, **filters):
            key = tuple(_value(fact, d) for d in dimensions)
            counts[key] = counts.get(key, 0) + 1
        return counts

    def times(self, kind: str = "wait", **filters: object) -> TimeStats:
        """Returns the statistics of ``wait``, ``walk`` or ``service`` times of tickets."""
        attr = f"{kind}_ms"
        tickets = self.select("tickets", **filters)
        return TimeStats.of(v for t in tickets if (v := getattr(t, attr)) is not None)

    def times_by(self, kind: str, dimension: str, **filters: object) -> dict[str, TimeStats]:
        """Returns time statistics grouped by one dimension (e.g. per day)."""
        attr = f"{kind}_ms"
        groups: dict[str, list[int]] = {}
        for t in self.select("tickets", **filters):
            if (v := getattr(t, attr)) is not None:
                groups.setdefault(_value(t, dimension), []).append(v)
        return {k: TimeStats.of(v) for k, v in groups.items()}

    def hours(self) -> list[int]:
        """Returns the hours of the day with any visit, or the open hours if none."""
        found = {t.hour for t in self.facts.tickets} | {v.hour for v in self.facts.turned_back}
        return sorted(found) if found else list(range(9, 19))


def figures_for(node: Node, period: Period | str) -> Figures:
    """Loads the facts of a period from a node's events."""
    p = Period.parse(period) if isinstance(period, str) else period
    return Figures(load_facts(node, p.first, p.last))


def explain(node: Node, key: str | FigureKey) -> list[Explained]:
    """Returns the tickets and events behind a figure.

    Args:
        node: the node whose events are read.
        key: the figure, e.g. ``2026-10-05/visits/hour=10``.

    Returns:
        One entry a counted fact, in the order the facts happened.
    """
    figure = FigureKey.parse(key) if isinstance(key, str) else key
    figures = figures_for(node, figure.period)
    numbers = {t.ticket_id: t.number for t in figures.facts.tickets}
    out: list[Explained] = []
    for fact in figures.select(figure.measure, **dict(figure.filters)):
        if isinstance(fact, TicketFact):
            out.append(Explained(fact.ticket_id, fact.number, fact.event_ids))
        elif isinstance(fact, TurnedBack | Incident):
            out.append(Explained(None, None, (fact.event_id,)))
        elif isinstance(fact, ProcedureFact):
            out.append(Explained(fact.ticket_id, fact.number, fact.event_ids))
        else:
            number = numbers.get(fact.ticket_id) if fact.ticket_id else None
            out.append(Explained(fact.ticket_id, number, fact.event_ids))
    return out


def hour_label(hour: int) -> str:
    """Returns the label of an hour band, e.g. ``10時台``."""
    return f"{hour}時台"


def clock_text(ms: int | None) -> str:
    """Returns ``HH:MM`` (JST) of epoch ms, or an empty string."""
    return "" if ms is None else to_datetime(ms).strftime("%H:%M")
