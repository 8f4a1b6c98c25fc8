"""Who acts: roles, what each role may do, and the :class:`Actor` every change is made by.

Plain data, no storage: the node records events for an actor (:mod:`app.core.node`), the staff
service signs actors in (:mod:`app.core.staff`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import UserError
from app.core.roles import (
    ADMIN,
    CITY_STAFF,
    CLERK,
    FLOOR_MANAGER,
    NODE_ROLES,
    ROLES,
    SITE_MANAGER,
)

__all__ = ["ADMIN", "CITY_STAFF", "CLERK", "FLOOR_MANAGER", "NODE_ROLES", "ROLES", "SITE_MANAGER"]

#: What each role may do. A role not listed for an action is refused.
PERMISSIONS: dict[str, frozenset[str]] = {
    "ticket.issue": frozenset({FLOOR_MANAGER, SITE_MANAGER}),
    "ticket.serve": frozenset({CLERK, CITY_STAFF, SITE_MANAGER}),
    "ticket.cancel": frozenset({FLOOR_MANAGER, CLERK, CITY_STAFF, SITE_MANAGER}),
    "reservation.manage": frozenset({FLOOR_MANAGER, SITE_MANAGER, ADMIN}),
    "calendar.edit": frozenset({SITE_MANAGER, ADMIN}),
    "staff.manage": frozenset({SITE_MANAGER, ADMIN}),
    "inquiry.log": frozenset({CLERK, CITY_STAFF, FLOOR_MANAGER, SITE_MANAGER}),
    "qa.edit": frozenset({SITE_MANAGER, ADMIN}),
    "node.setup": frozenset({SITE_MANAGER, ADMIN}),
    "report.record": frozenset({SITE_MANAGER, ADMIN}),
    # シ: the double check is the city's (7 業務分担); a contractor's clerk may only ask for it.
    "ticket.doublecheck": frozenset({CITY_STAFF}),
}

ACTION_NAMES = {
    "ticket.issue": "整理券の発行",
    "ticket.serve": "呼出し・対応",
    "ticket.cancel": "整理券の取消",
    "reservation.manage": "予約の管理",
    "calendar.edit": "開庁日の変更",
    "staff.manage": "職員の管理",
    "inquiry.log": "問い合わせの記録",
    "qa.edit": "質疑応答集の編集",
    "node.setup": "端末の設定",
    "report.record": "報告事項の記録",
    "ticket.doublecheck": "ダブルチェックの確認",
}

SYSTEM_ID = "system"


class AuthError(UserError):
    """Sign-in refused or an action not allowed; the message says why."""


@dataclass(frozen=True)
class Actor:
    """Whoever makes a change: a signed-in staff member at a counter, or the system.

    Attributes:
        staff_id: the staff member's id (``system`` for the program itself).
        role: one of :data:`ROLES`.
        counter: the counter (窓口番号) they work at, if any.
    """

    staff_id: str
    role: str
    counter: str | None = None

    def may(self, action: str) -> bool:
        """Tells whether this actor's role allows an action."""
        if self.staff_id == SYSTEM_ID:
            return True
        return self.role in PERMISSIONS.get(action, frozenset())

    def require(self, action: str) -> None:
        """Raises AuthError unless the role allows the action."""
        if not self.may(action):
            name = ROLES.get(self.role)
            role_ja, role_en = (name.text_in("ja"), name.text) if name else (self.role, self.role)
            raise AuthError(
                f"{role_ja}の権限では「{ACTION_NAMES.get(action, action)}」はできません",
                en=f"A {role_en.lower()} may not do this ({action})",
            )


SYSTEM = Actor(SYSTEM_ID, ADMIN)
