"""The counter window, as a clerk uses it all day."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QShortcut
from pytestqt.qtbot import QtBot

from app.core.actor import Actor
from app.core.node import Node
from app.core.node_view import NodeView
from app.core.settings import load_settings
from app.printing.layout import qr_payload, ticket_content
from app.queue.tickets import TicketService
from app.services import Services
from app.sync.service import SyncService
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import make_node, site_node
from ui.counter.panel import CounterPanel
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts

FLOOR = Actor("fm", "floor_manager")
CLERK = Actor("cl", "clerk", "1")


def press(panel: CounterPanel, key: str) -> None:
    [shortcut] = [s for s in panel.findChildren(QShortcut) if s.key().toString() == key]
    shortcut.activated.emit()


@pytest.fixture
def counter(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Node, CounterPanel]]:
    node = make_node(tmp_path / "c1", clock, role="counter", counter="1")
    for procedure in ("pin", "loss", "certificate"):
        TicketService(node).issue(FLOOR, procedure, "self")
    window = MainWindow(Services.of(node), CLERK, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    assert isinstance(window.counter_panel, CounterPanel)
    window.counter_panel._confirm = lambda question: True  # the clerk means it
    window.confirm_close = lambda question: True  # type: ignore[method-assign]
    yield node, window.counter_panel
    node.close()


def test_the_scanner_reads_the_status_page_code_of_todays_ticket_only(
    counter: tuple[Node, CounterPanel],
) -> None:
    node, panel = counter
    (node.data_dir / "site.toml").write_text(
        '[status]\nbase_url = "https://www.example.jp/madoguchi"\n', encoding="utf-8"
    )
    node.settings = load_settings(node.data_dir / "site.toml")
    row = TicketService(node).get("A-002")
    code = ticket_content(node, row).qr_payload
    assert code == "https://www.example.jp/madoguchi/status.html?d=20261124#A-002"
    kept = qr_payload(row["ticket_id"], "A-002", node.settings.status.base_url,
                      OPEN_DAY - timedelta(days=1))  # a ticket kept from yesterday  # fmt: skip
    panel.call_field.setText(kept)
    panel.call_number()
    assert "2026-11-23 のもの" in panel.error.text() and panel.number.text() != "A-002"
    assert TicketService(node).get("A-002")["state"] == "waiting"
    panel.call_field.setText(code)  # as the scanner types it
    panel.call_number()
    assert panel.number.text() == "A-002" and panel.error.text() == ""


def test_a_whole_visit_by_function_keys(
    counter: tuple[Node, CounterPanel], clock: FakeClock
) -> None:
    node, panel = counter
    assert panel.buttons["call_next"].isEnabled() and not panel.buttons["start"].isEnabled()
    clock.advance(minutes=6)
    press(panel, "F1")
    assert panel.number.text() == "A-001"
    assert "待ち時間 6分" in panel.details.text() and "暗証番号" in panel.details.text()
    assert not panel.buttons["noshow"].isEnabled()  # only after the configured recalls
    press(panel, "F5")
    assert "呼出し 2回目" in panel.details.text() and panel.buttons["noshow"].isEnabled()
    press(panel, "F2")
    assert panel.buttons["done"].isEnabled() and not panel.buttons["call_next"].isEnabled()
    press(panel, "F9")  # documents missing: the visitor comes back another day
    ticket = TicketService(node).get("A-001")
    assert ticket["state"] == "done" and ticket["outcome"] == "revisit"
    assert panel.number.text() == "—"


def test_hold_resume_and_deferred(counter: tuple[Node, CounterPanel]) -> None:
    node, panel = counter
    press(panel, "F1")
    press(panel, "F2")
    press(panel, "F6")
    assert panel.held.count() == 1 and panel.number.text() == "—"
    press(panel, "F7")
    assert panel.number.text() == "A-001" and panel.held.count() == 0
    press(panel, "F10")
    assert TicketService(node).get("A-001")["outcome"] == "deferred"


def test_transfer_and_call_a_number_or_a_scanned_qr(counter: tuple[Node, CounterPanel]) -> None:
    node, panel = counter
    panel.call_field.setText("a3")
    panel.call_number()
    assert panel.number.text() == "A-003"
    panel.transfer("city", "ダブルチェック（シ）")
    assert panel.error.text() == "" and panel.notice.text().startswith(
        "✓ A-003 を市窓口へ回付しました。お客様はお手元の番号 A-003 のまま"
    )
    assert "#005a32" in panel.notice.styleSheet()  # success looks like success: green
    assert TicketService(node).get("A-003")["state"] == "transferred"
    ticket = TicketService(node).get("A-002")
    panel.call_field.setText(f"MDG1|{ticket['ticket_id']}|A-002")
    panel.call_number()
    assert panel.number.text() == "A-002"
    panel.call_field.setText("A-999")
    panel.call_number()
    assert "見つかりません" in panel.error.text()


def test_the_clerk_is_told_when_another_counter_took_the_call(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    c1 = site_node(tmp_path, "c1", clock, block=1, counter="1")
    c2 = site_node(tmp_path, "c2", clock, block=2, counter="2")
    syncs = [SyncService(n) for n in (reception, c1, c2)]
    TicketService(reception).issue(FLOOR, "pin", "self")
    TicketService(reception).issue(FLOOR, "loss", "self")
    for s in syncs:
        s.once()
    window = MainWindow(Services.of(c1), CLERK, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    panel = window.counter_panel
    assert isinstance(panel, CounterPanel)
    TicketService(c2).call(Actor("cl2", "clerk", "2"), "A-001")  # counter 2, cut off, first
    clock.advance(seconds=3)
    press(panel, "F1")  # counter 1 calls A-001 too
    assert panel.number.text() == "A-001"
    for _ in range(2):
        for s in syncs:
            s.once()
    panel.refresh()
    assert not panel.conflict.isHidden()
    assert "A-001 は 2番窓口が先に呼び出していました" in panel.conflict.text()
    assert panel.number.text() == "—"
    press(panel, "F1")
    assert panel.number.text() == "A-002" and panel.conflict.isHidden()
    for node in (reception, c1, c2):
        node.close()


def test_a_site_manager_changes_the_counter_number_and_lanes(
    qtbot: QtBot, counter: tuple[Node, CounterPanel]
) -> None:
    from ui.counter.setup_dialog import CounterSetupDialog

    node, _ = counter
    dialog = CounterSetupDialog(NodeView(node), Actor("cl", "clerk", "1"), Texts("ja"))
    qtbot.addWidget(dialog)
    dialog.number.setText("7")
    dialog.save()
    assert "権限" in dialog.error.text() and node.identity.counter == "1"
    dialog = CounterSetupDialog(NodeView(node), Actor("sm", "site_manager"), Texts("ja"))
    qtbot.addWidget(dialog)
    for lane, box in dialog.lanes.items():
        box.setChecked(lane == "city")
    dialog.number.setText("7")
    dialog.save()
    assert node.identity.counter == "7" and node.identity.lanes == ("city",)


def test_double_check_and_fee_at_the_counter(
    qtbot: QtBot, counter: tuple[Node, CounterPanel], clock: FakeClock
) -> None:
    node, panel = counter
    assert not panel.buttons["check"].isEnabled() and panel.checks.isHidden()
    press(panel, "F1")
    press(panel, "F2")
    press(panel, "Ctrl+D")
    assert "A-001 のダブルチェックを依頼しました" in panel.error.text()
    assert TicketService(node).get("A-001")["state"] == "serving"
    city = MainWindow(Services.of(node), Actor("city", "city_staff", "5"), Texts("ja"),
                      sync=False)  # fmt: skip
    qtbot.addWidget(city)
    city_panel = city.counter_panel
    assert isinstance(city_panel, CounterPanel) and not city_panel.checks.isHidden()
    assert city_panel.checks.count() == 1
    city_panel.sign_check()
    assert "選んでください" in city_panel.error.text()
    city_panel.checks.setCurrentRow(0)
    clock.advance(minutes=3)
    city_panel.sign_check()
    assert "確認しました" in city_panel.error.text() and city_panel.checks.count() == 0
    panel.fee.setCurrentIndex(panel.fee.findData("reissue"))
    press(panel, "F3")
    assert panel.fee.currentData() is None  # the next visitor starts without a fee
    events = [e for e in node.store.ticket_events(TicketService(node).get("A-001")["ticket_id"])]
    assert [e.payload.get("fee") for e in events if e.type == "ticket.done"] == ["reissue"]
    assert [e.type for e in events].count("ticket.check_signed") == 1


def test_the_counter_is_told_when_the_board_is_not_receiving(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    node = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    display = site_node(tmp_path, "display", clock, block=3, role="display", staff=False)
    for pc in (display, node):
        SyncService(pc).once()
    window = MainWindow(Services.of(node), CLERK, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    panel = window.counter_panel
    assert panel.board_notice.isHidden()
    # The board PC stops (or is cut off from the share) for longer than the threshold.
    clock.advance(seconds=75)
    beat = next((tmp_path / "share").rglob(f"registry/{display.identity.node_id}.json"))
    os.utime(beat, (beat.stat().st_mtime - 75,) * 2)
    SyncService(node).once()
    panel.check_board()
    assert not panel.board_notice.isHidden()
    assert panel.board_notice.text().startswith("呼出表示に届いていません。口頭でお呼びください")
    assert panel.board_notice.text().endswith("（呼出表示の最終受信 10:59）")
    # After closing time a silent board is normal: nothing is said.
    clock.set(OPEN_DAY, time(18, 45))
    panel.check_board()
    assert panel.board_notice.isHidden()
    window.close()
    node.close()
    display.close()


def test_a_transferred_visitor_is_called_by_the_number_in_their_hand(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    node = make_node(tmp_path / "c", clock, role="counter", counter="5")
    first = TicketService(node).issue(FLOOR, "pin", "self")
    TicketService(node).call(CLERK, first["number"])
    TicketService(node).transfer(CLERK, first["number"], "city", "ダブルチェック（シ）")
    city = Actor("city", "city_staff", "5")
    window = MainWindow(Services.of(node), city, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    window.confirm_close = lambda question: True  # type: ignore[method-assign]
    panel = window.counter_panel
    # The city clerk scans the QR of the ticket the visitor holds: the linked one is called.
    panel.call_field.setText(f"MDG1|{first['ticket_id']}|{first['number']}")
    panel.call_number()
    assert panel.number.text() == "A-001" and "記録上 C-001" in panel.details.text()
    assert window.model is not None
    assert window.model.index(0, 0).data() == "A-001 (C-001)"
    window.close()


def test_moves_that_would_lose_the_visit_ask_first(counter: tuple[Node, CounterPanel]) -> None:
    node, panel = counter
    questions: list[str] = []
    answers = [False, False, True]
    panel._confirm = lambda question: questions.append(question) or answers.pop(0)
    press(panel, "F1")
    press(panel, "F2")
    assert panel.buttons["done_deferred"].text() == "J-LIS停止で後日\nF10"
    press(panel, "F10")  # a slip: the clerk says no
    press(panel, "F9")
    assert TicketService(node).get("A-001")["state"] == "serving"
    assert questions[0].startswith("A-001 を「J-LIS停止で後日」で終えます")
    assert "書類不備・再来庁" in questions[1]
    press(panel, "F10")
    assert TicketService(node).get("A-001")["outcome"] == "deferred"
    press(panel, "F1")
    press(panel, "F3")  # done: the normal end asks nothing
    assert len(questions) == 3


def test_closing_a_counter_with_a_visitor_called_asks_first(
    qtbot: QtBot, counter: tuple[Node, CounterPanel]
) -> None:
    node, panel = counter
    window = panel.window()
    assert isinstance(window, MainWindow)
    window.show()
    press(panel, "F1")
    asked: list[str] = []
    window.confirm_close = lambda question: asked.append(question) is not None
    assert not window.close()  # Ctrl+Q, the window's X: not without a word
    assert window.isVisible() and asked[0].startswith("A-001 を呼出中です")
    window.sign_out()
    assert not window.did_sign_out and len(asked) == 2
    window.confirm_close = lambda question: True
    assert window.close()
    assert TicketService(node).get("A-001")["state"] == "called"  # nothing was changed


def test_an_idle_counter_closes_without_a_question(counter: tuple[Node, CounterPanel]) -> None:
    _, panel = counter
    window = panel.window()
    assert isinstance(window, MainWindow)
    window.confirm_close = lambda question: pytest.fail("asked for nothing")  # type: ignore[assignment]
    assert window.close()


def test_a_paused_counter_says_why_and_calls_nobody_until_reopened(
    counter: tuple[Node, CounterPanel], clock: FakeClock
) -> None:
    node, panel = counter
    panel.toggle_pause("break")
    assert panel.pause_notice.isVisibleTo(panel)
    assert "一時停止中: 休憩（11:00〜）" in panel.pause_notice.text()
    assert not panel.buttons["call_next"].isEnabled()
    assert panel.pause_button.text() == "窓口を再開 (Ctrl+P)"
    panel.act("call_next")  # the key pressed all the same: refused with the reason
    assert "一時停止中です" in panel.error.text()
    assert TicketService(node).get("A-001")["state"] == "waiting"
    clock.advance(minutes=10)
    press(panel, "Ctrl+P")  # reopened
    assert not panel.pause_notice.isVisibleTo(panel) and panel.buttons["call_next"].isEnabled()
    press(panel, "F1")
    assert panel.number.text() == "A-001"


def test_a_visit_of_several_procedures_gets_an_outcome_each_and_moves_on(
    counter: tuple[Node, CounterPanel],
) -> None:
    node, panel = counter
    tickets = TicketService(node)
    for number in ("A-001", "A-002", "A-003"):
        tickets.cancel(FLOOR, number, "テストの準備")
    tickets.issue(FLOOR, "certificate", "self", others=("pin", "face_auth"))
    press(panel, "F1")
    press(panel, "F2")
    box = panel.outcome_box
    assert box.isVisibleTo(panel) and list(box.choices) == ["certificate", "pin"]
    assert "続けて 市窓口: 顔認証マイナンバーカードへの切替" in box.moving_on.text()
    assert "電子証明書の新規発行・更新・暗証番号の初期化・再設定" in panel.details.text()
    box.choices["pin"].setCurrentIndex(box.choices["pin"].findData("deferred"))
    press(panel, "F3")
    assert "市窓口へ回付しました" in panel.notice.text() and "A-004" in panel.notice.text()
    first = tickets.get("A-004")
    assert first["state"] == "transferred"
    assert first["outcomes"] == '{"certificate": "completed", "pin": "deferred"}'
    assert [t["procedure"] for t in tickets.queue(("city",))] == ["face_auth"]
    assert not box.isVisibleTo(panel) and panel.number.text() == "—"
