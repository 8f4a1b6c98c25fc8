"""Privacy guard: madoguchi never stores a My Number (個人番号).

A My Number is 12 digits whose last digit is a check digit (番号法施行令 第8条).
Every free-text field and every import goes through :func:`check_text` (or
:func:`check_payload` for a whole event payload), which refuses text containing one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from app.core.errors import InputError
from app.core.mynumber import find_my_number


class PrivacyError(InputError):
    """Text that would store personal information; the message says what to do."""


def check_text(text: str, field: str = "入力") -> None:
    """Refuses text that contains a My Number.

    Args:
        text: what the user typed or a file contained.
        field: the field's name, for the message.

    Raises:
        PrivacyError: the text contains a valid My Number.
    """
    if find_my_number(text) is not None:
        raise PrivacyError(
            f"{field}に個人番号（マイナンバー）と思われる12桁の番号が含まれています。"
            "個人番号は記録できません。番号を消してから入力し直してください。",
            en="The text holds what looks like a My Number (12 digits). A My Number is never "
            "recorded: remove it and type the text again.",
        )


def check_payload(value: Any, field: str = "入力") -> None:
    """Runs :func:`check_text` on every string inside a JSON-like value."""
    if isinstance(value, str):
        check_text(value, field)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_payload(item, str(key))
    elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        for item in value:
            check_payload(item, field)


# -- text that goes to the city ---------------------------------------------------------

_PHONE = re.compile(
    r"(?<![0-9A-Za-z])0\d{1,4}[-‐−ー(（ ]?\d{1,4}[-‐−ー)） ]?\d{3,4}(?![0-9A-Za-z])"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_BOOKING_KEY = re.compile(r"(?<![0-9A-Za-z])[A-Za-z0-9]{3}-\d{6}(?!\d)")
_ERA_DATE = re.compile(r"(昭和|平成|令和|[SHR])\s*\d{1,2}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}")
_WESTERN_DATE = re.compile(r"(?<!\d)(19\d{2}|20\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")
#: A full date this long ago is taken for a birth date, not a date of the center's work.
_BIRTH_BEFORE_YEAR = 2015


def find_contact_data(text: str) -> str | None:
    """Returns what kind of personal data ``text`` seems to contain, or None.

    Looks for phone numbers, e-mail addresses, booking keys of the 交付通知書
    (英数3桁-数字6桁), birth dates (a date in a Japanese era, or a full date before
    2015) and My Numbers. Names cannot be recognised: staff are asked not to type them.
    """
    normal = unicodedata.normalize("NFKC", text)
    if find_my_number(normal):
        return "個人番号"
    if _EMAIL.search(normal):
        return "メールアドレス"
    if _BOOKING_KEY.search(normal):
        return "交付通知書の照会番号"
    if _PHONE.search(normal):
        return "電話番号"
    if _ERA_DATE.search(normal):
        return "生年月日"
    for match in _WESTERN_DATE.finditer(normal):
        if int(match.group(1)) < _BIRTH_BEFORE_YEAR:
            return "生年月日"
    return None


def check_city_text(text: str, field: str = "入力") -> None:
    """Refuses free text meant for the city's reports if it holds personal data.

    Raises:
        PrivacyError: what was found, and a request to rephrase without it.
    """
    found = find_contact_data(text)
    if found is not None:
        raise PrivacyError(
            f"{field}に{found}と思われる内容があります。市への報告に個人情報は含められません。"
            "個人が分からない書き方に直してください（例: 「電話番号を確認」）。",
            en="The text looks like it holds personal data, which reports to the city may "
            "not carry. Write it so that nobody can be identified (e.g. 'checked the phone "
            "number').",
        )
