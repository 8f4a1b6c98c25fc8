"""The translation catalogs as a translator leaves them: Japanese complete, and no
translation that would break the text it stands for."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from app.core.i18n import LANGUAGES, SOURCE, Language

LOCALE = Path(__file__).resolve().parents[3] / "resources" / "locale"


def catalog(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def messages(cat: Catalog) -> list[Message]:
    return [m for m in cat if m.id]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_message_has_its_japanese() -> None:
    """Japanese is the center's language: a text the ja catalog lacks would show in English
    to the staff and the visitors."""
    template = catalog(LOCALE / "madoguchi.pot")
    ja = catalog(LOCALE / "ja" / "LC_MESSAGES" / "madoguchi.po")
    missing = []
    for message in messages(template):
        found = ja.get(message.id, context=message.context)
        if found is None or not found.string or found.fuzzy:
            missing.append((message.context, message.id))
    assert missing == [], f"{len(missing)} messages without Japanese: {missing[:10]}"


@pytest.mark.parametrize("lang", [x for x in LANGUAGES if x.code != SOURCE], ids=lambda x: x.code)
def test_a_translation_keeps_the_placeholders_of_its_text(lang: Language) -> None:
    """A translation that drops, adds or misspells a ``{placeholder}`` would fail (or show
    a wrong value) when the text is filled."""
    wrong = []
    for message in messages(catalog(LOCALE / lang.locale / "LC_MESSAGES" / "madoguchi.po")):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in (s for s in strings if s):
            if fields(text) != fields(ids[0]) and fields(text) != fields(ids[-1]):
                wrong.append((message.context, ids[0], text))
    assert wrong == []


def test_a_wrong_placeholder_is_found() -> None:
    assert fields("{n} 人待ち") != fields("{count} waiting")
    assert fields("あと{n}人") == fields("{n} ahead")
