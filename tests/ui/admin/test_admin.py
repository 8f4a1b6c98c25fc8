"""The site manager's window: live waits and alerts, staffing, closures, pauses, staff, reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.actor import Actor, AuthError
from app.core.node import Node
from app.core.staff import StaffService
from app.queue.counter_pauses import CounterPauses
from app.queue.pauses import PauseService
from app.queue.tickets import TicketService
from app.services import Services
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import make_node
from ui.admin.panel import AdminPanel
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts
from ui.widgets.table_model import KeyedTableModel

MANAGER = Actor("sm", "site_manager")
FLOOR = Actor("fm", "floor_manager")
CLERK = Actor("cl", "clerk", "1")


@pytest.fixture
def site(tmp_path: Path, clock: FakeClock) -> Iterator[Node]:
    node = make_node(tmp_path / "admin", clock, role="admin")
    yield node
    node.close()


_open: list[MainWindow] = []  # a window lives while its test runs


@pytest.fixture(autouse=True)
def _windows() -> Iterator[None]:
    yield
    _open.clear()


def open_panel(qtbot: QtBot, node: Node, actor: Actor = MANAGER) -> AdminPanel:
    window = MainWindow(Services.of(node), actor, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    _open.append(window)
    assert isinstance(window.panel, AdminPanel)
    return window.panel


def column(model: KeyedTableModel, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_live_tab_shows_waits_counters_and_an_alert_past_the_target(
    qtbot: QtBot, site: Node, clock: FakeClock
) -> None:
    tickets = TicketService(site)
    for _ in range(3):
        tickets.issue(FLOOR, "certificate", "self")  # general lane, 11:00
    clock.advance(minutes=5)
    StaffService(site).sign_in("cl", "2222", "1")
    assert tickets.call_next(CLERK, ("general",)) is not None  # waited 5 minutes
    panel = open_panel(qtbot, site)
    live = panel.live
    assert live.alerts == [] and "✓" in live.banner.text()
    general = 1  # catalog order: reserved, general, city
    assert live.lanes.index(general, 1).data() == "2"
    assert live.lanes.index(general, 3).data() == "5分"  # mean wait today
    assert live.lanes.index(general, 5).data() == "1"  # counter 1 serves it
    assert column(live.counters, 0) == ["1"] and column(live.counters, 1) == ["cl"]

    clock.advance(minutes=15)  # the two still waiting: 20 minutes
    for _ in range(site.settings.screens.live_refresh_seconds):
        panel.tick()
    assert live.lanes.index(general, 2).data() == "20分"
    assert len(live.alerts) == 1 and live.alerts[0].startswith("⚠ 注意")
    assert "A 一般窓口" in live.banner.text() and "目標 15分" in live.banner.text()
    assert "#e69f00" in live.banner.styleSheet()

    clock.advance(minutes=20)  # 40 minutes: more than twice the target
    live.refresh()
    assert live.alerts[0].startswith("⚠⚠ 警告") and "#b00020" in live.banner.styleSheet()


def test_live_tab_shows_a_paused_counter_and_leaves_it_out_of_the_open_ones(
    qtbot: QtBot, site: Node, clock: FakeClock
) -> None:
    staff = StaffService(site)
    staff.sign_in("cl", "2222", "1")
    staff.sign_in("cl2", "2223", "2")
    CounterPauses(site).pause(Actor("cl2", "clerk", "2"), "paperwork")
    live = open_panel(qtbot, site).live
    ModelTester(None).check(live.counters)
    assert column(live.counters, 0) == ["1", "2"]
    assert column(live.counters, 5) == ["対応可", "一時停止: 事務作業（11:00〜）"]
    assert live.counters.data(live.counters.index(1, 5), Qt.ItemDataRole.BackgroundRole)
    assert not live.counters.data(live.counters.index(0, 5), Qt.ItemDataRole.BackgroundRole)
    general = 1
    assert live.lanes.index(general, 5).data() == "1"  # counter 2 is paused: not open


def test_modes_tab_starts_a_mode_ends_it_and_goes_back_to_normal(
    qtbot: QtBot, site: Node, clock: FakeClock
) -> None:
    tab = open_panel(qtbot, site).modes
    ModelTester(None).check(tab.model)
    assert tab.start_mode("reduced", "計画運休", procedures=("certificate",),
                          close_at=time(16, 0))  # fmt: skip
    assert tab.info.text() == "✓ 縮小運転を設定しました"
    assert column(tab.model, 2) == ["縮小運転"] and column(tab.model, 1) == ["11:00〜"]
    assert "16:00 で受付終了" in column(tab.model, 3)[0]
    assert tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.BackgroundRole)  # running
    assert not tab.start_mode("jlis", "")  # no reason
    assert "理由" in tab.error.text()
    assert tab.start_mode("jlis", "J-LIS 障害", start=time(14, 0), end=time(15, 0))
    assert column(tab.model, 1) == ["11:00〜", "14:00〜15:00"]
    clock.advance(minutes=30)
    assert tab.back_to_normal() and tab.info.text() == "✓ 通常に戻しました"
    assert column(tab.model, 1) == ["11:00〜11:30"]  # the planned one never ran
    assert not tab.end_mode() and "選んで" in tab.error.text()
    floor_tab = open_panel(qtbot, site, FLOOR).modes
    assert not floor_tab.start_button.isEnabled()


def test_visits_per_hour_against_the_plan(qtbot: QtBot, site: Node, clock: FakeClock) -> None:
    tickets = TicketService(site)
    for _ in range(2):
        tickets.issue(FLOOR, "certificate", "self")
    hours = open_panel(qtbot, site).live.hours
    headers = [hours.headerData(c, Qt.Orientation.Horizontal) for c in range(hours.columnCount())]
    assert headers[1] == "10時台" and headers[-2] == "18時台" and headers[-1] == "計"
    assert column(hours, 0) == ["計画", "実績", "差"]
    # 10:30–11:00: one slot of 8 seats + half of 4 walk-ins; 11:00: two slots + 4.
    assert (hours.cell(0, 1), hours.cell(0, 2)) == (10, 20)
    assert (hours.cell(1, 1), hours.cell(1, 2)) == (0, 2)
    assert hours.cell(2, 2) == "-18" and hours.cell(2, 3) == ""  # 12時台 has not begun
    assert hours.cell(2, hours.columnCount() - 1) == "-28"  # 10時台 and 11時台 only


def test_the_staffing_tab_advises_counters_per_lane_and_hour(
    qtbot: QtBot, site: Node, clock: FakeClock
) -> None:
    clock.set(OPEN_DAY, time(10, 40))
    tickets = TicketService(site)
    for _ in range(12):  # a rush: 12 walk-ins in 20 minutes
        tickets.issue(FLOOR, "certificate", "self")
    clock.set(OPEN_DAY, time(11, 0))
    StaffService(site).sign_in("cl", "2222", "1")
    staffing = open_panel(qtbot, site).staffing
    model = staffing.model
    assert model.rowCount() == 9  # 11, 12, 13 時台 × 3 lanes
    assert column(model, 0)[:3] == ["11時台"] * 3
    row = column(model, 1).index("A 一般窓口（委託）")
    assert model.cell(row, 2) == pytest.approx(24.0)  # 12 in the 30 minutes since opening
    needed = model.cell(row, 4)
    assert needed > 1 and model.cell(row, 5) == 1
    assert model.cell(row, 6) == f"▲ {needed - 1}窓口 追加"
    assert "15分以内を80%以上" in staffing.title.text()


def test_no_staffing_advice_on_a_closed_day(qtbot: QtBot, site: Node, clock: FakeClock) -> None:
    clock.set(date(2026, 11, 25), time(11, 0))  # Wednesday
    staffing = open_panel(qtbot, site).staffing
    assert staffing.model.rowCount() == 0 and "閉庁日" in staffing.empty.text()


def test_closures_are_added_and_removed(qtbot: QtBot, site: Node) -> None:
    tab = open_panel(qtbot, site).closures
    day = date(2026, 12, 1)
    assert not tab.add_closure(day, "  ")
    assert "理由" in tab.error.text() and tab.model.rowCount() == 0
    assert tab.add_closure(day, "システム保守")
    assert tab.error.text() == "" and "2026-12-01" in tab.info.text()
    assert tab.model.rowCount() == 1 and tab.model.cell(0, 0) == "2026-12-01（火）"
    assert not site.calendar().is_open(day)
    assert not tab.remove_closure()  # nothing chosen
    assert "選んで" in tab.error.text()
    tab.view.selectRow(0)
    assert tab.remove_closure()
    assert tab.model.rowCount() == 0 and site.calendar().is_open(day)


def test_a_closure_from_the_form(qtbot: QtBot, site: Node) -> None:
    tab = open_panel(qtbot, site).closures
    assert tab.day.date().toPython() == date(2026, 11, 25)  # tomorrow by default
    tab.reason.setText("台風")
    tab.add_button.click()
    assert [r["reason"] for r in site.store.rows("SELECT reason FROM closures")] == ["台風"]
    assert tab.reason.text() == ""


def test_pauses_and_resumes(qtbot: QtBot, site: Node) -> None:
    tab = open_panel(qtbot, site).pauses
    assert not tab.pause("jlis", "")
    assert tab.error.text()
    assert tab.pause("jlis", "J-LIS 障害")
    assert PauseService(site).all() == {"jlis": "J-LIS 障害"}
    assert tab.model.cell(0, 0).startswith("J-LIS 全体")
    tab.target.setCurrentIndex(tab.target.findData("pin"))
    tab.reason.setText("端末故障")
    tab.pause_button.click()
    assert PauseService(site).reason("pin") == "端末故障"
    assert tab.resume("jlis")
    tab.view.selectRow(0)
    assert tab.resume()
    assert PauseService(site).all() == {} and tab.model.rowCount() == 0
    assert not tab.resume("certificate")
    assert "停止されていません" in tab.error.text()


def test_staff_are_added_with_a_pin_typed_twice_and_deactivated(qtbot: QtBot, site: Node) -> None:
    tab = open_panel(qtbot, site).staff
    assert tab.pin.echoMode() == tab.pin.EchoMode.Password
    assert not tab.add_staff("yamada", "山田 花子", "clerk", "5555", "5556")
    assert tab.error.text() == "暗証番号が一致しません"
    assert "yamada" not in column(tab.model, 0)
    tab.staff_id.setText("yamada")
    tab.name.setText("山田 花子")
    tab.role.setCurrentIndex(tab.role.findData("clerk"))
    tab.pin.setText("5555")
    tab.pin_again.setText("5555")
    tab.add_button.click()
    assert "yamada" in column(tab.model, 0) and tab.pin.text() == ""
    assert StaffService(site).authenticate("yamada", "5555").role == "clerk"
    assert not tab.add_staff("bad id!", "x", "clerk", "5555", "5555")
    assert "職員ID" in tab.error.text()
    assert tab.deactivate("yamada")
    row = column(tab.model, 0).index("yamada")
    assert tab.model.cell(row, 3) == "無効"
    with pytest.raises(AuthError):
        StaffService(site).authenticate("yamada", "5555")


def test_a_floor_manager_sees_the_actions_disabled(qtbot: QtBot, site: Node) -> None:
    panel = open_panel(qtbot, site, FLOOR)
    for button in (panel.closures.add_button, panel.closures.remove_button,
                   panel.pauses.pause_button, panel.pauses.resume_button,
                   panel.staff.add_button, panel.staff.deactivate_button):  # fmt: skip
        assert not button.isEnabled()
    assert not panel.closures.add_closure(date(2026, 12, 1), "保守")  # the service refuses too
    assert "開庁日の変更" in panel.closures.error.text()
    assert panel.live.lanes.rowCount() == 3  # the live figures are still shown


def test_reports_are_written_in_the_background(qtbot: QtBot, site: Node, tmp_path: Path) -> None:
    TicketService(site).issue(FLOOR, "certificate", "self")
    tab = open_panel(qtbot, site).reports
    out = tmp_path / "out"
    assert tab.generate("daily", "2026-11-24", ["pdf", "csv", "xlsx"], out)
    assert not tab.generate_button.isEnabled()
    assert not tab.generate("daily", "2026-11-24", ["csv"], out)  # one at a time
    qtbot.waitUntil(lambda: bool(tab.files), timeout=60_000)
    names = sorted(Path(f).name for f in tab.files)
    assert names == ["daily_2026-11-24.csv", "daily_2026-11-24.pdf", "daily_2026-11-24.xlsx"]
    assert (out / "daily_2026-11-24.pdf").read_bytes().startswith(b"%PDF")
    assert tab.list.count() == 3 and tab.bar.value() == tab.bar.maximum() == 4
    assert tab.generate_button.isEnabled() and "3件" in tab.status.text()


def test_a_report_from_the_form_and_a_failure(qtbot: QtBot, site: Node, tmp_path: Path) -> None:
    tab = open_panel(qtbot, site).reports
    tab.kind.setCurrentIndex(tab.kind.findData("sla"))
    assert tab.spec() == "2026-10"  # last month by default
    tab.checks["pdf"].setChecked(False)
    assert not tab.generate(folder=tmp_path)
    assert "形式" in tab.error.text()
    tab.checks["csv"].setChecked(True)
    tab.folder.setText(str(tmp_path / "sla"))
    assert tab.generate()
    qtbot.waitUntil(lambda: bool(tab.files), timeout=60_000)
    assert (tmp_path / "sla" / "sla_2026-10.csv").exists()
    assert tab.generate("monthly", "2026-13", ["csv"], tmp_path)
    qtbot.waitUntil(lambda: bool(tab.error.text()), timeout=60_000)
    assert tab.error.text().startswith("作成できませんでした") and tab.files == []
    tab.kind.setCurrentIndex(tab.kind.findData("annual"))
    assert tab.spec() == "FY2026"


def test_the_panel_follows_changes_and_the_language(
    qtbot: QtBot, site: Node, clock: FakeClock
) -> None:
    window = MainWindow(Services.of(site), MANAGER, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    panel = window.panel
    assert isinstance(panel, AdminPanel)
    assert [panel.tabText(i) for i in range(panel.count())] == [
        "現況", "人員配置", "開庁日", "運転モード", "受付停止", "職員", "報告書", "報告事項", "提出物",
        "質疑応答集"]  # fmt: skip
    TicketService(site).issue(FLOOR, "certificate", "self")
    window.hub.notify()
    assert panel.live.lanes.cell(1, 1) == 1
    window.toggle_language()
    assert isinstance(window.panel, AdminPanel) and window.panel.tabText(0) == "Live"
    assert window.panel.live.lanes.cell(1, 0) == "A General counter (contractor)"


def test_every_admin_table_model_passes_the_model_tester(
    qtbot: QtBot, site: Node, clock: FakeClock
) -> None:
    svc = TicketService(site)
    for _ in range(3):
        svc.issue(FLOOR, "certificate", "self")
    StaffService(site).sign_in("cl", "2222", "1")
    panel = open_panel(qtbot, site)
    panel.closures.add_closure(date(2026, 12, 1), "保守")
    panel.pauses.pause("jlis", "J-LIS 障害")
    models = [panel.live.lanes, panel.live.counters, panel.live.hours, panel.staffing.model,
              panel.closures.model, panel.pauses.model, panel.staff.model]  # fmt: skip
    testers = []
    for model in models:
        assert model.rowCount() > 0, type(model).__name__
        tester = ModelTester(qtbot)  # one each: a tester follows the model it checked
        tester.check(model, force_py=True)
        testers.append(tester)
    clock.advance(minutes=40)  # waits grow; rows change in place
    svc.call_next(CLERK)
    panel.refresh()
    for tester, model in zip(testers, models, strict=True):
        tester.check(model, force_py=True)


def test_live_tab_shows_which_paths_reach_each_pc(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    import time as clock_time

    from app.lan.path import LanPath
    from app.sync.service import SyncService
    from tests.helpers.nodes import site_node, sync_rounds

    admin = site_node(tmp_path, "admin", clock, block=4, role="admin")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    display = site_node(tmp_path, "display", clock, block=3, role="display", staff=False)
    StaffService(admin).add(Actor("system", "admin"), "sm", "管理", "site_manager", "4444")
    paths = [LanPath(admin), LanPath(counter)]  # the board's PC has no LAN path: port closed
    assert all(p.open() for p in paths)
    sync_rounds(admin, counter, display)

    def lan_states() -> dict[str, object]:
        rows = admin.store.rows("SELECT name, lan_up FROM sync_nodes")
        return {r["name"]: r["lan_up"] for r in rows}

    deadline = clock_time.monotonic() + 6
    while lan_states() != {"counter-1": 1, "display": 0}:
        assert clock_time.monotonic() < deadline, lan_states()
        for path in paths:
            path.step(0.01)
    panel = open_panel(qtbot, admin)
    model = panel.live.paths
    ModelTester(qtbot).check(model)
    assert column(model, model.COL_PC) == ["counter-1", "display"]
    assert column(model, model.COL_LAN) == ["○", "×"]
    assert [c[0] for c in column(model, model.COL_SHARE)] == ["○", "○"]
    assert column(model, model.COL_OWN_SHARE) == ["○", "—"]
    (tmp_path / "share").rename(tmp_path / "share-away")  # the file server goes down
    assert SyncService(admin).once().offline
    panel.live.refresh()
    assert [c[0] for c in column(model, model.COL_SHARE)] == ["×", "×"]
    assert column(model, model.COL_LAN) == ["○", "×"]
    red = model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert red is not None and model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    for path in paths:
        path.close()
    for node in (counter, display):
        node.close()
