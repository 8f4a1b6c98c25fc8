"""Ad-hoc closures (臨時閉庁) of the center, added and removed as events."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.core.errors import InputError

if TYPE_CHECKING:
    from app.core.node import Node


class ClosureService:
    """Adds and removes ad-hoc closures.

    Args:
        node: the node recording them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def add(self, actor: Actor, day: date, reason: str) -> None:
        """Closes the center on a day, with a reason shown to staff and in reports.

        Raises:
            ValueError: no reason given.
        """
        actor.require("calendar.edit")
        if not reason.strip():
            raise InputError(
                "臨時閉庁の理由を入力してください", en="Give the reason for the closure"
            )
        with self.node.write() as w:
            w.append("closure.added", actor, payload={"day": day.isoformat(),
                                                      "reason": reason.strip()})  # fmt: skip

    def remove(self, actor: Actor, day: date) -> None:
        """Removes an ad-hoc closure.

        Raises:
            ValueError: there is no ad-hoc closure on that day.
        """
        actor.require("calendar.edit")
        with self.node.write() as w:
            found = self.node.store.row("SELECT day FROM closures WHERE day = ?",
                                        (day.isoformat(),))  # fmt: skip
            if found is None:
                raise InputError(f"{day.isoformat()} に臨時閉庁は登録されていません",
                                 en=f"No closure on {day.isoformat()}")  # fmt: skip
            w.append("closure.removed", actor, payload={"day": day.isoformat()})

    def all(self) -> list[dict[str, Any]]:
        """Returns the ad-hoc closures, by day."""
        return self.node.store.rows("SELECT day, reason, staff_id FROM closures ORDER BY day")
