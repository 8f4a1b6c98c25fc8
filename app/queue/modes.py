"""Operating modes (運転モード): how the center runs now, set by a site manager. No Qt.

The specification asks that the counters can open 「状況に応じて」 in disasters, planned
train suspensions and network failures (6(2)イ(d)). Besides 通常 (normal), a site manager
starts a **period** of a mode, on a day, from a time, until a time or until ended:

- 縮小運転 ``reduced``: only the chosen procedures and lanes take walk-ins, and the day may
  close early (``close_at``: walk-ins after it are asked as after closing).
- J-LIS停止 ``jlis``: walk-ins of every procedure the catalog marks as needing J-LIS are
  refused.
- 臨時閉庁 ``closed``: part of a day closed (a whole day is a closure of the calendar,
  :mod:`app.queue.closures`): no ticket at all, reserved visitors included.

While a period of ``reduced`` or ``jlis`` runs, a refused walk-in is told why; a visitor
with a reservation is still received. Periods may overlap: their restrictions add up.
"Back to normal" ends every current period now. A period never changes once started: it
ends at its planned end or at the earliest mark that ends it (``mode.ended``), so periods
set on PCs cut off from each other converge whatever order their events arrive in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from itertools import pairwise
from types import MappingProxyType
from typing import TYPE_CHECKING

from app.core.actor import Actor
from app.core.errors import InputError, UserError
from app.core.i18n import Msg, data_name, tr
from app.model.clock import day_of, hhmm, to_datetime
from app.model.records_projection import MODE_ENDED, MODE_STARTED

if TYPE_CHECKING:
    from app.core.catalog import Catalog, Lane, Procedure
    from app.core.node import Node

#: The modes a period may be of: code → name. 通常 is no period at all. The modes' texts
#: are in the context ``modes`` of the catalogs (visitors see them on the board and the
#: ticket).
KINDS: Mapping[str, Msg] = MappingProxyType({
    "reduced": Msg("modes", "Reduced operation"),
    "jlis": Msg("modes", "J-LIS down"),
    "closed": Msg("modes", "Temporarily closed"),
})  # fmt: skip
NORMAL = Msg("modes", "Normal")


def _listed(lang: str, names: Iterable[str]) -> str:
    # TRANSLATORS: between the names of a list (procedures, lanes): Japanese 、
    return tr(lang, "modes", ", ").join(names)


class ModeRefusal(UserError):
    """The operating mode now takes no such ticket; the message says which mode and why."""


@dataclass(frozen=True)
class Period:
    """A period of a mode on a day (times in epoch ms; ``end_ms`` None: until closing)."""

    period_id: str
    day: date
    kind: str
    start_ms: int
    end_ms: int | None
    procedures: tuple[str, ...]
    lanes: tuple[str, ...]
    close_ms: int | None
    reason: str
    staff_id: str

    def covers(self, at_ms: int) -> bool:
        """Tells whether the period runs at a time."""
        return self.start_ms <= at_ms and (self.end_ms is None or at_ms < self.end_ms)

    def name(self, lang: str) -> str:
        """Returns the mode's name in a language."""
        kind = KINDS.get(self.kind)
        return self.kind if kind is None else kind.text_in(lang)

    def span(self) -> str:
        """Returns ``14:00〜16:00`` (or ``14:00〜``)."""
        return f"{hhmm(self.start_ms)}〜{'' if self.end_ms is None else hhmm(self.end_ms)}"


@dataclass(frozen=True)
class ModeNow:
    """The periods running at one moment and what they allow."""

    periods: tuple[Period, ...]

    @property
    def normal(self) -> bool:
        """Tells whether no period runs (通常)."""
        return not self.periods

    def names(self, lang: str) -> str:
        """Returns the modes now in a language, joined (``J-LIS停止・縮小運転``), or 通常."""
        if not self.periods:
            return NORMAL.text_in(lang)
        kinds = list(dict.fromkeys(p.kind for p in self.periods))
        # TRANSLATORS: between the names of the modes running together: Japanese ・
        return tr(lang, "modes", " + ").join(KINDS[k].text_in(lang) for k in kinds)

    def blocking(self, procedure: Procedure, lane: Lane, reserved: bool) -> Period | None:
        """Returns the period that takes no such ticket now, or None when all take it."""
        for p in self.periods:
            if p.kind == "closed":
                return p
            if reserved:
                continue
            if p.kind == "jlis" and procedure.jlis:
                return p
            if p.kind == "reduced" and (
                (p.procedures and procedure.code not in p.procedures)
                or (p.lanes and lane.id not in p.lanes)
            ):
                return p
        return None

    def refusal(self, procedure: Procedure, lane: Lane, reserved: bool) -> ModeRefusal | None:
        """Returns why the modes now take no such ticket, or None when they do."""
        p = self.blocking(procedure, lane, reserved)
        if p is None:
            return None
        ja, en = p.name("ja"), p.name("en")
        if p.kind == "closed":
            return ModeRefusal(
                f"ただいま{ja}中です（{p.span()}、{p.reason}）。整理券は発行できません",
                en=f"{en} now ({p.span()}, {p.reason}): no ticket can be issued",
            )
        if p.kind == "jlis":
            return ModeRefusal(
                f"{ja}中のため「{procedure.name_ja}」の受付を停止しています（{p.reason}）。"
                "予約の方は受け付けます",
                en=f"{en}: {procedure.name_en} is not taken now ({p.reason}); visitors with a "
                "reservation are received",
            )
        if p.procedures and procedure.code not in p.procedures:
            return ModeRefusal(
                f"{ja}中のため「{procedure.name_ja}」は受け付けていません（{p.reason}）",
                en=f"{en}: {procedure.name_en} is not taken now ({p.reason})",
            )
        return ModeRefusal(
            f"{ja}中のため{lane.name_ja}は閉じています（{p.reason}）",
            en=f"{en}: the {lane.name_en} is closed now ({p.reason})",
        )

    def public_line(self, lang: str) -> str | None:
        """Returns what the waiting room and the ticket say of the modes now, in a language
        (None: 通常)."""
        if not self.periods:
            return None
        names = self.names(lang)
        closes = [p.close_ms for p in self.periods if p.close_ms is not None]
        if any(p.kind == "closed" for p in self.periods):
            return tr(lang, "modes", "Operating mode: {m} (no tickets for now)", m=names)
        if closes:
            return tr(lang, "modes", "Operating mode: {m} (reception ends at {t} today)",
                      m=names, t=hhmm(min(closes)))  # fmt: skip
        return tr(lang, "modes", "Operating mode: {m} (some procedures are not taken now)",
                  m=names)  # fmt: skip


def detail(period: Period, catalog: Catalog, lang: str) -> str:
    """Returns what a period does, for staff and the daily report, in a language."""
    if period.kind == "jlis":
        names = [data_name(lang, "procedure", p.name_ja, p.name_en)
                 for p in catalog.procedures.values() if p.jlis and not p.reservation]  # fmt: skip
        return tr(lang, "modes", "Not taken: {p} (bookings received)", p=_listed(lang, names))
    if period.kind == "closed":
        return tr(lang, "modes", "No tickets")
    parts = []
    if period.procedures:
        procs = [catalog.procedure(c) for c in period.procedures]
        names = [data_name(lang, "procedure", p.name_ja, p.name_en) for p in procs]
        parts.append(tr(lang, "modes", "taken: {p}", p=_listed(lang, names)))
    if period.lanes:
        lanes = [catalog.lane(c) for c in period.lanes]
        names = [data_name(lang, "lane", lane.name_ja, lane.name_en) for lane in lanes]
        parts.append(tr(lang, "modes", "lanes open: {l}", l=_listed(lang, names)))
    if period.close_ms is not None:
        parts.append(tr(lang, "modes", "reception ends at {t}", t=hhmm(period.close_ms)))
    # TRANSLATORS: between the parts of what a reduced operation does: Japanese ／
    return tr(lang, "modes", "; ").join(parts) or tr(lang, "modes", "reduced")


def _period(row: Mapping[str, object], ended: int | None) -> Period:
    end = row["end_ms"]
    if ended is not None:
        end = ended if end is None else min(int(str(end)), ended)
    return Period(
        period_id=str(row["period_id"]), day=date.fromisoformat(str(row["day"])),
        kind=str(row["kind"]), start_ms=int(str(row["start_ms"])),
        end_ms=None if end is None else int(str(end)),
        procedures=tuple(json.loads(str(row["procedures"]))),
        lanes=tuple(json.loads(str(row["lanes"]))),
        close_ms=None if row["close_ms"] is None else int(str(row["close_ms"])),
        reason=str(row["reason"]), staff_id=str(row["staff_id"]),
    )  # fmt: skip


def _hhmm(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


class ModeService:
    """Starts and ends periods of the operating modes, and says what runs when.

    Args:
        node: the node recording and reading them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    # -- reading ---------------------------------------------------------------------------

    def periods(self, day: date, last: date | None = None) -> list[Period]:
        """Returns the periods of a day (or of the days to ``last``) that run at all (an
        ended one with its real end), by start."""
        rows = self.node.store.rows(
            "SELECT m.*, (SELECT min(at_ms) FROM mode_ends e WHERE e.period_id = m.period_id) "
            "AS ended FROM modes m WHERE m.day BETWEEN ? AND ? "
            "ORDER BY m.start_ms, m.hlc, m.period_id",
            (day.isoformat(), (last or day).isoformat()),
        )
        found = [_period(r, r["ended"]) for r in rows]
        return [p for p in found if p.end_ms is None or p.end_ms > p.start_ms]

    def now(self, at_ms: int | None = None) -> ModeNow:
        """Returns the periods running at a time (now by default)."""
        at = self.node.now_ms() if at_ms is None else at_ms
        return ModeNow(tuple(p for p in self.periods(day_of(at)) if p.covers(at)))

    def close_ms(self, day: date) -> int | None:
        """Returns the early closing of a day set by a 縮小運転 still running then, if any."""
        closes = [p.close_ms for p in self.periods(day) if p.close_ms is not None
                  and (p.end_ms is None or p.end_ms >= p.close_ms)]  # fmt: skip
        return min(closes, default=None)

    def timeline(self, day: date, first_ms: int, last_ms: int) -> list[tuple[int, int, ModeNow]]:
        """Returns the day from ``first_ms`` to ``last_ms`` cut where the modes change: each
        piece with the periods running in it (none: 通常)."""
        periods = self.periods(day)
        cuts = {first_ms, last_ms}
        for p in periods:
            cuts.update(
                t for t in (p.start_ms, p.end_ms) if t is not None and first_ms < t < last_ms
            )
        times = sorted(cuts)
        pieces: list[tuple[int, int, ModeNow]] = []
        for start, end in pairwise(times):
            now = ModeNow(tuple(p for p in periods if p.covers(start)))
            if pieces and pieces[-1][2].periods == now.periods:
                pieces[-1] = (pieces[-1][0], end, now)
            else:
                pieces.append((start, end, now))
        return pieces

    # -- writing ---------------------------------------------------------------------------

    def start(self, actor: Actor, kind: str, reason: str, *, day: date | None = None,
              start: time | None = None, end: time | None = None,
              procedures: Iterable[str] = (), lanes: Iterable[str] = (),
              close_at: time | None = None) -> str:  # fmt: skip
        """Starts a period of a mode (now, today, unless told otherwise).

        Args:
            actor: the site manager.
            kind: ``reduced``, ``jlis`` or ``closed`` (:data:`KINDS`).
            reason: why (shown to staff and visitors, printed in the daily report).
            day: the day (today by default); a future day plans the period ahead.
            start: from (now by default, to the minute).
            end: until (None: until ended, or closing).
            procedures: ``reduced``: the procedures still taken (all when empty).
            lanes: ``reduced``: the lanes still open (all when empty).
            close_at: ``reduced``: the day's early closing.

        Returns:
            The new period's id.

        Raises:
            InputError: an unknown mode, procedure or lane, no reason, times that do not fit
                the day, or a closed day.
        """
        actor.require("calendar.edit")
        now = self.node.now_ms()
        the_day = day or day_of(now)
        begin = start if start is not None or the_day != day_of(now) else _minute(now)
        status = self.node.calendar().status(the_day)
        self._check(kind, reason, status.hours is not None, begin, end, list(procedures),
                    list(lanes), close_at)  # fmt: skip
        assert begin is not None and status.hours is not None
        if close_at is not None and not status.hours.open < close_at < status.hours.close:
            raise InputError(
                f"早めの閉庁 {close_at:%H:%M} は開庁時間（{status.hours.open:%H:%M}〜"
                f"{status.hours.close:%H:%M}）の中にしてください",
                en=f"The early closing {close_at:%H:%M} must lie within the open hours",
            )
        payload: dict[str, object] = {"day": the_day.isoformat(), "kind": kind,
                                      "start": _hhmm(begin), "reason": reason.strip()}  # fmt: skip
        for key, value in (("end", _hhmm(end)), ("close_at", _hhmm(close_at))):
            if value is not None:
                payload[key] = value
        if kind == "reduced":
            payload["procedures"], payload["lanes"] = list(procedures), list(lanes)
        with self.node.write() as w:
            period_id = f"{self.node.identity.node_id}-{w.next_seq}"
            w.append(MODE_STARTED, actor, payload={"period_id": period_id, **payload})
        return period_id

    def _check(self, kind: str, reason: str, open_day: bool, start: time | None,
               end: time | None, procedures: list[str], lanes: list[str],
               close_at: time | None) -> None:  # fmt: skip
        if kind not in KINDS:
            raise InputError(f"運転モード {kind} はありません（{', '.join(KINDS)}）",
                             en=f"No operating mode {kind} ({', '.join(KINDS)})")  # fmt: skip
        if not reason.strip():
            raise InputError("運転モードの理由を入力してください（例: 計画運休、J-LIS 障害）",
                             en="Give the reason (e.g. planned train suspension)")  # fmt: skip
        if not open_day:
            raise InputError("閉庁日には運転モードを設定できません",
                             en="The center is closed that day")  # fmt: skip
        if start is None:
            raise InputError("開始時刻を指定してください", en="Give the start time")
        if end is not None and end <= start:
            raise InputError("終了時刻は開始時刻より後にしてください",
                             en="The end must come after the start")  # fmt: skip
        for code in procedures:
            self.node.catalog.procedure(code)
        for lane in lanes:
            self.node.catalog.lane(lane)
        if kind != "reduced" and (procedures or lanes or close_at):
            raise InputError("手続・窓口・早めの閉庁は縮小運転にだけ指定できます",
                             en="Procedures, lanes and an early closing are for a reduced "
                             "operation only")  # fmt: skip

    def end(self, actor: Actor, period_id: str, at: time | None = None) -> None:
        """Ends a period (now by default); ended before it began, it never runs.

        Raises:
            InputError: no such period.
        """
        actor.require("calendar.edit")
        row = self.node.store.row("SELECT day FROM modes WHERE period_id = ?", (period_id,))
        if row is None:
            raise InputError(f"運転モードの期間 {period_id} はありません",
                             en=f"No operating mode period {period_id}")  # fmt: skip
        at_text = _hhmm(at) or _hhmm(_minute(self.node.now_ms()))
        with self.node.write() as w:
            w.append(MODE_ENDED, actor,
                     payload={"period_id": period_id, "day": row["day"], "at": at_text})  # fmt: skip

    def back_to_normal(self, actor: Actor) -> int:
        """Ends every period running now or planned for later today (通常に戻す).

        Returns:
            How many periods were ended.
        """
        actor.require("calendar.edit")
        now = self.node.now_ms()
        running = [p for p in self.periods(day_of(now)) if p.end_ms is None or p.end_ms > now]
        for period in running:
            self.end(actor, period.period_id)
        return len(running)


def _minute(ms: int) -> time:
    """Returns the JST time of day of epoch ms, to the minute."""
    return to_datetime(ms).time().replace(second=0, microsecond=0, tzinfo=None)
