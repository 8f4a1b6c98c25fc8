"""Staff, roles, PINs and sign-in.

PINs are stored only as salted scrypt hashes.  Repeated wrong PINs lock the staff
member out for a while; the failures are events, so the lock holds on every PC.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from typing import TYPE_CHECKING, Any

from app.core.actor import ROLES, SYSTEM_ID, Actor, AuthError
from app.core.errors import InputError
from app.core.privacy import check_payload

if TYPE_CHECKING:
    from app.core.node import Node

_STAFF_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
_PIN = re.compile(r"^\d{4,12}$")

# scrypt cost: ~50 ms on a counter PC; stored with each hash so it can be raised later.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_pin(pin: str, cost: int | None = None) -> str:
    """Returns a salted scrypt hash of a PIN, ``scrypt$n$r$p$salt$hash``.

    Args:
        pin: the PIN.
        cost: scrypt's N; only simulations of hundreds of sign-ins lower it.
    """
    n = cost or _SCRYPT_N
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=_SCRYPT_R, p=_SCRYPT_P)
    b64 = base64.b64encode
    return f"scrypt${n}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Tells whether a PIN matches a stored hash (constant-time comparison)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p)
        )
    except ValueError:
        return False
    return hmac.compare_digest(expected, actual)


def validate_new_staff(staff_id: str, name: str, role: str, pin: str) -> None:
    """Checks a new staff record; raises ValueError with a message naming the field."""
    if not _STAFF_ID.match(staff_id) or staff_id == SYSTEM_ID:
        raise InputError("職員IDは英数字と - _ . で32文字以内にしてください",
                         en="A staff ID is up to 32 letters, digits and - _ .")  # fmt: skip
    if not name.strip():
        raise InputError("職員の名前を入力してください", en="Enter the staff member's name")
    if role not in ROLES:
        raise InputError(f"役割 {role} はありません（{', '.join(ROLES)}）",
                         en=f"No role {role} ({', '.join(ROLES)})")  # fmt: skip
    if not _PIN.match(pin):
        raise InputError("暗証番号は数字4〜12桁にしてください", en="A PIN is 4 to 12 digits")


class StaffService:
    """Adds staff and signs them in.

    Args:
        node: the node whose store holds the staff.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def add(self, actor: Actor, staff_id: str, name: str, role: str, pin: str) -> None:
        """Adds (or re-adds) a staff member with a PIN."""
        actor.require("staff.manage")
        validate_new_staff(staff_id, name, role, pin)
        payload = {"staff_id": staff_id, "name": name.strip(), "role": role,
                   "pin_hash": hash_pin(pin)}  # fmt: skip
        with self.node.write() as w:
            w.append("staff.added", actor, payload=payload)

    def change_pin(self, actor: Actor, staff_id: str, pin: str) -> None:
        """Sets a new PIN (the staff member themself, or a manager)."""
        if actor.staff_id != staff_id:
            actor.require("staff.manage")
        if not _PIN.match(pin):
            raise InputError("暗証番号は数字4〜12桁にしてください", en="A PIN is 4 to 12 digits")
        self._get(staff_id)
        with self.node.write() as w:
            w.append("staff.pin_changed", actor,
                     payload={"staff_id": staff_id, "pin_hash": hash_pin(pin)})  # fmt: skip

    def deactivate(self, actor: Actor, staff_id: str) -> None:
        """Stops a staff member from signing in."""
        actor.require("staff.manage")
        self._get(staff_id)
        with self.node.write() as w:
            w.append("staff.deactivated", actor, payload={"staff_id": staff_id})

    def all(self) -> list[dict[str, Any]]:
        """Returns staff records, without PIN hashes."""
        return self.node.store.rows(
            "SELECT staff_id, name, role, active, signed_in_at, signed_in_counter "
            "FROM staff ORDER BY staff_id"
        )

    def _get(self, staff_id: str) -> dict[str, Any]:
        row = self.node.store.row("SELECT * FROM staff WHERE staff_id = ?", (staff_id,))
        if row is None:
            raise AuthError(f"職員ID {staff_id} は登録されていません",
                            en=f"No staff member {staff_id}")  # fmt: skip
        return row

    def authenticate(self, staff_id: str, pin: str, counter: str | None = None) -> Actor:
        """Checks a PIN and returns the actor; wrong PINs count towards the lockout.

        Raises:
            AuthError: unknown or inactive staff, locked out, or wrong PIN.
        """
        check_payload({"窓口番号": counter or ""})  # who works where is written in every event
        row = self.node.store.row("SELECT * FROM staff WHERE staff_id = ?", (staff_id,))
        if row is None or not row["active"]:
            raise AuthError("職員IDまたは暗証番号が違います", en="Wrong staff ID or PIN")
        now = self.node.now_ms()
        if row["locked_until"] > now:
            minutes = -(-(row["locked_until"] - now) // 60_000)
            raise AuthError(
                f"暗証番号を続けて間違えたためロックされています。{minutes}分後にもう一度お試しください",
                en=f"Locked after too many wrong PINs. Try again in {minutes} min.",
            )
        if not verify_pin(pin, row["pin_hash"]):
            rules = self.node.settings.staff
            with self.node.write() as w:
                w.append(
                    "staff.signin_failed",
                    Actor(staff_id, row["role"], counter),
                    payload={
                        "lockout_attempts": rules.lockout_attempts,
                        "lockout_ms": rules.lockout_minutes * 60_000,
                    },
                )
            left = rules.lockout_attempts - (row["failed_count"] + 1)
            hint = (
                f"（あと{left}回間違えるとロックされます）" if left > 0 else "（ロックされました）"
            )
            hint_en = f" ({left} more wrong and it locks)" if left > 0 else " (now locked)"
            raise AuthError(f"職員IDまたは暗証番号が違います{hint}",
                            en=f"Wrong staff ID or PIN{hint_en}")  # fmt: skip
        return Actor(staff_id, row["role"], counter)

    def sign_in(self, staff_id: str, pin: str, counter: str | None = None) -> Actor:
        """Authenticates and records the start of a shift at a counter."""
        actor = self.authenticate(staff_id, pin, counter)
        with self.node.write() as w:
            w.append("staff.signed_in", actor)
        return actor

    def sign_out(self, actor: Actor) -> None:
        """Records the end of a shift."""
        with self.node.write() as w:
            w.append("staff.signed_out", actor)
