"""サービス水準検証結果報告書 (monthly) and 年度業務実績報告書 (annual), and the dispatch of
every report kind (:func:`build_report`). No Qt."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.errors import InputError
from app.reports.figures import CERTIFICATE_PLAN, FigureKey, Period, figures_for
from app.reports.kinds import TITLES
from app.reports.model import Chart, Column, Notes, Report, Table
from app.reports.operations import (
    build_daily,
    build_monthly,
    first_of_next,
    missing_documents_table,
    month_bounds,
    problem_notes,
)
from app.reports.sla import SLA_FILE, evaluate
from app.reports.tables import (
    now_text,
    procedure_table,
    reservation_table,
    staff_summary_table,
    wait_histogram,
    wait_table,
)

if TYPE_CHECKING:
    from app.core.node import Node

_YEAR = re.compile(r"^(?:FY)?(\d{4})$")
_VERDICT = {True: "達成", False: "未達成", None: "データなし"}


def build_sla(node: Node, month: str) -> Report:
    """Builds the サービス水準検証結果報告書 of a month: each indicator, target and actual,
    met or not, and for a missed one the improvement plan and its follow-up."""
    first, last = month_bounds(month)
    figures = figures_for(node, Period(first, last, month))
    results = evaluate(node, figures, month)
    targets = "sla.toml（拠点の設定）" if (node.data_dir / SLA_FILE).exists() else "既定値"
    report = Report("sla", TITLES["sla"], month, header=[
        ("拠点", node.settings.site.name_ja), ("対象月", f"{first:%Y年%m月}"),
        ("目標値", targets), ("作成", now_text()),
    ])  # fmt: skip
    rows: list[list[Any]] = []
    for r in results:
        rows.append([r.indicator.name_ja, r.indicator.unit,
                     ("≦ " if r.indicator.bound == "max" else "≧ ") + f"{r.indicator.target:g}",
                     r.actual, _VERDICT[r.met], str(FigureKey(month, r.indicator.basis))])  # fmt: skip
    columns = [Column("指標", "text", 4.2), Column("単位", "text", 0.7),
               Column("目標", "text", 1.0), Column("実績", "number", 1.0),
               Column("判定", "text", 1.1), Column("根拠キー", "text", 3.4)]  # fmt: skip
    report.blocks.append(Table("サービス水準の検証結果", columns, rows,
                               "待ち時間 = 整理券発行から呼出しまで（予約の方は予約時刻から）。"
                               "再来庁の割合 = （受付時の返戻 + 窓口での書類不備）÷ 来庁者数"))  # fmt: skip
    # Every missed indicator, and any other with a plan recorded (a plan's follow-up may be
    # reported in a month the indicator is met again).
    missed = [r for r in results if r.met is False or r.plan]
    lines: list[str] = []
    for r in missed:
        lines.append(f"【{r.indicator.name_ja}】実績 {_fmt(r.actual)}{r.indicator.unit}"
                     f"（目標 {r.indicator.target:g}{r.indicator.unit}）")  # fmt: skip
        lines.append(f"　改善計画: {r.plan or '（未入力: 現地管理者が入力してください）'}")
        lines.append(f"　実施状況・報告: {r.follow_up or '（未入力）'}")
    report.blocks.append(
        Notes(
            "未達成の指標の改善計画と報告",
            lines or ["全ての指標を達成しました（改善計画の記録はありません）"],
        )
    )
    incidents = [[i.day, i.staff_id, i.summary] for i in figures.facts.incidents]
    report.blocks.append(Table("情報セキュリティ事故の記録",
                               [Column("日付", "date", 1.4), Column("記録者", "text"),
                                Column("概要", "text", 6)], incidents,
                               "記録がなければ0件です"))  # fmt: skip
    report.blocks += [wait_table(figures), wait_histogram(figures), reservation_table(figures),
                      missing_documents_table(figures), problem_notes(figures)]  # fmt: skip
    return report


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def fiscal_months(node: Node, spec: str) -> list[str]:
    """Returns the months of a fiscal year (``2026`` or ``FY2026``) inside the contract period."""
    match = _YEAR.match(spec.strip())
    if match is None:
        raise InputError(f"年度 {spec!r} は 2026 または FY2026 の形で指定してください")
    year = int(match.group(1))
    cal = node.settings.calendar
    months: list[str] = []
    day = date(year, 4, 1)
    while day <= date(year + 1, 3, 1):
        last = first_of_next(day).toordinal() - 1
        if day <= cal.last_day and date.fromordinal(last) >= cal.first_day:
            months.append(day.strftime("%Y-%m"))
        day = first_of_next(day)
    if not months:
        raise InputError(f"{year}年度は契約期間（{cal.first_day}〜{cal.last_day}）外です")
    return months


def build_annual(node: Node, spec: str) -> Report:
    """Builds the 年度業務実績報告書: per month totals against the plan."""
    months = fiscal_months(node, spec)
    first, _ = month_bounds(months[0])
    _, last = month_bounds(months[-1])
    figures = figures_for(node, Period(first, last, f"{first}..{last}"))
    calendar = node.calendar()
    rows: list[list[Any]] = []
    for month in months:
        summary = calendar.month(int(month[:4]), int(month[5:]))
        cards = figures.count("served", procedure="issuance", month=month)
        certs = figures.count("served", procedure="certificate", month=month)
        plan_certs = CERTIFICATE_PLAN.get(month, 0)
        waits = figures.times("wait", month=month)
        rows.append([month, summary.open_days, summary.capacity,
                     figures.count("reservations", month=month), cards,
                     cards / summary.capacity if summary.capacity else None, plan_certs, certs,
                     certs / plan_certs if plan_certs else None,
                     figures.count("visits", month=month),
                     figures.count("turned_back", month=month), waits.mean, waits.p90,
                     waits.within_15])  # fmt: skip
    if rows:
        waits = figures.times("wait")
        sums = [sum(int(r[i]) for r in rows) for i in (1, 2, 3, 4)]
        certs_total = [sum(int(r[i]) for r in rows) for i in (6, 7)]
        rows.append(["合計", *sums, sums[3] / sums[1] if sums[1] else None, *certs_total,
                     certs_total[1] / certs_total[0] if certs_total[0] else None,
                     sum(int(r[9]) for r in rows), sum(int(r[10]) for r in rows),
                     waits.mean, waits.p90, waits.within_15])  # fmt: skip
    columns = [Column("月", "text", 1.2), Column("開所日"), Column("予約枠"), Column("予約"),
               Column("カード交付", width=1.2), Column("交付率", "percent", 1.3),
               Column("証明書計画", width=1.2), Column("証明書実績", width=1.2),
               Column("証明書達成率", "percent", 1.5), Column("受付"), Column("返戻"),
               Column("平均待ち", "minutes"), Column("P90待ち", "minutes"),
               Column("15分以内", "percent")]  # fmt: skip
    table = Table("月別の業務実績", columns, rows, total_row=bool(rows))
    cal = node.settings.calendar
    report = Report("annual", TITLES["annual"], spec, header=[
        ("拠点", node.settings.site.name_ja),
        ("対象期間", f"{first:%Y年%m月}〜{last:%Y年%m月}（契約期間 {cal.first_day}〜{cal.last_day}）"),
        ("作成", now_text()),
    ])  # fmt: skip
    month_rows = rows[:-1]
    report.blocks += [
        table,
        Chart("カード交付: 計画（予約枠）と実績", "bar", [str(r[0]) for r in month_rows],
              [("計画", [float(r[2]) for r in month_rows]),
               ("実績", [float(r[4]) for r in month_rows])], "件"),
        Chart("電子証明書の新規発行・更新: 計画と実績", "bar", [str(r[0]) for r in month_rows],
              [("計画", [float(r[6]) for r in month_rows]),
               ("実績", [float(r[7]) for r in month_rows])], "件"),
        procedure_table(figures, node.catalog), wait_table(figures), wait_histogram(figures),
        reservation_table(figures), staff_summary_table(figures.facts.shifts),
        missing_documents_table(figures), problem_notes(figures),
    ]  # fmt: skip
    return report


def build_report(node: Node, kind: str, spec: str) -> Report:
    """Builds a report of a kind for a day (daily), month (monthly, sla) or fiscal year.

    Raises:
        ValueError: unknown kind, or a day, month or year that cannot be read.
    """
    if kind == "daily":
        try:
            day = date.fromisoformat(spec.strip().replace("/", "-"))
        except ValueError:
            raise InputError(f"日付 {spec!r} は YYYY-MM-DD で指定してください") from None
        return build_daily(node, day)
    if kind == "monthly":
        return build_monthly(node, spec.strip())
    if kind == "sla":
        return build_sla(node, spec.strip())
    if kind == "annual":
        return build_annual(node, spec.strip())
    raise InputError(f"報告書の種類 {kind} はありません（{', '.join(TITLES)}）")
