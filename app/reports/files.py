"""Writes a :class:`~app.reports.model.Report` as CSV or XLSX (PDF: :mod:`app.reports.pdf`).

CSV is one file with a section per table, UTF-8 with a BOM by default (Excel opens it as
UTF-8) or CP932 on request; characters CP932 lacks are replaced, never an error. XLSX has a
sheet per table with typed cells: numbers as numbers, days as dates, durations as minutes.

Free text typed at a counter (questions, answers, notes) reaches the city as text, never as
a formula a spreadsheet would run (CSV/formula injection): in CSV every text cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their full-width forms) gets a
leading single quote, the rule OWASP gives; in XLSX every text is a string cell (never a
formula or an error value) and those starting with such a character are also marked
"quote prefix", so editing the cell later keeps it text. Every sheet prints on A4
landscape, fitted to the page width, with its title and column headers repeated on each
page. No Qt.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.reports.kinds import ENCODINGS, FORMATS
from app.reports.model import Chart, Column, Notes, Report, cell_text, column_title

#: Characters often written that CP932 lacks, and the nearest it has.
_CP932_NEAREST = str.maketrans({"–": "-", "—": "―", "−": "－", "〜": "～", "‐": "-"})
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
#: First characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection
#: list, and the full-width forms a Japanese input method may type).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_XLSX_FORMATS = {"minutes": "0.0", "number": "0.0", "percent": "0.0%", "date": "yyyy-mm-dd",
                 "datetime": "yyyy-mm-dd hh:mm", "int": "0"}  # fmt: skip


def neutralise(text: str) -> str:
    """Returns text a spreadsheet will show as it is: a leading ``'`` when it starts like a
    formula (:data:`FORMULA_STARTS`), else the text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_row(cells: list[Any]) -> list[Any]:
    return [neutralise(c) if isinstance(c, str) else c for c in cells]


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
    writer = csv.writer(buffer, lineterminator="\r\n")

    def out(cells: list[Any]) -> None:
        writer.writerow(_csv_row(cells))

    out([report.title, report.period])
    for label, value in report.header:
        out([label, value])
    for block in report.blocks:
        if isinstance(block, Chart):
            continue
        out([])
        out([f"■{block.title}"])
        if isinstance(block, Notes):
            for line in block.lines:
                out([line])
            continue
        out([column_title(c) for c in block.columns])
        for row in block.rows:
            # Numbers become text here too, but a negative number is a number, not text to
            # neutralise: only the cells that were text are.
            writer.writerow([cell_text(v, c.kind) if not isinstance(v, str) else neutralise(v)
                             for v, c in zip(row, block.columns, strict=True)])  # fmt: skip
        if block.note:
            out([f"注: {block.note}"])
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
        return value if isinstance(value, int) else round(float(value), 2)
    if column.kind == "percent":
        return round(float(value), 4)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return str(value)


def _append(sheet: Any, values: list[Any]) -> None:
    """Appends a row; every text stays a string cell (never a formula or an error value)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


def _text_width(text: str) -> int:
    """Returns a text's width in spreadsheet character units (East Asian wide ones count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit_height(sheet: Any, widths: list[float]) -> None:
    """Gives the last row the height its wrapped texts need (a spreadsheet opening the file
    does not grow rows by itself, so long answers would overlap the next row)."""
    lines = 1
    for cell, width in zip(sheet[sheet.max_row], widths, strict=False):
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            parts = cell.value.splitlines() or [""]
            lines = max(lines, sum(max(1, math.ceil(_text_width(p) / max(1.0, width - 1)))
                                   for p in parts))  # fmt: skip
    if lines > 1:
        sheet.row_dimensions[sheet.max_row].height = 15 * lines


def _page_setup(sheet: Any, title_rows: str | None, footer: str) -> None:
    """A4 landscape, fitted to the page width, titles repeated, page numbers in the footer."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddFooter.left.text = footer.replace("&", "&&")
    sheet.oddFooter.right.text = "&P / &N"


def write_xlsx(report: Report) -> bytes:
    """Returns the report as an XLSX workbook: a cover sheet, then a sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    cover = book.active
    cover.title = "概要"
    bold = Font(bold=True)
    footer = f"{report.title} {report.period}"
    _append(cover, [report.title])  # alone on its row: nothing beside it cuts it short
    cover["A1"].font = Font(bold=True, size=14)
    _append(cover, ["期間", report.period])
    for label, value in report.header:
        _append(cover, [label, value])
    used = {"概要"}
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for block in report.blocks:
        if isinstance(block, Chart):
            continue
        if isinstance(block, Notes):
            _append(cover, [])
            _append(cover, [block.title])
            cover.cell(cover.max_row, 1).font = bold
            for line in block.lines:
                _append(cover, [None, line])
                cover.cell(cover.max_row, 2).alignment = wrap
            continue
        sheet = book.create_sheet(_sheet_name(block.title, used))
        _append(sheet, [block.title])
        sheet["A1"].font = bold
        _append(sheet, [column_title(c) for c in block.columns])
        for cell in sheet[2]:
            cell.font = bold
        widths = [max(8, 5 * c.width + 4) for c in block.columns]
        for row in block.rows:
            _append(sheet, [_typed(v, c) for v, c in zip(row, block.columns, strict=True)])
            for cell, column in zip(sheet[sheet.max_row], block.columns, strict=True):
                if isinstance(cell.value, int) and column.kind in ("number", "minutes"):
                    cell.number_format = "0"  # a count in a column of measures
                elif column.kind in _XLSX_FORMATS and not isinstance(cell.value, str):
                    cell.number_format = _XLSX_FORMATS[column.kind]
                if column.kind == "text" and column.width >= 3:
                    cell.alignment = wrap
                else:
                    cell.alignment = top  # level with the first line of a wrapped neighbour
            _fit_height(sheet, widths)
        if block.note:
            _append(sheet, [])
            _append(sheet, [f"注: {block.note}"])
        sheet.freeze_panes = "A3"
        for n, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = width
        _page_setup(sheet, "1:2", footer)
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 90
    _page_setup(cover, None, footer)
    book.properties.creator = "madoguchi"
    book.properties.title = footer
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


def save(report: Report, fmt: str, path: Path, encoding: str = "utf-8-sig") -> tuple[Path, int]:
    """Writes the report to a file; returns the file written and its size in bytes.

    A file of that name that cannot be written — open in Excel or a PDF viewer, which
    keep others from writing it on Windows, or made read-only — is left as it is and the
    report goes to ``<name>-2.<ext>`` (``-3``, … never over another file); the path
    returned says where.
    """
    data = render(report, fmt, encoding)
    return write_output(Path(path), data), len(data)


def write_output(path: Path, data: bytes) -> Path:
    """Writes ``data`` to ``path``, or beside it when ``path`` cannot be written (see
    :func:`save`); returns the file written.

    Raises:
        OSError: no file could be written there (folder missing or closed, disk full).
    """
    try:
        with open(path, "wb") as f:
            f.write(data)
        return path
    except PermissionError:
        if not path.exists():
            raise  # the folder itself refuses: nothing beside it would do better
    for n in range(2, 100):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        try:
            with open(candidate, "xb") as f:
                f.write(data)
        except (FileExistsError, PermissionError):
            continue
        return candidate
    raise PermissionError(13, "書き込める名前がありません", str(path))
