"""Every text of every language has its glyphs in the font that draws it (no tofu).

The ticket draws each line with one bundled font (``Language.font``); the windows ask Qt
for IPAex Gothic and fall back on the Noto subsets. Each text of each catalog is drawn
with the ticket's font for its language, and every character must be in the font's
character map; one missing glyph fails with the language, the text and the character.
"""

from __future__ import annotations

import functools
import gettext
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from app.core.i18n import IPAEX, LANGUAGES, NOTO_CJK, NOTO_LATIN, Language, translations
from app.core.paths import font_path
from app.status.page import page_texts


@functools.cache
def charmap(font: str) -> frozenset[int]:
    return frozenset(TTFont(str(font_path(font))).getBestCmap())


def texts_of(lang: Language) -> list[str]:
    catalog = translations(lang.code)
    if isinstance(catalog, gettext.GNUTranslations):
        texts = [str(text) for text in catalog._catalog.values()]  # type: ignore[attr-defined]
    else:
        texts = []
    return [*texts, *page_texts(lang.code).values(), lang.native]


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_every_text_has_its_glyphs_in_the_tickets_font(lang: Language) -> None:
    have = charmap(lang.font)
    missing = {
        (text, char)
        for text in texts_of(lang)
        for char in text
        if not char.isspace() and unicodedata.category(char)[0] != "C" and ord(char) not in have
    }
    assert not missing, f"{lang.code}: {sorted(missing)[:10]}"
    font = ImageFont.truetype(str(font_path(lang.font)), 24)
    for text in texts_of(lang)[:5]:  # and it draws: ink on the picture
        image = Image.new("1", (1400, 40), 1)
        ImageDraw.Draw(image).text((2, 2), text, font=font, fill=0)
        assert image.getbbox() is not None or not text.strip()


def test_the_windows_fonts_cover_every_language_native_name() -> None:
    together = charmap(IPAEX) | charmap(NOTO_CJK) | charmap(NOTO_LATIN)
    for lang in LANGUAGES:
        assert all(ord(c) in together for c in lang.native if not c.isspace()), lang.code


def test_a_missing_glyph_is_found() -> None:
    assert ord("번") not in charmap(IPAEX) and ord("ự") not in charmap(IPAEX)
