"""Blocks several reports share that are not figures of the events: the site manager's
report entries, inquiry counts by category, the day's operating modes, improvement plans
and next month's plan. No Qt.

Each function returns :mod:`app.reports.model` blocks; the reports choose which they carry.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from app.inquiries.categories import CATEGORIES
from app.inquiries.inquiry_log import InquiryService
from app.model.clock import hhmm, to_ms
from app.queue.modes import ModeService
from app.queue.modes import detail as mode_detail
from app.reports.figures import CERTIFICATE_PLAN, Period
from app.reports.model import Block, Column, Notes, Table
from app.reports.notes import NOTE_KINDS, ReportNotes
from app.reports.sla import SLA_DEFAULTS, sla_plans
from app.reports.structure import planned_staffing

if TYPE_CHECKING:
    from app.core.node import Node

#: What a section of entries says when the site manager wrote none.
NONE_ENTERED = "（記録なし）"


def month_bounds(month: str) -> tuple[date, date]:
    """Returns the first and last day of ``YYYY-MM``."""
    period = Period.parse(month)
    return period.first, period.last


def category_table(title: str, codes: list[str]) -> Table:
    """Counts inquiries (or Q&A entries) by category, every category listed, with the total."""
    counts = Counter(codes)
    rows: list[list[Any]] = [[c.name_ja, counts[c.code]] for c in CATEGORIES]
    rows.append(["合計", len(codes)])
    return Table(title, [Column("分類", "text", 3), Column("件数")], rows, total_row=True)


def inquiry_counts(node: Node, first: date, last: date) -> Table:
    """相談件数: the inquiries of the days ``first`` to ``last`` by category."""
    codes = [r["category"] for r in InquiryService(node).between(first, last)]
    table = category_table("相談内容（問い合わせの分類）と相談件数", codes)
    table.note = "内容と回答は問い合わせ対応記録（report inquiries）に日ごと・月ごとにあります"
    return table


def entry_blocks(node: Node, period: str, generated: list[str]) -> list[Block]:
    """The entries of a day or a month by kind; a month's also lists its days' entries.

    Args:
        node: the node.
        period: ``YYYY-MM-DD`` or ``YYYY-MM``.
        generated: problem lines made from the figures, listed before those entered.

    Returns:
        One :class:`Notes` a kind: 問題点 (generated lines first), 改善内容, 市との調整事項.
    """
    notes = ReportNotes(node)
    rows = notes.of(period)
    if len(period) == 7:
        rows += notes.of_month_days(period)
    blocks: list[Block] = []

    def line(row: dict[str, Any]) -> str:
        day = row["period"] != period  # a day's entry in a month's report says its day
        return f"{row['period'][5:].replace('-', '/')} {row['text']}" if day else row["text"]

    for code, kind in NOTE_KINDS.items():
        name = kind.text_in("ja")
        lines = [line(r) for r in rows if r["kind"] == code]
        if code == "problem":
            lines = generated + lines
            blocks.append(Notes("問題点・特記事項", lines or ["特記事項なし"]))
        else:
            blocks.append(Notes(name, lines or [NONE_ENTERED]))
    return blocks


def mode_table(node: Node, day: date) -> Table:
    """運転モード: the day's open hours cut into the periods of each mode (通常 between)."""
    columns = [Column("開始", "time"), Column("終了", "time"), Column("運転モード", "text", 1.8),
               Column("内容", "text", 4.5), Column("理由", "text", 3), Column("設定", "text")]  # fmt: skip
    status = node.calendar().status(day)
    if status.hours is None:
        row: list[Any] = ["", "", "閉庁", "、".join(status.reasons_ja), "", ""]
        return Table("運転モード", columns, [row])
    catalog = node.catalog
    rows: list[list[Any]] = []
    opens, closes = to_ms(day, status.hours.open), to_ms(day, status.hours.close)
    for start, end, now in ModeService(node).timeline(day, opens, closes):
        details = [mode_detail(p, catalog, "ja") for p in now.periods]
        rows.append([hhmm(start), hhmm(end), now.names("ja"), "／".join(details),
                     "、".join(dict.fromkeys(p.reason for p in now.periods)),
                     "・".join(dict.fromkeys(p.staff_id for p in now.periods))])  # fmt: skip
    return Table("運転モード", columns, rows,
                 "縮小運転・J-LIS停止・臨時閉庁（半日）は現地管理者が設定した期間。その間は通常")  # fmt: skip


def improvement_plans(node: Node, month: str) -> Table:
    """The improvement plans and their follow-up recorded for a month (``report plan``)."""
    names = {i.key: i.name_ja for i in SLA_DEFAULTS}
    rows: list[list[Any]] = [[names.get(key, key), plan, follow_up or "（未入力）"]
                             for key, (plan, follow_up) in sla_plans(node, month).items()]  # fmt: skip
    return Table("サービス水準の改善計画と実施状況", [Column("指標", "text", 2.5),
                 Column("改善計画", "text", 5), Column("実施状況・報告", "text", 5)], rows,
                 "未達成の指標の検証はサービス水準検証結果報告書（report sla）にあります")  # fmt: skip


def next_month_plan(node: Node, month: str) -> Table:
    """次月の業務計画: next month's open days, reservation capacity and expected renewals."""
    year, number = int(month[:4]), int(month[5:])
    nxt = f"{year + number // 12:04d}-{number % 12 + 1:02d}"
    summary = node.calendar().month(int(nxt[:4]), int(nxt[5:]))
    first, last = month_bounds(nxt)
    rows: list[list[Any]] = [
        ["開所日数", summary.open_days, "日"],
        ["予約枠（カード交付の計画）", summary.capacity, "件"],
        ["電子証明書の新規発行・更新（見込み）", CERTIFICATE_PLAN.get(nxt), "件"],
        *planned_staffing(node, first, last),
    ]
    closed = "、".join(f"{s.day:%m/%d}（{'・'.join(s.reasons_ja)}）" for s in summary.closed_days
                      if s.day.weekday() not in (2, 3))  # fmt: skip
    note = (
        f"閉庁日（水・木曜日のほか）: {closed}"
        if closed
        else "水・木曜日のほかの閉庁日はありません"
    )
    return Table(f"次月（{nxt[:4]}年{int(nxt[5:])}月）の業務計画・要員計画",
                 [Column("項目", "text", 4), Column("計画"), Column("単位", "text", 1.6)], rows,
                 note + "。電子証明書の見込みは仕様書8(1)イ（市全体の1割）。要員計画は勤務予定表"
                 "（madoguchi roster）から")  # fmt: skip
