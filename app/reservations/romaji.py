"""Finding a katakana name from what a floor manager types in romaji.

Names come from the reservation export in katakana (氏名カナ). A visitor may spell their
name in romaji (a passport, a foreign resident's card), and a keyboard without the input
method types romaji too. Rather than guessing kana from romaji (``shinichi`` could be
シニチ or シンイチ), each name is read out in romaji, which is unambiguous, and both it and
what was typed are brought to one loose spelling: Hepburn and Kunrei-shiki alike (``si``
and ``shi``, ``tu`` and ``tsu``), long vowels written or not (``Satou``, ``Sato``,
``Satoh``), ``m`` or ``n`` before b/m/p (``Homma``, ``Honma``). No Qt, no dictionary.
"""

from __future__ import annotations

import re
import unicodedata

_ROWS = {
    "": "アイウエオ", "k": "カキクケコ", "s": "サシスセソ", "t": "タチツテト", "n": "ナニヌネノ",
    "h": "ハヒフヘホ", "m": "マミムメモ", "y": "ヤ-ユ-ヨ", "r": "ラリルレロ", "w": "ワヰ-ヱヲ",
    "g": "ガギグゲゴ", "z": "ザジズゼゾ", "d": "ダヂヅデド", "b": "バビブベボ", "p": "パピプペポ",
}  # fmt: skip
_SPECIAL = {"シ": "shi", "チ": "chi", "ツ": "tsu", "フ": "fu", "ジ": "ji", "ヂ": "ji",
            "ヅ": "zu", "ヲ": "o", "ヰ": "i", "ヱ": "e", "ン": "n", "ヴ": "vu"}  # fmt: skip
_SMALL_VOWELS = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"}
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}


def _syllables() -> dict[str, str]:
    table: dict[str, str] = {}
    for consonant, kana in _ROWS.items():
        for vowel, char in zip("aiueo", kana, strict=True):
            if char != "-":
                table[char] = consonant + vowel
    table.update(_SPECIAL)
    return table


_SYLLABLES = _syllables()


def kana_to_romaji(text: str) -> str:
    """Returns katakana (or hiragana) read out in Hepburn romaji, lower case; other
    characters are left out.

    ``タナカ ショウタ`` → ``tanakashouta``; ``ハットリ`` → ``hattori``; ``シンイチ`` → ``shinichi``.
    """
    normal = unicodedata.normalize("NFKC", text)
    kana = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in normal)
    out: list[str] = []
    double = False
    for char in kana:
        if char == "ッ":
            double = True
            continue
        if char in _SMALL_Y and out:
            # キャ kya, シャ sha, チャ cha, ジャ ja: the syllable's vowel becomes y + vowel.
            last = out.pop()
            stem = last[:-1]
            out.append((stem if stem.endswith(("sh", "ch", "j")) else stem + "y") + _SMALL_Y[char])
            continue
        if char in _SMALL_VOWELS and out:
            # ファ fa, ティ ti, ウィ wi: the syllable's vowel is replaced.
            last = out.pop()
            stem = last[:-1] or ("w" if last == "u" else "")
            out.append(stem + _SMALL_VOWELS[char])
            continue
        if char == "ー":
            if out:
                out.append(out[-1][-1])  # the vowel again: ロー roo (loose: ro)
            continue
        syllable = _SYLLABLES.get(char)
        if syllable is None:
            double = False
            continue
        if double and syllable[0] not in "aiueon":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return "".join(out)


#: Kunrei-shiki and other spellings, turned into Hepburn; Hepburn's own digraphs map to
#: themselves so that no rule reads into them (the ``hu`` of ``shu`` is not ``fu``).
_SPELLINGS = {
    "sha": "sha", "shu": "shu", "sho": "sho", "shi": "shi", "cha": "cha", "chu": "chu",
    "cho": "cho", "chi": "chi", "tsu": "tsu", "sya": "sha", "syu": "shu", "syo": "sho",
    "tya": "cha", "tyu": "chu", "tyo": "cho", "zya": "ja", "zyu": "ju", "zyo": "jo",
    "jya": "ja", "jyu": "ju", "jyo": "jo", "dya": "ja", "dyu": "ju", "dyo": "jo",
    "cch": "tch", "si": "shi", "ti": "chi", "tu": "tsu", "hu": "fu", "zi": "ji", "di": "ji",
    "du": "zu",
}  # fmt: skip
_SPELLING = re.compile("|".join(sorted(_SPELLINGS, key=len, reverse=True)))
_M_BEFORE_LIP = re.compile(r"m(?=[bmp])")
#: Long vowels written or not: Satou, Satoo, Satoh and Sato; Yuuki and Yuki.
_LONG = re.compile(r"(?<=o)[ou]|(?<=o)h(?![aiueoy])|(?<=u)u|(?<=e)e|(?<=a)a|(?<=i)i")


def loose(romaji: str) -> str:
    """Returns romaji in the one loose spelling names are compared in (see the module)."""
    text = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKC", romaji).lower())
    text = _SPELLING.sub(lambda m: _SPELLINGS[m.group(0)], text)
    text = _M_BEFORE_LIP.sub("n", text)
    return _LONG.sub("", text)


def is_romaji(text: str) -> bool:
    """Tells whether a query is a name typed in Latin letters (not a booking number)."""
    normal = unicodedata.normalize("NFKC", text).strip()
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z\s'’.-]*", normal))


def romaji_matches(query: str, name_kana: str) -> bool:
    """Tells whether a romaji query is part of a katakana name (see the module)."""
    key = loose(query)
    return bool(key) and key in loose(kana_to_romaji(name_kana))
