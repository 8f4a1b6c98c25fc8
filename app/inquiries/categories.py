"""The categories shared by inquiries and the Q&A collection, and the check of their texts.

Both :mod:`app.inquiries.inquiry_log` and :mod:`app.inquiries.qa` write free text that reaches
the city, so both go through :func:`clean_text` (no personal data, not empty, not too long).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from app.core.errors import InputError
from app.core.i18n import Msg
from app.core.privacy import check_city_text

#: The longest question or answer accepted (characters).
MAX_TEXT = 2000


class Category(NamedTuple):
    """An inquiry / Q&A category: its code (stored in events) and its name (the context
    ``categories`` of the catalogs)."""

    code: str
    name: Msg

    @property
    def name_ja(self) -> str:
        """Returns the Japanese name."""
        return self.name.text_in("ja")

    @property
    def name_en(self) -> str:
        """Returns the English name."""
        return self.name.text


CATEGORIES: tuple[Category, ...] = (
    Category("issuance", Msg("categories", "Card issuance")),
    Category("certificate", Msg("categories", "Electronic certificates")),
    Category("pin", Msg("categories", "PINs")),
    Category("loss", Msg("categories", "Loss and abolition")),
    Category("surface", Msg("categories", "Card-surface changes")),
    Category("reservation", Msg("categories", "Reservations")),
    Category("visit", Msg("categories", "Visiting the center")),
    Category("fee", Msg("categories", "Fees")),
    Category("other", Msg("categories", "Other")),
)


@functools.cache
def _by_key() -> dict[str, Category]:
    # Built when first asked: the Japanese names come from the compiled catalog.
    return {key: c for c in CATEGORIES for key in (c.code, c.name_ja, c.name_en.lower())}


def find_category(value: str) -> Category:
    """Returns a category from its code, Japanese name or English name.

    Raises:
        ValueError: no such category (the message lists them).
    """
    found = _by_key().get(value.strip()) or _by_key().get(value.strip().lower())
    if found is None:
        names = "、".join(f"{c.name_ja}（{c.code}）" for c in CATEGORIES)
        raise InputError(f"分類 {value!r} はありません（{names}）")
    return found


def category_name(code: str) -> str:
    """Returns a category's Japanese name (the code itself if unknown)."""
    found = _by_key().get(code)
    return found.name_ja if found else code


def clean_text(text: str, field: str, *, required: bool = True) -> str:
    """Returns stripped text fit for the city: no personal data, not empty, not too long.

    Raises:
        PrivacyError: the text seems to hold personal data (the message asks to rephrase).
        ValueError: empty (when required) or longer than :data:`MAX_TEXT`.
    """
    value = text.strip()
    check_city_text(value, field)
    if required and not value:
        raise InputError(f"{field}を入力してください")
    if len(value) > MAX_TEXT:
        raise InputError(f"{field}は{MAX_TEXT}文字以内にしてください（{len(value)}文字）")
    return value
