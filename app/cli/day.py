"""``madoguchi mode`` and ``counter``: the center's operating modes, and a counter paused
with a reason (休憩 …).

``mode start reduced|jlis|closed --reason R [...]`` starts a period of a mode (now, or at
``--from`` on ``--day``), ``mode end PERIOD``, ``mode normal`` ends every period of today,
``mode list [--day D]`` lists a day's periods. ``counter pause --reason R`` and ``counter
resume`` act on the counter of ``--counter`` (or of this PC); ``counter list`` shows the
counters paused now.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_node, parse_day, sign_in
from app.cli.output import CliError, Output

#: The pause reasons the command line takes (the same codes as the windows' list).
PAUSE_REASONS = ("break", "paperwork", "double_check", "other")


def cmd_counter_pause(args: argparse.Namespace, out: Output) -> int:
    """``counter pause --reason R``."""
    from app.queue.counter_pauses import REASONS, CounterPauses

    node = open_node(args)
    try:
        actor = sign_in(args, node)
        CounterPauses(node).pause(actor, args.reason)
    finally:
        node.close()
    out.emit({"counter": actor.counter, "reason": args.reason},
             f"{actor.counter}番窓口を一時停止しました（{REASONS[args.reason].text_in('ja')}）")  # fmt: skip
    return 0


def cmd_counter_resume(args: argparse.Namespace, out: Output) -> int:
    """``counter resume``."""
    from app.queue.counter_pauses import CounterPauses

    node = open_node(args)
    try:
        actor = sign_in(args, node)
        CounterPauses(node).resume(actor)
    finally:
        node.close()
    out.emit({"counter": actor.counter}, f"{actor.counter}番窓口を再開しました")
    return 0


def cmd_counter_list(args: argparse.Namespace, out: Output) -> int:
    """``counter list``: the counters paused now."""
    from app.model.clock import hhmm
    from app.queue.counter_pauses import REASONS, CounterPauses

    node = open_node(args)
    try:
        paused = CounterPauses(node).all()
    finally:
        node.close()
    rows = [{"counter": c, "reason": p["reason"], "since": hhmm(p["at"]),
             "staff_id": p["staff_id"]} for c, p in sorted(paused.items())]  # fmt: skip
    out.emit(rows, lambda: "\n".join(
        f"{r['counter']}番窓口  {REASONS[r['reason']].text_in('ja') if r['reason'] in REASONS else r['reason']}  {r['since']}〜  "
        f"{r['staff_id']}" for r in rows) or "一時停止中の窓口はありません")  # fmt: skip
    return 0


def _time(text: str | None) -> Any:
    from datetime import time

    if text is None:
        return None
    try:
        hour, minute = (int(x) for x in text.split(":"))
        return time(hour, minute)
    except ValueError:
        raise CliError(f"時刻 {text!r} は HH:MM で指定してください") from None


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (text or "").split(",") if x.strip())


def cmd_mode_start(args: argparse.Namespace, out: Output) -> int:
    """``mode start KIND --reason R [--day D] [--from T] [--to T] [--procedures a,b] …``."""
    from app.queue.modes import KINDS, ModeService

    node = open_node(args)
    try:
        period = ModeService(node).start(
            sign_in(args, node), args.kind, args.reason,
            day=parse_day(args.day) if args.day else None, start=_time(args.start),
            end=_time(args.end), procedures=_codes(args.procedures), lanes=_codes(args.lanes),
            close_at=_time(args.close),
        )  # fmt: skip
    finally:
        node.close()
    out.emit({"period_id": period, "kind": args.kind},
             f"{KINDS[args.kind].text_in('ja')}を設定しました（{period}）: {args.reason}")  # fmt: skip
    return 0


def cmd_mode_end(args: argparse.Namespace, out: Output) -> int:
    """``mode end PERIOD [--at T]``."""
    from app.queue.modes import ModeService

    node = open_node(args)
    try:
        ModeService(node).end(sign_in(args, node), args.period, _time(args.at))
    finally:
        node.close()
    out.emit({"period_id": args.period}, f"{args.period} を終了しました")
    return 0


def cmd_mode_normal(args: argparse.Namespace, out: Output) -> int:
    """``mode normal``: ends every period running now or later today."""
    from app.queue.modes import ModeService

    node = open_node(args)
    try:
        ended = ModeService(node).back_to_normal(sign_in(args, node))
    finally:
        node.close()
    out.emit({"ended": ended}, f"通常に戻しました（終了した期間 {ended}件）")
    return 0


def cmd_mode_list(args: argparse.Namespace, out: Output) -> int:
    """``mode list [--day D]``: the day's periods and the mode now."""
    from app.model.clock import hhmm
    from app.queue.modes import ModeService

    node = open_node(args)
    try:
        day = parse_day(args.day) if args.day else node.today()
        modes = ModeService(node)
        periods, now = modes.periods(day), modes.now()
    finally:
        node.close()
    rows = [{"period_id": p.period_id, "day": p.day.isoformat(), "kind": p.kind,
             "start": hhmm(p.start_ms), "end": None if p.end_ms is None else hhmm(p.end_ms),
             "procedures": list(p.procedures), "lanes": list(p.lanes),
             "close_at": None if p.close_ms is None else hhmm(p.close_ms), "reason": p.reason,
             "staff_id": p.staff_id} for p in periods]  # fmt: skip
    lines = [f"現在の運転モード: {now.names('ja')}"]
    lines += [f"{p.period_id}  {p.name('ja')}  {p.span()}  {p.reason}" for p in periods]
    out.emit({"now": now.names("en"), "periods": rows}, "\n".join(lines))
    return 0


def register(sub: Any) -> None:
    """Adds ``mode`` and ``counter`` to the ``madoguchi`` parser."""
    p = sub.add_parser("mode", help="運転モード（縮小運転・J-LIS停止・臨時閉庁）: 現地管理者")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("start", help="運転モードの期間を始める（既定: 今から）")
    q.add_argument("kind", choices=("reduced", "jlis", "closed"),
                   help="reduced 縮小運転、jlis J-LIS停止、closed 臨時閉庁（一日の一部）")  # fmt: skip
    q.add_argument("--reason", required=True)
    q.add_argument("--day", help="日付 YYYY-MM-DD（既定: 今日）")
    q.add_argument("--from", dest="start", help="開始 HH:MM（既定: 今）")
    q.add_argument("--to", dest="end", help="終了 HH:MM（既定: 終了するまで）")
    q.add_argument("--procedures", help="縮小運転で受け付ける手続（カンマ区切り、既定: すべて）")
    q.add_argument("--lanes", help="縮小運転で開ける列（カンマ区切り、既定: すべて）")
    q.add_argument("--close", help="縮小運転で早める受付終了 HH:MM")
    q.set_defaults(handler=cmd_mode_start)
    q = actions.add_parser("end", help="期間を終える（既定: 今）")
    q.add_argument("period")
    q.add_argument("--at", help="終了 HH:MM")
    q.set_defaults(handler=cmd_mode_end)
    actions.add_parser("normal", help="通常に戻す（本日の期間をすべて終える）").set_defaults(
        handler=cmd_mode_normal
    )
    q = actions.add_parser("list", help="その日の運転モードの期間")
    q.add_argument("--day")
    q.set_defaults(handler=cmd_mode_list)

    p = sub.add_parser("counter", help="窓口の一時停止（休憩・事務作業・ダブルチェック対応など）")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("pause", help="この窓口を一時停止する（次の方を呼ばない）")
    q.add_argument("--reason", required=True, choices=PAUSE_REASONS,
                   help="break 休憩、paperwork 事務作業、double_check ダブルチェック対応、other その他")  # fmt: skip
    q.set_defaults(handler=cmd_counter_pause)
    q = actions.add_parser("resume", help="一時停止した窓口を再開する")
    q.set_defaults(handler=cmd_counter_resume)
    q = actions.add_parser("list", help="一時停止中の窓口")
    q.set_defaults(handler=cmd_counter_list)
