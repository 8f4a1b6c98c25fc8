"""Pausing procedures that cannot be completed now (J-LIS down, 電子証明書システム停止).

A paused procedure gets no walk-in ticket; the reception buttons show why.  ``jlis``
pauses every procedure the catalog marks as depending on J-LIS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.core.errors import InputError
from db.hlc import wall_of

if TYPE_CHECKING:
    from app.core.node import Node

JLIS = "jlis"


class PauseService:
    """Pauses and resumes procedures.

    Args:
        node: the node recording them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def _check(self, procedure: str) -> None:
        if procedure != JLIS:
            self.node.catalog.procedure(procedure)

    def pause(self, actor: Actor, procedure: str, reason: str) -> None:
        """Pauses a procedure (or ``jlis``: all J-LIS procedures) with a reason."""
        actor.require("calendar.edit")
        self._check(procedure)
        if not reason.strip():
            raise InputError("停止の理由を入力してください（例: J-LIS 障害）",
                             en="Give the reason for the pause (e.g. J-LIS down)")  # fmt: skip
        with self.node.write() as w:
            w.append("procedure.paused", actor,
                     payload={"procedure": procedure, "reason": reason.strip()})  # fmt: skip

    def resume(self, actor: Actor, procedure: str) -> None:
        """Ends a pause."""
        actor.require("calendar.edit")
        self._check(procedure)
        if procedure not in self.all():
            raise InputError(f"{procedure} は停止されていません", en=f"{procedure} is not paused")
        with self.node.write() as w:
            w.append("procedure.resumed", actor, payload={"procedure": procedure})

    def all(self) -> dict[str, str]:
        """Returns the pauses as procedure (or ``jlis``) → reason."""
        rows = self.node.store.rows("SELECT procedure, reason FROM pauses ORDER BY procedure")
        return {r["procedure"]: r["reason"] for r in rows}

    def reason(self, procedure: str) -> str | None:
        """Returns why a procedure is paused now, or None if it is not."""
        pauses = self.all()
        if procedure in pauses:
            return pauses[procedure]
        if JLIS in pauses and self.node.catalog.procedure(procedure).jlis:
            return pauses[JLIS]
        return None

    def rows(self) -> list[dict[str, Any]]:
        """Returns the pauses with who paused them and when (``paused_at``, epoch ms)."""
        rows = self.node.store.rows("SELECT * FROM pauses ORDER BY procedure")
        for row in rows:
            row["paused_at"] = wall_of(row["hlc"])
        return rows
