"""The site manager's window (管理): live waits, staffing advice, calendar, pauses, staff, reports.

Tabs: 現況 (:class:`LiveTab`), 人員配置 (:class:`StaffingTab`), 開庁日, 受付停止, 職員
(:mod:`ui.admin.edit_tabs`), 運転モード (:mod:`ui.admin.modes_tab`), 報告書 (:mod:`ui.admin.reports_tab`), 報告事項
(:mod:`ui.admin.notes_tab`) and 提出物 (:mod:`ui.admin.deliverables_tab`). The live tabs re-read on every
change of the node's data and every few seconds (setting ``screens.live_refresh_seconds``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.core.actor import Actor
from app.core.i18n import tr
from app.model.clock import hhmm, to_datetime
from app.reports.live import AMBER, RED
from app.services import ManagerServices
from ui.admin.deliverables_tab import DeliverablesTab
from ui.admin.edit_tabs import ClosuresTab, PausesTab
from ui.admin.models import (
    HoursModel,
    LanesModel,
    PathsModel,
    SignedInModel,
    StaffingModel,
    lane_name,
)
from ui.admin.modes_tab import ModesTab
from ui.admin.notes_tab import NotesTab
from ui.admin.qa_tab import QaTab
from ui.admin.reports_tab import ReportsTab
from ui.admin.staff_tab import StaffTab
from ui.admin.texts import ADMIN_TEXTS
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.table_model import TONES
from ui.widgets.tables import table_view


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


class LiveTab(QWidget):
    """現況: waits per lane with alerts, who is signed in, which paths reach each PC, visits per
    hour against the plan."""

    def __init__(self, services: ManagerServices, texts: Texts) -> None:
        super().__init__()
        self._services, self._texts = services, texts
        self._here, self._live = services.here, services.live
        t = texts
        self.banner = QLabel()
        self.banner.setObjectName("admin_alert")
        self.banner.setWordWrap(True)
        self.lanes = LanesModel(t, self)
        self.counters = SignedInModel(t, self)
        self.hours = HoursModel(t, self)
        self.updated = note("")
        grid = QGridLayout()
        grid.addWidget(heading(t.msg(ADMIN_TEXTS["lanes_title"])), 0, 0)
        # Every column as wide as its heading and cells (the headings are longer than the
        # figures): a narrow window scrolls sideways rather than cut a heading.
        grid.addWidget(table_view(self.lanes, fit=range(len(LanesModel.COLUMNS))), 1, 0)
        grid.addWidget(heading(t.msg(ADMIN_TEXTS["counters_title"])), 0, 1)
        grid.addWidget(table_view(self.counters, fit=(SignedInModel.COL_NAME,
                                                      SignedInModel.COL_ROLE)), 1, 1)  # fmt: skip
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        hours_view = table_view(self.hours)
        hours_view.setMaximumHeight(130)
        self.paths = PathsModel(t, self)
        grid.addWidget(heading(t.msg(ADMIN_TEXTS["paths_title"])), 2, 0, 1, 2)
        grid.addWidget(table_view(self.paths, fit=(PathsModel.COL_PC, PathsModel.COL_ROLE)),
                       3, 0, 1, 2)  # fmt: skip
        grid.addWidget(note(t.msg(ADMIN_TEXTS["paths_note"])), 4, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(grid, 1)
        layout.addWidget(heading(t.msg(ADMIN_TEXTS["hours_title"])))
        layout.addWidget(hours_view)
        per_hour = self._here.settings.live.walk_ins_per_hour
        layout.addWidget(note(t.msg(ADMIN_TEXTS["plan_note"], w=f"{per_hour:g}")))
        layout.addWidget(self.updated)
        self.alerts: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        """Re-reads waits, counters and visits."""
        t, here = self._texts, self._here
        now = here.now_ms()
        target, _ = self._live.wait_target()
        lanes = self._live.lanes(now)
        self.lanes.show(lanes, here.catalog)
        red_factor = here.settings.live.red_factor
        alerts = []
        for status in sorted(lanes, key=lambda s: s.alert != RED):  # the worst first
            if status.alert not in (RED, AMBER):
                continue
            key = "alert_red" if status.alert == RED else "alert_amber"
            alerts.append(t.msg(ADMIN_TEXTS[key], lane=lane_name(here.catalog, t, status.live.lane),
                             m=(status.live.longest_ms // 60_000), t=f"{target:g}",
                             f=f"{red_factor:g}"))  # fmt: skip
        self.alerts = alerts
        worst = RED if any(s.alert == RED for s in lanes) else (
            AMBER if any(s.alert == AMBER for s in lanes) else None)  # fmt: skip
        self._show_banner(worst, alerts, target)
        self.counters.show(self._live.signed_in(now), self._live.paused(now))
        self.paths.show(self._services.links.paths())
        self.hours.show(self._live.hours(here.today()), to_datetime(now).hour)
        self.updated.setText(t.msg(ADMIN_TEXTS["updated"], t=hhmm(now)))

    def _show_banner(self, worst: str | None, alerts: list[str], target: float) -> None:
        if worst is None:
            self.banner.setText(self._texts.msg(ADMIN_TEXTS["all_within"], t=f"{target:g}"))
            self.banner.setStyleSheet("background: #e8f1fa; color: #000000; padding: 6px;"
                                      "font-size: 14px;")  # fmt: skip
            return
        background, color = TONES[worst]
        self.banner.setText("\n".join(alerts))
        self.banner.setStyleSheet(f"background: {background}; color: {color}; padding: 10px;"
                                  "font-size: 18px; font-weight: bold;")  # fmt: skip


class StaffingTab(QWidget):
    """人員配置: counters needed per lane for the coming hours (Erlang C)."""

    def __init__(self, services: ManagerServices, texts: Texts) -> None:
        super().__init__()
        self._here, self._live, self._texts = services.here, services.live, texts
        self._hours = self._here.settings.screens.staffing_hours
        t = texts
        self.title = heading("")
        self.model = StaffingModel(t, self)
        self.empty = note("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(table_view(self.model, fit=(StaffingModel.COL_LANE,
                                                     StaffingModel.COL_GAP)), 1)  # fmt: skip
        layout.addWidget(self.empty)
        layout.addWidget(note(t.msg(ADMIN_TEXTS["staffing_note"])))
        self.refresh()

    def refresh(self) -> None:
        """Recomputes the advice from the arrivals seen so far."""
        t = self._texts
        target, share = self._live.wait_target()
        self.title.setText(
            t.msg(ADMIN_TEXTS["staffing_title"], t=f"{target:g}", s=f"{share * 100:g}")
        )
        advice = self._live.advice(self._here.now_ms(), self._hours)
        self.model.show(advice, self._here.catalog)
        self.empty.setText("" if advice else t.msg(ADMIN_TEXTS["closed_no_advice"]))


class AdminPanel(QTabWidget):
    """The site manager's tabs.

    Args:
        services: what the site manager's window uses.
        actor: the signed-in staff member; actions their role may not do are disabled.
        texts: the language.
        hub: the window's signal hub.
    """

    def __init__(self, services: ManagerServices, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__()
        self._hub = hub
        self.setStyleSheet("QTabBar::tab { font-size: 15px; padding: 8px 22px; }")
        self.setMinimumHeight(560)
        self.live = LiveTab(services, texts)
        self.staffing = StaffingTab(services, texts)
        self.closures = ClosuresTab(services, actor, texts, hub)
        self.pauses = PausesTab(services, actor, texts, hub)
        self.modes = ModesTab(services, actor, texts, hub)
        self.staff = StaffTab(services, actor, texts, hub)
        self.reports = ReportsTab(services, texts)
        self.notes = NotesTab(services, actor, texts, hub)
        self.deliverables = DeliverablesTab(services, actor, texts, hub)
        self.qa = QaTab(services.qa, actor, texts, hub)
        for tab, key in ((self.live, "tab_live"), (self.staffing, "tab_staffing"),
                         (self.closures, "tab_closures"), (self.modes, "tab_modes"),
                         (self.pauses, "tab_pauses"),
                         (self.staff, "tab_staff"), (self.reports, "tab_reports"),
                         (self.notes, "tab_notes"), (self.deliverables, "tab_deliverables")):  # fmt: skip
            self.addTab(tab, texts.msg(ADMIN_TEXTS[key]))
        self.addTab(self.qa, tr(texts.lang, "tab", "Q&&A"))  # & marks a mnemonic
        self._ticks = 0
        self._refresh_ticks = services.here.settings.screens.live_refresh_seconds
        hub.changed.connect(self.refresh)
        hub.tick.connect(self.tick)

    def tick(self) -> None:
        """Re-reads the live tabs every few seconds: waits grow without any change."""
        self._ticks += 1
        if self._ticks % self._refresh_ticks == 0:
            self.live.refresh()
            self.staffing.refresh()

    def refresh(self) -> None:
        """Re-reads every tab after a change."""
        tabs = (self.live, self.staffing, self.closures, self.modes, self.pauses, self.staff,
                self.qa, self.notes, self.deliverables)  # fmt: skip
        for tab in tabs:
            tab.refresh()
