"""``madoguchi ticket``, ``call`` and the counter's moves: issuing, serving and correcting tickets."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import emit_ticket, open_node, parse_day, sign_in, ticket_line
from app.cli.output import CliError, Output
from app.core.i18n import CODES
from app.model.clock import to_datetime
from app.model.ticket_states import FEES, OUTCOMES, STATES


def cmd_ticket_issue(args: argparse.Namespace, out: Output) -> int:
    from app.queue.tickets import TicketService, ticket_json

    node = open_node(args)
    actor = sign_in(args, node)
    row = TicketService(node).issue(actor, args.procedure, args.applicant,
                                    reservation_id=args.reservation,
                                    confirm_late=args.confirm_late,
                                    confirm_closed=args.after_hours, lang=args.lang,
                                    priority_reason=args.priority,
                                    others=tuple(args.also or ()))  # fmt: skip
    if not args.print:
        emit_ticket(out, row)
        return 0
    from app.printing.jobs import print_and_record

    result = print_and_record(node, actor, row["ticket_id"])
    out.emit(dict(ticket_json(row), printed=result.ok, print_message=result.message),
             f"{ticket_line(row)}\n{result.message}")  # fmt: skip
    return 0 if result.ok else 3


def cmd_ticket_render(args: argparse.Namespace, out: Output) -> int:
    from app.printing.layout import ROLLS, layout, ticket_content
    from app.printing.render import render_pdf, render_png
    from app.queue.tickets import TicketService

    node = open_node(args)
    row = TicketService(node).get(args.ticket)
    target = Path(args.output)
    if target.suffix.lower() not in (".pdf", ".png"):
        raise CliError("出力ファイルは .pdf か .png にしてください")
    roll = ROLLS[node.settings.printing.roll_mm]
    prims, height = layout(ticket_content(node, row, lang=args.lang), roll)
    data = (
        render_pdf(prims, height, width_mm=roll.paper_mm)
        if target.suffix.lower() == ".pdf"
        else render_png(prims, height, width_mm=roll.paper_mm)
    )
    from app.reports.files import write_output

    target = write_output(target, data)  # beside a file open in a viewer, if so
    out.emit({"ticket_id": row["ticket_id"], "file": str(target), "bytes": len(data)},
             f"{row['number']} → {target}")  # fmt: skip
    return 0


def cmd_ticket_list(args: argparse.Namespace, out: Output) -> int:
    from app.queue.tickets import TicketService, ticket_json

    node = open_node(args)
    day = parse_day(args.day) if args.day else None
    states = tuple(args.state or ())
    rows = TicketService(node).tickets(day, states=states)
    out.emit([ticket_json(r) for r in rows],
             lambda: "\n".join(ticket_line(r) for r in rows) or "整理券はありません")  # fmt: skip
    return 0


def cmd_ticket_show(args: argparse.Namespace, out: Output) -> int:
    from app.queue.tickets import TicketService, ticket_json

    node = open_node(args)
    row = TicketService(node).get(args.ticket)
    events = [e.to_json() for e in node.store.ticket_events(row["ticket_id"])]
    data = dict(ticket_json(row), events=events)
    out.emit(data, lambda: ticket_line(row) + "".join(
        f"\n  {e['hlc'] >> 16} {e['type']} {e['counter'] or ''}" for e in events))  # fmt: skip
    return 0


def cmd_call(args: argparse.Namespace, out: Output) -> int:
    from app.queue.tickets import TicketService

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
    emit_ticket(out, row)
    return 0


def _simple_move(method: str) -> Any:
    def handler(args: argparse.Namespace, out: Output) -> int:
        from app.queue.tickets import TicketService

        node = open_node(args)
        service = TicketService(node)
        row = getattr(service, method)(sign_in(args, node), args.ticket)
        emit_ticket(out, row)
        return 0

    return handler


def cmd_transfer(args: argparse.Namespace, out: Output) -> int:
    from app.queue.tickets import TicketService

    node = open_node(args)
    row = TicketService(node).transfer(sign_in(args, node), args.ticket, args.to, args.reason)
    emit_ticket(out, row)
    return 0


def cmd_done(args: argparse.Namespace, out: Output) -> int:
    from app.queue.tickets import TicketService

    node = open_node(args)
    row = TicketService(node).done(sign_in(args, node), args.ticket, args.outcome, args.fee)
    emit_ticket(out, row)
    return 0


def cmd_check(args: argparse.Namespace, out: Output) -> int:
    """``check request|sign T``: ask for the city's double check (シ), or sign it off."""
    from app.queue.checks import DoubleChecks

    node = open_node(args)
    checks = DoubleChecks(node)
    actor = sign_in(args, node)
    row = (checks.request if args.action == "request" else checks.sign)(actor, args.ticket)
    done = "依頼しました" if args.action == "request" else "確認しました"
    out.emit({"ticket_id": row["ticket_id"], "number": row["number"], "action": args.action},
             f"{row['number']} のダブルチェックを{done}")  # fmt: skip
    return 0


def cmd_check_list(args: argparse.Namespace, out: Output) -> int:
    """``check list``: today's double checks waiting for city staff."""
    from app.queue.checks import DoubleChecks

    node = open_node(args)
    rows = DoubleChecks(node).waiting()
    out.emit(rows, lambda: "\n".join(
        [f"確認待ち {len(rows)} 件"]
        + [f"  {r['number']:<7} {r['procedure']}/{r['applicant']}  {r['counter'] or ''}番窓口  "
           f"{to_datetime(r['requested_ms']):%H:%M} 依頼" for r in rows]))  # fmt: skip
    return 0


def cmd_cancel(args: argparse.Namespace, out: Output) -> int:
    from app.queue.tickets import TicketService

    node = open_node(args)
    row = TicketService(node).cancel(sign_in(args, node), args.ticket, args.reason)
    emit_ticket(out, row)
    return 0


def cmd_reopen(args: argparse.Namespace, out: Output) -> int:
    from app.queue.tickets import TicketService

    node = open_node(args)
    row = TicketService(node).reopen(sign_in(args, node), args.ticket, args.reason)
    emit_ticket(out, row)
    return 0


def register(sub: Any) -> None:
    """Adds these commands to the ``madoguchi`` parser."""
    ticket = sub.add_parser("ticket", help="整理券").add_subparsers(dest="sub", required=True)
    p = ticket.add_parser("issue", help="整理券を発行する")
    p.add_argument("--procedure", required=True)
    p.add_argument("--applicant", default="self", choices=["self", "legal", "agent"])
    p.add_argument("--reservation", help="予約番号（予約の受付）")
    p.add_argument("--lang", default="ja", choices=CODES,
                   help="お客様の言語（整理券に記録し、日本語と並べて印字）")  # fmt: skip
    p.add_argument("--confirm-late", action="store_true", help="遅刻を確認して一般順で受付")
    p.add_argument("--also", action="append", metavar="PROC",
                   help="同じ来庁のほかの手続（繰り返し指定可。1枚の整理券で手続ごとに結果を記録）")  # fmt: skip
    p.add_argument("--priority", choices=("elderly", "disability", "pregnant", "children", "unwell"),
                   help="優先案内の理由（高齢・障害・妊娠中・乳幼児連れ・体調不良）")  # fmt: skip
    p.add_argument("--after-hours", action="store_true",
                   help="開庁前・受付終了後・閉庁後でも発券する（確認済み。閉庁日は発券できない）")  # fmt: skip
    p.add_argument(
        "--print", action="store_true", help="端末のプリンタで印刷する（失敗は終了コード3）"
    )
    p.set_defaults(handler=cmd_ticket_issue)
    p = ticket.add_parser("render", help="整理券を PDF か PNG に書き出す")
    p.add_argument("ticket", help="整理券ID または 番号")
    p.add_argument("-o", "--output", required=True, help="FILE.pdf か FILE.png")
    p.add_argument("--lang", choices=CODES,
                   help="お客様の言語（既定: 発券時の言語。日本語と並べて印字。ja は日本語と英語）")  # fmt: skip
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
    p.add_argument("--fee", choices=FEES,
                   help="手数料の対象（reissue 再交付、express 特急）。金額は記録しない")  # fmt: skip
    p.set_defaults(handler=cmd_done)
    p = sub.add_parser("check", help="市のダブルチェック（シ）: 依頼・確認（市職員）・確認待ち一覧")
    actions = p.add_subparsers(dest="action", required=True)
    for action, text in (("request", "対応中の整理券のダブルチェックを依頼する（来庁者は窓口で待つ）"),
                         ("sign", "ダブルチェックを確認済みにする（市職員のみ）")):  # fmt: skip
        q = actions.add_parser(action, help=text)
        q.add_argument("ticket", help="整理券ID または 番号（例 A-012）")
        q.set_defaults(handler=cmd_check)
    q = actions.add_parser("list", help="本日の確認待ち")
    q.set_defaults(handler=cmd_check_list)
    p = sub.add_parser("cancel", help="整理券を取り消す")
    p.add_argument("ticket")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_cancel)

    p = sub.add_parser("reopen", help="完了・不在・取消を訂正する（誤操作・再来）")
    p.add_argument("ticket")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_reopen)
