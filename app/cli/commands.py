"""Handlers of the ``madoguchi`` commands (see :mod:`app.cli.main`)."""

from __future__ import annotations

import argparse
import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.main import CliError, Output, read_pin
from app.core.node import NODE_ROLES, Node
from app.core.staff import ROLES, SYSTEM, Actor, StaffService
from app.model.ticket_fold import OUTCOMES, STATES
from app.queue.closures import ClosureService
from app.queue.tickets import STATE_NAMES, TicketService, ticket_json

_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")


def parse_day(text: str) -> date:
    """Parses ``YYYY-MM-DD`` or ``YYYY/MM/DD``; raises CliError naming the text."""
    match = _DAY.match(text.strip())
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CliError(f"日付 {text!r} が正しくありません（YYYY-MM-DD の形で指定してください）")


def open_node(args: argparse.Namespace, must_init: bool = True) -> Node:
    """Opens the node of ``--data-dir``; refuses one never initialised if asked."""
    node = Node(args.data_dir)
    if must_init and not node.initialised:
        node.close()
        raise CliError(
            f"{args.data_dir} は初期設定されていません（madoguchi init を実行してください）"
        )
    return node


def sign_in(args: argparse.Namespace, node: Node) -> Actor:
    """Checks the ``--staff`` PIN and returns who acts, at which counter."""
    if not args.staff:
        raise CliError("職員IDを --staff または環境変数 MADOGUCHI_STAFF で指定してください")
    counter = args.counter or node.identity.counter
    return StaffService(node).authenticate(args.staff, read_pin(), counter)


# -- init and demo ---------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args, must_init=False)
    lanes = tuple(x for x in (args.lanes or "").split(",") if x)
    block = args.issuer_block
    if block is None:
        block = free_issuer_block(args.share, args.site, args.name)
    pin = read_pin("管理者の暗証番号: ")
    identity = node.initialise(
        site_id=args.site, name=args.name, role=args.role, share_dir=args.share or "",
        printer=args.printer or "", counter=args.counter, lanes=lanes,
        issuer_block=block, site_key=args.site_key or os.environ.get("MADOGUCHI_SITE_KEY"),
    )  # fmt: skip
    StaffService(node).add(SYSTEM, args.admin, args.admin_name, "admin", pin)
    key_note = ""
    if not (args.site_key or os.environ.get("MADOGUCHI_SITE_KEY")):
        key_note = (f"\n拠点キー（同じ拠点の他の端末の init に --site-key で指定）: "
                    f"{node.store.get_meta('site_key')}")  # fmt: skip
    out.emit(identity.to_json(),
             f"初期設定しました: {identity.name}（{NODE_ROLES[identity.role][0]}）"
             f" node={identity.node_id} site={identity.site_id} 番号ブロック={block}"
             f" 管理者={args.admin}{key_note}")  # fmt: skip
    return 0


def free_issuer_block(share: str | None, site: str, name: str) -> int:
    """Returns the number block for a new PC: its old block if a PC of the same name
    was registered (a reinstall), else one above every block in the share's registry."""
    if not share:
        return 0
    folder = Path(share) / "madoguchi" / "v1" / site / "registry"
    blocks: list[int] = []
    try:
        for path in folder.glob("*.json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            if record.get("name") == name:
                return int(record.get("issuer_block", 0))
            blocks.append(int(record.get("issuer_block", 0)))
    except (OSError, ValueError):
        raise CliError(
            f"共有フォルダの端末一覧を読めません: {folder}（--issuer-block で指定してください）"
        ) from None
    return max(blocks) + 1 if blocks else 0


def cmd_demo(args: argparse.Namespace, out: Output) -> int:
    from app.sim.demo import create_demo

    day = parse_day(args.date) if args.date else None
    summary = create_demo(Path(args.data_dir), day=day, keep=args.keep)
    out.emit(summary, lambda: summary["text"])
    if args.windows:
        from app.sim.demo import run_windows

        return run_windows(Path(args.data_dir))
    return 0


# -- calendar and closures --------------------------------------------------------------------


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
    months = cal.months(_norm_month(first), _norm_month(str(last)))
    total_days = sum(m.open_days for m in months)
    total_cap = sum(m.capacity for m in months)
    data = {"months": [m.to_json() for m in months],
            "total": {"open_days": total_days, "capacity": total_cap}}  # fmt: skip
    lines = ["月         開庁日数    予約枠"]
    lines += [f"{m.month}   {m.open_days:>8}  {m.capacity:>8,}" for m in months]
    lines.append(f"合計      {total_days:>8}  {total_cap:>8,}")
    out.emit(data, "\n".join(lines))
    return 0


def _norm_month(text: str) -> str:
    match = _MONTH.match(text)
    assert match is not None
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def cmd_closure_add(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    day = parse_day(args.day)
    ClosureService(node).add(sign_in(args, node), day, args.reason)
    out.emit({"day": day.isoformat(), "reason": args.reason},
             f"{day.isoformat()} を臨時閉庁にしました: {args.reason}")  # fmt: skip
    return 0


def cmd_closure_remove(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    day = parse_day(args.day)
    ClosureService(node).remove(sign_in(args, node), day)
    out.emit({"day": day.isoformat()}, f"{day.isoformat()} の臨時閉庁を取り消しました")
    return 0


def cmd_closure_list(args: argparse.Namespace, out: Output) -> int:
    rows = ClosureService(open_node(args)).all()
    out.emit(rows, lambda: "\n".join(f"{r['day']}  {r['reason']}" for r in rows) or "臨時閉庁なし")
    return 0


# -- staff ----------------------------------------------------------------------------------


def cmd_staff_add(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    actor = sign_in(args, node)
    pin = read_pin("新しい職員の暗証番号: ", env="MADOGUCHI_NEW_PIN")
    StaffService(node).add(actor, args.staff_id, args.name, args.role, pin)
    out.emit({"staff_id": args.staff_id, "role": args.role},
             f"職員 {args.staff_id}（{ROLES[args.role][0]}）を登録しました")  # fmt: skip
    return 0


def cmd_staff_list(args: argparse.Namespace, out: Output) -> int:
    rows = StaffService(open_node(args)).all()
    out.emit(rows, lambda: "\n".join(
        f"{r['staff_id']:<10} {r['name']:<12} {ROLES[r['role']][0]}"
        f"{'' if r['active'] else '（無効）'}" for r in rows))  # fmt: skip
    return 0


# -- tickets --------------------------------------------------------------------------------


def _ticket_line(row: dict[str, Any]) -> str:
    state = STATE_NAMES[row["state"]][0]
    where = f" {row['counter']}番窓口" if row["counter"] else ""
    return (f"{row['number']:<7} {state:<4}{where}  {row['procedure']}/{row['applicant']}"
            f"  {row['ticket_id']}")  # fmt: skip


def _emit_ticket(out: Output, row: dict[str, Any]) -> None:
    out.emit(ticket_json(row), _ticket_line(row))


def cmd_ticket_issue(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    actor = sign_in(args, node)
    row = TicketService(node).issue(actor, args.procedure, args.applicant,
                                    reservation_id=args.reservation,
                                    confirm_late=args.confirm_late)  # fmt: skip
    if not args.print:
        _emit_ticket(out, row)
        return 0
    from app.printing.jobs import print_and_record

    result = print_and_record(node, actor, row["ticket_id"])
    out.emit(dict(ticket_json(row), printed=result.ok, print_message=result.message),
             f"{_ticket_line(row)}\n{result.message}")  # fmt: skip
    return 0 if result.ok else 3


def cmd_ticket_render(args: argparse.Namespace, out: Output) -> int:
    from app.printing.layout import layout, ticket_content
    from app.printing.render import render_pdf, render_png

    node = open_node(args)
    row = TicketService(node).get(args.ticket)
    target = Path(args.output)
    if target.suffix.lower() not in (".pdf", ".png"):
        raise CliError("出力ファイルは .pdf か .png にしてください")
    prims, height = layout(ticket_content(node, row))
    data = (
        render_pdf(prims, height) if target.suffix.lower() == ".pdf" else render_png(prims, height)
    )
    target.write_bytes(data)
    out.emit({"ticket_id": row["ticket_id"], "file": str(target), "bytes": len(data)},
             f"{row['number']} → {target}")  # fmt: skip
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


def cmd_ticket_list(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    day = parse_day(args.day) if args.day else None
    states = tuple(args.state or ())
    rows = TicketService(node).tickets(day, states=states)
    out.emit([ticket_json(r) for r in rows],
             lambda: "\n".join(_ticket_line(r) for r in rows) or "整理券はありません")  # fmt: skip
    return 0


def cmd_ticket_show(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    row = TicketService(node).get(args.ticket)
    events = [e.to_json() for e in node.store.ticket_events(row["ticket_id"])]
    data = dict(ticket_json(row), events=events)
    out.emit(data, lambda: _ticket_line(row) + "".join(
        f"\n  {e['hlc'] >> 16} {e['type']} {e['counter'] or ''}" for e in events))  # fmt: skip
    return 0


def cmd_call(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    service = TicketService(node)
    actor = sign_in(args, node)
    if args.ticket:
        row: dict[str, Any] | None = service.call(actor, args.ticket)
    else:
        lanes = tuple(x for x in (args.lanes or "").split(",") if x)
        row = service.call_next(actor, lanes)
    if row is None:
        out.emit(None, "お待ちの方はいません")
        return 0
    _emit_ticket(out, row)
    return 0


def _simple_move(method: str) -> Any:
    def handler(args: argparse.Namespace, out: Output) -> int:
        node = open_node(args)
        service = TicketService(node)
        row = getattr(service, method)(sign_in(args, node), args.ticket)
        _emit_ticket(out, row)
        return 0

    return handler


def cmd_transfer(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    row = TicketService(node).transfer(sign_in(args, node), args.ticket, args.to, args.reason)
    _emit_ticket(out, row)
    return 0


def cmd_done(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    row = TicketService(node).done(sign_in(args, node), args.ticket, args.outcome)
    _emit_ticket(out, row)
    return 0


def cmd_cancel(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    row = TicketService(node).cancel(sign_in(args, node), args.ticket, args.reason)
    _emit_ticket(out, row)
    return 0


def cmd_reopen(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    row = TicketService(node).reopen(sign_in(args, node), args.ticket, args.reason)
    _emit_ticket(out, row)
    return 0


def cmd_counter_set(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    lanes = tuple(x for x in (args.lanes or "").split(",") if x)
    identity = node.configure_counter(sign_in(args, node), args.number, lanes)
    out.emit(identity.to_json(),
             f"この端末を {identity.counter}番窓口（{', '.join(identity.lanes)}）にしました")  # fmt: skip
    return 0


def cmd_events(args: argparse.Namespace, out: Output) -> int:
    import json
    import sys

    node = open_node(args)
    where, params = [], []
    if args.type:
        where.append("type = ?")
        params.append(args.type)
    if args.ticket:
        where.append("ticket_id = ?")
        params.append(TicketService(node).get(args.ticket)["ticket_id"])
    for event in node.store.events(" AND ".join(where), params):
        if sys.stdout is not None:
            sys.stdout.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
    return 0


def cmd_rebuild(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    before = node.store.projection_dump()
    node.store.rebuild()
    same = before == node.store.projection_dump()
    out.emit({"events": node.store.event_count(), "unchanged": same},
             f"{node.store.event_count()} 件のイベントから再構築しました"
             f"（{'変化なし' if same else '表が更新されました'}）")  # fmt: skip
    return 0


# -- registration ---------------------------------------------------------------------------


def register(sub: Any) -> None:
    """Adds every command to the ``madoguchi`` parser."""
    p = sub.add_parser("init", help="この端末を初期設定する")
    p.add_argument("--site", required=True, help="拠点ID")
    p.add_argument("--name", required=True, help="端末名（例: reception-1）")
    p.add_argument("--role", required=True, choices=sorted(NODE_ROLES))
    p.add_argument("--share", help="共有フォルダ")
    p.add_argument("--printer", help="プリンタ（例: pdf:フォルダ）")
    p.add_argument("--lanes", help="この窓口が呼び出す列（カンマ区切り）")
    p.add_argument("--issuer-block", type=int, default=None,
                   help="番号ブロック（端末ごとに別。既定: 共有フォルダの端末一覧から自動）")  # fmt: skip
    p.add_argument("--site-key", help="拠点キー（同じ拠点の全端末で同じ。既定: 新規作成）")
    p.add_argument("--admin", default="admin", help="最初の管理者の職員ID")
    p.add_argument("--admin-name", default="システム管理者")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help="デモ拠点を作る（受付・窓口・表示・管理）")
    p.add_argument("--date", help="デモの日付（既定: 今日）")
    p.add_argument("--keep", action="store_true", help="既にあれば何もしない")
    p.add_argument("--windows", action="store_true",
                   help="受付・窓口2つ・表示の画面をそれぞれ別の端末として開く")  # fmt: skip
    p.set_defaults(handler=cmd_demo)

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

    staff = sub.add_parser("staff", help="職員").add_subparsers(dest="sub", required=True)
    p = staff.add_parser("add", help="職員を登録（暗証番号は MADOGUCHI_NEW_PIN または入力）")
    p.add_argument("staff_id")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=sorted(ROLES))
    p.set_defaults(handler=cmd_staff_add)
    staff.add_parser("list").set_defaults(handler=cmd_staff_list)

    ticket = sub.add_parser("ticket", help="整理券").add_subparsers(dest="sub", required=True)
    p = ticket.add_parser("issue", help="整理券を発行する")
    p.add_argument("--procedure", required=True)
    p.add_argument("--applicant", default="self", choices=["self", "legal", "agent"])
    p.add_argument("--reservation", help="予約番号（予約の受付）")
    p.add_argument("--confirm-late", action="store_true", help="遅刻を確認して一般順で受付")
    p.add_argument(
        "--print", action="store_true", help="端末のプリンタで印刷する（失敗は終了コード3）"
    )
    p.set_defaults(handler=cmd_ticket_issue)
    p = ticket.add_parser("render", help="整理券を PDF か PNG に書き出す")
    p.add_argument("ticket", help="整理券ID または 番号")
    p.add_argument("-o", "--output", required=True, help="FILE.pdf か FILE.png")
    p.set_defaults(handler=cmd_ticket_render)
    p = ticket.add_parser("list", help="整理券の一覧（既定: 今日）")
    p.add_argument("--day")
    p.add_argument("--state", action="append", choices=STATES)
    p.set_defaults(handler=cmd_ticket_list)
    p = ticket.add_parser("show", help="整理券とそのイベント")
    p.add_argument("ticket", help="整理券ID または 番号（例 A-012）")
    p.set_defaults(handler=cmd_ticket_show)

    p = sub.add_parser("call", help="次の方（または指定の番号）を呼び出す")
    p.add_argument("ticket", nargs="?")
    p.add_argument("--lanes", help="呼び出す列（カンマ区切り、既定: 端末の設定）")
    p.set_defaults(handler=cmd_call)
    for name, method, text in (("recall", "recall", "再呼出し"), ("start", "start", "対応開始"),
                               ("hold", "hold", "保留"), ("resume", "resume", "再開"),
                               ("noshow", "noshow", "不在")):  # fmt: skip
        p = sub.add_parser(name, help=text)
        p.add_argument("ticket")
        p.set_defaults(handler=_simple_move(method))
    p = sub.add_parser("transfer", help="別の列・市窓口へ回付する")
    p.add_argument("ticket")
    p.add_argument("--to", required=True, help="回付先の列")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_transfer)
    p = sub.add_parser("done", help="対応を終える")
    p.add_argument("ticket")
    p.add_argument("--outcome", default="completed", choices=OUTCOMES)
    p.set_defaults(handler=cmd_done)
    p = sub.add_parser("cancel", help="整理券を取り消す")
    p.add_argument("ticket")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_cancel)

    procedure = sub.add_parser("procedure", help="手続の受付停止・再開（J-LIS 障害など）")
    procedures = procedure.add_subparsers(dest="sub", required=True)
    p = procedures.add_parser("pause", help="受付を停止する（jlis: J-LIS 依存の手続すべて）")
    p.add_argument("procedure")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_pause)
    p = procedures.add_parser("resume", help="受付を再開する")
    p.add_argument("procedure")
    p.set_defaults(handler=cmd_resume)

    p = sub.add_parser("reopen", help="完了・不在・取消を訂正する（誤操作・再来）")
    p.add_argument("ticket")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_reopen)

    p = sub.add_parser("counter-set", help="この端末の窓口番号と呼び出す列を変える（現地管理者）")
    p.add_argument("--number", required=True, help="窓口番号")
    p.add_argument("--lanes", help="呼び出す列（カンマ区切り、既定: すべて）")
    p.set_defaults(handler=cmd_counter_set)

    p = sub.add_parser("events", help="イベントログ（JSON Lines）")
    p.add_argument("--type")
    p.add_argument("--ticket")
    p.set_defaults(handler=cmd_events)
    sub.add_parser("rebuild", help="イベントから表を作り直す").set_defaults(handler=cmd_rebuild)
