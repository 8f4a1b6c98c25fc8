"""What the reception desk's choices say: the procedure buttons' texts and keys, and where
a visit goes (its lane, or its stops for several procedures)."""

from __future__ import annotations

import html

from app.core.catalog import Catalog
from app.queue.routes import Stop
from ui.widgets.i18n import Texts


def button_text(name: str, notes: list[str]) -> str:
    """Returns a procedure button's text: its name, and under it its notes in a smaller
    type (reservation only, paused …), so that a long name and its note both fit."""
    lines = [html.escape(name), *(f'<span style="font-size: 13px;">{html.escape(n)}</span>'
                                  for n in notes)]  # fmt: skip
    return "<br>".join(lines)


def route_text(texts: Texts, catalog: Catalog, route: list[Stop]) -> str:
    """Returns where the visit goes: its lane, and for several procedures each stop with its
    procedures (the city's after the contractor's, the visitor keeping the number)."""
    t = texts
    if len(route) == 1 and len(route[0].procedures) == 1:
        first = route[0].lane
        return f"→ {first.prefix}  {t.name('lane', first)}"
    lines = []
    for n, stop in enumerate(route):
        procs = [catalog.procedure(code) for code in stop.procedures]
        names = [t.name("procedure", p) for p in procs]
        where = f"{stop.lane.prefix}  {t.name('lane', stop.lane)}"
        lines.append(t("route_first" if n == 0 else "route_then", lane=where, p="・".join(names)))
    return "\n".join(lines)


def procedure_key(position: int) -> str:
    """Returns the key of the procedure button at ``position`` (1 …): 1–9, then 0."""
    return str(position % 10)
