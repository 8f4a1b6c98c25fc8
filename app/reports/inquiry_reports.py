"""The daily inquiry log (問い合わせ対応記録) and the Q&A collection (質疑応答集) as reports.
No Qt.

The specification asks for every inquiry and its answer as electronic data every day, and
for the Q&A collection shared with the city (6(2)イ(a)(c)). Both are
:class:`~app.reports.model.Report` objects that :mod:`app.reports.files` writes as PDF, CSV
or XLSX. Neither carries personal data: the texts were checked when typed, and no
visitor or staff member is named (times are given as hour bands).

:func:`build_report` extends :func:`app.reports.periodic.build_report` with these two kinds.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.errors import InputError
from app.inquiries.inquiry_log import InquiryService
from app.inquiries.qa import QaService
from app.model.clock import to_datetime
from app.reports.figures import hour_label
from app.reports.kinds import TITLES
from app.reports.model import Column, Notes, Report, Table
from app.reports.operations import WEEKDAYS, month_bounds
from app.reports.periodic import build_report as build_periodic
from app.reports.sections import category_table
from app.reports.tables import now_text

if TYPE_CHECKING:
    from app.core.node import Node

_MONTH = re.compile(r"^\d{4}-\d{2}$")
INQUIRIES = "inquiries"
QA = "qa"
PRIVACY_NOTE = (
    "個人情報（個人番号・氏名・生年月日・住所・電話番号・メールアドレス・予約番号・"
    "交付通知書の照会番号）は含めていません。入力の時点で検査し、含むものは記録していません。"
)


def parse_day(spec: str) -> date:
    """Returns the day of ``YYYY-MM-DD`` (or ``YYYY/MM/DD``).

    Raises:
        ValueError: not such a day.
    """
    try:
        return date.fromisoformat(spec.strip().replace("/", "-"))
    except ValueError:
        raise InputError(f"日付 {spec!r} は YYYY-MM-DD で指定してください") from None


def build_inquiry_log(node: Node, day: date, last: date | None = None) -> Report:
    """Builds the inquiry log of a day (or of the days ``day`` to ``last``, a month): every
    inquiry with its hour band, category and answer."""
    last = last or day
    inquiries = InquiryService(node).between(day, last)
    one_day = day == last
    if one_day:
        period, when = day.isoformat(), f"{day:%Y年%m月%d日}（{WEEKDAYS[day.weekday()]}）"
    else:
        period, when = f"{day:%Y-%m}", f"{day:%Y年%m月%d日}〜{last:%Y年%m月%d日}"
    report = Report(INQUIRIES, TITLES[INQUIRIES], period, header=[
        ("拠点", node.settings.site.name_ja), ("日付" if one_day else "期間", when),
        ("件数", f"{len(inquiries)} 件"), ("作成", now_text()),
    ])  # fmt: skip
    rows: list[list[Any]] = []
    hours: Counter[int] = Counter()
    for n, row in enumerate(inquiries, start=1):
        hour = to_datetime(row["at"]).hour
        hours[hour] += 1
        when_cells: list[Any] = [] if one_day else [date.fromisoformat(row["day"])]
        rows.append([n, *when_cells, hour_label(hour), row["category_ja"], row["question"],
                     row["answer"], "○" if row["qa_id"] else ""])  # fmt: skip
    day_column = [] if one_day else [Column("日付", "date", 1.3)]
    columns = [Column("No.", "int", 0.5), *day_column, Column("時間帯", "text", 0.9),
               Column("分類", "text", 1.1), Column("問い合わせ内容", "text", 4.2),
               Column("回答", "text", 5.0), Column("質疑応答集", "text", 1.1)]  # fmt: skip
    report.blocks.append(Table("問い合わせと回答", columns, rows,
                               "質疑応答集 ○: 質疑応答集の回答で答えたもの"))  # fmt: skip
    report.blocks.append(category_table("分類別の件数", [r["category"] for r in inquiries]))
    if not one_day:
        per_day = Counter(r["day"] for r in inquiries)
        day_rows: list[list[Any]] = [[date.fromisoformat(d), n] for d, n in sorted(per_day.items())]
        if day_rows:
            day_rows.append(["合計", len(inquiries)])
        report.blocks.append(Table("日別の件数", [Column("日付", "date", 3), Column("件数")],
                                   day_rows, total_row=bool(day_rows)))  # fmt: skip
    hour_rows: list[list[Any]] = [[hour_label(h), hours[h]] for h in sorted(hours)]
    if hour_rows:
        hour_rows.append(["合計", len(inquiries)])
    report.blocks.append(Table("時間帯別の件数", [Column("時間帯", "text", 3), Column("件数")],
                               hour_rows, total_row=bool(hour_rows)))  # fmt: skip
    unmatched = sum(1 for r in inquiries if not r["qa_id"])
    lines = [PRIVACY_NOTE]
    if unmatched:
        lines.append(f"質疑応答集にない問い合わせ {unmatched} 件: 質疑応答集への追加を検討します。")
    report.blocks.append(Notes("備考", lines))
    return report


def build_qa_collection(node: Node, day: date | None = None) -> Report:
    """Builds the Q&A collection as it is now, or as it stood at the end of ``day``."""
    service = QaService(node)
    entries = service.all() if day is None else service.as_of(day)
    if day is None:
        period, when = node.today().isoformat(), f"現在（{now_text()}）"
    else:
        period, when = day.isoformat(), f"{day:%Y年%m月%d日}の終わり"
    report = Report(QA, TITLES[QA], period, header=[
        ("拠点", node.settings.site.name_ja), ("時点", when),
        ("件数", f"{len(entries)} 件"), ("作成", now_text()),
    ])  # fmt: skip
    rows: list[list[Any]] = [
        [n, e["category_ja"], e["question"], e["answer"], e["version"],
         to_datetime(e["updated_at"]).date()]
        for n, e in enumerate(entries, start=1)
    ]  # fmt: skip
    columns = [Column("No.", "int", 0.5), Column("分類", "text", 1.1),
               Column("質問", "text", 3.8), Column("回答", "text", 6.2),
               Column("版", "int", 0.5), Column("更新日", "date", 1.5)]  # fmt: skip
    report.blocks.append(Table("質疑応答集", columns, rows,
                               "版: 追加を1として修正のたびに1増えます"))  # fmt: skip
    report.blocks.append(category_table("分類別の件数", [e["category"] for e in entries]))
    report.blocks.append(Notes("備考", [PRIVACY_NOTE,
                                        "市職員・センター従事者で共有し、寄せられた質問や"
                                        "意見を踏まえて現地管理者が更新します。"]))  # fmt: skip
    return report


def build_report(node: Node, kind: str, spec: str) -> Report:
    """Builds a report of any kind: ``inquiries`` (a day or a month), ``qa`` (now, or the end of a
    day) or a kind of :func:`app.reports.periodic.build_report`.

    Raises:
        ValueError: unknown kind, or a day, month or year that cannot be read.
    """
    if kind == INQUIRIES:
        if _MONTH.match(spec.strip()):
            first, last = month_bounds(spec.strip())
            return build_inquiry_log(node, first, last)
        return build_inquiry_log(node, parse_day(spec))
    if kind == QA:
        return build_qa_collection(node, parse_day(spec) if spec.strip() else None)
    if kind == "training":
        from app.reports.training import build_training

        return build_training(node, spec.strip())
    if kind == "structure":
        from app.reports.structure import build_structure

        return build_structure(node, parse_day(spec) if spec.strip() else node.today())
    return build_periodic(node, kind, spec)
