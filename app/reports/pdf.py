"""Writes a :class:`~app.reports.model.Report` as an A4 PDF with reportlab. No Qt.

IPAex Gothic (bundled, registered once by :func:`app.printing.layout.ticket_font`) is embedded
as a subset, so every PC prints the same Japanese text. Tables repeat their header row on
each page; charts are reportlab vector graphics (bars and histograms), never images.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from app.printing.layout import FONT_NAME, ticket_font
from app.reports.model import Chart, Column, Notes, Report, Table, cell_text, column_title

_MARGIN = 14 * mm
_WIDTH = A4[0] - 2 * _MARGIN
_SERIES_COLORS = (colors.HexColor("#4a78b5"), colors.HexColor("#e0913a"),
                  colors.HexColor("#5aa469"))  # fmt: skip
_HEAD_BG = colors.HexColor("#e4e9f0")
_TOTAL_BG = colors.HexColor("#f3f3f3")
_NUMERIC = ("int", "minutes", "percent", "number")


def _styles() -> dict[str, ParagraphStyle]:
    base = {"fontName": FONT_NAME, "wordWrap": "CJK", "alignment": TA_LEFT}
    return {
        "title": ParagraphStyle("title", fontSize=16, leading=20, spaceAfter=4, **base),
        "h2": ParagraphStyle(
            "h2",
            fontSize=10.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
            textColor=colors.HexColor("#1f3b63"),
            **base,
        ),
        "body": ParagraphStyle("body", fontSize=8.5, leading=12, **base),
        "cell": ParagraphStyle("cell", fontSize=7, leading=8.6, **base),
        "note": ParagraphStyle("note", fontSize=6.8, leading=9, textColor=colors.grey, **base),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf_cell(value: Any, column: Column, style: ParagraphStyle) -> Any:
    if isinstance(value, str):
        return Paragraph(_escape(value), style) if column.kind == "text" else value
    text = cell_text(value, column.kind)
    return Paragraph(_escape(text), style) if column.kind == "text" else text


def _table(block: Table, st: dict[str, ParagraphStyle]) -> list[Any]:
    head = Paragraph(_escape(block.title), st["h2"])
    if not block.rows:
        return [KeepTogether([head, Paragraph("該当なし", st["body"])])]
    weights = [c.width for c in block.columns]
    widths = [_WIDTH * w / sum(weights) for w in weights]
    header = [Paragraph(_escape(column_title(c)), st["cell"]) for c in block.columns]
    body = [[_pdf_cell(v, c, st["cell"]) for v, c in zip(row, block.columns, strict=True)]
            for row in block.rows]  # fmt: skip
    table = PdfTable([header, *body], colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT_NAME, 7),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
        ("BACKGROUND", (0, 0), (-1, 0), _HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for n, column in enumerate(block.columns):
        if column.kind in _NUMERIC:
            commands.append(("ALIGN", (n, 1), (n, -1), "RIGHT"))
    if block.total_row:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), _TOTAL_BG))
    table.setStyle(TableStyle(commands))
    note = [Paragraph(_escape("注: " + block.note), st["note"])] if block.note else []
    if len(block.rows) <= 30:
        return [KeepTogether([head, table, *note])]
    return [CondPageBreak(40 * mm), head, table, *note]


def _chart(block: Chart, st: dict[str, ParagraphStyle]) -> list[Any]:
    height = 62 * mm
    drawing = Drawing(_WIDTH, height)
    drawing.initialFontName = FONT_NAME  # else a chart's state starts with Helvetica
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = _WIDTH - 150, height - 52
    chart.data = [tuple(values) for _, values in block.series]
    peak = max((v for _, values in block.series for v in values), default=0)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1.0, peak * 1.1)
    chart.valueAxis.labels.fontName = FONT_NAME
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = block.categories
    chart.categoryAxis.labels.fontName = FONT_NAME
    chart.categoryAxis.labels.fontSize = 6.5 if len(block.categories) > 8 else 7
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.barSpacing = 1
    chart.groupSpacing = 4 if block.kind == "bar" else 1
    for n, _ in enumerate(block.series):
        chart.bars[n].fillColor = _SERIES_COLORS[n % len(_SERIES_COLORS)]
        chart.bars[n].strokeColor = None
    drawing.add(chart)
    if block.y_label:
        drawing.add(String(4, height - 14, f"（{block.y_label}）", fontName=FONT_NAME, fontSize=7))
    legend = Legend()
    legend.x, legend.y = _WIDTH - 100, height - 30
    legend.fontName, legend.fontSize = FONT_NAME, 7.5
    legend.alignment = "right"
    legend.colorNamePairs = [(_SERIES_COLORS[n % len(_SERIES_COLORS)], name)
                             for n, (name, _) in enumerate(block.series)]  # fmt: skip
    drawing.add(legend)
    return [KeepTogether([Paragraph(_escape(block.title), st["h2"]), drawing])]


def _notes(block: Notes, st: dict[str, ParagraphStyle]) -> list[Any]:
    items: list[Any] = [Paragraph(_escape(block.title), st["h2"])]
    items += [Paragraph(_escape(line), st["body"]) for line in block.lines]
    return [KeepTogether(items)] if len(items) < 12 else items


def write_pdf(report: Report) -> bytes:
    """Returns the report as an A4 portrait PDF with IPAex Gothic embedded."""
    ticket_font()
    st = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=14 * mm,
        bottomMargin=14 * mm, title=f"{report.title} {report.period}", author="madoguchi",
        creator="madoguchi", subject=report.title,
        # Every page's preamble names a font: IPAex, so no standard font (Helvetica) that
        # is not embedded is referenced anywhere (strict PDF/A checks refuse one).
        initialFontName=FONT_NAME, initialFontSize=8, initialLeading=10,
    )  # fmt: skip
    story: list[Any] = [Paragraph(_escape(report.title), st["title"])]
    head = [[Paragraph(_escape(k), st["cell"]), Paragraph(_escape(v), st["cell"])]
            for k, v in report.header]  # fmt: skip
    if head:
        table = PdfTable(head, colWidths=[28 * mm, _WIDTH - 28 * mm])
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT_NAME, 8),
                                   ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.grey),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
        story += [table, Spacer(1, 3 * mm)]
    for block in report.blocks:
        if isinstance(block, Table):
            story += _table(block, st)
        elif isinstance(block, Chart):
            story += _chart(block, st)
        else:
            story += _notes(block, st)

    footer = f"{report.title}　{report.period}"

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT_NAME, 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(_MARGIN, 8 * mm, footer)
        canvas.drawRightString(A4[0] - _MARGIN, 8 * mm, f"{document.page} ページ")
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
