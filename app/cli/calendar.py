"""``madoguchi calendar``, ``closure`` and ``procedure``: open days, ad-hoc closures, paused procedures."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import _DAY, _MONTH, norm_month, open_node, parse_day, sign_in
from app.cli.output import CliError, Output


def cmd_calendar(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args, must_init=False)
    cal = node.calendar()
    specs = args.spec or [node.today().isoformat()]
    if len(specs) == 1 and _DAY.match(specs[0]):
        status = cal.status(parse_day(specs[0]))
        data = status.to_json()

        def text() -> str:
            head = f"{status.day.isoformat()}（{'月火水木金土日'[status.day.weekday()]}）"
            if status.holiday:
                head += f" {status.holiday}"
            if not status.open:
                return f"{head}: 閉庁 — " + "、".join(status.reasons_ja)
            assert status.hours is not None
            h = status.hours
            return (f"{head}: 開庁 {h.open:%H:%M}–{h.close:%H:%M}（勤務 {h.staff_start:%H:%M}–"
                    f"{h.staff_end:%H:%M}） 予約枠 {len(status.slots)}枠 × "
                    f"{node.settings.reservations.seats_per_slot}人 = {status.capacity}")  # fmt: skip

        out.emit(data, text)
        return 0
    first, last = (specs + specs)[:2] if len(specs) <= 2 else (None, None)
    if first is None or not _MONTH.match(first) or not _MONTH.match(str(last)):
        raise CliError(
            "calendar には 日付 1つ（YYYY-MM-DD）か 月 1〜2つ（YYYY-MM）を指定してください"
        )
    months = cal.months(norm_month(first), norm_month(str(last)))
    total_days = sum(m.open_days for m in months)
    total_cap = sum(m.capacity for m in months)
    data = {"months": [m.to_json() for m in months],
            "total": {"open_days": total_days, "capacity": total_cap}}  # fmt: skip
    lines = ["月         開庁日数    予約枠"]
    lines += [f"{m.month}   {m.open_days:>8}  {m.capacity:>8,}" for m in months]
    lines.append(f"合計      {total_days:>8}  {total_cap:>8,}")
    out.emit(data, "\n".join(lines))
    return 0


def cmd_closure_add(args: argparse.Namespace, out: Output) -> int:
    from app.queue.closures import ClosureService

    node = open_node(args)
    day = parse_day(args.day)
    ClosureService(node).add(sign_in(args, node), day, args.reason)
    out.emit({"day": day.isoformat(), "reason": args.reason},
             f"{day.isoformat()} を臨時閉庁にしました: {args.reason}")  # fmt: skip
    return 0


def cmd_closure_remove(args: argparse.Namespace, out: Output) -> int:
    from app.queue.closures import ClosureService

    node = open_node(args)
    day = parse_day(args.day)
    ClosureService(node).remove(sign_in(args, node), day)
    out.emit({"day": day.isoformat()}, f"{day.isoformat()} の臨時閉庁を取り消しました")
    return 0


def cmd_closure_list(args: argparse.Namespace, out: Output) -> int:
    from app.queue.closures import ClosureService

    rows = ClosureService(open_node(args)).all()
    out.emit(rows, lambda: "\n".join(f"{r['day']}  {r['reason']}" for r in rows) or "臨時閉庁なし")
    return 0


def cmd_pause(args: argparse.Namespace, out: Output) -> int:
    from app.queue.pauses import PauseService

    node = open_node(args)
    PauseService(node).pause(sign_in(args, node), args.procedure, args.reason)
    out.emit({"procedure": args.procedure, "reason": args.reason},
             f"{args.procedure} の受付を停止しました: {args.reason}")  # fmt: skip
    return 0


def cmd_resume(args: argparse.Namespace, out: Output) -> int:
    from app.queue.pauses import PauseService

    node = open_node(args)
    PauseService(node).resume(sign_in(args, node), args.procedure)
    out.emit({"procedure": args.procedure}, f"{args.procedure} の受付を再開しました")
    return 0


def register(sub: Any) -> None:
    """Adds these commands to the ``madoguchi`` parser."""
    p = sub.add_parser("calendar", help="開庁日・予約枠を表示する")
    p.add_argument("spec", nargs="*", help="YYYY-MM-DD か YYYY-MM [YYYY-MM]")
    p.set_defaults(handler=cmd_calendar)

    closure = sub.add_parser("closure", help="臨時閉庁").add_subparsers(dest="sub", required=True)
    p = closure.add_parser("add")
    p.add_argument("day")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_closure_add)
    p = closure.add_parser("remove")
    p.add_argument("day")
    p.set_defaults(handler=cmd_closure_remove)
    closure.add_parser("list").set_defaults(handler=cmd_closure_list)

    procedure = sub.add_parser("procedure", help="手続の受付停止・再開（J-LIS 障害など）")
    procedures = procedure.add_subparsers(dest="sub", required=True)
    p = procedures.add_parser("pause", help="受付を停止する（jlis: J-LIS 依存の手続すべて）")
    p.add_argument("procedure")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_pause)
    p = procedures.add_parser("resume", help="受付を再開する")
    p.add_argument("procedure")
    p.set_defaults(handler=cmd_resume)
