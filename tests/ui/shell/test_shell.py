"""The Qt shell: sign-in, the live queue model, role panels, language, screenshots."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QShortcut
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

import ui.shell.application
from app.core.actor import Actor
from app.core.i18n import tr
from app.core.node import Node
from app.core.node_view import NodeView
from app.core.staff import StaffService
from app.queue.queries import QueueQueries
from app.queue.tickets import TicketService
from app.services import Services
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import make_node, on_an_open_day
from ui.display.board import BOARD_TEXTS, DisplayBoard
from ui.reception.walk_in import ReceptionPanel
from ui.shell.application import run_shell
from ui.shell.main_window import MainWindow
from ui.shell.signin import SignInDialog
from ui.widgets.i18n import Texts
from ui.widgets.queue_model import COL_PROCEDURE, COL_STATE, COLUMNS, QueueModel


@pytest.fixture(autouse=True)
def crash_handlers(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """run_shell installs the crash handlers (tested in a process of their own, in
    tests/app/core/test_logs.py); here the call is recorded, so pytest keeps its own."""
    calls: list[object] = []
    monkeypatch.setattr(ui.shell.application, "install_crash_handlers",
                        lambda data_dir, on_bug: calls.append((data_dir, on_bug)))  # fmt: skip
    return calls


def press(widget: QWidget, key: str) -> None:
    """Fires the widget's keyboard shortcut for ``key`` (as the key press would).

    Offscreen windows are not reliably the active window, so the shortcut is triggered
    directly; this still fails if no shortcut is bound to the key.
    """
    matches = [s for s in widget.findChildren(QShortcut) if s.key().toString() == key]
    assert len(matches) == 1, f"no single shortcut for {key}"
    matches[0].activated.emit()


def issue_some(node: Node, n: int = 4) -> None:
    svc = TicketService(node)
    floor = Actor("fm", "floor_manager")
    for i in range(n):
        svc.issue(floor, ("pin", "certificate", "face_auth", "loss")[i % 4], "self")


def test_the_queue_shows_a_visits_procedures_and_its_priority(qtbot: QtBot, node: Node) -> None:
    floor = Actor("fm", "floor_manager")
    TicketService(node).issue(floor, "certificate", "self", others=("pin",),
                              priority_reason="elderly")  # fmt: skip
    TicketService(node).issue(floor, "loss", "self")
    shown = {}
    for lang in ("ja", "en"):
        model = QueueModel(node.catalog, Texts(lang))
        model.show(QueueQueries(node).live_queue(), node.now_ms())
        shown[lang] = [[model.data(model.index(r, c)) for c in (COL_STATE, COL_PROCEDURE)]
                       for r in range(model.rowCount())]  # fmt: skip
    assert shown["ja"][0] == ["待ち · 優先（高齢の方）",
                              "電子証明書の新規発行・更新 + 暗証番号の初期化・再設定"]  # fmt: skip
    assert shown["ja"][1][0] == "待ち" and "+" not in shown["ja"][1][1]
    assert shown["en"][0][0].startswith("Waiting · Priority (")


def test_queue_model_passes_the_model_tester(qtbot: QtBot, node: Node, clock: FakeClock) -> None:
    issue_some(node)
    queries = QueueQueries(node)
    model = QueueModel(node.catalog, Texts("ja"))
    model.show(queries.live_queue(), node.now_ms())
    tester = ModelTester(qtbot)
    tester.check(model, force_py=True)
    assert model.rowCount() == 4 and model.columnCount() == len(COLUMNS)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "番号"
    assert model.data(model.index(0, 0)) == "A-001"
    TicketService(node).call(Actor("cl", "clerk", "1"), "A-002")
    model.show(queries.live_queue(), node.now_ms())
    tester.check(model, force_py=True)
    assert model.data(model.index(0, 0)) == "A-002"  # the called ticket is shown first
    assert model.data(model.index(0, 1)) == "呼出中 1"
    assert model.waiting_count() == 3


def test_queue_model_in_english_and_waiting_minutes(node: Node, clock: FakeClock) -> None:
    issue_some(node, 1)
    clock.advance(minutes=7)
    model = QueueModel(node.catalog, Texts("en"))
    model.show(QueueQueries(node).live_queue(), node.now_ms())
    assert model.headerData(1, Qt.Orientation.Horizontal) == "State"
    assert model.data(model.index(0, 1)) == "Waiting"
    assert model.data(model.index(0, 6)) == "7 min"


def test_sign_in_dialog_refuses_a_wrong_pin_then_signs_in(qtbot: QtBot, node: Node) -> None:
    dialog = SignInDialog(NodeView(node), StaffService(node), Texts("ja"))
    qtbot.addWidget(dialog)
    dialog.staff_id.setText("fm")
    dialog.pin.setText("0000")
    dialog.try_sign_in()
    assert "暗証番号が違います" in dialog.error.text() and dialog.pin.text() == ""
    assert dialog.actor is None
    dialog.pin.setText("1111")
    dialog.try_sign_in()
    assert dialog.actor == Actor("fm", "floor_manager", None)
    assert dialog.result() == SignInDialog.DialogCode.Accepted


def test_language_switch_rebuilds_the_window(qtbot: QtBot, node: Node) -> None:
    window = MainWindow(Services.of(node), Actor("fm", "floor_manager"), Texts("ja"), sync=False)
    qtbot.addWidget(window)
    assert "受付" in window.windowTitle()
    window.toggle_language()
    assert "Reception" in window.windowTitle()
    assert isinstance(window.walk_in, ReceptionPanel)
    assert window.walk_in.issue_button.text() == "Issue (Enter)"
    window.toggle_language()
    assert window.walk_in.issue_button.text() == "発券 (Enter)"


def test_the_hub_sees_writes_from_another_process(qtbot: QtBot, node: Node) -> None:
    window = MainWindow(Services.of(node), Actor("fm", "floor_manager"), Texts("ja"), sync=False)
    qtbot.addWidget(window)
    other = Node(node.data_dir, wall_ms=node.store.clock.wall_ms)  # e.g. the command line
    issue_some(other, 1)
    other.close()
    with qtbot.waitSignal(window.hub.changed, timeout=3000):
        pass
    assert window.model is not None and window.model.rowCount() == 1


@pytest.mark.parametrize(("role", "staff", "pin"), [("reception", "fm", "1111"),
                                                   ("counter", "cl", "2222"),
                                                   ("display", None, None),
                                                   ("admin", "sm", "4444")])  # fmt: skip
def test_every_role_window_takes_a_screenshot(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
    role: str, staff: str | None, pin: str | None,
) -> None:  # fmt: skip
    node = make_node(tmp_path / role, clock, role=role, counter="1" if role == "counter" else None)
    issue_some(node, 3)
    node.close()
    if staff and pin:
        monkeypatch.setenv("MADOGUCHI_STAFF", staff)
        monkeypatch.setenv("MADOGUCHI_PIN", pin)
    out = tmp_path / f"{role}.png"
    args = argparse.Namespace(data_dir=tmp_path / role, screenshot=str(out), size="1280x800",
                              lang="ja")  # fmt: skip
    assert run_shell(args) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_a_counter_serving_a_visitor_takes_its_screenshot_without_asking(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = make_node(tmp_path / "counter", clock, role="counter", counter="1")
    issue_some(node, 1)
    TicketService(node).call_next(Actor("cl", "clerk", "1"))
    node.close()
    on_an_open_day(tmp_path / "counter", clock)  # the window opens on the test's day
    monkeypatch.setenv("MADOGUCHI_STAFF", "cl")
    monkeypatch.setenv("MADOGUCHI_PIN", "2222")
    asked: list[str] = []  # a real question would wait for an answer for ever
    monkeypatch.setattr(MainWindow, "confirm_close", lambda self, q: bool(asked.append(q)))
    out = tmp_path / "counter.png"
    args = argparse.Namespace(data_dir=tmp_path / "counter", screenshot=str(out),
                              size="1280x800", lang="ja")  # fmt: skip
    assert run_shell(args) == 0
    assert asked == [] and QImage(str(out)).width() == 1280


def test_screenshot_without_staff_shows_the_sign_in(
    qtbot: QtBot, node: Node, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MADOGUCHI_STAFF", raising=False)
    monkeypatch.delenv("MADOGUCHI_PIN", raising=False)
    out = tmp_path / "signin.png"
    args = argparse.Namespace(data_dir=node.data_dir, screenshot=str(out), size=None, lang="ja")
    assert run_shell(args) == 0
    image = QImage(str(out))
    assert 0 < image.width() < 800


def test_uninitialised_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], crash_handlers: list[object]
) -> None:
    args = argparse.Namespace(data_dir=tmp_path / "new", screenshot=None, size=None, lang="ja")
    assert run_shell(args) == 2
    assert crash_handlers == [(tmp_path / "new", ui.shell.application.tell_about_bug)]
    assert "初期設定されていません" in capsys.readouterr().err


def test_a_preset_sign_in_is_recorded_unless_it_only_takes_a_screenshot(
    node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MADOGUCHI_STAFF", "fm")
    monkeypatch.setenv("MADOGUCHI_PIN", "1111")
    actor = ui.shell.application.preset_actor(node, record=False)
    assert actor is not None and actor.staff_id == "fm"
    assert list(node.store.events("type = 'staff.signed_in'")) == []
    ui.shell.application.preset_actor(node)  # the demo's windows: counted in staffing
    signed = list(node.store.events("type = 'staff.signed_in'"))
    assert [(e.staff_id, e.node_id) for e in signed] == [("fm", node.identity.node_id)]


def test_a_demo_pc_shows_its_clock_as_demo_time(qtbot: QtBot, node: Node) -> None:
    window = MainWindow(Services.of(node), Actor("fm", "floor_manager"), Texts("ja"), sync=False)
    qtbot.addWidget(window)
    assert "デモ時刻" not in window.clock_label.text()
    node.set_demo_clock(-3600_000)
    window.update_clock()
    assert window.clock_label.text() == "デモ時刻 2026-11-24 10:00:00"
    window.toggle_language()
    assert window.clock_label.text() == "Demo time 2026-11-24 10:00:00"


def test_sign_out_records_the_end_of_the_shift(qtbot: QtBot, node: Node) -> None:
    window = MainWindow(Services.of(node), Actor("fm", "floor_manager"), Texts("ja"), sync=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.signed_out):
        window.sign_out()
    assert window.did_sign_out
    assert [e.type for e in node.store.events("staff_id = 'fm'")][-1] == "staff.signed_out"


def test_an_internal_error_is_told_calmly_in_the_active_window(qtbot: QtBot, node: Node) -> None:
    window = MainWindow(Services.of(node), Actor("fm", "floor_manager"), Texts("en"), sync=False)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: ui.shell.application.QApplication.activeWindow() is window)
    ui.shell.application.tell_about_bug(KeyError, KeyError("x"), None)
    assert window.statusBar().currentMessage().startswith("An internal error happened")


def test_the_board_starts_in_any_language_and_staff_windows_only_in_two(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    node = make_node(tmp_path / "display", clock, role="display")
    node.close()
    out = tmp_path / "board.png"
    shown: list[str] = []
    real_screenshot = ui.shell.application.screenshot

    def keep(widget: QWidget, path: str, size: str | None) -> None:
        real_screenshot(widget, path, size)
        [board] = widget.findChildren(DisplayBoard)
        shown.append(board.heading.text())

    args = argparse.Namespace(data_dir=tmp_path / "display", screenshot=str(out),
                              size="1920x1080", lang="ko")  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ui.shell.application, "screenshot", keep)
        assert run_shell(args) == 0
    assert shown == [tr("ko", "board", BOARD_TEXTS["now_calling"].text)]
    assert QImage(str(out)).width() == 1920
    counter = make_node(tmp_path / "counter", clock, role="counter", counter="1")
    counter.close()
    args = argparse.Namespace(data_dir=tmp_path / "counter", screenshot=str(out), size=None,
                              lang="ko")  # fmt: skip
    assert run_shell(args) == 2
    assert "職員の画面は ja か en" in capsys.readouterr().err
