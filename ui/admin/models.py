"""The table models of the site manager's window: one per table, keyed, updated in place.

Each model takes the rows of its service (:mod:`app.reports.live`, the staff, closures and
pause services) and only formats them: alert levels and severities come from ``app``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QObject

from app.core.actor import NODE_ROLES, ROLES
from app.core.catalog import Catalog
from app.core.i18n import Msg
from app.model.clock import hhmm, to_datetime
from app.queue.counter_pauses import REASONS as PAUSE_REASONS
from app.queue.links import PathState
from app.reports.live import OK, HourPlan, LaneStatus
from app.reports.staffing import HourAdvice
from ui.admin.texts import ADMIN_TEXTS
from ui.widgets.i18n import Texts
from ui.widgets.table_model import KeyedTableModel, Row

WEEKDAYS = (Msg("admin", "Mon"), Msg("admin", "Tue"), Msg("admin", "Wed"), Msg("admin", "Thu"), Msg("admin", "Fri"),
            Msg("admin", "Sat"), Msg("admin", "Sun"))  # fmt: skip
#: A PC's own states with the share, as its hellos tell them (``share_<state>`` texts).
_SHARE_STATES = (None, "ok", "offline", "write_failed", "halted", "none")
#: Severity of the staffing advice → the tone of its row.
_ADVICE_TONES = {"red": "red", "amber": "amber", "spare": "blue", "ok": None}


def minutes(ms: int | None) -> int | None:
    """Returns whole minutes of a duration (None stays None)."""
    return None if ms is None else int(ms // 60_000)


def signed(n: int) -> str:
    """Returns a difference with its sign: ``+4``, ``-20``, ``±0``."""
    return "±0" if n == 0 else f"{n:+d}"


def day_text(texts: Texts, day: date) -> str:
    """Returns ``2026-12-01（火）``, or ``2026-12-01 (Tue)`` in English."""
    weekday = texts.msg(WEEKDAYS[day.weekday()])
    return f"{day.isoformat()}（{weekday}）" if texts.lang == "ja" else f"{day} ({weekday})"


def lane_name(catalog: Catalog, texts: Texts, lane_id: str) -> str:
    """Returns ``A 一般窓口（委託）``: the lane's prefix and name."""
    lane = catalog.lane(lane_id)
    return f"{lane.prefix} {texts.name('lane', lane)}"


class AdminModel(KeyedTableModel):
    """A table of the site manager's window; headers are admin texts."""

    def __init__(self, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = texts

    def header(self, column: int) -> str:
        return self._texts.msg(ADMIN_TEXTS[self.COLUMNS[column]])


class LanesModel(AdminModel):
    """現況: every lane's waits now, toned by its alert level."""

    COLUMNS = ("col_lane", "col_waiting", "col_longest", "col_mean", "col_served", "col_open")
    COL_LANE, COL_WAITING, COL_LONGEST, COL_MEAN, COL_SERVED, COL_OPEN = range(6)
    RIGHT = frozenset({COL_LONGEST, COL_MEAN})

    def show(self, lanes: list[LaneStatus], catalog: Catalog) -> None:
        """Shows the lanes (``LiveFigures.lanes``)."""
        t = self._texts
        rows = []
        for status in lanes:
            live = status.live
            longest = minutes(live.longest_ms) or 0
            mean = minutes(live.mean_wait_ms)
            cells = (lane_name(catalog, t, live.lane), live.waiting,
                     t.msg(ADMIN_TEXTS["min"], m=longest) if live.waiting else "—",
                     "—" if mean is None else t.msg(ADMIN_TEXTS["min"], m=mean), live.called,
                     ", ".join(status.counters) or "—")  # fmt: skip
            sort = (live.lane, live.waiting, live.longest_ms if live.waiting else -1,
                    -1 if live.mean_wait_ms is None else live.mean_wait_ms, live.called,
                    len(status.counters))  # fmt: skip
            rows.append(Row(live.lane, cells, sort, None if status.alert == OK else status.alert))
        self.set_rows(rows)


class SignedInModel(AdminModel):
    """現況: the staff signed in today, by counter; a paused counter (休憩 …) says so, amber."""

    COLUMNS = (
        "col_counter",
        "col_staff_id",
        "col_name",
        "col_role",
        "col_since",
        "col_counter_state",
    )
    COL_COUNTER, COL_STAFF_ID, COL_NAME, COL_ROLE, COL_SINCE, COL_STATE = range(6)

    def show(self, staff: list[dict[str, Any]],
             paused: dict[str, dict[str, Any]] | None = None) -> None:  # fmt: skip
        """Shows the staff (``LiveFigures.signed_in``) and the counters paused now
        (``LiveFigures.paused``)."""
        t = self._texts
        rows = []
        for r in staff:
            counter = r["signed_in_counter"]
            pause = (paused or {}).get(counter) if counter else None
            state = "" if counter is None else t.msg(ADMIN_TEXTS["counter_open"])
            if pause is not None:
                reason = t.msg_or(PAUSE_REASONS.get(pause["reason"]), "?")
                state = t.msg(ADMIN_TEXTS["counter_paused"], r=reason, t=hhmm(pause["at"]))
            rows.append(Row(
                r["staff_id"],
                (counter or "—", r["staff_id"], r["name"],
                 t.msg_or(ROLES.get(r["role"]), r["role"]), hhmm(r["signed_in_at"]),
                 state),
                (counter or "", r["staff_id"], r["name"], r["role"], r["signed_in_at"], state),
                "amber" if pause is not None else None,
            ))  # fmt: skip
        self.set_rows(rows)


class PathsModel(AdminModel):
    """現況: every other PC of the site and which paths reach it (LAN, shared folder)."""

    COLUMNS = ("col_pc", "col_role", "col_lan_path", "col_share_path", "col_own_share")
    COL_PC, COL_ROLE, COL_LAN, COL_SHARE, COL_OWN_SHARE = range(5)

    def show(self, paths: list[PathState]) -> None:
        """Shows the PCs (``Links.paths``)."""
        t = self._texts
        rows = []
        for p in paths:
            heard = "" if p.share_heard_ms is None else hhmm(p.share_heard_ms)
            share = t.msg(ADMIN_TEXTS["path_ok" if p.share else "path_down"], t=heard).strip()
            lan = t.msg(
                ADMIN_TEXTS["path_unknown" if p.lan is None else "path_yes" if p.lan else "path_no"]
            )
            # What it says of its own share, while it is heard on the LAN to say it.
            told = p.lan and p.own_share in _SHARE_STATES
            own = t.msg(ADMIN_TEXTS[f"share_{p.own_share or 'none'}"]) if told else "—"
            tone = None if p.share or p.lan else "red"
            rows.append(Row(p.node_id, (p.name, t.msg_or(NODE_ROLES.get(p.role), p.role),
                                        lan, share, own),
                            (p.name, p.role, str(p.lan), str(p.share), own), tone))  # fmt: skip
        self.set_rows(rows)


class HoursModel(AdminModel):
    """現況: visits per hour band today, plan against actual; its columns are the day's hours.

    The rows are keyed ``plan``, ``actual`` and ``diff``; a new set of hours (a new day)
    resets the columns, otherwise cells change in place.
    """

    ROW_KEYS: ClassVar[tuple[str, ...]] = ("plan", "actual", "diff")

    def __init__(self, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(texts, parent)
        self._headers: list[str] = []

    def header(self, column: int) -> str:
        return self._headers[column]

    def column_count(self) -> int:
        return len(self._headers)

    def show(self, plan: list[HourPlan], hour_now: int) -> None:
        """Shows the plan (``LiveFigures.hours``); differences only for hours begun."""
        t = self._texts
        headers = [
            "",
            *(t.msg(ADMIN_TEXTS["hour_band"], h=p.hour) for p in plan),
            t.msg(ADMIN_TEXTS["col_total"]),
        ]
        if headers != self._headers:
            self.beginResetModel()
            self._headers = headers
            self._rows, self._keys = [], []
            self.endResetModel()
        begun = [p for p in plan if p.hour <= hour_now]
        plan_row = (
            t.msg(ADMIN_TEXTS["row_plan"]),
            *(p.plan for p in plan),
            sum(p.plan for p in plan),
        )
        actual_row = (t.msg(ADMIN_TEXTS["row_actual"]), *(p.actual for p in plan),
                      sum(p.actual for p in plan))  # fmt: skip
        diff_row = (t.msg(ADMIN_TEXTS["row_diff"]),
                    *(signed(p.actual - p.plan) if p.hour <= hour_now else "" for p in plan),
                    signed(sum(p.actual - p.plan for p in begun)))  # fmt: skip
        self.set_rows([Row(key, cells) for key, cells
                       in zip(self.ROW_KEYS, (plan_row, actual_row, diff_row), strict=True)])  # fmt: skip


class StaffingModel(AdminModel):
    """人員配置: counters needed per lane for the coming hours, toned by the shortfall."""

    COLUMNS = ("col_hour", "col_lane", "col_arrivals", "col_service", "col_needed", "col_open",
               "col_gap")  # fmt: skip
    COL_HOUR, COL_LANE, COL_ARRIVALS, COL_SERVICE, COL_NEEDED, COL_OPEN, COL_GAP = range(7)
    RIGHT = frozenset({COL_SERVICE})

    def show(self, advice: list[HourAdvice], catalog: Catalog) -> None:
        """Shows the advice (``LiveFigures.advice``)."""
        t = self._texts
        rows = []
        for a in advice:
            gap = a.shortfall
            if gap > 0:
                change = t.msg(ADMIN_TEXTS["gap_add"], n=gap)
            elif gap < 0:
                change = t.msg(ADMIN_TEXTS["gap_spare"], n=-gap)
            else:
                change = t.msg(ADMIN_TEXTS["gap_ok"])
            cells = (t.msg(ADMIN_TEXTS["hour_band"], h=a.hour), lane_name(catalog, t, a.lane),
                     a.expected_arrivals, t.msg(ADMIN_TEXTS["min"], m=f"{a.service_minutes:.0f}"),
                     a.counters_needed, a.counters_open, change)  # fmt: skip
            sort = (a.hour, a.lane, a.expected_arrivals, a.service_minutes, a.counters_needed,
                    a.counters_open, gap)  # fmt: skip
            rows.append(Row((a.hour, a.lane), cells, sort, _ADVICE_TONES[a.severity]))
        self.set_rows(rows)


class ClosuresModel(AdminModel):
    """開庁日: the ad-hoc closures, keyed by day."""

    COLUMNS = ("col_day", "col_reason", "col_by")
    COL_DAY, COL_REASON, COL_BY = range(3)

    def show(self, closures: list[dict[str, Any]]) -> None:
        """Shows the closures (``ClosureService.all``)."""
        rows = []
        for r in closures:
            day = date.fromisoformat(r["day"])
            rows.append(Row(day, (day_text(self._texts, day), r["reason"], r["staff_id"]),
                            (r["day"], r["reason"], r["staff_id"])))  # fmt: skip
        self.set_rows(rows)


class PausesModel(AdminModel):
    """受付停止: the paused procedures (or J-LIS as a whole), keyed by what is paused."""

    COLUMNS = ("col_target", "col_reason", "col_by", "col_paused_at")
    COL_TARGET, COL_REASON, COL_BY, COL_PAUSED_AT = range(4)

    def show(self, pauses: list[dict[str, Any]], names: dict[str, str]) -> None:
        """Shows the pauses (``PauseService.rows``) under their shown names."""
        self.set_rows([
            Row(r["procedure"],
                (names.get(r["procedure"], r["procedure"]), r["reason"], r["staff_id"],
                 to_datetime(r["paused_at"]).strftime("%m-%d %H:%M")),
                (r["procedure"], r["reason"], r["staff_id"], r["paused_at"]), "amber")
            for r in pauses
        ])  # fmt: skip


class StaffModel(AdminModel):
    """職員: the staff list, inactive members greyed."""

    COLUMNS = ("col_staff_id", "col_name", "col_role", "col_active", "col_signed_in")
    COL_STAFF_ID, COL_NAME, COL_ROLE, COL_ACTIVE, COL_SIGNED_IN = range(5)

    def show(self, staff: list[dict[str, Any]]) -> None:
        """Shows the staff (``StaffService.all``)."""
        t = self._texts
        rows = []
        for r in staff:
            signed_in = "—"
            if r["signed_in_at"] is not None:
                where = t("to_counter", c=r["signed_in_counter"]) if r["signed_in_counter"] else ""
                at = r["signed_in_at"]
                signed_in = f"{where} {to_datetime(at):%m-%d} {hhmm(at)}".strip()
            cells = (r["staff_id"], r["name"], t.msg_or(ROLES.get(r["role"]), r["role"]),
                     t.msg(ADMIN_TEXTS["yes" if r["active"] else "no"]), signed_in)  # fmt: skip
            sort = (r["staff_id"], r["name"], r["role"], r["active"], r["signed_in_at"] or 0)
            rows.append(Row(r["staff_id"], cells, sort, None if r["active"] else "grey"))
        self.set_rows(rows)
