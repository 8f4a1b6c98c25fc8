"""Makes the bundled fonts for the languages IPAex Gothic does not cover.

IPAex Gothic (resources/fonts/ipaexg.ttf) draws Japanese, English, Portuguese, Spanish and
Tagalog. The other languages of the ticket and the board get two fonts made here from
Debian's Noto packages (SIL Open Font License 1.1), subset to fixed character sets so that
a translator's new wording almost never needs a new glyph (the glyph test,
tests/app/core/test_glyphs.py, says so when it does):

- ``NotoSansCJKsc-madoguchi.ttf``: Simplified Chinese and Korean, from Noto Sans CJK SC
  (``fonts-noto-cjk``): the 3,755 hanzi of GB 2312 level 1, the 2,350 hangul syllables of
  KS X 1001, hangul jamo, CJK punctuation, full-width forms and Latin. Its PostScript
  outlines are turned into TrueType ones: reportlab embeds only TrueType outlines in PDFs.
- ``NotoSans-madoguchi.ttf``: Vietnamese (and Latin), from Noto Sans (``fonts-noto-core``).

Run on a Debian machine with those packages and fontTools (``pip install -e .[dev]``)::

    python build/fonts.py

The outputs are committed (they are the bundled fonts, not build output: the source fonts
are not part of the build machine), with the licence in resources/fonts/OFL-1.1.txt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "fonts"
CJK_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_INDEX = 2  # Noto Sans CJK SC in the collection
LATIN_SOURCE = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
#: Outline conversion: the largest distance (font units) a quadratic may stray from the cubic.
MAX_ERROR = 1.0

LATIN = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00),
         *range(0x2000, 0x2070), 0x20AB, 0x20AC, 0x2190, 0x2192, 0x2212, 0x25CF]  # fmt: skip
CJK_COMMON = [*range(0x3000, 0x3040), *range(0xFF00, 0xFFF0), *range(0x1100, 0x1200),
              *range(0x3130, 0x3190), 0x30FB]  # fmt: skip


def _charset(codec: str, rows: range, cells: range = range(0xA1, 0xFF)) -> list[int]:
    """Returns the characters of a two-byte EUC character set's rows."""
    chars = []
    for row in rows:
        for cell in cells:
            try:
                chars.append(ord(bytes((row, cell)).decode(codec)))
            except UnicodeDecodeError:
                continue
    return chars


def _to_truetype(font: TTFont) -> None:
    """Replaces the font's CFF outlines by TrueType ones (quadratic curves)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def _subset(font: TTFont, chars: list[int]) -> None:
    options = subset.Options()
    options.layout_features = ["kern", "liga", "ccmp", "locl", "mark", "mkmk", "vert"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=chars)
    sub.subset(font)


def main() -> int:
    hanzi = _charset("gb2312", range(0xB0, 0xD8))  # level 1: rows 16–55
    hangul = _charset("euc_kr", range(0xB0, 0xC9))  # the 2,350 syllables
    cjk = TTCollection(str(CJK_SOURCE)).fonts[CJK_INDEX]
    _subset(cjk, sorted({*LATIN, *CJK_COMMON, *hanzi, *hangul}))
    _to_truetype(cjk)
    cjk.recalcTimestamp = False  # the same sources make the same bytes
    cjk.save(str(OUT / "NotoSansCJKsc-madoguchi.ttf"))
    latin = TTFont(str(LATIN_SOURCE))
    _subset(latin, LATIN)
    latin.recalcTimestamp = False
    latin.save(str(OUT / "NotoSans-madoguchi.ttf"))
    for name in ("NotoSansCJKsc-madoguchi.ttf", "NotoSans-madoguchi.ttf"):
        size = (OUT / name).stat().st_size
        print(f"{name}: {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
