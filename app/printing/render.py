"""Draws the ticket's primitives (:mod:`app.printing.layout`) as a PDF or a PNG.

Both backends draw the same primitives with the same fonts (IPAex Gothic, and the Noto
subsets for Chinese, Korean and Vietnamese lines), so the PDF, the PNG
(also the raster an ESC/POS printer would get) and the Qt preview all show one layout. The
PDF embeds a subset of the font and draws the QR code as vector rectangles, never as an image.
IPAex Gothic has no bold face: bold text is filled and stroked (0.03 em) in both backends.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import replace

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.core.paths import font_path
from app.printing.layout import (
    FONT_NAME,
    PAPER_WIDTH_MM,
    QR,
    Line,
    Primitive,
    Roll,
    Text,
    face_name,
    ticket_font,
)

THERMAL_DPI = 203
_MODE = "1"  # 1 bit, as a thermal head prints: FreeType renders crisp monochrome glyphs
_BOLD_STROKE_EM = 0.03
_PDF_MODE = {False: 0, True: 2}  # text render mode: fill / fill and stroke
_PNG_ANCHOR = {"left": "ls", "center": "ms", "right": "rs"}  # Pillow anchors on the baseline


def render_pdf(
    prims: Sequence[Primitive],
    height_mm: float,
    width_mm: float = PAPER_WIDTH_MM,
    title: str = "整理券",
) -> bytes:
    """Draws a ticket as a one-page PDF exactly as large as the ticket, embedding the used
    glyphs of each bundled font its lines use.

    Args:
        prims: the ticket's primitives.
        height_mm: the page height (the layout's height).
        width_mm: the page width, the roll width.
        title: the document title.

    Returns:
        The PDF, with the used glyphs of IPAex Gothic embedded.
    """
    ticket_font()  # registers the font with reportlab once
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(width_mm * mm, height_mm * mm), pageCompression=1,
                 initialFontName=FONT_NAME)  # fmt: skip
    pdf.setTitle(title)
    pdf.setAuthor("madoguchi")
    pdf.setCreator("madoguchi")

    def y_of(y_mm: float) -> float:
        return float((height_mm - y_mm) * mm)

    for prim in prims:
        if isinstance(prim, Text):
            ticket_font(prim.font)  # registered once
            pdf.setFont(face_name(prim.font), prim.size_pt)
            pdf.setLineWidth(prim.size_pt * _BOLD_STROKE_EM)
            draw = {"left": pdf.drawString, "center": pdf.drawCentredString,
                    "right": pdf.drawRightString}[prim.align]  # fmt: skip
            draw(prim.x_mm * mm, y_of(prim.y_mm), prim.text, mode=_PDF_MODE[prim.bold])
        elif isinstance(prim, Line):
            pdf.setLineWidth(prim.width_pt)
            pdf.line(prim.x1_mm * mm, y_of(prim.y1_mm), prim.x2_mm * mm, y_of(prim.y2_mm))
        else:
            _pdf_qr(pdf, prim, y_of)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _runs(row: Sequence[bool]) -> list[tuple[int, int]]:
    """Returns the (start, length) of each run of dark modules in a row."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, dark in enumerate((*row, False)):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


def _pdf_qr(pdf: Canvas, qr: QR, y_of: Callable[[float], float]) -> None:
    """Fills the QR's dark modules as one path of rectangles (one per run of a row)."""
    module = qr.size_mm / len(qr.matrix)
    path = pdf.beginPath()
    for r, row in enumerate(qr.matrix):
        top = y_of(qr.y_mm + (r + 1) * module)
        for start, length in _runs(row):
            path.rect((qr.x_mm + start * module) * mm, top, length * module * mm, module * mm)
    pdf.drawPath(path, stroke=0, fill=1)


@functools.cache
def _image_font(size_px: int, font: str) -> ImageFont.FreeTypeFont:
    """Returns a bundled font at a pixel size (loaded once per size; fonts are not modified)."""
    return ImageFont.truetype(str(font_path(font)), size_px)


def render_png(
    prims: Sequence[Primitive],
    height_mm: float,
    dpi: int = THERMAL_DPI,
    width_mm: float = PAPER_WIDTH_MM,
) -> bytes:
    """Draws a ticket as a black-and-white PNG at a printer's resolution, the whole paper
    wide (the picture of the ticket: the system printer's page, the screen's preview).

    Args:
        prims: the ticket's primitives.
        height_mm: the ticket height (the layout's height).
        dpi: dots per inch; 203 is the usual thermal head.
        width_mm: the roll width.

    Returns:
        The PNG, 1 bit a pixel.
    """
    px_per_mm = dpi / 25.4
    size = (round(width_mm * px_per_mm), round(height_mm * px_per_mm))
    return _png(_draw(prims, size, px_per_mm, 0.0), dpi)


def render_raster(prims: Sequence[Primitive], height_mm: float, roll: Roll) -> bytes:
    """Draws the part of a ticket a thermal head prints: exactly ``roll.dots`` wide, from
    the printable area's left edge (the paper's margin is not in it).

    Args:
        prims: the ticket's primitives (laid out for ``roll``).
        height_mm: the height drawn.
        roll: the paper and its printer.

    Returns:
        The PNG, 1 bit a pixel, ``roll.dots`` wide: what an ESC/POS printer is sent.
    """
    px_per_mm = roll.dots / roll.printable_mm
    size = (roll.dots, max(1, round(height_mm * px_per_mm)))
    dpi = round(px_per_mm * 25.4)
    return _png(_draw(prims, size, px_per_mm, roll.margin_mm), dpi)


def _png(image: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), compress_level=1)  # fast
    return out.getvalue()


def _draw(prims: Sequence[Primitive], size: tuple[int, int], px_per_mm: float,
          left_mm: float) -> Image.Image:  # fmt: skip
    """Draws the primitives on a white picture; ``left_mm`` of the paper is left out."""
    dpi = px_per_mm * 25.4
    image = Image.new(_MODE, size, 255)
    draw = ImageDraw.Draw(image)
    prims = [_shifted(p, -left_mm) for p in prims] if left_mm else list(prims)
    for prim in prims:
        if isinstance(prim, Text):
            size_px = max(1, round(prim.size_pt / 72 * dpi))
            stroke = max(1, round(size_px * _BOLD_STROKE_EM)) if prim.bold else 0
            draw.text((prim.x_mm * px_per_mm, prim.y_mm * px_per_mm), prim.text, fill=0,
                      font=_image_font(size_px, prim.font), anchor=_PNG_ANCHOR[prim.align],
                      stroke_width=stroke, stroke_fill=0)  # fmt: skip
        elif isinstance(prim, Line):
            width = max(1, round(prim.width_pt / 72 * dpi))
            draw.line([(prim.x1_mm * px_per_mm, prim.y1_mm * px_per_mm),
                       (prim.x2_mm * px_per_mm, prim.y2_mm * px_per_mm)], fill=0, width=width)  # fmt: skip
        else:
            _png_qr(draw, prim, px_per_mm)
    return image


def _shifted(prim: Primitive, dx: float) -> Primitive:
    if isinstance(prim, Line):
        return replace(prim, x1_mm=prim.x1_mm + dx, x2_mm=prim.x2_mm + dx)
    return replace(prim, x_mm=prim.x_mm + dx)


def _png_qr(draw: ImageDraw.ImageDraw, qr: QR, px_per_mm: float) -> None:
    """Draws the QR with a whole number of pixels a module, so every module is the same size."""
    count = len(qr.matrix)
    module = max(1, round(qr.size_mm * px_per_mm / count))
    left = round((qr.x_mm + qr.size_mm / 2) * px_per_mm - module * count / 2)
    top = round((qr.y_mm + qr.size_mm / 2) * px_per_mm - module * count / 2)
    for r, row in enumerate(qr.matrix):
        y = top + r * module
        for start, length in _runs(row):
            x = left + start * module
            draw.rectangle([x, y, x + length * module - 1, y + module - 1], fill=0)
