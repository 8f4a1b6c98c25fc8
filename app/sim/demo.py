"""The demo site of ``make run``: reception, two counters, a display board and the
site manager's PC, each a node with its own folder, sharing one local folder.

A demo works at any hour because it runs on a **demo clock** (デモ時刻 on every screen):
made in the evening, at night or on a closed day, its PCs live a few minutes after the
opening of an open day — today's when today is open, else the next one — with that day's
reservations booked and nothing yet overdue. Placing reservations around the real time
instead would not do: at night or on a Wednesday there is no slot to place them in, and
walk-ins would be issued after closing. The clock then runs at the real pace, so waits grow
and slots pass as in a real day.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.core.actor import SYSTEM
from app.core.center_calendar import CenterCalendar
from app.core.errors import InputError
from app.core.node import Node
from app.core.settings import CalendarSettings
from app.core.staff import StaffService
from app.inquiries.qa import seed_default_qa
from app.model.clock import day_of, to_datetime, to_ms
from app.reservations.bookings import ReservationService
from app.sync.service import SyncService
from db.hlc import wall_ms_now

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


#: The demo's PCs share one machine: each takes a free port for its LAN path (announced in
#: the registry) on this machine only.
DEMO_LAN = '[lan]\nport = 0\naddress = "127.0.0.1"\n'

#: The demo clock starts this long after the demo day's opening.
START_AFTER_OPENING = timedelta(minutes=5)


def demo_day(calendar: CenterCalendar, period: CalendarSettings, today: date) -> date:
    """Returns the open day a demo made ``today`` runs on: today if the center opens today,
    else the next open day of the contract period (its last one once the period is over)."""
    first = max(today, period.first_day)
    days = calendar.open_days(first, period.last_day) if first <= period.last_day else []
    if days:
        return days[0]
    return calendar.open_days(period.first_day, period.last_day)[-1]


def demo_start(calendar: CenterCalendar, day: date) -> int:
    """Returns the demo clock's first reading: a few minutes after the day's opening (ms).

    Raises:
        InputError: the center is closed that day.
    """
    hours = calendar.hours(day)
    if hours is None:
        reasons = "、".join(calendar.status(day).reasons_ja)
        raise InputError(f"{day.isoformat()} は閉庁日です（{reasons}）。開庁日を指定してください")
    opening = datetime.combine(day, hours.open) + START_AFTER_OPENING
    return to_ms(day, opening.time())


def open_day_shift(node: Node, now_ms: int) -> int:
    """Returns the demo clock shift that puts ``now_ms`` a few minutes after the opening of
    the demo day (:func:`demo_day`): a demo, the smoke check or a benchmark then works at any
    hour of any day, the center open."""
    calendar = node.calendar()
    day = demo_day(calendar, node.settings.calendar, day_of(now_ms))
    return demo_start(calendar, day) - now_ms


def create_demo(root: Path, day: date | None = None, keep: bool = False,
                wall_ms: Callable[[], int] = wall_ms_now) -> dict[str, Any]:  # fmt: skip
    """Creates the demo site under ``root`` with staff and the demo day's reservations.

    Args:
        root: folder to create (must not hold a demo yet unless ``keep``).
        day: the demo day (by default today, or the next open day: :func:`demo_day`).
        keep: leave an existing demo as it is.
        wall_ms: the real wall clock (tests give their own).

    Returns:
        A summary with the node folders, the staff PINs, the demo day and a text for the
        terminal.
    """
    share = root / "share"
    if (root / "reception" / "node.sqlite3").exists():
        if keep:
            return {"root": str(root), "created": False, "text": _kept(root)}
        raise InputError(
            f"{root} には既にデモ拠点があります（--keep で再利用、または削除してください）"
        )
    now = wall_ms()
    share.mkdir(parents=True, exist_ok=True)
    (root / "tickets").mkdir(exist_ok=True)  # the demo's "printer": one PDF per ticket
    site_key = secrets.token_hex(32)
    booked = 0
    shift: int | None = None
    for name, role, counter, lanes, block in NODES:
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / "site.toml").write_text(DEMO_LAN, encoding="utf-8")
        node = Node(root / name, wall_ms=wall_ms)
        try:
            node.initialise(site_id=SITE_ID, name=name, role=role, share_dir=str(share),
                            printer=f"pdf:{root / 'tickets'}", counter=counter, lanes=lanes,
                            issuer_block=block, site_key=site_key)  # fmt: skip
            if shift is None:
                calendar = node.calendar()
                day = day or demo_day(calendar, node.settings.calendar, day_of(now))
                shift = demo_start(calendar, day) - now
            node.set_demo_clock(shift)
            if role == "reception":
                # Staff and reservations are made once, at reception; sync takes them
                # to every other PC of the site.
                staff = StaffService(node)
                for staff_id, staff_name, staff_role, pin in STAFF:
                    staff.add(SYSTEM, staff_id, staff_name, staff_role, pin)
                booked = _book_day(node, node.today())
                seed_default_qa(node, SYSTEM)
            SyncService(node).once()
        finally:
            node.close()
    assert day is not None and shift is not None
    lines = [f"デモ拠点を作りました: {root}（デモ日 {day.isoformat()}、予約 {booked}件）",
             f"デモ時刻 {_clock(now + shift)} から実時間で進みます", "職員ID / 暗証番号:"]  # fmt: skip
    lines += [f"  {s[0]:<7} {s[3]}  {s[1]}" for s in STAFF]
    return {
        "root": str(root),
        "created": True,
        "nodes": [n[0] for n in NODES],
        "day": day.isoformat(),
        "demo_clock_ms": shift,
        "reservations": booked,
        "staff": [{"staff_id": s[0], "role": s[2], "pin": s[3]} for s in STAFF],
        "text": "\n".join(lines),
    }


def _clock(ms: int) -> str:
    return to_datetime(ms).strftime("%Y-%m-%d %H:%M")


def _kept(root: Path) -> str:
    """Says that the demo is kept, and whether its day is over (its clock ran past closing)."""
    node = Node(root / "reception")
    try:
        hours = node.calendar().hours(node.today())
        reservations = node.store.row("SELECT min(day) AS d FROM reservations")
        text = f"デモ拠点はあります: {root}（デモ時刻 {_clock(node.now_ms())}）"
        first_day = str((reservations or {}).get("d") or "")
        over = hours is None or node.today().isoformat() != first_day
        if not over and hours is not None:
            over = node.now_ms() > to_ms(node.today(), hours.staff_end)
        if over:
            text += "\nデモの一日は終わっています。make demo-reset で新しいデモを作れます"
        return text
    finally:
        node.close()


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
        # The board opens in a window of its own beside the others, not as a kiosk.
        run = ["run"] if staff else ["run", "--windowed"]
        commands.append(([*program, "--data-dir", str(root / name), *run], env))
    return commands


def run_windows(root: Path) -> int:
    """Starts every demo window as its own process (its own node) and waits for them.

    Closing the reception window closes the others, and so does ending this process
    (Ctrl+C, or a terminate signal).
    """
    import os
    import signal
    import subprocess
    import sys

    def end(signum: int, frame: object) -> None:
        sys.exit(128 + signum)  # runs the clean-up below

    signal.signal(signal.SIGTERM, end)
    processes = []
    for argv, extra in window_commands(root):
        processes.append(subprocess.Popen(argv, env={**os.environ, **extra}))
    try:
        code = processes[0].wait()
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
    return code
