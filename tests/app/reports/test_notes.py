"""Report entries (問題点, 改善内容, 市との調整事項) of a day or a month: recorded as events,
guarded against personal data, shown in the daily and monthly reports, converging across
PCs whatever order their events arrive in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.actor import Actor, AuthError
from app.core.errors import InputError
from app.core.node import Node
from app.core.privacy import PrivacyError
from app.inquiries.inquiry_log import InquiryService
from app.reports.files import render
from app.reports.inquiry_reports import build_report
from app.reports.model import Notes
from app.reports.notes import ReportNotes
from app.reports.sla import record_sla_plan
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import assert_converged, site_node, sync_rounds

SM = Actor("sm", "site_manager")
MONTH = OPEN_DAY.strftime("%Y-%m")


def _notes(report_blocks: list[object]) -> dict[str, list[str]]:
    return {b.title: b.lines for b in report_blocks if isinstance(b, Notes)}


def test_entries_are_recorded_replaced_and_removed(node: Node, clock: FakeClock) -> None:
    notes = ReportNotes(node)
    a = notes.set(SM, OPEN_DAY.isoformat(), "improvement", "呼出し表示を大きくした")
    clock.advance(minutes=1)
    b = notes.set(SM, OPEN_DAY.isoformat(), "市との調整事項", "土曜の特急申請は市窓口で受ける")
    notes.set(SM, MONTH, "problem", "月初に予約の不在が多い")
    assert [(r["kind"], r["text"]) for r in notes.of(OPEN_DAY.isoformat())] == [
        ("improvement", "呼出し表示を大きくした"),
        ("city", "土曜の特急申請は市窓口で受ける"),
    ]
    notes.set(SM, OPEN_DAY.isoformat(), "improvement", "呼出し表示を2倍にした", note_id=a)
    notes.remove(SM, b)
    assert [r["text"] for r in notes.of(OPEN_DAY.isoformat())] == ["呼出し表示を2倍にした"]
    assert [r["text"] for r in notes.of_month_days(MONTH)] == ["呼出し表示を2倍にした"]
    assert [r["text"] for r in notes.of(MONTH)] == ["月初に予約の不在が多い"]
    with pytest.raises(InputError):
        notes.remove(SM, b)
    before = node.store.projection_dump()
    node.store.rebuild()
    assert node.store.projection_dump() == before


@pytest.mark.parametrize(
    "text", ["090-1234-5678 に折り返す", "AB1-234567 の方", "昭和50年1月2日生"]
)
def test_entries_with_personal_data_are_refused(node: Node, text: str) -> None:
    with pytest.raises(PrivacyError):
        ReportNotes(node).set(SM, MONTH, "city", text)
    assert node.store.rows("SELECT * FROM report_notes") == []


def test_only_the_site_manager_records_entries(node: Node, clerk: Actor) -> None:
    with pytest.raises(AuthError):
        ReportNotes(node).set(clerk, MONTH, "problem", "混雑")
    for bad in ("2026-13", "2026-11-31", "11月"):
        with pytest.raises(InputError):
            ReportNotes(node).set(SM, bad, "problem", "混雑")
    with pytest.raises(InputError):
        ReportNotes(node).set(SM, MONTH, "感想", "混雑")


def test_daily_and_monthly_reports_show_the_entries(node: Node, clock: FakeClock,
                                                     clerk: Actor) -> None:  # fmt: skip
    notes = ReportNotes(node)
    notes.set(SM, OPEN_DAY.isoformat(), "problem", "午後にJ-LISが15分止まった")
    notes.set(SM, OPEN_DAY.isoformat(), "improvement", "案内表示を増やした")
    notes.set(SM, MONTH, "city", "12月の臨時閉庁日を市と確認した")
    InquiryService(node).log(clerk, "pin", "暗証番号を忘れた", "初期化を案内")
    InquiryService(node).log(clerk, "pin", "暗証番号の再設定", "初期化を案内")
    InquiryService(node).log(clerk, "fee", "再交付の手数料", "1,000円と案内")
    record_sla_plan(node, SM, MONTH, "wait_p90", "午後の窓口を1つ増やす", "11月下旬から実施")
    daily = build_report(node, "daily", OPEN_DAY.isoformat())
    got = _notes(daily.blocks)
    assert got["問題点・特記事項"][-1] == "午後にJ-LISが15分止まった"
    assert got["改善内容"] == ["案内表示を増やした"]
    assert got["市との調整事項"] == ["（記録なし）"]
    counts = {t.title: t for t in daily.tables()}["相談内容（問い合わせの分類）と相談件数"]
    assert ["暗証番号", 2] in counts.rows and ["手数料", 1] in counts.rows
    assert counts.rows[-1] == ["合計", 3]

    monthly = build_report(node, "monthly", MONTH)
    got = _notes(monthly.blocks)
    assert got["問題点・特記事項"][-1] == "11/24 午後にJ-LISが15分止まった"
    assert got["改善内容"] == ["11/24 案内表示を増やした"]
    assert got["市との調整事項"] == ["12月の臨時閉庁日を市と確認した"]
    tables = {t.title: t for t in monthly.tables()}
    assert tables["相談内容（問い合わせの分類）と相談件数"].rows[-1] == ["合計", 3]
    plans = tables["サービス水準の改善計画と実施状況"].rows
    assert plans == [["待ち時間の90パーセンタイル", "午後の窓口を1つ増やす", "11月下旬から実施"]]
    plan = tables["次月（2026年12月）の業務計画・要員計画"].rows
    assert plan[:3] == [["開所日数", 19, "日"], ["予約枠（カード交付の計画）", 2432, "件"],
                        ["電子証明書の新規発行・更新（見込み）", 427, "件"]]  # fmt: skip
    text = render(monthly, "csv").decode("utf-8-sig")
    assert "12月の臨時閉庁日を市と確認した" in text and "午後の窓口を1つ増やす" in text


def test_entries_converge_across_pcs_in_any_order(tmp_path: Path, clock: FakeClock) -> None:
    a = site_node(tmp_path, "admin", clock, block=0, role="admin")
    b = site_node(tmp_path, "admin-2", clock, block=1, role="admin")
    sync_rounds(a, b)
    first = ReportNotes(a).set(SM, MONTH, "improvement", "受付の動線を変えた")
    sync_rounds(a, b)
    # Cut off from each other: B rewrites the entry, then A (later by the clock) removes it,
    # and a new entry of A's reaches B before A's removal does.
    clock.advance(seconds=5)
    ReportNotes(b).set(SM, MONTH, "improvement", "受付の動線と案内を変えた", note_id=first)
    clock.advance(seconds=5)
    ReportNotes(a).remove(SM, first)
    ReportNotes(a).set(SM, date(2026, 11, 27).isoformat(), "problem", "雨で来庁が少ない")
    sync_rounds(b, a)
    assert_converged(a, b)
    assert [r["text"] for r in ReportNotes(b).of_month_days(MONTH)] == ["雨で来庁が少ない"]
    assert ReportNotes(b).of(MONTH) == []  # the removal is newer than the rewrite
    a.close()
    b.close()


def test_cli_records_lists_and_removes_entries(node: Node, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    folder = str(node.data_dir)
    node.close()
    monkeypatch.setenv("MADOGUCHI_PIN", "4444")
    base = ["--data-dir", folder, "--staff", "sm"]
    assert main([*base, "report", "note", MONTH, "--kind", "city", "--text", "=1+1 の件"]) == 0
    assert main([*base, "--json", "report", "notes", MONTH]) == 0
    out = capsys.readouterr().out
    assert "=1+1 の件" in out
    note_id = out.split('"note_id": "')[1].split('"')[0]
    assert main([*base, "report", "note", MONTH, "--kind", "city", "--text",
                 "電話 045-123-4567"]) == 2  # fmt: skip
    assert "個人情報" in capsys.readouterr().err
    assert main([*base, "report", "note-remove", note_id]) == 0
    assert main([*base, "--json", "report", "notes", MONTH]) == 0
    assert '"notes": []' in capsys.readouterr().out
