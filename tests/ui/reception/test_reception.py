"""The reception desk, as the floor manager uses it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from app.core.actor import Actor
from app.core.i18n import LANGUAGES, tr
from app.core.node import Node
from app.core.staff import StaffService
from app.printing.jobs import reprint_queue
from app.printing.printer import PrinterError
from app.printing.printers import PdfFolderPrinter
from app.queue.modes import ModeService
from app.queue.pauses import PauseService
from app.queue.tickets import TicketService
from app.queue.visits import TURNED_BACK
from app.services import Services
from tests.helpers.clock import OPEN_DAY, FakeClock
from ui.reception.walk_in import ReceptionPanel
from ui.shell.application import application
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts
from ui.widgets.qt_printer import QtSystemPrinter

FLOOR = Actor("fm", "floor_manager")


class BrokenPrinter:
    def print_ticket(self, pdf: bytes, png: bytes, name: str) -> None:
        raise PrinterError("プリンタがオフラインです。電源とケーブルを確認してください")


@pytest.fixture
def panel(qtbot: QtBot, node: Node, tmp_path: Path) -> Iterator[ReceptionPanel]:
    window = MainWindow(Services.of(node), FLOOR, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    assert isinstance(window.walk_in, ReceptionPanel)
    (tmp_path / "tickets").mkdir()
    window.walk_in._printer = PdfFolderPrinter(tmp_path / "tickets")
    yield window.walk_in  # the window stays alive while the test runs


def test_every_walk_in_procedure_and_applicant_gets_a_ticket_in_its_lane(
    panel: ReceptionPanel, node: Node, tmp_path: Path
) -> None:
    issued = 0
    for proc in node.catalog.procedures.values():
        for applicant in proc.applicants:
            panel.choose_procedure(proc.code)
            panel.choose_applicant(applicant)
            lane = node.catalog.lane_for(proc.code, applicant)
            if proc.reservation:
                assert "予約制" in panel.route.text() and not panel.issue_button.isEnabled()
                continue
            assert panel.route.text().startswith(f"→ {lane.prefix}")
            assert [c.text() for c in panel.checks] == list(
                node.catalog.documents(proc.code, applicant)
            )
            assert not panel.issue_button.isEnabled()  # documents not checked yet
            panel.tick_all()
            panel.issue()
            issued += 1
            assert panel.number.text().startswith(lane.prefix + "-")
            assert "印刷しました" in panel.print_status.text()
            assert re.search(r"前に \d+人|まもなく", panel.ahead.text())
    assert len(TicketService(node).tickets()) == issued == 27
    assert len(list((tmp_path / "tickets").rglob("*.pdf"))) == issued


def test_card_issuance_shows_the_web_reservation_qr_and_capacity(
    panel: ReceptionPanel, node: Node
) -> None:
    panel.choose_procedure("issuance")
    assert "本日の残り予約枠 128" in panel.route.text()
    pixmap = panel.reserve_qr.pixmap()
    assert pixmap is not None and not pixmap.isNull() and pixmap.width() == 200
    panel.issue()
    assert TicketService(node).tickets() == []


def test_missing_documents_turn_the_visitor_back_without_a_ticket(
    panel: ReceptionPanel, node: Node
) -> None:
    panel.choose_procedure("certificate")
    panel.choose_applicant("agent")
    panel.tick_all()
    panel.checks[1].setChecked(False)
    missing = panel.checks[1].text()
    assert panel.turn_back_button.isEnabled() and not panel.issue_button.isEnabled()
    panel.turn_back()
    assert "整理券は発行していません" in panel.print_status.text()
    assert missing in panel.print_status.text()
    events = list(node.store.events("type = ?", (TURNED_BACK,)))
    assert [e.payload["missing"] for e in events] == [[missing]]
    assert TicketService(node).tickets() == []
    assert panel.procedure is None  # ready for the next visitor


def test_paused_procedures_show_why_and_cannot_be_chosen(panel: ReceptionPanel, node: Node) -> None:
    PauseService(node).pause(Actor("sm", "site_manager"), "jlis", "J-LIS 障害")
    panel.refresh()
    button = panel.procedure_buttons["certificate"]
    assert not button.isEnabled() and "停止中: J-LIS 障害" in button.text()
    assert panel.procedure_buttons["loss"].isEnabled()
    panel.choose_procedure("certificate")
    assert panel.procedure is None


def test_an_operating_mode_shows_on_top_and_on_the_buttons_it_stops(
    panel: ReceptionPanel, node: Node
) -> None:
    assert not panel.mode_banner.isVisibleTo(panel)
    ModeService(node).start(Actor("sm", "site_manager"), "jlis", "J-LIS 障害")
    panel.refresh()
    assert panel.mode_banner.isVisibleTo(panel)
    assert panel.mode_banner.text().startswith("運転モード J-LIS停止（11:00〜、J-LIS 障害）: ")
    for code in ("certificate", "pin", "unsuspend", "face_auth"):
        button = panel.procedure_buttons[code]
        assert not button.isEnabled() and "停止中: J-LIS停止" in button.text()
    assert panel.procedure_buttons["loss"].isEnabled()
    panel.choose_procedure("loss")
    panel.choose_applicant("self")
    panel.tick_all()
    panel.issue()
    assert panel.number.text() == "A-001"


def test_f3_marks_a_priority_visitor_with_a_reason_of_the_list(
    panel: ReceptionPanel, node: Node
) -> None:
    from PySide6.QtGui import QShortcut

    [f3] = [s for s in panel.findChildren(QShortcut) if s.key().toString() == "F3"]
    assert panel.priority.currentText() == "優先なし (F3)"
    f3.activated.emit()
    assert panel.priority.currentText() == "優先: 高齢の方 (F3)"
    panel.choose_procedure("pin")
    panel.choose_applicant("self")
    panel.tick_all()
    panel.issue()
    row = TicketService(node).get(panel.number.text())
    assert row["priority_reason"] == "elderly"
    assert panel.priority.currentIndex() == 0  # the next visitor starts without
    panel.choose_procedure("pin")
    panel.choose_applicant("self")
    panel.tick_all()
    panel.issue()
    assert TicketService(node).get(panel.number.text())["priority_reason"] is None


def test_several_procedures_in_one_visit_each_with_its_checklist(
    panel: ReceptionPanel, node: Node
) -> None:
    panel.choose_procedure("certificate")
    panel.choose_procedure("face_auth")  # without 複数の手続: the choice is replaced
    assert panel.procedures == ["face_auth"]
    panel.toggle_multi()
    panel.choose_procedure("certificate")
    assert panel.procedures == ["face_auth", "certificate"]
    panel.choose_applicant("self")
    assert panel.route.text().splitlines() == [
        "→ A  一般窓口（委託）: 電子証明書の新規発行・更新",
        "→ 続けて C  市窓口: 顔認証マイナンバーカードへの切替（番号はそのまま、回付でご案内）",
    ]
    assert [label.text() for label in panel.sections] == [
        "顔認証マイナンバーカードへの切替", "電子証明書の新規発行・更新"]  # fmt: skip
    docs = [*node.catalog.documents("face_auth", "self"),
            *node.catalog.documents("certificate", "self")]  # fmt: skip
    assert [c.property("document") for c in panel.checks] == docs
    panel.tick_all()
    panel.issue()
    row = TicketService(node).get(panel.number.text())
    assert (row["number"], row["lane"]) == ("A-001", "general")
    assert row["procedures"] == '["certificate", "face_auth"]'
    assert panel.procedures == [] and not panel.multi.isChecked()
    panel.toggle_multi()
    panel.choose_procedure("pin")
    panel.choose_procedure("loss")
    panel.choose_procedure("pin")  # taken out again
    assert panel.procedures == ["loss"]


def test_reception_shows_the_expected_end_and_asks_before_an_overrun(
    panel: ReceptionPanel, node: Node, clock: FakeClock
) -> None:
    StaffService(node).sign_in("cl", "2222", "1")
    clock.set(OPEN_DAY, time(16, 30))
    for _ in range(6):
        TicketService(node).issue(FLOOR, "certificate", "self", confirm_closed=True)
    panel.refresh()
    assert panel.expected_end.text() == "本日の受付終了見込み  K —   A 19:06（閉庁後）   C 窓口なし"
    button = panel.procedure_buttons["certificate"]
    assert "終了見込み 19:32（閉庁後）" in button.text() and button.isEnabled()
    assert "終了見込み" not in panel.procedure_buttons["face_auth"].text()  # the city lane
    questions: list[str] = []
    panel._confirm = lambda question: bool(questions.append(question))  # the answer is no
    panel.choose_procedure("certificate")
    panel.choose_applicant("self")
    panel.tick_all()
    panel.issue()
    assert "本日の受付終了見込みは19:32" in questions[0]
    assert len(TicketService(node).tickets()) == 6
    clock.set(OPEN_DAY, time(18, 10))
    panel.refresh()
    assert "受付終了（18:00）" in button.text()


def test_an_expected_end_past_midnight_reads_as_not_today(
    panel: ReceptionPanel, node: Node, clock: FakeClock
) -> None:
    StaffService(node).sign_in("cl", "2222", "1")
    clock.set(OPEN_DAY, time(16, 30))
    for _ in range(40):  # one counter, forty visitors: far into the night
        TicketService(node).issue(FLOOR, "certificate", "self", confirm_closed=True)
    panel.refresh()
    assert "A 翌日以降（閉庁後）" in panel.expected_end.text()
    assert "終了見込み 翌日以降（閉庁後）" in panel.procedure_buttons["certificate"].text()
    questions: list[str] = []
    panel._confirm = lambda question: bool(questions.append(question))  # the answer is no
    panel.choose_procedure("certificate")
    panel.choose_applicant("self")
    panel.tick_all()
    panel.issue()
    assert "本日中にも終わらない見込み" in questions[0]


def test_a_printer_failure_never_stops_issuing(panel: ReceptionPanel, node: Node) -> None:
    panel._printer = BrokenPrinter()
    panel.choose_procedure("pin")
    panel.choose_applicant("self")
    panel.tick_all()
    panel.issue()
    assert panel.number.text() == "A-001"  # the ticket exists and its number stays on screen
    assert "オフライン" in panel.print_status.text() and "手書き" in panel.print_status.text()
    assert [r["number"] for r in reprint_queue(node)] == ["A-001"]
    panel.refresh()
    assert "再印刷待ち 1枚" in panel.queue_label.text()
    panel._printer = PdfFolderPrinter(node.data_dir)
    panel.reprint()
    assert reprint_queue(node) == [] and "印刷しました" in panel.print_status.text()


def test_cancel_the_last_ticket_with_a_reason(panel: ReceptionPanel, node: Node) -> None:
    panel.choose_procedure("loss")
    panel.choose_applicant("self")
    panel.tick_all()
    panel.issue()
    panel.cancel_with_reason("")
    assert "理由" in panel.error.text()
    panel.cancel_with_reason("番号札を受け取らずに帰られた")
    assert TicketService(node).get("A-001")["state"] == "cancelled"
    assert panel.number.text() == "" and panel.last is None


def test_keyboard_only(qtbot: QtBot, panel: ReceptionPanel, node: Node) -> None:
    from PySide6.QtGui import QShortcut

    def press(key: str) -> None:
        [shortcut] = [s for s in panel.findChildren(QShortcut) if s.key().toString() == key]
        shortcut.activated.emit()

    for key in ("4", "Q", "Ctrl+A", "Return"):
        press(key)
    assert panel.number.text() == "A-001"
    press("Esc")
    assert panel.procedure is None


def test_language_switch(qtbot: QtBot, node: Node) -> None:
    window = MainWindow(Services.of(node), FLOOR, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    window.toggle_language()
    panel = window.walk_in
    assert isinstance(panel, ReceptionPanel)
    assert panel.issue_button.text() == "Issue (Enter)"
    assert "Card issuance" in panel.procedure_buttons["issuance"].text()
    panel.choose_procedure("pin")
    assert panel.route.text() == "Choose the applicant type (Q/W/E)"


def test_the_system_printer_prints_on_an_80_mm_page(
    qtbot: QtBot, node: Node, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from app.printing.printers import print_ticket

    application()
    t = TicketService(node).issue(FLOOR, "pin", "self")
    out = tmp_path / "system.pdf"
    result = print_ticket(node, t["ticket_id"], QtSystemPrinter(output_file=str(out)))
    assert result.ok, result.message
    box = PdfReader(out).pages[0].mediabox
    assert abs(float(box.width) * 25.4 / 72 - 80) < 0.5
    assert float(box.height) * 25.4 / 72 < 297
    missing = QtSystemPrinter("no-such-printer-anywhere")
    failed = print_ticket(node, t["ticket_id"], missing)
    assert not failed.ok and "見つかりません" in failed.message


def test_the_screen_is_clean_for_the_next_visitor(panel: ReceptionPanel) -> None:
    panel.choose_procedure("certificate")
    panel.choose_applicant("agent")
    panel.tick_all()
    panel.issue()
    assert panel.ahead.text() == "まもなくお呼びします"
    assert not any(b.isChecked() for b in panel.procedure_buttons.values())
    assert not any(b.isChecked() for b in panel.applicant_buttons.values())
    assert panel.checks == [] and panel.checks_box.count() == 0
    panel.choose_procedure("pin")
    panel.choose_applicant("self")
    assert panel.checks_box.count() == len(panel.checks) == 2


def test_a_walk_in_after_closing_asks_the_floor_manager_first(
    panel: ReceptionPanel, node: Node, clock: FakeClock
) -> None:
    questions: list[str] = []
    answers = [False, True]
    panel._confirm = lambda question: questions.append(question) or answers.pop(0)
    clock.set(OPEN_DAY, time(18, 40))
    for _ in range(2):
        panel.choose_procedure("pin")
        panel.choose_applicant("self")
        panel.tick_all()
        panel.issue()
    assert len(questions) == 2 and "18:30まで" in questions[0]
    assert [t["number"] for t in TicketService(node).tickets()] == ["A-001"]  # the second "yes"
    assert panel.number.text() == "A-001"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_procedure_name_is_shown_whole_on_a_small_screen(
    qtbot: QtBot, node: Node, lang: str
) -> None:
    window = MainWindow(Services.of(node), FLOOR, Texts(lang), sync=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    for button in window.walk_in.procedure_buttons.values():
        label = button.label
        assert label.heightForWidth(label.width()) <= label.height(), label.text()
        assert button.height() >= 44  # a touch target


def test_one_key_picks_the_visitors_language_and_the_ticket_keeps_it(
    qtbot: QtBot, panel: ReceptionPanel, node: Node, tmp_path: Path
) -> None:
    from PySide6.QtGui import QShortcut

    def press(key: str) -> None:
        [shortcut] = [s for s in panel.findChildren(QShortcut) if s.key().toString() == key]
        shortcut.activated.emit()

    assert panel.lang == "ja" and panel.language_button.text() == "日本語"
    shown = []
    for _ in LANGUAGES:
        press("F2")
        shown.append(panel.language_button.text())
    assert shown == [lang.native for lang in (*LANGUAGES[1:], LANGUAGES[0])]  # all eight, round
    press("Shift+F2")
    assert panel.lang == "tl"
    for _ in range(2):
        press("F2")
    assert panel.lang == "en"
    press("F2")
    assert panel.lang == "zh" and panel.language_button.text() == "简体中文"
    for key in ("4", "Q", "Ctrl+A", "Return"):
        press(key)
    number = panel.number.text()
    assert TicketService(node).language(number) == "zh"
    assert panel.lang == "ja" and panel.language_button.text() == "日本語"  # the next visitor
    press("F6")  # a reprint comes out in Chinese again
    printed = sorted((tmp_path / "tickets").rglob("*.pdf"))
    assert len(printed) == 2
    for path in printed:
        text = PdfReader(path).pages[0].extract_text()
        assert tr("zh", "ticket", "Your number") in text and number in text
    press("F2")
    press("Esc")
    assert panel.lang == "ja"


def test_the_language_key_is_a_touch_target_on_a_small_screen(qtbot: QtBot, node: Node) -> None:
    window = MainWindow(Services.of(node), FLOOR, Texts("en"), sync=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    panel = window.walk_in
    assert isinstance(panel, ReceptionPanel)
    assert panel.language_label.text() == "Ticket language (F2)"
    button = panel.language_button
    assert button.height() >= 44 and button.width() >= 88
    for _ in range(8):  # every language's name fits its button
        panel.next_language()
        assert button.fontMetrics().horizontalAdvance(button.text()) < button.width()
