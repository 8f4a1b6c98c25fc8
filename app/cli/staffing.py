"""The ``madoguchi training``, ``structure`` and ``roster`` commands (see :mod:`app.cli.main`).

``training add|list|remove`` keep the training log (要員育成報告書); ``structure assign|show``
the dated staffing structure (業務体制表); ``roster set|show`` the staff planned per day
(the monthly report's 要員計画 of the next month).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_node, parse_day, sign_in
from app.cli.output import CliError, Output
from app.reports.operations import month_bounds
from app.reports.structure import POSITIONS, Structure
from app.reports.training import TrainingLog


def cmd_training_add(args: argparse.Namespace, out: Output) -> int:
    """``training add --trainee ID --day D --course C --trainer T --hours H``."""
    node = open_node(args)
    try:
        training_id = TrainingLog(node).record(
            sign_in(args, node), args.trainee, parse_day(args.day), args.course, args.trainer,
            args.hours, args.record or "", args.replace,
        )  # fmt: skip
    finally:
        node.close()
    out.emit({"training_id": training_id}, f"研修を記録しました（{training_id}）")
    return 0


def cmd_training_list(args: argparse.Namespace, out: Output) -> int:
    """``training list [--month M]``."""
    node = open_node(args)
    try:
        month = args.month.strip() if args.month else node.today().strftime("%Y-%m")
        rows = TrainingLog(node).between(*month_bounds(month))
    finally:
        node.close()
    out.emit(rows, lambda: "\n".join(
        [f"{month}: 研修 {len(rows)} 件"] + [f"  {r['training_id']}  {r['day']}  {r['staff_id']}  "
                                            f"{r['course']}  {r['hours']:g}時間" for r in rows]))  # fmt: skip
    return 0


def cmd_training_remove(args: argparse.Namespace, out: Output) -> int:
    """``training remove ID``."""
    node = open_node(args)
    try:
        TrainingLog(node).remove(sign_in(args, node), args.training_id)
    finally:
        node.close()
    out.emit({"removed": args.training_id}, f"研修の記録 {args.training_id} を削除しました")
    return 0


def cmd_assign(args: argparse.Namespace, out: Output) -> int:
    """``structure assign ID POSITION --from D``."""
    node = open_node(args)
    try:
        day = parse_day(args.from_day)
        Structure(node).assign(sign_in(args, node), args.staff_id, args.position, day,
                               args.note or "")  # fmt: skip
    finally:
        node.close()
    out.emit({"staff_id": args.staff_id, "position": args.position, "from": day.isoformat()},
             f"{args.staff_id} を {day} から{POSITIONS[args.position].text_in('ja')}にしました")  # fmt: skip
    return 0


def cmd_structure_show(args: argparse.Namespace, out: Output) -> int:
    """``structure show [D]``: the structure in force on a day."""
    node = open_node(args)
    try:
        day = parse_day(args.day) if args.day else node.today()
        current = Structure(node).in_force(day)
    finally:
        node.close()
    data = [{"staff_id": a.staff_id, "position": a.position, "from": a.from_day.isoformat(),
             "note": a.note} for a in current]  # fmt: skip
    out.emit(data, lambda: "\n".join(
        [f"{day} の業務体制: {len(current)} 人"] + [
            f"  {POSITIONS[a.position].text_in('ja'):<12} {a.staff_id}  {a.from_day} から  {a.note}"
            for a in current]))  # fmt: skip
    return 0


def cmd_roster_set(args: argparse.Namespace, out: Output) -> int:
    """``roster set FROM [TO] --staff-ids a,b [--weekdays 1,2,5]``."""
    node = open_node(args)
    try:
        first = parse_day(args.first)
        last = parse_day(args.last) if args.last else first
        ids = [s.strip() for s in args.staff_ids.split(",") if s.strip()]
        try:
            weekdays = {int(w) for w in args.weekdays.split(",")} if args.weekdays else None
        except ValueError:
            raise CliError(
                "--weekdays は 1（月）〜7（日）をカンマ区切りで指定してください"
            ) from None
        days = Structure(node).plan(sign_in(args, node), first, last, ids, weekdays)
    finally:
        node.close()
    out.emit({"days": days}, f"{first}〜{last} の開所日 {days} 日の勤務予定を記録しました")
    return 0


def cmd_roster_show(args: argparse.Namespace, out: Output) -> int:
    """``roster show MONTH``."""
    node = open_node(args)
    try:
        roster = Structure(node).roster(*month_bounds(args.month.strip()))
    finally:
        node.close()
    out.emit({d.isoformat(): ids for d, ids in roster.items()}, lambda: "\n".join(
        [f"{args.month}: 勤務予定 {len(roster)} 日"]
        + [f"  {d}  {len(ids)}人  {','.join(ids)}" for d, ids in roster.items()]))  # fmt: skip
    return 0


def register(sub: Any) -> None:
    """Adds ``training``, ``structure`` and ``roster`` to the ``madoguchi`` parser."""
    p = sub.add_parser("training", help="研修の記録（要員育成報告書のもと）")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("add", help="研修を記録する（現地管理者）")
    q.add_argument("--trainee", required=True, help="受講した職員ID")
    q.add_argument("--day", required=True, help="研修日 YYYY-MM-DD（翌月の日付なら研修計画）")
    q.add_argument("--course", required=True, help="研修（科目）")
    q.add_argument("--trainer", required=True, help="講師（職員IDまたは所属。氏名は書かない）")
    q.add_argument("--hours", required=True, type=float, help="時間（例 1.5）")
    q.add_argument("--record", help="指導記録")
    q.add_argument("--replace", help="この研修IDの記録を書き換える")
    q.set_defaults(handler=cmd_training_add)
    q = actions.add_parser("list", help="ある月の研修")
    q.add_argument("--month", help="YYYY-MM（既定: 今月）")
    q.set_defaults(handler=cmd_training_list)
    q = actions.add_parser("remove", help="誤って記録した研修を削除する")
    q.add_argument("training_id")
    q.set_defaults(handler=cmd_training_remove)

    p = sub.add_parser("structure", help="業務体制（統括管理者・現地管理者・代行者・業務従事者）")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("assign", help="職員の職位をある日から変える（変更は版として残る）")
    q.add_argument("staff_id")
    q.add_argument("position", choices=list(POSITIONS))
    q.add_argument("--from", dest="from_day", required=True, help="適用日 YYYY-MM-DD")
    q.add_argument("--note", help="備考（個人情報は書かない）")
    q.set_defaults(handler=cmd_assign)
    q = actions.add_parser("show", help="ある日に有効な体制")
    q.add_argument("day", nargs="?", help="YYYY-MM-DD（既定: 今日）")
    q.set_defaults(handler=cmd_structure_show)

    p = sub.add_parser("roster", help="勤務予定（次月の要員計画）")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("set", help="開所日ごとの従事予定の職員を記録する（上書き）")
    q.add_argument("first", help="最初の日 YYYY-MM-DD")
    q.add_argument("last", nargs="?", help="最後の日（既定: 最初の日だけ）")
    q.add_argument("--staff-ids", required=True, help="職員ID（カンマ区切り）")
    q.add_argument("--weekdays", help="曜日 1（月）〜7（日）のカンマ区切り（既定: すべての開所日）")
    q.set_defaults(handler=cmd_roster_set)
    q = actions.add_parser("show", help="ある月の勤務予定")
    q.add_argument("month", help="YYYY-MM")
    q.set_defaults(handler=cmd_roster_show)
