"""Privacy guard: madoguchi never stores a My Number (個人番号).

A My Number is 12 digits whose last digit is a check digit (番号法施行令 第8条).
Every free-text field and every import goes through :func:`check_text` (or
:func:`check_payload` for a whole event payload), which refuses text containing one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

#: Characters that may separate digit groups of a written number.
_SEPARATORS = " \u3000-‐‑‒–—−ー－"
# A digit group, then more groups each after exactly one separator.
_GROUPS = re.compile(rf"\d+(?:[{re.escape(_SEPARATORS)}]\d+)*")
_GROUP = re.compile(r"\d+")
_ALNUM = re.compile(r"[0-9A-Za-z]")


class PrivacyError(ValueError):
    """Text that would store personal information; the message says what to do."""


def check_digit(first11: str) -> int:
    """Returns the check digit of the first 11 digits of a My Number.

    Args:
        first11: 11 ASCII digits.
    """
    if len(first11) != 11 or not first11.isdigit():
        raise ValueError("11 digits expected")
    total = 0
    # P(n) is the n-th digit counted from the right; Q(n) = n+1 (n ≤ 6) or n-5 (n ≥ 7).
    for n, ch in enumerate(reversed(first11), start=1):
        q = n + 1 if n <= 6 else n - 5
        total += int(ch) * q
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(digits: str) -> bool:
    """Tells whether 12 ASCII digits form a valid My Number (correct check digit)."""
    return len(digits) == 12 and digits.isdigit() and check_digit(digits[:11]) == int(digits[11])


def _candidates(text: str) -> Iterator[tuple[str, str]]:
    """Yields (digits, as written) for every 12-digit stretch worth checking."""
    normal = unicodedata.normalize("NFKC", text)
    for match in _GROUPS.finditer(normal):
        start, end = match.span()
        # A run glued to letters or digits is part of a longer code (R2026…), not a number.
        if start > 0 and _ALNUM.match(normal[start - 1]):
            continue
        if end < len(normal) and _ALNUM.match(normal[end]):
            continue
        groups = _GROUP.findall(match.group())
        spans = [m.span() for m in _GROUP.finditer(match.group())]
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j]
                if len(digits) == 12:
                    yield digits, match.group()[spans[i][0] : spans[j][1]]
                if len(digits) >= 12:
                    break


def find_my_number(text: str) -> str | None:
    """Returns the first valid My Number written in ``text`` (as written), or None.

    Full-width digits, and digits grouped with spaces or hyphens
    (``1234 5678 9012``, ``１２３４－５６７８－９０１２``) are recognised.  Digits that
    are part of a longer alphanumeric code (a reservation number such as
    ``R202610050001``) are not a My Number.
    """
    for digits, written in _candidates(text):
        if is_my_number(digits):
            return written
    return None


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
            "個人番号は記録できません。番号を消してから入力し直してください。"
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
