"""Several nodes of one site on a temporary shared folder."""

from __future__ import annotations

from pathlib import Path

from app.core.actor import SYSTEM
from app.core.node import Node
from app.core.staff import StaffService
from tests.conftest import FakeClock

KEY = "ab" * 32


def site_node(root: Path, name: str, clock: FakeClock, *, block: int, counter: str | None = None,
              role: str = "counter", staff: bool = True) -> Node:  # fmt: skip
    (root / "share").mkdir(exist_ok=True)
    node = Node(root / name, wall_ms=clock)
    node.initialise(site_id="test", name=name, role=role, share_dir=str(root / "share"),
                    counter=counter, issuer_block=block, site_key=KEY)  # fmt: skip
    if staff:
        service = StaffService(node)
        for staff_id, role_name, pin in (("fm", "floor_manager", "1111"), ("cl", "clerk", "2222")):
            service.add(SYSTEM, staff_id, f"職員 {staff_id}", role_name, pin)
    return node
