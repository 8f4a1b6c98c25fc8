"""The demo site of ``make run``: reception, two counters, a display board and the
site manager's PC, each a node with its own folder, sharing one local folder."""

from __future__ import annotations

import random
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from app.core.actor import SYSTEM
from app.core.errors import InputError
from app.core.node import Node
from app.core.staff import StaffService
from app.inquiries.qa import seed_default_qa
from app.reservations.bookings import ReservationService
from app.sync.service import SyncService

SITE_ID = "demo"

#: name, role, counter, lanes, issuer block
NODES: tuple[tuple[str, str, str | None, tuple[str, ...], int], ...] = (
    ("reception", "reception", None, (), 0),
    ("counter-1", "counter", "1", ("reserved", "general"), 1),
    ("counter-2", "counter", "5", ("city",), 2),
    ("display", "display", None, (), 3),
    ("admin", "admin", None, (), 4),
)

#: staff id, name, role, PIN — demo only; a real site adds its own staff.
STAFF = (
    ("fm01", "受付 花子", "floor_manager", "1111"),
    ("cl01", "窓口 一郎", "clerk", "2222"),
    ("cl02", "窓口 二郎", "clerk", "2223"),
    ("city01", "市 太郎", "city_staff", "3333"),
    ("sm01", "管理 さくら", "site_manager", "4444"),
    ("admin", "システム管理者", "admin", "9999"),
)

_FAMILY = ("タナカ", "スズキ", "ヤマモト", "ワタナベ", "コバヤシ", "ヨシダ", "サトウ", "イトウ",
           "ナカムラ", "カトウ", "イノウエ", "マツモト", "キムラ", "ハヤシ", "ヤマダ")  # fmt: skip
_GIVEN = ("ショウタ", "ダイスケ", "タロウ", "ハナコ", "ミホ", "ヒロシ", "ユウコ", "ケンジ",
          "アヤ", "メグミ")  # fmt: skip


def create_demo(root: Path, day: date | None = None, keep: bool = False) -> dict[str, Any]:
    """Creates the demo site under ``root`` with staff and the day's reservations.

    Args:
        root: folder to create (must not hold a demo yet unless ``keep``).
        day: the demo day (today by default).
        keep: leave an existing demo as it is.

    Returns:
        A summary with the node folders, the staff PINs and a text for the terminal.
    """
    share = root / "share"
    if (root / "reception" / "node.sqlite3").exists():
        if keep:
            return {"root": str(root), "created": False, "text": f"デモ拠点はあります: {root}"}
        raise InputError(
            f"{root} には既にデモ拠点があります（--keep で再利用、または削除してください）"
        )
    share.mkdir(parents=True, exist_ok=True)
    (root / "tickets").mkdir(exist_ok=True)  # the demo's "printer": one PDF per ticket
    site_key = secrets.token_hex(32)
    booked = 0
    for name, role, counter, lanes, block in NODES:
        node = Node(root / name)
        try:
            node.initialise(site_id=SITE_ID, name=name, role=role, share_dir=str(share),
                            printer=f"pdf:{root / 'tickets'}", counter=counter, lanes=lanes,
                            issuer_block=block, site_key=site_key)  # fmt: skip
            if role == "reception":
                # Staff and reservations are made once, at reception; sync takes them
                # to every other PC of the site.
                staff = StaffService(node)
                for staff_id, staff_name, staff_role, pin in STAFF:
                    staff.add(SYSTEM, staff_id, staff_name, staff_role, pin)
                booked = _book_day(node, day or node.today())
                seed_default_qa(node, SYSTEM)
            SyncService(node).once()
        finally:
            node.close()
    lines = [f"デモ拠点を作りました: {root}（本日の予約 {booked}件）", "職員ID / 暗証番号:"]
    lines += [f"  {s[0]:<7} {s[3]}  {s[1]}" for s in STAFF]
    return {
        "root": str(root),
        "created": True,
        "nodes": [n[0] for n in NODES],
        "reservations": booked,
        "staff": [{"staff_id": s[0], "role": s[2], "pin": s[3]} for s in STAFF],
        "text": "\n".join(lines),
    }


def _book_day(node: Node, day: date, per_slot: int = 5) -> int:
    """Books demo reservations in every slot of the day; returns how many."""
    cal = node.calendar()
    rng = random.Random(day.toordinal())
    service = ReservationService(node)
    count = 0
    for slot in cal.slots(day):
        for _ in range(per_slot):
            count += 1
            applicant = "legal" if rng.random() < 0.12 else "self"
            name = f"{rng.choice(_FAMILY)} {rng.choice(_GIVEN)}"
            service.book(SYSTEM, f"R{day:%Y%m%d}{count:04d}", day, slot.strftime("%H:%M"),
                         "issuance", applicant, name)  # fmt: skip
    return count


#: The windows ``make run`` opens, and who is signed in at each (demo only).
WINDOWS = (("reception", "fm01", "1111"), ("counter-1", "cl01", "2222"),
           ("counter-2", "city01", "3333"), ("display", None, None))  # fmt: skip


def window_commands(root: Path) -> list[tuple[list[str], dict[str, str]]]:
    """Returns the command line and extra environment of each demo window's process."""
    import sys

    program = (
        [sys.executable]
        if getattr(sys, "frozen", False)
        else [sys.executable, "-m", "ui.shell.launcher"]
    )
    commands = []
    for name, staff, pin in WINDOWS:
        env = {"MADOGUCHI_STAFF": staff, "MADOGUCHI_PIN": pin} if staff and pin else {}
        commands.append(([*program, "--data-dir", str(root / name), "run"], env))
    return commands


def run_windows(root: Path) -> int:
    """Starts every demo window as its own process (its own node) and waits for them.

    Closing the reception window closes the others.
    """
    import os
    import subprocess

    processes = []
    for argv, extra in window_commands(root):
        processes.append(subprocess.Popen(argv, env={**os.environ, **extra}))
    try:
        code = processes[0].wait()
    finally:
        for proc in processes[1:]:
            proc.terminate()
        for proc in processes[1:]:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
    return code
