"""The site manager's window (管理): live waits, staffing advice, calendar, pauses, staff, reports.

Tabs: 現況 (:class:`LiveTab`), 人員配置 (:class:`StaffingTab`), 開庁日, 受付停止, 職員
(:mod:`ui.admin.edit_tabs`) and 報告書 (:mod:`ui.admin.reports_tab`). The live tabs re-read on every
change of the node's data and every :data:`REFRESH_TICKS` seconds.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.core.actor import ROLES, Actor
from app.core.node import Node
from app.model.clock import hhmm, to_datetime
from app.reports.live import WALK_INS_PER_HOUR, hourly_plan, lane_live, signed_in_today
from app.reports.staffing import advice, counters_open, wait_target
from ui.admin.edit_tabs import ClosuresTab, PausesTab
from ui.admin.qa_tab import QaTab
from ui.admin.reports_tab import ReportsTab
from ui.admin.rows_model import TONES, RowsModel, table_view
from ui.admin.staff_tab import StaffTab
from ui.admin.texts import tr
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts

#: Seconds between re-reads of the live tabs while nothing changes (waits still grow).
REFRESH_TICKS = 5


def heading(text: str) -> QLabel:
    """Returns a bold section title."""
    label = QLabel(text)
    label.setStyleSheet("font-size: 15px; font-weight: bold; margin-top: 6px;")
    return label


def note(text: str) -> QLabel:
    """Returns a small grey explanatory line."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #444444; font-size: 12px;")
    return label


def minutes(ms: int | None) -> int | None:
    """Returns whole minutes of a duration (None stays None)."""
    return None if ms is None else int(ms // 60_000)


def signed(n: int) -> str:
    """Returns a difference with its sign: ``+4``, ``-20``, ``±0``."""
    return "±0" if n == 0 else f"{n:+d}"


class LiveTab(QWidget):
    """現況: waits per lane with alerts, who is signed in, visits per hour against the plan."""

    def __init__(self, node: Node, texts: Texts) -> None:
        super().__init__()
        self._node, self._texts = node, texts
        t = texts
        self.banner = QLabel()
        self.banner.setObjectName("admin_alert")
        self.banner.setWordWrap(True)
        self.lanes = RowsModel([tr(t, k) for k in ("col_lane", "col_waiting", "col_longest",
                                                   "col_mean", "col_served", "col_open")],
                               self, right=(2, 3))  # fmt: skip
        self.counters = RowsModel([tr(t, k) for k in ("col_counter", "col_staff_id", "col_name",
                                                      "col_role", "col_since")], self)  # fmt: skip
        self.hours = RowsModel([], self, right=range(1, 30))
        self.updated = note("")
        grid = QGridLayout()
        grid.addWidget(heading(tr(t, "lanes_title")), 0, 0)
        grid.addWidget(table_view(self.lanes, fit=(0,)), 1, 0)
        grid.addWidget(heading(tr(t, "counters_title")), 0, 1)
        grid.addWidget(table_view(self.counters, fit=(2, 3)), 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        hours_view = table_view(self.hours)
        hours_view.setMaximumHeight(130)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(grid, 1)
        layout.addWidget(heading(tr(t, "hours_title")))
        layout.addWidget(hours_view)
        layout.addWidget(note(tr(t, "plan_note", w=WALK_INS_PER_HOUR)))
        layout.addWidget(self.updated)
        self.alerts: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        """Re-reads waits, counters and visits."""
        node, t = self._node, self._texts
        now = node.now_ms()
        target, _ = wait_target(node)
        open_now = counters_open(node, now)
        rows, tones, alerts, worst = [], [], [], None
        for live in lane_live(node, now):
            lane = node.catalog.lane(live.lane)
            name = f"{lane.prefix} {t.pick((lane.name_ja, lane.name_en))}"
            longest = minutes(live.longest_ms) or 0
            tone = None
            if live.waiting and longest > 2 * target:
                tone = worst = "red"
                alerts.append(tr(t, "alert_red", lane=name, m=longest, t=f"{target:g}"))
            elif live.waiting and longest > target:
                tone = "amber"
                worst = worst or "amber"
                alerts.append(tr(t, "alert_amber", lane=name, m=longest, t=f"{target:g}"))
            counters = ", ".join(open_now.get(live.lane, [])) or "—"
            rows.append([name, live.waiting, tr(t, "min", m=longest) if live.waiting else "—",
                         "—" if live.mean_wait_ms is None
                         else tr(t, "min", m=minutes(live.mean_wait_ms)),
                         live.called, counters])  # fmt: skip
            tones.append(tone)
        self.lanes.set_rows(rows, tones=tones)
        alerts.sort(key=lambda line: not line.startswith("⚠⚠"))  # the worst first
        self.alerts = alerts
        self._show_banner(worst, alerts, target)
        staff = signed_in_today(node, now)
        self.counters.set_rows(
            [[r["signed_in_counter"] or "—", r["staff_id"], r["name"],
              t.pick(ROLES.get(r["role"], (r["role"], r["role"]))), hhmm(r["signed_in_at"])]
             for r in staff],
            keys=[r["staff_id"] for r in staff],
        )  # fmt: skip
        plan = hourly_plan(node, node.today())
        hour = to_datetime(now).hour
        begun = [p for p in plan if p.hour <= hour]  # the difference only of hours begun
        plan_row: list[object] = [tr(t, "row_plan"), *(p.plan for p in plan)]
        actual_row: list[object] = [tr(t, "row_actual"), *(p.actual for p in plan)]
        diff_row: list[object] = [tr(t, "row_diff"),
                                  *(signed(p.actual - p.plan) if p.hour <= hour else ""
                                    for p in plan)]  # fmt: skip
        plan_row.append(sum(p.plan for p in plan))
        actual_row.append(sum(p.actual for p in plan))
        diff_row.append(signed(sum(p.actual - p.plan for p in begun)))
        headers = ["", *(tr(t, "hour_band", h=p.hour) for p in plan), tr(t, "col_total")]
        self.hours.set_rows([plan_row, actual_row, diff_row], headers=headers)
        self.updated.setText(tr(t, "updated", t=hhmm(now)))

    def _show_banner(self, worst: str | None, alerts: list[str], target: float) -> None:
        if worst is None:
            self.banner.setText(tr(self._texts, "all_within", t=f"{target:g}"))
            self.banner.setStyleSheet("background: #e8f1fa; color: #000000; padding: 6px;"
                                      "font-size: 14px;")  # fmt: skip
            return
        background, color = TONES[worst]
        self.banner.setText("\n".join(alerts))
        self.banner.setStyleSheet(f"background: {background}; color: {color}; padding: 10px;"
                                  "font-size: 18px; font-weight: bold;")  # fmt: skip


class StaffingTab(QWidget):
    """人員配置: counters needed per lane for the coming hours (Erlang C)."""

    def __init__(self, node: Node, texts: Texts, hours: int = 3) -> None:
        super().__init__()
        self._node, self._texts, self._hours = node, texts, hours
        t = texts
        self.title = heading("")
        self.model = RowsModel([tr(t, k) for k in ("col_hour", "col_lane", "col_arrivals",
                                                   "col_service", "col_needed", "col_open",
                                                   "col_gap")], self, right=(3,))  # fmt: skip
        self.empty = note("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(table_view(self.model, fit=(1, 6)), 1)
        layout.addWidget(self.empty)
        layout.addWidget(note(tr(t, "staffing_note")))
        self.refresh()

    def refresh(self) -> None:
        """Recomputes the advice from the arrivals seen so far."""
        node, t = self._node, self._texts
        target, share = wait_target(node)
        self.title.setText(tr(t, "staffing_title", t=f"{target:g}", s=f"{share * 100:g}"))
        rows, tones = [], []
        for a in advice(node, node.now_ms(), self._hours):
            lane = node.catalog.lane(a.lane)
            gap = a.shortfall
            if gap > 0:
                change, tone = tr(t, "gap_add", n=gap), ("red" if gap >= 2 else "amber")
            elif gap < 0:
                change, tone = tr(t, "gap_spare", n=-gap), "blue"
            else:
                change, tone = tr(t, "gap_ok"), None
            rows.append([tr(t, "hour_band", h=a.hour),
                         f"{lane.prefix} {t.pick((lane.name_ja, lane.name_en))}",
                         a.expected_arrivals, tr(t, "min", m=f"{a.service_minutes:.0f}"),
                         a.counters_needed, a.counters_open, change])  # fmt: skip
            tones.append(tone)
        self.model.set_rows(rows, tones=tones)
        self.empty.setText("" if rows else tr(t, "closed_no_advice"))


class AdminPanel(QTabWidget):
    """The site manager's tabs.

    Args:
        node: the node shown.
        actor: the signed-in staff member; actions their role may not do are disabled.
        texts: the language.
        hub: the window's signal hub.
    """

    def __init__(self, node: Node, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__()
        self._hub = hub
        self.setStyleSheet("QTabBar::tab { font-size: 15px; padding: 8px 22px; }")
        self.setMinimumHeight(560)
        self.live = LiveTab(node, texts)
        self.staffing = StaffingTab(node, texts)
        self.closures = ClosuresTab(node, actor, texts, hub)
        self.pauses = PausesTab(node, actor, texts, hub)
        self.staff = StaffTab(node, actor, texts, hub)
        self.reports = ReportsTab(node, texts)
        self.qa = QaTab(node, actor, texts, hub)
        for tab, key in ((self.live, "tab_live"), (self.staffing, "tab_staffing"),
                         (self.closures, "tab_closures"), (self.pauses, "tab_pauses"),
                         (self.staff, "tab_staff"), (self.reports, "tab_reports")):  # fmt: skip
            self.addTab(tab, tr(texts, key))
        self.addTab(self.qa, texts.pick(("質疑応答集", "Q&A")))
        self._ticks = 0
        hub.changed.connect(self.refresh)
        hub.tick.connect(self.tick)

    def tick(self) -> None:
        """Re-reads the live tabs every few seconds: waits grow without any change."""
        self._ticks += 1
        if self._ticks % REFRESH_TICKS == 0:
            self.live.refresh()
            self.staffing.refresh()

    def refresh(self) -> None:
        """Re-reads every tab after a change."""
        for tab in (self.live, self.staffing, self.closures, self.pauses, self.staff, self.qa):
            tab.refresh()
