"""The reports the contractor delivers to the city, built from events. No Qt.

作業日報 (:func:`build_daily`), 月次業務計画・実績報告書 (:func:`build_monthly`),
サービス水準検証結果報告書 and 年度業務実績報告書 (:mod:`app.reports.periodic`). Each returns a
:class:`~app.reports.model.Report` that :mod:`app.reports.files` writes as PDF, CSV or XLSX.
Every number comes from :mod:`app.reports.figures`, so ``madoguchi report explain KEY`` can show the
tickets and events behind it. No report carries a visitor's personal data.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from app.core.center_calendar import CenterCalendar
from app.core.errors import InputError
from app.reports.figures import (
    CERTIFICATE_PLAN,
    Figures,
    Period,
    TimeStats,
    figures_for,
    hour_label,
)
from app.reports.kinds import TITLES
from app.reports.model import Chart, Column, Notes, Report, Table
from app.reports.sections import (
    entry_blocks,
    improvement_plans,
    inquiry_counts,
    mode_table,
    next_month_plan,
)
from app.reports.tables import (
    COUNTS,
    counter_table,
    double_check_table,
    fee_table,
    hour_chart,
    hour_table,
    now_text,
    pause_table,
    priority_table,
    procedure_table,
    reservation_table,
    service_table,
    staff_summary_table,
    staffing_table,
    wait_histogram,
    wait_table,
)

if TYPE_CHECKING:
    from app.core.node import Node

WEEKDAYS = "月火水木金土日"
LONG_WAIT_MINUTES = 60
KEY_HELP = ("数値の根拠は madoguchi report explain 期間/項目[/次元=値] で確認できます"
            "（例: {period}/visits/hour=10、{period}/served/procedure=certificate）")  # fmt: skip


def month_bounds(month: str) -> tuple[date, date]:
    """Returns the first and last day of ``YYYY-MM``."""
    period = Period.parse(month)
    if period.first.day != 1 or period.first.month != period.last.month:
        raise InputError(f"月 {month!r} は YYYY-MM で指定してください")
    return period.first, period.last


def monthly_due_date(calendar: CenterCalendar, month: str) -> tuple[date, str]:
    """Returns when the monthly report is due: the 3rd open center day of the next month.

    After the contract period, when the center no longer opens, the 3rd city office day.
    """
    _, last = month_bounds(month)
    try:
        return calendar.nth_center_day_after(last, 3), "翌月の3開所日目"
    except ValueError:
        return calendar.nth_city_office_day_after(last, 3), "契約期間後のため市の3開庁日目"


def summary_table(figures: Figures) -> Table:
    """The day's or period's totals in one row."""
    visits, turned = figures.count("visits"), figures.count("turned_back")
    columns = [Column("来庁計"), Column("受付"), Column("手続"), Column("返戻"),
               Column("完了（手続）", width=1.2), Column("回付"), Column("不在"), Column("取消"),
               Column("J-LIS停止で後日", width=1.5), Column("再来庁"), Column("未完了")]  # fmt: skip
    row: list[Any] = [visits + turned, visits, figures.count("procedures"), turned,
                      *(figures.count(m) for m in COUNTS[1:]), figures.count("open")]  # fmt: skip
    return Table("概況", columns, [row],
                 "受付 = 来庁（整理券1枚）、手続 = その手続の数（複数の手続の来庁は手続ごと）。"
                 "完了・J-LIS停止で後日・再来庁は手続ごとの結果")  # fmt: skip


def missing_documents_table(figures: Figures) -> Table:
    """Which documents turned-back visitors lacked (catalog items, counted)."""
    counts = Counter(doc for v in figures.facts.turned_back for doc in v.missing)
    rows: list[list[Any]] = [[doc, n] for doc, n in counts.most_common()]
    return Table("返戻の理由（不足書類）", [Column("書類", "text", 5), Column("件数")], rows)


def problem_notes(figures: Figures) -> Notes:
    """Problems and remarks: incidents, conflicts, open tickets, deferrals, long waits."""
    return Notes("問題点・特記事項", problem_lines(figures) or ["特記事項なし"])


def problem_lines(figures: Figures) -> list[str]:
    """The problems the figures show: incidents, conflicts, open tickets, deferrals, long
    waits (the site manager's own entries come after them)."""
    lines: list[str] = []
    for incident in figures.facts.incidents:
        lines.append(f"情報セキュリティ事故（{incident.day} 記録者 {incident.staff_id}）: "
                     f"{incident.summary}")  # fmt: skip
    conflicts = [t for t in figures.facts.tickets if t.conflicts > 0]
    if conflicts:
        numbers = "、".join(f"{t.day:%m/%d} {t.number}" for t in conflicts[:10])
        lines.append(f"同時操作の競合があった整理券 {len(conflicts)} 件（{numbers}）")
    if (n := figures.count("open")) > 0:
        lines.append(f"対応が終わっていない整理券 {n} 件")
    if (n := figures.count("deferred")) > 0:
        lines.append(f"J-LIS停止等のため保留で終えた手続 {n} 件")
    if (n := figures.count("turned_back")) > 0:
        lines.append(
            f"書類不備で受付時にお帰りいただいた方 {n} 人（不足書類は表「返戻の理由（不足書類）」）"
        )
    if (n := figures.count("cancelled")) > 0:
        lines.append(f"取消された整理券 {n} 件（待ち時間が長く帰られた方など）")
    long = [t.wait_ms for t in figures.facts.tickets
            if t.wait_ms is not None and t.wait_ms > LONG_WAIT_MINUTES * 60_000]  # fmt: skip
    if long:
        lines.append(f"{LONG_WAIT_MINUTES}分を超えてお待たせした方 {len(long)} 人"
                     f"（最長 {max(long) / 60_000:.0f} 分）")  # fmt: skip
    return lines


def build_daily(node: Node, day: date) -> Report:
    """Builds the 作業日報 of one day."""
    figures = figures_for(node, Period(day, day, day.isoformat()))
    head_start = node.settings.reception.priority_head_start_minutes
    status = node.calendar().status(day)
    if status.hours is not None:
        hours = f"開庁 {status.hours.open:%H:%M}–{status.hours.close:%H:%M}"
    else:
        hours = "閉庁（" + "、".join(status.reasons_ja) + "）"
    holiday = f"・{status.holiday}" if status.holiday else ""
    report = Report("daily", TITLES["daily"], day.isoformat(), header=[
        ("拠点", node.settings.site.name_ja),
        ("日付", f"{day:%Y年%m月%d日}（{WEEKDAYS[day.weekday()]}{holiday}）"),
        ("開庁", hours), ("作成", now_text()),
    ])  # fmt: skip
    report.blocks += [
        summary_table(figures), mode_table(node, day), hour_table(figures), hour_chart(figures),
        procedure_table(figures, node.catalog), wait_table(figures), wait_histogram(figures),
        priority_table(figures, head_start), service_table(figures, node.catalog), reservation_table(figures),
        counter_table(figures), pause_table(figures), double_check_table(figures),
        fee_table(figures), staffing_table(figures.facts.shifts), inquiry_counts(node, day, day),
        missing_documents_table(figures),
        *entry_blocks(node, day.isoformat(), problem_lines(figures)),
        Notes("数値の根拠", [KEY_HELP.format(period=day.isoformat())]),
    ]  # fmt: skip
    return report


def plan_table(node: Node, figures: Figures, months: list[str]) -> Table:
    """Plan against actual for the months: open days, card issuance, e-certificates."""
    calendar = node.calendar()
    summaries = [calendar.month(int(m[:4]), int(m[5:])) for m in months]
    open_days = sum(s.open_days for s in summaries)
    capacity = sum(s.capacity for s in summaries)
    cert_plan = sum(CERTIFICATE_PLAN.get(m, 0) for m in months)
    worked = len({t.day for t in figures.facts.tickets})
    rows: list[list[Any]] = [
        ["開所日数", open_days, worked],
        ["予約件数（予約枠）", capacity, figures.count("reservations")],
        ["カード交付", capacity, figures.count("served", procedure="issuance")],
        ["電子証明書の新規発行・更新", cert_plan, figures.count("served", procedure="certificate")],
    ]
    for row in rows:
        row.append(row[2] / row[1] if row[1] else None)
    columns = [Column("項目", "text", 3.5), Column("計画"), Column("実績"),
               Column("達成率", "percent")]  # fmt: skip
    return Table("業務計画と実績", columns, rows,
                 "計画: カード交付は予約枠（128件×開所日）、電子証明書は仕様書8の見込み（市全体の1割）")  # fmt: skip


def plan_chart(table: Table) -> Chart:
    """Plan against actual as grouped bars (the rows of :func:`plan_table` but open days)."""
    rows = table.rows[1:]
    return Chart("計画と実績", "bar", [str(r[0]) for r in rows],
                 [("計画", [float(r[1]) for r in rows]),
                  ("実績", [float(r[2]) for r in rows])], "件")  # fmt: skip


def day_table(node: Node, figures: Figures, first: date, last: date) -> Table:
    """One row a day: reservations, visits, outcomes and waits."""
    calendar = node.calendar()
    days = {d for d in calendar.open_days(first, last)} | {t.day for t in figures.facts.tickets}
    counts = {m: figures.by(m, "day") for m in ("reservations", "checked_in",
              "reservation_noshow", "visits", "turned_back", "served", "transferred",
              "noshow", "cancelled")}  # fmt: skip
    waits = figures.times_by("wait", "day")
    rows: list[list[Any]] = []
    for day in sorted(days):
        key = (day.isoformat(),)
        w = waits.get(day.isoformat(), TimeStats.of(()))
        rows.append([day, WEEKDAYS[day.weekday()], calendar.capacity(day),
                     *(counts[m].get(key, 0) for m in counts), w.mean, w.p90, w.within_15])  # fmt: skip
    if rows:
        total = figures.times("wait")
        rows.append(["合計", "", *(sum(int(r[i]) for r in rows) for i in range(2, 12)),
                     total.mean, total.p90, total.within_15])  # fmt: skip
    columns = [Column("日付", "date", 1.9), Column("曜", "text", 0.6), Column("予約枠"),
               Column("予約"), Column("予約受付", width=1.1), Column("予約不在", width=1.1),
               Column("受付"), Column("返戻"), Column("完了"), Column("回付"), Column("不在"),
               Column("取消"), Column("平均待ち", "minutes", 1.1),
               Column("P90待ち", "minutes", 1.1), Column("15分以内", "percent", 1.1)]  # fmt: skip
    return Table("日別の実績", columns, rows, total_row=bool(rows))


def day_hour_table(figures: Figures, first: date, last: date) -> Table:
    """Visits per day and hour band (受付 + 返戻, in the hour of arrival)."""
    visits = figures.by("visits", "day", "hour")
    turned = figures.by("turned_back", "day", "hour")
    hours = figures.hours()
    days = sorted({d for d, _ in visits} | {d for d, _ in turned})
    rows: list[list[Any]] = []
    for day in days:
        cells = [visits.get((day, str(h)), 0) + turned.get((day, str(h)), 0) for h in hours]
        rows.append([date.fromisoformat(day), *cells, sum(cells)])
    if rows:
        rows.append(["合計", *(sum(int(r[i]) for r in rows) for i in range(1, len(hours) + 2))])
    columns = [Column("日付", "date", 1.9), *(Column(hour_label(h)) for h in hours),
               Column("計")]  # fmt: skip
    return Table("日別・時間帯別の来庁者数", columns, rows,
                 "来庁者数 = 受付（整理券）+ 返戻。整理券を発行した時刻の時間帯に数えています",
                 total_row=bool(rows))  # fmt: skip


def build_monthly(node: Node, month: str) -> Report:
    """Builds the 月次業務計画・実績報告書 of a month (``YYYY-MM``)."""
    first, last = month_bounds(month)
    figures = figures_for(node, Period(first, last, month))
    head_start = node.settings.reception.priority_head_start_minutes
    calendar = node.calendar()
    due, rule = monthly_due_date(calendar, month)
    summary = calendar.month(first.year, first.month)
    report = Report("monthly", TITLES["monthly"], month, header=[
        ("拠点", node.settings.site.name_ja), ("対象月", f"{first:%Y年%m月}"),
        ("開所日数", f"{summary.open_days} 日（予約枠 {summary.capacity:,} 件）"),
        ("提出期限", f"{due:%Y年%m月%d日}（{WEEKDAYS[due.weekday()]}）{rule}"),
        ("作成", now_text()),
    ])  # fmt: skip
    plan = plan_table(node, figures, [month])
    report.blocks += [
        plan, plan_chart(plan), summary_table(figures), day_table(node, figures, first, last),
        day_hour_table(figures, first, last), hour_table(figures), hour_chart(figures),
        procedure_table(figures, node.catalog), wait_table(figures), wait_histogram(figures),
        priority_table(figures, head_start), service_table(figures, node.catalog), reservation_table(figures),
        counter_table(figures), pause_table(figures), double_check_table(figures), fee_table(figures),
        staff_summary_table(figures.facts.shifts), inquiry_counts(node, first, last),
        missing_documents_table(figures), *entry_blocks(node, month, problem_lines(figures)),
        improvement_plans(node, month), next_month_plan(node, month),
        Notes("数値の根拠", [KEY_HELP.format(period=month)]),
    ]  # fmt: skip
    return report


def first_of_next(day: date) -> date:
    """Returns the first day of the month after ``day``'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
