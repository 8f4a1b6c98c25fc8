"""The program's languages and its one translation lookup. No Qt.

Translations are gettext catalogs, one per language, in
``resources/locale/<locale>/LC_MESSAGES/madoguchi.po``; translators edit those files (Poedit,
Weblate, any text editor), ``make translations`` compiles them to ``.mo`` files (Babel's
``pybabel compile``), and this module reads the ``.mo`` files with the standard library's
:mod:`gettext`, so the running program needs neither Babel nor Qt. The source texts
(``msgid``) are English; every message has a context (``msgctxt``: ``ticket``, ``status``,
``board``, ``modes``, ``procedure``; ``ui``, ``reception``, ``counter``, ``admin`` … for
the staff windows; ``states``, ``roles``, ``notes`` … for the names of the domain's codes)
saying where it appears. ``make translations-extract`` collects them from the code (``tr``
and ``ntr`` calls, and the :class:`Msg` of the tables of texts by key or code) and from the
procedure catalog's names (``build/babel_sources.py``), then updates every language's
catalog. Japanese is a catalog like the others; the staff windows' texts need only
Japanese (untranslated, a message shows in English).

:func:`tr` is the lookup: a language, a context, the English text and the values of its
``{placeholders}``; a table's :class:`Msg` is looked up with :meth:`Msg.text_in`, which
calls it. The names the site's data files give in Japanese and English (the procedure
catalog, the center's name) are not texts of the program: :func:`data_name` takes
Japanese and English from the data and the other languages from the catalogs.
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass

from app.core.errors import BugError
from app.core.paths import resources_dir

DOMAIN = "madoguchi"


@dataclass(frozen=True)
class Language:
    """One language of the visitor-facing texts.

    Attributes:
        code: the program's code (settings, events, ``--lang``).
        native: the language's name in itself (the reception's key, the page's switch).
        tag: the BCP 47 tag of web pages and screen readers.
        locale: the gettext catalog's folder under ``resources/locale``.
        font: the bundled font that has its glyphs (``resources/fonts``).
    """

    code: str
    native: str
    tag: str
    locale: str
    font: str


IPAEX = "ipaexg.ttf"
NOTO_CJK = "NotoSansCJKsc-madoguchi.ttf"
NOTO_LATIN = "NotoSans-madoguchi.ttf"
#: The family name each bundled font file is known by (Qt asks for fonts by family).
FAMILIES = {IPAEX: "IPAexGothic", NOTO_CJK: "Noto Sans CJK SC", NOTO_LATIN: "Noto Sans"}

#: Japanese first; then English and the languages of Kanagawa's largest foreign groups.
LANGUAGES: tuple[Language, ...] = (
    Language("ja", "日本語", "ja", "ja", IPAEX),
    Language("en", "English", "en", "en", IPAEX),
    Language("zh", "简体中文", "zh-Hans", "zh_Hans", NOTO_CJK),
    Language("ko", "한국어", "ko", "ko", NOTO_CJK),
    Language("vi", "Tiếng Việt", "vi", "vi", NOTO_LATIN),
    Language("pt", "Português", "pt-BR", "pt_BR", IPAEX),
    Language("es", "Español", "es", "es", IPAEX),
    Language("tl", "Tagalog", "tl", "tl", IPAEX),
)
BY_CODE = {lang.code: lang for lang in LANGUAGES}
CODES = tuple(BY_CODE)
#: The language the source texts are written in: it needs no catalog.
SOURCE = "en"


class TranslationsMissing(BugError):
    """A language's compiled catalog is not where the program looks (not built)."""


def language(code: str) -> Language:
    """Returns a language by code.

    Raises:
        KeyError: the program has no such language.
    """
    return BY_CODE[code]


@functools.cache
def translations(code: str) -> gettext.NullTranslations:
    """Returns the compiled catalog of a language (read once).

    Raises:
        KeyError: the program has no such language.
        TranslationsMissing: the ``.mo`` file was not built (``make translations``).
    """
    lang = BY_CODE[code]
    if code == SOURCE:
        return gettext.NullTranslations()
    folder = resources_dir() / "locale"
    try:
        return gettext.translation(DOMAIN, folder, [lang.locale])
    except FileNotFoundError as exc:
        raise TranslationsMissing(
            f"no compiled catalog for {code} under {folder}: run `make translations`"
        ) from exc


def font_families(code: str) -> list[str]:
    """Returns the bundled font families to draw a language with: the one made for it
    first (its metrics then hold its accents and its own glyph shapes: Chinese hanzi, not
    their Japanese forms), the others after it for anything it lacks."""
    first = FAMILIES[BY_CODE[code].font]
    return [first, *(family for family in FAMILIES.values() if family != first)]


@dataclass(frozen=True)
class Msg:
    """A text kept in a table to be looked up later with :func:`tr` (a window's labels by
    key, the names of states): its English (the catalog's ``msgid``) and its context.

    ``make translations-extract`` finds ``Msg("context", "English")`` in the code as it
    finds ``tr`` calls, so both arguments are written out as literals.
    """

    context: str
    text: str

    def text_in(self, lang: str, **values: object) -> str:
        """Returns the text in a language, its ``{placeholders}`` filled (:func:`tr`)."""
        return tr(lang, self.context, self.text, **values)


def tr(lang: str, context: str, message: str, **values: object) -> str:
    """Returns a text in a language, its ``{placeholders}`` filled.

    A message the catalog lacks (a new text not translated yet, a site's own procedure
    name) comes out in English.

    Args:
        lang: the language's code.
        context: where the text appears (the catalog's ``msgctxt``).
        message: the English text (the catalog's ``msgid``).
        values: the placeholders' values.
    """
    text = translations(lang).pgettext(context, message)
    return text.format(**values) if values else text


def ntr(lang: str, context: str, singular: str, plural: str, n: int, **values: object) -> str:
    """Returns a text about ``n`` things in a language (its plural forms), ``{n}`` filled."""
    text = translations(lang).npgettext(context, singular, plural, n)
    return text.format(n=n, **values)


def data_name(lang: str, context: str, name_ja: str, name_en: str) -> str:
    """Returns a name the site's data gives in Japanese and English (the procedure
    catalog's procedures, lanes and applicant types, the center's name in the settings)
    in any language: Japanese and English as the data has them (a site names its own
    procedures in its ``catalog.toml``), the others from the catalogs by the English name
    (English until translated).

    For names of data only: the program's own texts are :func:`tr`'s.
    """
    if lang == "ja":
        return name_ja
    return tr(lang, context, name_en)
