"""The ``madoguchi reservations`` commands: import the web export, list the bookings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import open_node, parse_day, sign_in
from app.cli.output import EXIT_USAGE, CliError, Output, error_line
from app.reservations.importer import (
    CancellationsToConfirm,
    ImportRefused,
    ImportSummary,
    import_reservations,
)

STATE_NAMES = {"booked": "予約", "checked_in": "受付済み", "cancelled": "取消"}
_LIST_COLUMNS = ("reservation_id", "day", "slot", "procedure", "applicant", "state")

if TYPE_CHECKING:
    from app.reservations.importer import ImportSummary


def _summary_text(summary: ImportSummary) -> str:
    days = summary.days
    span = f"{days[0]}〜{days[-1]}（{len(days)}日）" if len(days) > 1 else "".join(days)
    lines = [
        f"予約データを取り込みました: {summary.rows} 行（{span}、{summary.encoding}）",
        f"  追加 {summary.added}  変更 {summary.updated}  変更なし {summary.unchanged}"
        f"  取消 {summary.cancelled}  （{summary.seconds:.2f} 秒）",
    ]
    if summary.dropped_columns:
        lines.append(f"  取り込まなかった列: {'、'.join(summary.dropped_columns)}")
    return "\n".join(lines)


def cmd_import(args: argparse.Namespace, out: Output) -> int:
    """``reservations import FILE``: every row or nothing; exit 2 listing every problem."""

    node = open_node(args)
    try:
        actor = sign_in(args, node)
        summary = import_reservations(node, actor, Path(args.file),
                                      confirm_cancel=args.confirm_cancel)  # fmt: skip
    except CancellationsToConfirm as exc:
        error_line(f"{exc}（取り消してよければ --confirm-cancel をつけて実行）")
        if sys.stderr is not None:
            sys.stderr.write("".join(f"  {b['reservation_id']}  {b['day']} {b['slot']}  "
                                     f"{b['procedure']}/{b['applicant']}\n" for b in exc.bookings))  # fmt: skip
            sys.stderr.flush()
        if out.as_json:
            out.emit({"imported": False, "to_cancel": exc.bookings}, "")
        return EXIT_USAGE
    except ImportRefused as exc:
        error_line(f"{args.file} を取り込めません（{len(exc.problems)} 件の問題。何も取り込んでいません）")  # fmt: skip
        if sys.stderr is not None:
            sys.stderr.write("".join(f"  {problem}\n" for problem in exc.problems))
            sys.stderr.flush()
        if out.as_json:
            out.emit({"imported": False, "problems": exc.problems}, "")
        return EXIT_USAGE
    finally:
        node.close()
    out.emit(summary.to_json(), lambda: _summary_text(summary))
    return 0


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    """``reservations list [--day D]``: number, day, slot, procedure, applicant, state."""
    node = open_node(args)
    try:
        columns = ", ".join(_LIST_COLUMNS)
        if args.day:
            rows = node.store.rows(
                f"SELECT {columns} FROM reservations WHERE day = ? ORDER BY slot, reservation_id",
                (parse_day(args.day).isoformat(),),
            )
        else:
            rows = node.store.rows(
                f"SELECT {columns} FROM reservations ORDER BY day, slot, reservation_id"
            )
        catalog = node.catalog
    finally:
        node.close()

    def line(r: dict[str, Any]) -> str:
        proc = catalog.procedures.get(r["procedure"])
        applicant = catalog.applicants.get(r["applicant"])
        return (
            f"{r['reservation_id']:<16} {r['day']} {r['slot']}  "
            f"{proc.name_ja if proc else r['procedure']}  "
            f"{applicant.name_ja if applicant else r['applicant']}  "
            f"{STATE_NAMES.get(r['state'], r['state'])}"
        )

    out.emit(rows, lambda: "\n".join(line(r) for r in rows) or "予約はありません")
    return 0


def cmd_checkin(args: argparse.Namespace, out: Output) -> int:
    from app.cli.common import emit_ticket
    from app.queue.tickets import TicketService
    from app.reservations.bookings import ReservationService

    node = open_node(args)
    actor = sign_in(args, node)
    found = ReservationService(node).find(node.today(), args.reservation)
    if len(found) != 1:
        raise CliError(
            f"本日の予約 {args.reservation} が{'見つかりません' if not found else '複数あります'}"
        )
    res = found[0]
    row = TicketService(node).issue(actor, res["procedure"], res["applicant"],
                                    reservation_id=res["reservation_id"],
                                    confirm_late=args.confirm_late)  # fmt: skip
    emit_ticket(out, row)
    return 0


def cmd_sweep(args: argparse.Namespace, out: Output) -> int:
    from app.core.actor import SYSTEM
    from app.reservations.bookings import ReservationService

    marked = ReservationService(open_node(args)).sweep_noshows(SYSTEM)
    out.emit({"noshow": marked}, f"不在にした予約: {len(marked)}件")
    return 0


def cmd_purge(args: argparse.Namespace, out: Output) -> int:
    from app.reservations.bookings import ReservationService

    node = open_node(args)
    count = ReservationService(node).purge(sign_in(args, node), args.keep_days)
    out.emit({"purged": count}, f"予約 {count}件の氏名を消去しました")
    return 0


def register(sub: Any) -> None:
    """Adds ``reservations import`` and ``reservations list`` to the ``madoguchi`` parser."""
    group = sub.add_parser("reservations", help="予約（Web予約の取込・一覧）")
    commands = group.add_subparsers(dest="sub", required=True)
    p = commands.add_parser("import", help="Web予約のCSVを取り込む（問題があれば何も取り込まない）")
    p.add_argument("file", help="CSVファイル（UTF-8・UTF-8 BOM付き・CP932）")
    p.add_argument("--confirm-cancel", action="store_true",
                   help="ファイルにない、その日の予約を取り消してよいと確認した")  # fmt: skip
    p.set_defaults(handler=cmd_import)
    p = commands.add_parser("list", help="予約の一覧（氏名は表示しない）")
    p.add_argument("--day", help="この日の予約だけ（YYYY-MM-DD）")
    p.set_defaults(handler=cmd_list)
    p = commands.add_parser(
        "checkin", help="予約の方を受け付けて整理券を発行する（番号または氏名カナ）"
    )
    p.add_argument("reservation", help="予約番号（スキャナ可）または氏名カナ")
    p.add_argument("--confirm-late", action="store_true", help="遅刻を確認して一般順で受付")
    p.set_defaults(handler=cmd_checkin)
    p = commands.add_parser("sweep", help="枠の終了後に来られなかった予約を不在にする")
    p.set_defaults(handler=cmd_sweep)
    p = sub.add_parser("purge", help="来庁日から一定日数（既定7日）を過ぎた予約の氏名を消去する")
    p.add_argument("--keep-days", type=int, default=None, help="残す日数（既定: 拠点設定）")
    p.set_defaults(handler=cmd_purge)
