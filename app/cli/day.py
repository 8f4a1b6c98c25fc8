"""``madoguchi counter``: a counter paused with a reason (休憩 …) and opened again.

``counter pause --reason R`` and ``counter resume`` act on the counter of ``--counter`` (or
of this PC); ``counter list`` shows the counters paused now.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_node, sign_in
from app.cli.output import Output

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
             f"{actor.counter}番窓口を一時停止しました（{REASONS[args.reason][0]}）")  # fmt: skip
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
        f"{r['counter']}番窓口  {REASONS.get(r['reason'], (r['reason'],))[0]}  {r['since']}〜  "
        f"{r['staff_id']}" for r in rows) or "一時停止中の窓口はありません")  # fmt: skip
    return 0


def register(sub: Any) -> None:
    """Adds ``counter`` to the ``madoguchi`` parser."""
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
