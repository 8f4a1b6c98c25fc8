"""Babel extractor for the texts that are not in the code (``build/babel.cfg``).

- ``catalog``: the procedure catalog (``resources/catalog.toml``): the English names of the
  applicant types, lanes and procedures, in the contexts ``applicant``, ``lane`` and
  ``procedure``, the Japanese names as comments; and the center's name in the site
  settings (``resources/site.toml``, context ``site``).

Babel calls it with ``(fileobj, keywords, comment_tags, options)`` and takes
``(lineno, funcname, message, comments)`` tuples; a message with a context is the tuple
``(context, text)`` under the function name ``pgettext``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import IO, Any

Found = tuple[int, str, tuple[str, str], list[str]]


def catalog(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, str]
            ) -> Iterator[Found]:  # fmt: skip
    """Yields the English names of the catalog's applicant types, lanes and procedures."""
    text = fileobj.read().decode("utf-8")
    data = tomllib.loads(text)
    lines = text.splitlines()

    def line_of(name: str) -> int:
        needle = f'name_en = "{name}"'
        return next((i + 1 for i, line in enumerate(lines) if line.strip() == needle), 0)

    entries: list[tuple[str, dict[str, Any]]] = [
        *([("site", data["site"])] if "site" in data else []),
        *(("applicant", a) for a in data.get("applicants", {}).values()),
        *(("lane", lane) for lane in data.get("lanes", [])),
        *(("procedure", p) for p in data.get("procedures", [])),
    ]
    for context, entry in entries:
        yield (line_of(entry["name_en"]), "pgettext", (context, entry["name_en"]),
               [f"ja: {entry['name_ja']}"])  # fmt: skip
