"""Several procedures in one visit, and how the visit moves between the counters. No Qt.

Reception may pick several procedures for one visitor (e-certificate renewal and a PIN
reset, say). Each is served where the catalog routes it for the applicant type (7 業務分担).
The visit takes **one** ticket and keeps its number; its stops are the lanes of its
procedures, contractor lanes first, then the city's, each lane once, in the catalog's
order:

- the ticket waits in the lane of its first stop;
- the counter there records an outcome for each procedure of its stop;
- if procedures routed to another lane remain, the visit moves on to the next stop as a
  transfer (the visitor keeps the number in their hand; the board and the voice call it):
  e.g. renewal (委託) and a switch to a face-authentication card (市) → the contractor's
  counter first, then the city counter;
- a ticket transferred for another reason (a double check …) keeps its procedures: they
  are served where it went.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.core.catalog import Catalog, Lane


@dataclass(frozen=True)
class Stop:
    """A lane of a visit and the procedures served there."""

    lane: Lane
    procedures: tuple[str, ...]


def stops(catalog: Catalog, procedures: Sequence[str], applicant: str) -> list[Stop]:
    """Returns the stops of a visit: its procedures by lane, contractor lanes first.

    Raises:
        CatalogError: an unknown procedure, or one the applicant type may not ask for.
    """
    by_lane: dict[str, list[str]] = {}
    for code in procedures:
        by_lane.setdefault(catalog.lane_for(code, applicant).id, []).append(code)
    order = {lane_id: n for n, lane_id in enumerate(catalog.lanes)}
    lanes = sorted(by_lane, key=lambda lane_id: (catalog.lane(lane_id).operator == "city",
                                                 order[lane_id]))  # fmt: skip
    return [Stop(catalog.lane(lane_id), tuple(by_lane[lane_id])) for lane_id in lanes]


def procedures_of(ticket: Mapping[str, Any]) -> list[str]:
    """Returns every procedure of a ticket (the main one alone for a ticket of one)."""
    found = ticket.get("procedures")
    if isinstance(found, str):
        found = json.loads(found)
    return list(found) if found else [str(ticket["procedure"])]


def split_here(catalog: Catalog, ticket: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Returns the procedures a ticket's counter serves and those that move on.

    Served here: the procedures the catalog routes to the ticket's lane for its applicant
    type, or all of them when none is (a ticket transferred for another reason).
    """
    every = procedures_of(ticket)
    lane, applicant = ticket["lane"], ticket["applicant"]
    here = [p for p in every if catalog.lane_for(p, applicant).id == lane]
    if not here:
        return every, []
    return here, [p for p in every if p not in here]
