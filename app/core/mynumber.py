"""Recognising a My Number (個人番号) in text, and masking it wherever text is shown or logged.

A My Number is 12 digits whose last digit is a check digit (番号法施行令 第8条). The privacy
guard (:mod:`app.core.privacy`) refuses text that holds one; :func:`redact` masks one in
every message madoguchi shows, prints or logs, so a refusal never echoes the number back.
Kept apart from the guard so the error types can use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

#: Characters that may separate digit groups of a written number.
_SEPARATORS = " \u3000-‐‑‒–—−ー－"
# A digit group, then more groups each after exactly one separator.
_GROUPS = re.compile(rf"\d+(?:[{re.escape(_SEPARATORS)}]\d+)*")
_GROUP = re.compile(r"\d+")
_ALNUM = re.compile(r"[0-9A-Za-z]")


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
    normal = text if text.isascii() else unicodedata.normalize("NFKC", text)
    if sum(map(len, _GROUP.findall(normal))) < 12:  # most texts: too few digits to hold one
        return
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


#: A stretch of digits (half- or full-width) with the separators a number is written with.
_WRITTEN = re.compile(r"[0-9０-９][0-9０-９ \u3000\-‐‑‒–—−ー－]*[0-9０-９]")
_DIGIT = re.compile(r"[0-9０-９]")


def redact(text: str) -> str:
    """Returns ``text`` with every My Number in it masked (each digit becomes ``＊``)."""
    if not any(ch.isdigit() for ch in text):
        return text

    def mask(match: re.Match[str]) -> str:
        start, end = match.span()
        # A stretch glued to letters is part of a longer code (R2026…), as find_my_number says.
        before = text[start - 1 : start]
        after = text[end : end + 1]
        if (before and _ALNUM.match(unicodedata.normalize("NFKC", before))) or (
            after and _ALNUM.match(unicodedata.normalize("NFKC", after))
        ):
            return match.group()
        if find_my_number(match.group()) is None:
            return match.group()
        return _DIGIT.sub("＊", match.group())

    return _WRITTEN.sub(mask, text)
