"""Tables and charts the reports share, made from :class:`app.reports.figures.Figures`. No Qt.

Nothing here prints a visitor's name, reservation number or other personal data: the
tables count facts by procedure, applicant type, lane operator, counter, day and hour.
Staff appear by staff id only.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

from app.core.catalog import Catalog
from app.model.clock import JST, to_datetime
from app.queue.counter_pauses import REASONS as PAUSE_REASONS
from app.queue.tickets import PRIORITY_REASONS
from app.reports.facts import Shift, TicketFact
from app.reports.figures import Figures, TimeStats, hour_label
from app.reports.model import Chart, Column, Table

OPERATOR_JA = {"contractor": "委託", "city": "市", "unknown": "不明"}
COUNTS = ("visits", "served", "transferred", "noshow", "cancelled", "deferred", "revisit")
COUNT_COLUMNS = (
    Column("受付"), Column("完了"), Column("回付"), Column("不在"), Column("取消"),
    Column("J-LIS停止で後日", width=1.5), Column("再来庁"),
)  # fmt: skip
STAT_COLUMNS = (
    Column("件数"), Column("平均", "minutes"), Column("P50", "minutes"), Column("P90", "minutes"),
    Column("最大", "minutes"), Column("15分以内", "percent"), Column("30分以内", "percent"),
)  # fmt: skip
_HISTOGRAM_EDGES = (5, 10, 15, 20, 30, 45, 60, 90)


def stat_cells(stats: TimeStats) -> list[Any]:
    """Returns the cells of :data:`STAT_COLUMNS` for a summary."""
    return [stats.count, stats.mean, stats.p50, stats.p90, stats.max, stats.within_15,
            stats.within_30]  # fmt: skip


def _total(rows: list[list[Any]], label_cells: int, title: str = "合計") -> list[Any]:
    sums = [sum(int(r[i] or 0) for r in rows) for i in range(label_cells, len(rows[0]))]
    return [title, *([""] * (label_cells - 1)), *sums] if rows else []


def procedure_table(figures: Figures, catalog: Catalog) -> Table:
    """Counts by procedure × applicant type × lane operator, with turned-back visits."""
    groups = ("procedure", "applicant", "operator")
    measures = ("procedures", *COUNTS[1:])  # each procedure of a visit once
    counts = {m: figures.by(m, *groups) for m in measures}
    turned = figures.by("turned_back", *groups)
    keys = set(turned).union(*counts.values())
    order = {code: n for n, code in enumerate(catalog.procedures)}
    rows: list[list[Any]] = []
    for proc, applicant, operator in sorted(keys, key=lambda k: (order.get(k[0], 99), k[1:])):
        p = catalog.procedures.get(proc)
        a = catalog.applicants.get(applicant)
        rows.append([p.name_ja if p else proc, a.name_ja if a else applicant,
                     OPERATOR_JA.get(operator, operator),
                     *(counts[m].get((proc, applicant, operator), 0) for m in measures),
                     turned.get((proc, applicant, operator), 0)])  # fmt: skip
    if rows:
        rows.append(_total(rows, 3))
    columns = [Column("手続", "text", 4.2), Column("区分", "text", 1.8),
               Column("担当", "text", 0.9), *COUNT_COLUMNS, Column("返戻")]  # fmt: skip
    return Table("手続・受取者区分・担当別の件数", columns, rows,
                 "受付 = 受け付けた手続（1回の来庁で複数の手続はそれぞれ1件、回付先は数えない）、"
                 "完了・後日・再来庁 = 手続ごとの結果（担当 = 対応した窓口）、回付・不在・取消 = "
                 "整理券（主な手続）、返戻 = 書類不備で受付時にお帰りいただいた方",
                 total_row=bool(rows))  # fmt: skip


def counter_table(figures: Figures) -> Table:
    """Per counter: tickets called there and what became of them, with service times."""
    called = figures.by("tickets", "counter", "operator")
    served = figures.by("served", "counter")
    moved = figures.by("transferred", "counter")
    absent = figures.by("noshow", "counter")
    service = figures.times_by("service", "counter")
    rows: list[list[Any]] = []
    for (counter, operator), n in sorted(called.items(), key=lambda kv: _counter_order(kv[0][0])):
        if not counter:
            continue
        s = service.get(counter, TimeStats.of(()))
        rows.append([counter, OPERATOR_JA.get(operator, operator), n, served.get((counter,), 0),
                     moved.get((counter,), 0), absent.get((counter,), 0), s.mean, s.p90])  # fmt: skip
    columns = [Column("窓口", "text"), Column("担当", "text"), Column("呼出し"), Column("完了"),
               Column("回付"), Column("不在"), Column("平均対応", "minutes"),
               Column("P90対応", "minutes")]  # fmt: skip
    return Table("窓口別の対応", columns, rows)


def _counter_order(counter: str) -> tuple[int, str]:
    return (int(counter), "") if counter.isdigit() else (10**6, counter)


def hour_table(figures: Figures) -> Table:
    """Per hour band: visits (counted in the hour the ticket was issued) and waits."""
    visits = figures.by("visits", "hour")
    turned = figures.by("turned_back", "hour")
    served = figures.by("served", "hour")
    waits = figures.times_by("wait", "hour")
    rows: list[list[Any]] = []
    for hour in figures.hours():
        key = (str(hour),)
        w = waits.get(str(hour), TimeStats.of(()))
        v, t = visits.get(key, 0), turned.get(key, 0)
        rows.append([hour_label(hour), v, t, v + t, served.get(key, 0), w.mean, w.p90,
                     w.within_15])  # fmt: skip
    if rows:
        rows.append(["合計", *(sum(int(r[i]) for r in rows) for i in (1, 2, 3, 4)),
                     figures.times("wait").mean, figures.times("wait").p90,
                     figures.times("wait").within_15])  # fmt: skip
    columns = [Column("時間帯", "text"), Column("受付"), Column("返戻"), Column("来庁計"),
               Column("完了"), Column("平均待ち", "minutes"), Column("P90待ち", "minutes"),
               Column("15分以内", "percent")]  # fmt: skip
    return Table("時間帯別の来庁者数と待ち時間", columns, rows,
                 "整理券を発行した時刻の時間帯に数えています", total_row=bool(rows))  # fmt: skip


def wait_table(figures: Figures) -> Table:
    """Waiting, walking and service times, overall and by operator and reservation."""
    rows: list[list[Any]] = [
        ["待ち時間（全体）", *stat_cells(figures.times("wait"))],
        ["待ち時間（委託窓口）", *stat_cells(figures.times("wait", operator="contractor"))],
        ["待ち時間（市窓口）", *stat_cells(figures.times("wait", operator="city"))],
        ["待ち時間（予約の方）", *stat_cells(figures.times("wait", reserved=True))],
        ["待ち時間（予約なし）", *stat_cells(figures.times("wait", reserved=False))],
        ["呼出しから対応開始まで", *stat_cells(figures.times("walk"))],
        ["対応時間", *stat_cells(figures.times("service"))],
    ]
    return Table("待ち時間・対応時間", [Column("区分", "text", 3.2), *STAT_COLUMNS], rows,
                 "待ち時間 = 整理券発行から呼出しまで（予約の方は予約時刻から）。"
                 "P50・P90 は最近順位法")  # fmt: skip


def service_table(figures: Figures, catalog: Catalog) -> Table:
    """Service times (start to end) per procedure."""
    stats = figures.times_by("service", "procedure")
    rows = [[p.name_ja, *stat_cells(stats[code])[:5]] for code, p in catalog.procedures.items()
            if code in stats]  # fmt: skip
    return Table("手続別の対応時間", [Column("手続", "text", 4.2), *STAT_COLUMNS[:5]], rows)


def reservation_table(figures: Figures) -> Table:
    """Reservations of the period: booked, checked in, late, no-show."""
    booked = figures.count("reservations")
    noshow = figures.count("reservation_noshow")
    checked = figures.count("checked_in")
    cancelled = len(figures.facts.reservations) - booked
    rate = noshow / (checked + noshow) if checked + noshow else None
    columns = [Column("予約"), Column("受付"), Column("うち遅刻"), Column("不在"),
               Column("取消"), Column("不在率", "percent")]  # fmt: skip
    row: list[Any] = [booked, checked, figures.count("late"), noshow, cancelled, rate]
    return Table("予約の状況", columns, [row],
                 "遅刻 = 予約時刻の猶予を過ぎて受付（優先案内なし）")  # fmt: skip


def staffing_table(shifts: tuple[Shift, ...], title: str = "勤務体制（サインイン記録）") -> Table:
    """Who was signed in at which counter, when (staff ids only)."""
    rows: list[list[Any]] = []
    for s in sorted(shifts, key=lambda s: (s.day, _counter_order(s.counter or ""), s.start_ms)):
        start = to_datetime(s.start_ms).replace(tzinfo=None)
        end = to_datetime(s.end_ms).replace(tzinfo=None) if s.end_ms is not None else None
        minutes = (s.end_ms - s.start_ms) / 60_000 if s.end_ms is not None else None
        rows.append([s.day, s.staff_id, s.counter or "受付", start, end, minutes])
    columns = [Column("日付", "date", 1.4), Column("職員ID", "text"), Column("窓口", "text"),
               Column("開始", "datetime", 1.8), Column("終了", "datetime", 1.8),
               Column("時間", "minutes")]  # fmt: skip
    return Table(title, columns, rows, "受付 = フロアマネージャー（受付案内）")


def staff_summary_table(shifts: tuple[Shift, ...]) -> Table:
    """Per staff member: days worked, counters and signed-in hours."""
    days: dict[str, set[str]] = {}
    counters: dict[str, set[str]] = {}
    minutes: dict[str, float] = {}
    for s in shifts:
        days.setdefault(s.staff_id, set()).add(s.day.isoformat())
        counters.setdefault(s.staff_id, set()).add(s.counter or "受付")
        if s.end_ms is not None:
            minutes[s.staff_id] = minutes.get(s.staff_id, 0) + (s.end_ms - s.start_ms) / 60_000
    rows: list[list[Any]] = [
        [staff, len(days[staff]), "・".join(sorted(counters[staff], key=_counter_order)),
         minutes.get(staff, 0) / 60]
        for staff in sorted(days)
    ]  # fmt: skip
    columns = [Column("職員ID", "text"), Column("勤務日数"), Column("窓口", "text", 2.5),
               Column("サインイン時間（時間）", "number", 1.6)]  # fmt: skip
    return Table("職員別の勤務", columns, rows)


def priority_table(figures: Figures, head_start_minutes: int) -> Table:
    """優先案内: priority visitors by reason, with their waits beside the regular visitors'."""
    rows: list[list[Any]] = []
    for code, reason in PRIORITY_REASONS.items():
        name = reason.text_in("ja")
        count = figures.count("priority", priority_reason=code)
        waits = figures.times("wait", priority_reason=code)
        rows.append([name, count, waits.mean, waits.p90])
    priority = [t for t in figures.select("priority") if isinstance(t, TicketFact)]
    waits = TimeStats.of(t.wait_ms for t in priority if t.wait_ms is not None)
    rows.append(["優先案内 計", len(priority), waits.mean, waits.p90])
    regular = TimeStats.of(t.wait_ms for t in figures.facts.tickets if t.wait_ms is not None
                           and t.priority_reason is None and not t.reserved)  # fmt: skip
    rows.append(["（参考）優先なしの当日来庁", figures.count("visits", reserved=False)
                 - len([t for t in priority if not t.reserved]), regular.mean, regular.p90])  # fmt: skip
    columns = [Column("区分", "text", 3), Column("人数"), Column("平均待ち", "minutes"),
               Column("P90待ち", "minutes")]  # fmt: skip
    return Table("優先案内（理由別）", columns, rows,
                 f"優先の方は発券時刻を{head_start_minutes}分早めた順でお呼びします"
                 "（それより前に来た方を追い越しません）。"
                 "理由は固定の選択肢のみで、個人の情報は記録しません")  # fmt: skip


def pause_table(figures: Figures) -> Table:
    """Per counter: the minutes it was paused (休憩, 事務作業, ダブルチェック対応, その他)."""
    reasons = list(PAUSE_REASONS)
    minutes: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    for pause in figures.facts.pauses:
        by_reason = minutes.setdefault(pause.counter, dict.fromkeys(reasons, 0.0))
        by_reason[pause.reason] = by_reason.get(pause.reason, 0.0) + pause.minutes
        counts[pause.counter] = counts.get(pause.counter, 0) + 1
    rows: list[list[Any]] = []
    for counter in sorted(minutes, key=_counter_order):
        cells = [minutes[counter].get(r, 0.0) for r in reasons]
        rows.append([counter, counts[counter], *cells, sum(cells)])
    if rows:
        rows.append(["合計", sum(int(r[1]) for r in rows),
                     *(sum(float(r[i]) for r in rows) for i in range(2, len(reasons) + 3))])  # fmt: skip
    columns = [Column("窓口", "text"), Column("回数"),
               *(Column(PAUSE_REASONS[r].text_in("ja"), "minutes", 1.3) for r in reasons),
               Column("計", "minutes")]  # fmt: skip
    return Table("窓口の一時停止（分）", columns, rows,
                 "窓口で「一時停止」を押してから再開するまで（再開のないものは勤務時間の終わりまで）",
                 total_row=bool(rows))  # fmt: skip


def double_check_table(figures: Figures) -> Table:
    """シ: double checks asked for, signed off and waiting, and the minutes they took."""
    checks = [c for t in figures.select("checks") if isinstance(t, TicketFact) for c in t.checks]
    signed = [c.signed_ms - c.requested_ms for c in checks if c.signed_ms is not None]
    stats = TimeStats.of(signed)
    columns = [Column("依頼"), Column("確認済み"), Column("確認待ち"), Column("平均", "minutes"),
               Column("P90", "minutes"), Column("最大", "minutes")]  # fmt: skip
    row: list[Any] = [len(checks), len(signed), len(checks) - len(signed), stats.mean, stats.p90,
                      stats.max]  # fmt: skip
    return Table("ダブルチェック（シ）", columns, [row],
                 "時間 = 窓口の依頼から市職員の確認まで。来庁者は窓口で待ち、列には戻りません")  # fmt: skip


def fee_table(figures: Figures) -> Table:
    """ソ: completed procedures the city's register charges for, to match with its record."""
    reissue, express = figures.count("fee_reissue"), figures.count("fee_express")
    rows: list[list[Any]] = [
        ["再交付", reissue],
        ["特急発行", express],
        ["合計", reissue + express],
    ]
    return Table("手数料の対象となった手続（ソ）", [Column("区分", "text", 3), Column("件数")],
                 rows, "件数のみ（金額は扱いません）。市のレジの記録と照合してください",
                 total_row=True)  # fmt: skip


def hour_chart(figures: Figures) -> Chart:
    """Visits per hour band (bar chart)."""
    visits = figures.by("visits", "hour")
    turned = figures.by("turned_back", "hour")
    hours = figures.hours()
    return Chart("時間帯別の来庁者数", "bar", [hour_label(h) for h in hours],
                 [("受付", [float(visits.get((str(h),), 0)) for h in hours]),
                  ("返戻", [float(turned.get((str(h),), 0)) for h in hours])], "人")  # fmt: skip


def wait_histogram(figures: Figures) -> Chart:
    """The distribution of waiting times (histogram by minute bins)."""
    waits = [t.wait_ms / 60_000 for t in figures.facts.tickets if t.wait_ms is not None]
    edges = (0, *_HISTOGRAM_EDGES)
    labels = [f"{a}-{b}" for a, b in pairwise(edges)]
    labels.append(f"{edges[-1]}+")
    counts = [0.0] * len(labels)
    for minutes in waits:
        index = next((i for i, e in enumerate(_HISTOGRAM_EDGES) if minutes < e), len(labels) - 1)
        counts[index] += 1
    return Chart("待ち時間の分布（分）", "histogram", labels, [("件数", counts)], "件")


def now_text() -> str:
    """Returns the time a report is made (JST, to the minute)."""
    return datetime.now(JST).strftime("%Y-%m-%d %H:%M")
