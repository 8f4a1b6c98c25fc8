"""Babel extractors for the texts that are not ``tr()`` calls (``build/babel.cfg``).

- ``pairs``: a Python module's tables of (ja, en) pairs (``NAME: dict[str, tuple[str, str]] =
  {"key": ("日本語", "English"), …}`` at module level, names ending in ``TEXTS``). Each pair
  becomes a message whose ``msgid`` is the English and whose context is the ``context``
  option of the mapping; the Japanese goes along as a comment for the translator
  (``#. ja: …``). Japanese itself still comes from the table (``app.core.i18n.tr_pair``)
  until the table moves into the catalogs.
- ``catalog``: the procedure catalog (``resources/catalog.toml``): the English names of the
  applicant types, lanes and procedures, in the contexts ``applicant``, ``lane`` and
  ``procedure``, the Japanese names as comments; and the center's name in the site
  settings (``resources/site.toml``, context ``site``).

Babel calls each with ``(fileobj, keywords, comment_tags, options)`` and takes
``(lineno, funcname, message, comments)`` tuples; a message with a context is the tuple
``(context, text)`` under the function name ``pgettext``.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from typing import IO, Any

Found = tuple[int, str, tuple[str, str], list[str]]


def _pair(node: ast.expr) -> tuple[str, str] | None:
    if not isinstance(node, ast.Tuple) or len(node.elts) != 2:
        return None
    ja, en = node.elts
    if not all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in (ja, en)):
        return None
    return ja.value, en.value  # type: ignore[attr-defined]


def pairs(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, str]
          ) -> Iterator[Found]:  # fmt: skip
    """Yields the English half of every (ja, en) pair of the module's ``…TEXTS`` tables."""
    context = options.get("context", "ui")
    tree = ast.parse(fileobj.read())
    for statement in tree.body:
        if isinstance(statement, ast.AnnAssign | ast.Assign):
            targets = [statement.target] if isinstance(statement, ast.AnnAssign) else (
                statement.targets)  # fmt: skip
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if not any(n.endswith("TEXTS") for n in names):
                continue
            if not isinstance(statement.value, ast.Dict):
                continue
            for key, value in zip(statement.value.keys, statement.value.values, strict=True):
                pair = _pair(value)
                if pair is None or not isinstance(key, ast.Constant):
                    continue
                yield (value.lineno, "pgettext", (context, pair[1]),
                       [f"key: {key.value}", f"ja: {pair[0]}"])  # fmt: skip


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
