"""The kinds of report and the file formats, as the command line and the windows name them.

Kept apart from the reports themselves so that naming them (``madoguchi report --help``)
loads nothing of what builds them.
"""

from __future__ import annotations

#: The file formats a report is written in.
FORMATS = ("pdf", "csv", "xlsx")
#: The encodings of a CSV file, by the names people type.
ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf8": "utf-8-sig", "utf-8": "utf-8-sig",
             "cp932": "cp932", "sjis": "cp932", "shift_jis": "cp932"}  # fmt: skip

#: Report kind → its title (the city's names of the documents).
TITLES = {
    "daily": "作業日報",
    "monthly": "月次業務計画・実績報告書",
    "sla": "サービス水準検証結果報告書",
    "annual": "年度業務実績報告書",
    "inquiries": "問い合わせ対応記録",
    "qa": "質疑応答集",
    "training": "要員育成報告書",
    "structure": "業務体制表",
}
