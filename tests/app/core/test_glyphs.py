"""Every text of every language has its glyphs in the font that draws it (no tofu).

The ticket draws each line with one bundled font (``Language.font``); the windows ask Qt
for IPAex Gothic and fall back on the Noto subsets. Each visitor-facing text of each
catalog is drawn with the ticket's font for its language, and every character must be in
the font's character map; one missing glyph fails with the language, the text and the
character. The staff windows' own texts (Japanese and English only) must be in the
windows' fonts together, but for their warning signs (⚠), which Qt takes from the
system's symbol font, as it does for the same texts in English.
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


#: The contexts of the staff windows' texts: drawn by Qt only, never printed or served.
WINDOWS = frozenset({"ui", "tab", "admin", "pauses", "lan", "counter", "reception"})


def texts_of(lang: Language) -> list[str]:
    catalog = translations(lang.code)
    if isinstance(catalog, gettext.GNUTranslations):
        texts = [
            str(text)
            for key, text in catalog._catalog.items()  # type: ignore[attr-defined]
            if not (isinstance(key, str) and key.partition("\x04")[0] in WINDOWS)
        ]
    else:
        texts = []
    return [*texts, *page_texts(lang.code).values(), lang.native]


def window_texts_of(lang: Language) -> list[str]:
    catalog = translations(lang.code)
    if not isinstance(catalog, gettext.GNUTranslations):
        return []
    return [
        str(text)
        for key, text in catalog._catalog.items()  # type: ignore[attr-defined]
        if isinstance(key, str) and key.partition("\x04")[0] in WINDOWS
    ]


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


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_the_windows_own_texts_have_their_glyphs_in_the_windows_fonts(lang: Language) -> None:
    together = charmap(IPAEX) | charmap(NOTO_CJK) | charmap(NOTO_LATIN)
    missing = {
        (text, char)
        for text in window_texts_of(lang)
        for char in text
        if not char.isspace()
        and unicodedata.category(char) not in ("Cc", "Cf", "So")
        and ord(char) not in together
    }
    assert not missing, f"{lang.code}: {sorted(missing)[:10]}"


def test_the_windows_fonts_cover_every_language_native_name() -> None:
    together = charmap(IPAEX) | charmap(NOTO_CJK) | charmap(NOTO_LATIN)
    for lang in LANGUAGES:
        assert all(ord(c) in together for c in lang.native if not c.isspace()), lang.code


def test_a_missing_glyph_is_found() -> None:
    assert ord("번") not in charmap(IPAEX) and ord("ự") not in charmap(IPAEX)
