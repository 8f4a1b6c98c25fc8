"""Staff PINs, lockout and roles."""

from __future__ import annotations

import pytest

import app.core.staff as staff_mod
from app.core.actor import PERMISSIONS, ROLES, SYSTEM, Actor, AuthError
from app.core.node import Node
from app.core.staff import StaffService, hash_pin, verify_pin
from tests.helpers.clock import FakeClock


def test_pins_are_salted_scrypt_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_mod, "_SCRYPT_N", 2**14)
    a, b = hash_pin("1234"), hash_pin("1234")
    assert a != b and a.startswith("scrypt$16384$") and "1234" not in a
    assert verify_pin("1234", a) and not verify_pin("1235", a)
    assert not verify_pin("1234", "garbage") and not verify_pin("1234", "md5$1$2$3$4$5")


def test_no_pin_in_the_database_file(node: Node) -> None:
    node.store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    raw = node.store.path.read_bytes()
    assert b"4444" not in raw.replace(b"scrypt", b"")  # the site manager's PIN
    row = node.store.row("SELECT pin_hash FROM staff WHERE staff_id = 'sm'")
    assert row is not None and row["pin_hash"].startswith("scrypt$")


def test_sign_in_and_out_are_recorded(node: Node) -> None:
    staff = StaffService(node)
    actor = staff.sign_in("cl", "2222", counter="3")
    assert actor == Actor("cl", "clerk", "3")
    row = node.store.row("SELECT * FROM staff WHERE staff_id = 'cl'")
    assert row is not None and row["signed_in_counter"] == "3"
    staff.sign_out(actor)
    row = node.store.row("SELECT * FROM staff WHERE staff_id = 'cl'")
    assert row is not None and row["signed_in_at"] is None
    types = [e.type for e in node.store.events("staff_id = 'cl'")]
    assert types[-2:] == ["staff.signed_in", "staff.signed_out"]


def test_lockout_after_repeated_failures(node: Node, clock: FakeClock) -> None:
    staff = StaffService(node)
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthError, match=f"あと{left}回"):
            staff.authenticate("cl", "0000")
    with pytest.raises(AuthError, match="ロックされました"):
        staff.authenticate("cl", "0000")
    with pytest.raises(AuthError, match="5分後"):
        staff.authenticate("cl", "2222")  # even the right PIN, while locked
    clock.advance(minutes=5, seconds=1)
    assert staff.authenticate("cl", "2222").role == "clerk"


def test_unknown_and_deactivated_staff(node: Node) -> None:
    staff = StaffService(node)
    with pytest.raises(AuthError, match="違います"):
        staff.authenticate("ghost", "1111")
    staff.deactivate(Actor("sm", "site_manager"), "cl2")
    with pytest.raises(AuthError):
        staff.authenticate("cl2", "2223")


def test_only_managers_manage_staff(node: Node) -> None:
    staff = StaffService(node)
    with pytest.raises(AuthError, match="職員の管理"):
        staff.add(Actor("cl", "clerk"), "x1", "新人", "clerk", "1234")
    staff.add(Actor("sm", "site_manager"), "x1", "新人", "clerk", "1234")
    assert any(r["staff_id"] == "x1" for r in staff.all())
    assert all("pin_hash" not in r for r in staff.all())


@pytest.mark.parametrize(
    ("staff_id", "name", "role", "pin", "message"),
    [
        ("bad id", "名前", "clerk", "1234", "職員ID"),
        ("system", "名前", "clerk", "1234", "職員ID"),
        ("ok1", " ", "clerk", "1234", "名前"),
        ("ok1", "名前", "boss", "1234", "役割"),
        ("ok1", "名前", "clerk", "12a4", "暗証番号"),
        ("ok1", "名前", "clerk", "123", "暗証番号"),
    ],
)
def test_new_staff_validation(node: Node, staff_id: str, name: str, role: str, pin: str,
                              message: str) -> None:  # fmt: skip
    with pytest.raises(ValueError, match=message):
        StaffService(node).add(SYSTEM, staff_id, name, role, pin)


def test_role_matrix() -> None:
    clerk, floor = Actor("c", "clerk"), Actor("f", "floor_manager")
    manager, admin = Actor("m", "site_manager"), Actor("a", "admin")
    assert not clerk.may("calendar.edit") and manager.may("calendar.edit")
    assert admin.may("calendar.edit") and not admin.may("ticket.serve")
    assert floor.may("ticket.issue") and not floor.may("ticket.serve")
    assert clerk.may("ticket.serve") and not clerk.may("ticket.issue")
    assert Actor("c", "city_staff").may("ticket.serve")
    assert SYSTEM.may("anything")
    for roles in PERMISSIONS.values():
        assert roles <= set(ROLES)
