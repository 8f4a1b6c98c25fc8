"""The ``madoguchi deliverables`` and ``madoguchi meeting`` commands (see :mod:`app.cli.main`).

``deliverables list [--all [--until D]]`` lists the contract's deliverables with their due dates
(what is overdue first); ``deliverables submit KEY [--on D]`` and ``deliverables unsubmit
KEY`` mark one handed in or not; ``meeting add D --kind monthly|daily [--title T]``,
``meeting list`` and ``meeting remove ID`` record the meetings whose minutes are due.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from app.cli.common import open_node, parse_day, sign_in
from app.cli.output import Output
from app.reports.deliverables import MEETING_KINDS, STATE_NAMES, Deliverables


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    """``deliverables``: what is due, overdue and handed in."""
    node = open_node(args)
    try:
        service, today = Deliverables(node), node.today()
        if args.all:
            items = service.all(parse_day(args.until) if args.until else today + timedelta(days=31))
        else:
            items = service.listing(today)
    finally:
        node.close()
    data = [{"key": d.key, "title": d.title, "period": d.period, "due": d.due.isoformat(),
             "rule": d.rule, "state": d.state(today),
             "submitted_on": d.submitted_on and d.submitted_on.isoformat()} for d in items]  # fmt: skip

    def text() -> str:
        late = sum(1 for d in items if d.state(today) == "overdue")
        lines = [f"{today} 現在: {len(items)} 件（期限切れ {late} 件）"]
        lines += [f"  {STATE_NAMES[d.state(today)].text_in('ja'):<6} {d.due}  {d.title}  {d.period}  [{d.key}]"
                  for d in items]  # fmt: skip
        return "\n".join(lines)

    out.emit(data, text)
    return 0


def cmd_submit(args: argparse.Namespace, out: Output) -> int:
    """``deliverables submit KEY [--on D]`` / ``unsubmit KEY``."""
    node = open_node(args)
    try:
        on = None if args.undo else (parse_day(args.on) if args.on else node.today())
        Deliverables(node).mark(sign_in(args, node), args.key, on)
    finally:
        node.close()
    text = (
        f"{args.key} を未提出に戻しました"
        if on is None
        else f"{args.key} を {on} 提出済みにしました"
    )
    out.emit({"key": args.key, "submitted_on": on and on.isoformat()}, text)
    return 0


def cmd_submit_daily(args: argparse.Namespace, out: Output) -> int:
    """``deliverables submit-daily --through D [--on D]``: a run of daily deliverables."""
    node = open_node(args)
    try:
        on = parse_day(args.on) if args.on else node.today()
        count = Deliverables(node).mark_daily_through(sign_in(args, node), parse_day(args.through),
                                                      on)  # fmt: skip
    finally:
        node.close()
    out.emit({"marked": count, "through": args.through},
             f"{args.through} までの日次の成果物 {count} 件を提出済みにしました")  # fmt: skip
    return 0


def cmd_meeting_add(args: argparse.Namespace, out: Output) -> int:
    """``meeting add D --kind K [--title T]``."""
    node = open_node(args)
    try:
        day = parse_day(args.day)
        meeting_id = Deliverables(node).add_meeting(sign_in(args, node), day, args.kind,
                                                    args.title or "")  # fmt: skip
        due = node.calendar().nth_city_office_day_after(day, 3)
    finally:
        node.close()
    out.emit({"meeting_id": meeting_id, "minutes_due": due.isoformat()},
             f"{day} の{MEETING_KINDS[args.kind].text_in('ja')}を記録しました（{meeting_id}、議事録の期限 {due}）")  # fmt: skip
    return 0


def cmd_meeting_list(args: argparse.Namespace, out: Output) -> int:
    """``meeting list``."""
    node = open_node(args)
    try:
        rows = Deliverables(node).meetings()
    finally:
        node.close()
    out.emit(rows, lambda: "\n".join(
        [f"会議 {len(rows)} 件"] + [f"  {r['meeting_id']}  {r['day']}  "
                                   f"{MEETING_KINDS[r['kind']].text_in('ja') if r['kind'] in MEETING_KINDS else r['kind']}  {r['title']}"
                                   for r in rows]))  # fmt: skip
    return 0


def cmd_meeting_remove(args: argparse.Namespace, out: Output) -> int:
    """``meeting remove ID``."""
    node = open_node(args)
    try:
        Deliverables(node).remove_meeting(sign_in(args, node), args.meeting_id)
    finally:
        node.close()
    out.emit({"removed": args.meeting_id}, f"会議 {args.meeting_id} を削除しました")
    return 0


def register(sub: Any) -> None:
    """Adds ``deliverables`` and ``meeting`` to the ``madoguchi`` parser."""
    p = sub.add_parser("deliverables", help="成果物と提出期限（期限切れ・提出済み）")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("list", help="未提出（期限切れを含む）と最近の提出")
    q.add_argument("--all", action="store_true", help="契約の初めから全部")
    q.add_argument("--until", help="--all でこの日までに期限が来るもの（既定: 31日後）")
    q.set_defaults(handler=cmd_list)
    q = actions.add_parser("submit", help="提出済みにする（現地管理者）")
    q.add_argument("key", help="例: daily:2026-11-24、monthly:2026-11、minutes:会議ID")
    q.add_argument("--on", help="提出日（既定: 今日）")
    q.set_defaults(handler=cmd_submit, undo=False)
    q = actions.add_parser(
        "submit-daily", help="ある日までの作業日報・問い合わせ記録をすべて提出済みにする"
    )
    q.add_argument("--through", required=True, help="この日に期限が来るものまで")
    q.add_argument("--on", help="提出日（既定: 今日）")
    q.set_defaults(handler=cmd_submit_daily)
    q = actions.add_parser("unsubmit", help="提出済みを取り消す（現地管理者）")
    q.add_argument("key")
    q.set_defaults(handler=cmd_submit, undo=True, on=None)

    p = sub.add_parser("meeting", help="定例会議（議事録の期限: 開催日後3開庁日）")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("add", help="会議を記録する（現地管理者）")
    q.add_argument("day", help="開催日 YYYY-MM-DD")
    q.add_argument("--kind", required=True, choices=list(MEETING_KINDS),
                   help="monthly センター運営推進会議、daily センター日次報告会議")  # fmt: skip
    q.add_argument("--title", help="件名（個人情報は書かない）")
    q.set_defaults(handler=cmd_meeting_add)
    q = actions.add_parser("list", help="記録した会議")
    q.set_defaults(handler=cmd_meeting_list)
    q = actions.add_parser("remove", help="誤って記録した会議を削除する")
    q.add_argument("meeting_id")
    q.set_defaults(handler=cmd_meeting_remove)
