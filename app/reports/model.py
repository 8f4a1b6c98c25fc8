"""What a report is made of, independent of its file format (PDF, CSV, XLSX). No Qt.

A :class:`Report` is a title, header lines and a sequence of blocks: tables, charts and
notes. Table cells keep their type (:class:`Column.kind`) so each writer can format them:
numbers stay numbers, days stay dates and durations are minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

#: ``text``; ``int``; ``minutes`` (float minutes); ``percent`` (a fraction 0–1); ``number``
#: (float); ``date``; ``datetime`` (naive JST); ``time`` (``HH:MM`` text).
Kind = Literal["text", "int", "minutes", "percent", "number", "date", "datetime", "time"]


@dataclass(frozen=True)
class Column:
    """A table column: its title, the type of its cells and its relative width in a PDF."""

    title: str
    kind: Kind = "int"
    width: float = 1.0


@dataclass
class Table:
    """A titled table; ``None`` cells are empty."""

    title: str
    columns: Sequence[Column]
    rows: list[list[Any]]
    note: str = ""
    total_row: bool = False  # the last row sums the others (drawn bold-ish in a PDF)


@dataclass
class Chart:
    """A chart drawn in the PDF (``bar``: one or more series over categories;
    ``histogram``: counts per bin, the categories being the bins)."""

    title: str
    kind: Literal["bar", "histogram"]
    categories: list[str]
    series: list[tuple[str, list[float]]]
    y_label: str = ""


@dataclass
class Notes:
    """A titled list of lines (problems, improvement plans, explanations)."""

    title: str
    lines: list[str]


Block = Table | Chart | Notes


@dataclass
class Report:
    """One report, ready to be written in any format.

    Attributes:
        kind: ``daily``, ``monthly``, ``sla`` or ``annual``.
        title: the Japanese title, e.g. 作業日報.
        period: the period text, e.g. ``2026-10``.
        header: (label, value) lines printed under the title.
        blocks: tables, charts and notes, in order.
    """

    kind: str
    title: str
    period: str
    header: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def tables(self) -> list[Table]:
        """Returns the report's tables in order."""
        return [b for b in self.blocks if isinstance(b, Table)]


def cell_text(value: Any, kind: Kind) -> str:
    """Returns a cell as text for CSV and PDF (percent as 0–100 with one decimal)."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{value * 100:.1f}"
    if kind in ("minutes", "number"):
        return str(value) if isinstance(value, int) else f"{value:.1f}"
    if kind == "int":
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def column_title(column: Column) -> str:
    """Returns a column's title with its unit for text formats."""
    unit = {"percent": "（%）", "minutes": "（分）"}.get(column.kind, "")
    return column.title if column.title.endswith(unit) else column.title + unit
