"""Nodes and sites as ``madoguchi init`` sets them up, with the staff tests sign in as."""

from __future__ import annotations

import os
from pathlib import Path

from app.core.actor import SYSTEM
from app.core.node import Node
from app.core.staff import StaffService
from tests.helpers.clock import FakeClock

#: The site key of test sites (64 hex digits, as ``init`` makes one).
KEY = "ab" * 32

#: The LAN path of a test site's PCs: on this machine only, each PC at a free port (several
#: PCs, and other test runs, share the machine).
LAN_SETTINGS = '[lan]\nport = 0\naddress = "127.0.0.1"\n'

#: (staff id, role, PIN) of a test node's staff.
STAFF = (("fm", "floor_manager", "1111"), ("cl", "clerk", "2222"), ("cl2", "clerk", "2223"),
         ("city", "city_staff", "3333"), ("sm", "site_manager", "4444"))  # fmt: skip


def make_node(folder: Path, clock: FakeClock, *, role: str = "reception", block: int = 0,
              counter: str | None = None) -> Node:  # fmt: skip
    """Returns a node of its own (no share) with the staff of :data:`STAFF`."""
    node = Node(folder, wall_ms=clock)
    node.initialise(site_id="test", name=folder.name, role=role, counter=counter,
                    issuer_block=block)  # fmt: skip
    staff = StaffService(node)
    for staff_id, role_name, pin in STAFF:
        staff.add(SYSTEM, staff_id, f"職員 {staff_id}", role_name, pin)
    return node


def site_node(root: Path, name: str, clock: FakeClock, *, block: int, counter: str | None = None,
              role: str = "counter", staff: bool = True) -> Node:  # fmt: skip
    """Returns one PC of a test site sharing ``root/share`` (a floor manager and a clerk);
    its LAN path listens on 127.0.0.1 at any free port (:data:`LAN_SETTINGS`).

    With the simulated Windows share mounted on ``root/smb`` (the ``windows_share``
    fixture), each PC reaches ``root/share`` through its own SMB client folder there.
    """
    (root / "share").mkdir(exist_ok=True)
    (root / name).mkdir(parents=True, exist_ok=True)
    (root / name / "site.toml").write_text(LAN_SETTINGS, encoding="utf-8")
    smb = root / "smb"
    share = smb / name if os.path.ismount(smb) else root / "share"
    node = Node(root / name, wall_ms=clock)
    node.initialise(site_id="test", name=name, role=role, share_dir=str(share),
                    counter=counter, issuer_block=block, site_key=KEY)  # fmt: skip
    if staff:
        service = StaffService(node)
        for staff_id, role_name, pin in (("fm", "floor_manager", "1111"), ("cl", "clerk", "2222")):
            service.add(SYSTEM, staff_id, f"職員 {staff_id}", role_name, pin)
    return node


def on_an_open_day(data_dir: Path, clock: FakeClock | None = None) -> None:
    """Puts the PC of a folder on a demo clock, as the demo's PCs are, for the tests that run
    it in another process or through the command line on the real clock: at the time of
    ``clock`` (then at the real pace), or a few minutes after the next opening. Its walk-ins
    then never depend on the hour or the day the tests run."""
    from app.sim.demo import open_day_shift
    from db.hlc import wall_ms_now

    node = Node(data_dir)
    now = wall_ms_now()
    node.set_demo_clock(clock() - now if clock is not None else open_day_shift(node, now))
    node.close()


def sync_rounds(*nodes: Node, rounds: int = 2) -> None:
    """Runs sync rounds of every node through the site's shared folder."""
    from app.sync.service import SyncService

    services = [SyncService(n) for n in nodes]
    for _ in range(rounds):
        for service in services:
            report = service.once()
            assert not report.offline, report.message


def assert_converged(*nodes: Node) -> None:
    """Every node holds the same projections, and each one's rebuild gives what it holds."""
    dumps = [n.store.projection_dump() for n in nodes]
    assert all(d == dumps[0] for d in dumps[1:])
    for node, live in zip(nodes, dumps, strict=True):
        node.store.rebuild()
        assert node.store.projection_dump() == live
