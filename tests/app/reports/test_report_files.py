"""What a city official sees of every report file: XLSX printed on A4 landscape with its
titles repeated, PDFs that name no font they do not embed, counts printed as counts, and no
table named that the report does not contain."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.node import Node
from app.reports.files import render
from app.reports.inquiry_reports import build_report
from tests.helpers.clock import OPEN_DAY
from tests.helpers.exports import csv_cells

MONTH = OPEN_DAY.strftime("%Y-%m")
KINDS = (("daily", OPEN_DAY.isoformat()), ("monthly", MONTH), ("sla", MONTH),
         ("annual", "2026"), ("inquiries", OPEN_DAY.isoformat()), ("inquiries", MONTH),
         ("qa", ""), ("training", MONTH), ("structure", OPEN_DAY.isoformat()))  # fmt: skip


@pytest.mark.parametrize(("kind", "spec"), KINDS)
def test_xlsx_prints_on_a4_landscape_fitted_to_width(node: Node, kind: str, spec: str) -> None:
    book = load_workbook(io.BytesIO(render(build_report(node, kind, spec), "xlsx")))
    for n, sheet in enumerate(book.worksheets):
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
        assert "&P" in sheet.oddFooter.right.text
        if n > 0:  # every table's sheet repeats its title and column headers
            assert sheet.print_title_rows == "$1:$2", sheet.title


@pytest.mark.parametrize(("kind", "spec"), KINDS)
def test_pdf_names_only_the_embedded_font(node: Node, kind: str, spec: str) -> None:
    data = render(build_report(node, kind, spec), "pdf")
    assert b"Helvetica" not in data and b"Times" not in data and b"Courier" not in data
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            assert "IPAex" in str(font["/BaseFont"]), font["/BaseFont"]
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def test_sla_counts_incidents_as_a_whole_number_and_has_the_table_it_names(node: Node) -> None:
    report = build_report(node, "sla", MONTH)
    cells = csv_cells(render(report, "csv"))
    row = cells.index("情報セキュリティ事故の件数")
    assert cells[row + 3] == "0"  # name, unit, target, actual
    assert "0.0" not in cells[row : row + 5]
    titles = {b.title for b in report.blocks}
    text = "\n".join(line for b in report.blocks if hasattr(b, "lines") for line in b.lines)
    for named in re.findall(r"表「(.+?)」", text):
        assert named in titles
    assert "返戻の理由（不足書類）" in titles
    sheet = load_workbook(io.BytesIO(render(report, "xlsx"))).worksheets[1]
    assert sheet["D3"].value == 0 and sheet["D3"].number_format == "0"
