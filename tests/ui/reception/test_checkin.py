"""Checking in reserved visitors at reception."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.printing.printers import PdfFolderPrinter
from app.queue.tickets import TicketService
from app.reservations.bookings import ReservationService
from app.reservations.importer import ReservationImports
from app.services import Services
from app.sync.loop import SyncLoop
from app.sync.service import SyncService
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import site_node
from ui.reception.checkin import CheckinPanel
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts

FLOOR = Actor("fm", "floor_manager")


@pytest.fixture
def panel(qtbot: QtBot, node: Node, clock: FakeClock, tmp_path: Path) -> Iterator[CheckinPanel]:
    service = ReservationService(node)
    service.book(SYSTEM, "R202611240001", OPEN_DAY, "11:00", "issuance", "self", "ヤマダ ハナコ")
    service.book(SYSTEM, "R202611240002", OPEN_DAY, "11:30", "issuance", "legal", "スズキ タロウ")
    service.book(SYSTEM, "R202611240003", OPEN_DAY, "15:00", "issuance", "self", "サトウ ジロウ")
    clock.set(OPEN_DAY, time(11, 5))
    window = MainWindow(Services.of(node), FLOOR, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    window.checkin._printer = PdfFolderPrinter(tmp_path)
    yield window.checkin


def test_the_coming_slots_are_listed_and_the_model_is_sound(
    qtbot: QtBot, panel: CheckinPanel
) -> None:
    ModelTester(qtbot).check(panel.model, force_py=True)
    ids = [panel.model.reservation_at(i)["reservation_id"] for i in range(panel.model.rowCount())]
    assert ids == ["R202611240001", "R202611240002"]  # 11:00 and 11:30, not 15:00
    assert panel.model.headerData(2, Qt.Orientation.Horizontal) == "氏名カナ"


def test_a_scanned_number_checks_in_at_once(panel: CheckinPanel, node: Node) -> None:
    assert not panel.scan.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    panel.scan.setText("r202611240001")
    panel.scan_number()
    assert panel.number.text() == "K-001"
    assert "印刷しました" in panel.status.text()
    ticket = TicketService(node).get("K-001")
    assert ticket["reservation_id"] == "R202611240001" and ticket["priority"] == 1
    assert panel.scan.text() == ""


def test_a_name_search_then_pick(panel: CheckinPanel, node: Node) -> None:
    assert panel.name.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)  # kana typed
    panel.name.setText("ｽｽﾞｷ")
    panel.search_name()
    assert panel.model.rowCount() == 1 and panel.number.text() == ""  # a name is confirmed first
    panel.check_in_selected()
    assert TicketService(node).get(panel.number.text())["applicant"] == "legal"


def test_unknown_too_early_and_too_late(panel: CheckinPanel, node: Node, clock: FakeClock) -> None:
    panel.name.setText("ナカムラ")
    panel.search_name()
    assert "見つかりません" in panel.error.text()
    panel.scan.setText("R202611240003")
    panel.scan_number()
    assert "14:30 から" in panel.error.text() and panel.number.text() == ""
    clock.set(OPEN_DAY, time(11, 50))  # 20 minutes late for 11:30
    answers: list[str] = []
    panel._confirm = lambda question: answers.append(question) is None and False
    panel.scan.setText("R202611240002")
    panel.scan_number()
    assert answers and "過ぎています" in panel.error.text() and panel.number.text() == ""
    panel._confirm = lambda question: True
    panel.scan.setText("R202611240002")
    panel.scan_number()
    assert panel.number.text() == "K-001"
    assert TicketService(node).get("K-001")["priority"] == 0  # behind the waiting walk-ins


def test_importing_from_the_screen(qtbot: QtBot, node: Node, tmp_path: Path) -> None:
    from ui.reception.import_dialog import import_file

    window = MainWindow(Services.of(node), FLOOR, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    assert any(
        a.text() == "予約CSVを取り込む…" for a in window.menuBar().actions()[0].menu().actions()
    )
    good = tmp_path / "good.csv"
    good.write_text("予約番号,予約日,開始時刻,手続,受取者区分,氏名カナ\n"
                    "R202611240009,2026-11-24,12:00,カード交付,本人,テスト ハナコ\n",
                    encoding="cp932")  # fmt: skip
    message = import_file(window, ReservationImports(node), FLOOR, Texts("ja"), good)
    assert message.startswith("取り込みました: 新規 1件")
    bad = tmp_path / "bad.csv"
    bad.write_text("予約番号,予約日,開始時刻,手続,受取者区分,氏名カナ\n"
                   "R202611240010,2026-11-25,12:00,カード交付,本人,テスト\n", encoding="utf-8")  # fmt: skip
    message = import_file(window, ReservationImports(node), FLOOR, Texts("ja"), bad)
    assert "何も取り込んでいません" in message and "line 2" in message
    assert [r["reservation_id"] for r in ReservationService(node).for_day(OPEN_DAY)] == [
        "R202611240009"
    ]
    # A file with only another booking of the day: the floor manager sees what would be
    # cancelled and decides.
    other = tmp_path / "other.csv"
    other.write_text("予約番号,予約日,開始時刻,手続,受取者区分,氏名カナ\n"
                     "R202611240011,2026-11-24,13:00,カード交付,本人,テスト\n", encoding="utf-8")  # fmt: skip
    asked: list[str] = []

    def refuse(question: str) -> bool:
        asked.append(question)
        return False

    message = import_file(window, ReservationImports(node), FLOOR, Texts("ja"), other, refuse)
    assert message == "取り込みを取りやめました（何も取り込んでいません）"
    assert "R202611240009  2026-11-24 12:00" in asked[0] and "取り消して取り込みますか" in asked[0]
    assert len(ReservationService(node).for_day(OPEN_DAY)) == 1
    message = import_file(window, ReservationImports(node), FLOOR, Texts("ja"), other,
                          lambda question: True)  # fmt: skip
    assert message.startswith("取り込みました: 新規 1件・変更 0件・取消 1件")
    states = {r["reservation_id"]: r["state"] for r in ReservationService(node).for_day(OPEN_DAY)}
    assert states == {"R202611240009": "cancelled", "R202611240011": "booked"}


def test_a_sync_round_keeps_the_reservation_the_floor_manager_selected(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    bookings = ReservationService(reception)
    for n, slot in enumerate(("11:00", "11:00", "11:30"), start=1):
        bookings.book(SYSTEM, f"R20261124000{n}", OPEN_DAY, slot, "issuance", "self",
                      f"タナカ アヤ{n}")  # fmt: skip
    clock.set(OPEN_DAY, time(11, 5))
    window = MainWindow(Services.of(reception), FLOOR, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    panel = window.checkin
    panel._printer = PdfFolderPrinter(tmp_path / "tickets")
    panel.table.selectRow(panel.model.row_of("R202611240002") or 0)
    # Another PC writes (a walk-in at the counter), the share carries it, and the reception
    # PC's sync round applies it on a connection of its own, as the window's sync thread
    # does: the window hears of the commit through the hub and re-reads its lists.
    TicketService(counter).issue(SYSTEM, "pin", "self")
    SyncService(counter).once()
    sync_side = Node(reception.data_dir, wall_ms=clock)
    report = SyncLoop(sync_side).round()
    sync_side.close()
    assert report.imported >= 1 and not report.offline
    qtbot.waitUntil(lambda: window.model is not None and window.model.rowCount() == 1,
                    timeout=10_000)  # fmt: skip
    rows = panel.table.selectionModel().selectedRows()
    assert [panel.model.reservation_at(r.row())["reservation_id"] for r in rows] == [
        "R202611240002"
    ]
    panel.button.click()  # 受付 (Enter): the selected reservation is checked in
    assert panel.number.text() == "K-001"
    assert TicketService(reception).get("K-001")["reservation_id"] == "R202611240002"
    window.close()
    reception.close()
    counter.close()


def test_two_bookings_of_one_name_differ_by_their_whole_number_and_enter_checks_in(
    qtbot: QtBot, node: Node, clock: FakeClock, tmp_path: Path
) -> None:
    service = ReservationService(node)
    for n in (4, 5):
        service.book(SYSTEM, f"R20261124000{n}", OPEN_DAY, "11:30", "issuance", "self",
                     "タナカ アヤ")  # fmt: skip
    clock.set(OPEN_DAY, time(11, 25))
    window = MainWindow(Services.of(node), FLOOR, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    panel = window.checkin
    panel._printer = PdfFolderPrinter(tmp_path)
    window.panel.setCurrentWidget(panel)
    panel.name.setText("tanaka aya")  # romaji finds the katakana name
    panel.search_name()
    assert panel.model.rowCount() == 2
    for row in range(2):
        text = panel.model.index(row, 0).data()
        assert text.startswith("R2026112400")
        width = panel.table.fontMetrics().horizontalAdvance(text)
        assert width < panel.table.columnWidth(0)  # the whole booking number is shown
    panel.table.selectRow(1)
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # 受付 (Enter) does what it says
    assert panel.number.text() == "K-001"
    assert TicketService(node).get("K-001")["reservation_id"] == "R202611240005"
    window.close()


def test_every_control_at_reception_is_a_touch_target(
    qtbot: QtBot, node: Node, panel: CheckinPanel
) -> None:
    window = panel.window()
    assert isinstance(window, MainWindow)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    walk_in = window.walk_in
    walk_in.choose_procedure("pin")
    walk_in.choose_applicant("self")
    assert walk_in.checks  # the documents to tick
    for tab in (walk_in, panel):
        window.panel.setCurrentWidget(tab)
        qtbot.waitUntil(tab.isVisible)
        controls = [w for w in tab.findChildren(QWidget)
                    if isinstance(w, QAbstractButton | QLineEdit) and w.isVisible()]  # fmt: skip
        assert controls and min(w.height() for w in controls) >= 44
    # A question asked at reception (a late visitor, a walk-in after closing) too.
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, walk_in)  # fmt: skip
    box.show()
    qtbot.waitExposed(box)
    assert min(b.height() for b in box.buttons()) >= 44
    box.close()
