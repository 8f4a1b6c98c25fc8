"""Visits that end at reception: turned back for missing documents (書類不備).

Such a visitor gets no ticket, but the visit counts in the statistics and the floor
manager is told what the visitor must bring next time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.actor import Actor
from app.core.errors import InputError

if TYPE_CHECKING:
    from app.core.node import Node

TURNED_BACK = "visit.turned_back"


def turn_back(node: Node, actor: Actor, procedure: str, applicant: str, missing: list[str],
              others: Sequence[str] = ()) -> str:  # fmt: skip
    """Records a visit turned back for missing documents.

    Args:
        node: the node recording it.
        actor: the floor manager.
        procedure: the procedure the visitor came for.
        applicant: ``self``, ``legal`` or ``agent``.
        missing: the checklist items the visitor did not have (at least one).
        others: the visit's other procedures (their checklists count too).

    Returns:
        What the visitor must bring, as one line for the screen.

    Raises:
        ValueError: nothing missing, or an item not on the checklist.
    """
    actor.require("ticket.issue")
    checklist = [doc for code in (procedure, *others)
                 for doc in node.catalog.documents(code, applicant)]  # fmt: skip
    if not missing:
        raise InputError("不足している書類を選んでください", en="Choose the missing documents")
    unknown = [m for m in missing if m not in checklist]
    if unknown:
        raise InputError(f"持参書類の一覧にない項目です: {'、'.join(unknown)}",
                         en=f"Not on the list of documents: {', '.join(unknown)}")  # fmt: skip
    with node.write() as w:
        payload: dict[str, object] = {"procedure": procedure, "applicant": applicant,
                                      "missing": list(missing)}  # fmt: skip
        if others:
            payload["procedures"] = [procedure, *others]
        w.append(TURNED_BACK, actor, payload=payload)
    return "次回お持ちいただくもの: " + "、".join(missing)


class VisitService:
    """Visits that end at reception, for the windows (see :func:`turn_back`).

    Args:
        node: the node recording them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def turn_back(self, actor: Actor, procedure: str, applicant: str, missing: list[str],
                  others: Sequence[str] = ()) -> str:  # fmt: skip
        """Records a visit turned back for missing documents; returns what to bring."""
        return turn_back(self.node, actor, procedure, applicant, missing, others)
