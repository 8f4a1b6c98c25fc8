"""Which counters serve which lane now: the staffing advice and the wait estimate count them.

A counter serves a lane when a staff member who may serve signed in there today. The staff
table does not say which lanes a counter calls, so a counter is taken to serve the lanes of
its operator (city staff: city lanes; contractor clerks: contractor lanes; a site manager:
all) plus any lane it has called today. A counter serving several lanes counts in each.
A counter paused with a reason (休憩 …, :mod:`app.queue.counter_pauses`) serves nothing
until it is resumed.
"""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from app.core.actor import CITY_STAFF, CLERK, Actor
from app.model.clock import to_datetime, to_ms
from app.queue.counter_pauses import paused_now

if TYPE_CHECKING:
    from app.core.node import Node

_ROLE_OPERATOR = {CLERK: "contractor", CITY_STAFF: "city"}


def counters_open(node: Node, now_ms: int, paused_too: bool = False) -> dict[str, list[str]]:
    """Returns lane → the counters serving it now (see the module docstring); with
    ``paused_too``, the paused counters as well (they serve again once reopened)."""
    today = to_datetime(now_ms).date()
    midnight = to_ms(today, time(0, 0))
    staff = node.store.rows(
        "SELECT role, signed_in_counter AS counter FROM staff WHERE active = 1 "
        "AND signed_in_counter IS NOT NULL AND signed_in_at >= ?",
        (midnight,),
    )
    called = node.store.rows(
        "SELECT DISTINCT counter, lane FROM tickets WHERE day = ? AND counter IS NOT NULL",
        (today.isoformat(),),
    )
    lanes = node.catalog.lanes
    paused = paused_now(node, now_ms)
    found: dict[str, set[str]] = {lane: set() for lane in lanes}
    for row in staff:
        if not Actor("?", row["role"]).may("ticket.serve"):
            continue
        if row["counter"] in paused and not paused_too:
            continue
        operator = _ROLE_OPERATOR.get(row["role"])
        for lane in lanes.values():
            if operator is None or lane.operator == operator:
                found[lane.id].add(row["counter"])
        for r in called:
            if r["counter"] == row["counter"] and r["lane"] in found:
                found[r["lane"]].add(row["counter"])
    return {lane: sorted(counters) for lane, counters in found.items()}
