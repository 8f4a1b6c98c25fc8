"""Writes a :class:`~app.reports.model.Report` as CSV or XLSX (PDF: :mod:`app.reports.pdf`).

CSV is one file with a section per table, UTF-8 with a BOM by default (Excel opens it as
UTF-8) or CP932 on request; characters CP932 lacks are replaced, never an error. XLSX has a
sheet per table with typed cells: numbers as numbers, days as dates, durations as minutes.
No Qt.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.reports.kinds import ENCODINGS, FORMATS
from app.reports.model import Chart, Column, Notes, Report, cell_text, column_title

#: Characters often written that CP932 lacks, and the nearest it has.
_CP932_NEAREST = str.maketrans({"–": "-", "—": "―", "−": "－", "〜": "～", "‐": "-"})
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_XLSX_FORMATS = {"minutes": "0.0", "number": "0.0", "percent": "0.0%", "date": "yyyy-mm-dd",
                 "datetime": "yyyy-mm-dd hh:mm", "int": "0"}  # fmt: skip


def write_csv(report: Report, encoding: str = "utf-8-sig") -> bytes:
    """Returns the report as CSV bytes (CRLF line ends, like Excel writes them).

    Args:
        report: the report.
        encoding: ``utf-8-sig`` (default, UTF-8 with BOM) or ``cp932``.

    Raises:
        ValueError: an encoding other than these.
    """
    codec = ENCODINGS.get(encoding.lower())
    if codec is None:
        raise InputError(f"文字コード {encoding} は使えません（utf-8-sig か cp932）")
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow([report.title, report.period])
    for label, value in report.header:
        out.writerow([label, value])
    for block in report.blocks:
        if isinstance(block, Chart):
            continue
        out.writerow([])
        out.writerow([f"■{block.title}"])
        if isinstance(block, Notes):
            out.writerows([line] for line in block.lines)
            continue
        out.writerow([column_title(c) for c in block.columns])
        for row in block.rows:
            out.writerow([cell_text(v, c.kind) if not isinstance(v, str) else v
                          for v, c in zip(row, block.columns, strict=True)])  # fmt: skip
        if block.note:
            out.writerow([f"注: {block.note}"])
    text = buffer.getvalue()
    if codec == "cp932":
        return text.translate(_CP932_NEAREST).encode("cp932", errors="replace")
    return text.encode(codec)


def _sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("", title)[:28] or "表"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}_{n}", n + 1
    used.add(name)
    return name


def _typed(value: Any, column: Column) -> Any:
    """Returns a cell value as openpyxl should store it."""
    if value is None or isinstance(value, str):
        return value
    if column.kind == "int":
        return int(value)
    if column.kind in ("minutes", "number"):
        return round(float(value), 2)
    if column.kind == "percent":
        return round(float(value), 4)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return str(value)


def write_xlsx(report: Report) -> bytes:
    """Returns the report as an XLSX workbook: a cover sheet, then a sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    cover = book.active
    cover.title = "概要"
    bold = Font(bold=True)
    cover.append([report.title, report.period])
    cover["A1"].font = Font(bold=True, size=14)
    for label, value in report.header:
        cover.append([label, value])
    used = {"概要"}
    for block in report.blocks:
        if isinstance(block, Chart):
            continue
        if isinstance(block, Notes):
            cover.append([])
            cover.append([block.title])
            cover.cell(cover.max_row, 1).font = bold
            for line in block.lines:
                cover.append([line])
            continue
        sheet = book.create_sheet(_sheet_name(block.title, used))
        sheet.append([block.title])
        sheet["A1"].font = bold
        sheet.append([column_title(c) for c in block.columns])
        for cell in sheet[2]:
            cell.font = bold
        for row in block.rows:
            sheet.append([_typed(v, c) for v, c in zip(row, block.columns, strict=True)])
            for cell, column in zip(sheet[sheet.max_row], block.columns, strict=True):
                if column.kind in _XLSX_FORMATS and not isinstance(cell.value, str):
                    cell.number_format = _XLSX_FORMATS[column.kind]
        if block.note:
            sheet.append([])
            sheet.append([f"注: {block.note}"])
        sheet.freeze_panes = "A3"
        for n, column in enumerate(block.columns, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = max(8, 5 * column.width + 4)
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 60
    book.properties.creator = "madoguchi"
    book.properties.title = f"{report.title} {report.period}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(report: Report, fmt: str, encoding: str = "utf-8-sig") -> bytes:
    """Returns the report in a format: ``pdf``, ``csv`` or ``xlsx``.

    Raises:
        ValueError: an unknown format or encoding.
    """
    if fmt == "pdf":
        from app.reports.pdf import write_pdf

        return write_pdf(report)
    if fmt == "csv":
        return write_csv(report, encoding)
    if fmt == "xlsx":
        return write_xlsx(report)
    raise InputError(f"形式 {fmt} は使えません（{', '.join(FORMATS)}）")


def save(report: Report, fmt: str, path: Path, encoding: str = "utf-8-sig") -> int:
    """Writes the report to a file; returns its size in bytes."""
    data = render(report, fmt, encoding)
    Path(path).write_bytes(data)
    return len(data)
