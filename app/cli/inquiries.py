"""The ``madoguchi inquiry`` and ``madoguchi qa`` commands (see :mod:`app.cli.main`).

``inquiry add --category C --question Q --answer A [--qa ID]`` logs an inquiry and its
answer (no personal data); ``inquiry list [--day D]`` lists a day's. ``qa list [--search
TEXT]``, ``qa add``, ``qa edit ID``, ``qa retire ID``, ``qa history ID`` and ``qa export -o
FILE`` read and change the Q&A collection (changes: site managers and administrators).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import open_node, parse_day, sign_in
from app.cli.output import CliError, Output
from app.inquiries.categories import CATEGORIES, find_category
from app.model.clock import hhmm
from app.reports.kinds import ENCODINGS, FORMATS

_CATEGORY_HELP = "分類: " + "、".join(f"{c.code}（{c.name_ja}）" for c in CATEGORIES)

if TYPE_CHECKING:
    from app.core.node import Node


def _with_node(run: Callable[[argparse.Namespace, Output, Node], int]) -> Any:
    def handler(args: argparse.Namespace, out: Output) -> int:
        node = open_node(args)
        try:
            return run(args, out, node)
        finally:
            node.close()

    return handler


def _qa_line(row: dict[str, Any]) -> str:
    retired = "" if row["active"] else "（削除済み）"
    return (f"{row['qa_id']}  [{row['category_ja']}] 版{row['version']}{retired}\n"
            f"  Q: {row['question']}\n  A: {row['answer']}")  # fmt: skip


# -- inquiries ----------------------------------------------------------------------------


def cmd_inquiry_add(args: argparse.Namespace, out: Output, node: Node) -> int:
    from app.inquiries.inquiry_log import InquiryService

    if args.qa is None and (args.question is None or args.answer is None):
        raise CliError("--question と --answer を指定してください（--qa ID なら省略できます）")
    inquiry_id = InquiryService(node).log(
        sign_in(args, node), args.category, args.question or "", args.answer or "", args.qa
    )
    out.emit({"inquiry_id": inquiry_id}, f"問い合わせを記録しました: {inquiry_id}")
    return 0


def cmd_inquiry_list(args: argparse.Namespace, out: Output, node: Node) -> int:
    from app.inquiries.inquiry_log import InquiryService

    day = parse_day(args.day) if args.day else None
    rows = InquiryService(node).list(day, args.category)
    out.emit(rows, lambda: "\n".join(
        f"{hhmm(r['at'])} [{r['category_ja']}] Q: {r['question']}\n      A: {r['answer']}"
        for r in rows) or "問い合わせの記録はありません")  # fmt: skip
    return 0


# -- the Q&A collection --------------------------------------------------------------------


def cmd_qa_list(args: argparse.Namespace, out: Output, node: Node) -> int:
    from app.inquiries.qa import QaService

    service = QaService(node)
    if args.search:
        rows = service.search(args.search, args.category)
    else:
        code = find_category(args.category).code if args.category else None
        rows = [r for r in service.all(include_retired=args.all)
                if code is None or r["category"] == code]  # fmt: skip
    out.emit(rows, lambda: "\n".join(_qa_line(r) for r in rows) or "該当する質疑応答はありません")
    return 0


def cmd_qa_add(args: argparse.Namespace, out: Output, node: Node) -> int:
    from app.inquiries.qa import QaService

    qa_id = QaService(node).add(sign_in(args, node), args.category, args.question, args.answer)
    out.emit({"qa_id": qa_id}, f"質疑応答集に追加しました: {qa_id}")
    return 0


def cmd_qa_edit(args: argparse.Namespace, out: Output, node: Node) -> int:
    from app.inquiries.qa import QaService

    if args.question is None and args.answer is None and args.category is None:
        raise CliError("--question、--answer、--category のどれかを指定してください")
    row = QaService(node).edit(sign_in(args, node), args.qa_id, question=args.question,
                               answer=args.answer, category=args.category)  # fmt: skip
    out.emit(row, f"修正しました:\n{_qa_line(row)}")
    return 0


def cmd_qa_retire(args: argparse.Namespace, out: Output, node: Node) -> int:
    from app.inquiries.qa import QaService

    service = QaService(node)
    qa_id = service.get(args.qa_id)["qa_id"]
    service.retire(sign_in(args, node), qa_id)
    out.emit({"qa_id": qa_id}, f"質疑応答集から削除しました: {qa_id}")
    return 0


def cmd_qa_history(args: argparse.Namespace, out: Output, node: Node) -> int:
    from app.inquiries.qa import QaService

    changes = QaService(node).history(args.qa_id)
    out.emit(changes, lambda: "\n".join(
        f"{c['at_text']}  版{c['version']}  {c['summary']}  {c['staff_id']}" for c in changes))  # fmt: skip
    return 0


def cmd_qa_export(args: argparse.Namespace, out: Output, node: Node) -> int:
    from app.reports.files import save
    from app.reports.inquiry_reports import build_qa_collection

    target = Path(args.output)
    fmt = (args.format or target.suffix.lstrip(".") or "pdf").lower()
    if fmt not in FORMATS:
        raise CliError(f"形式 {fmt} は使えません（{', '.join(FORMATS)}）")
    report = build_qa_collection(node, parse_day(args.date) if args.date else None)
    target, size = save(report, fmt, target, args.encoding)
    out.emit({"format": fmt, "path": str(target), "bytes": size},
             f"{report.title}（{len(report.tables()[0].rows)} 件）を書き出しました: "
             f"{target}（{size:,} バイト）")  # fmt: skip
    return 0


# -- registration ---------------------------------------------------------------------------


def register(sub: Any) -> None:
    """Adds ``inquiry`` and ``qa`` to the ``madoguchi`` parser."""
    inquiry = sub.add_parser("inquiry", help="問い合わせの記録（個人情報は書かない）")
    inquiries = inquiry.add_subparsers(dest="sub", required=True)
    p = inquiries.add_parser("add", help="問い合わせと回答を記録する")
    p.add_argument("--category", required=True, help=_CATEGORY_HELP)
    p.add_argument("--question", help="問い合わせ内容（--qa なら省略可）")
    p.add_argument("--answer", help="回答（--qa なら省略可）")
    p.add_argument("--qa", help="回答に使った質疑応答のID")
    p.set_defaults(handler=_with_node(cmd_inquiry_add))
    p = inquiries.add_parser("list", help="問い合わせの一覧（既定: 今日）")
    p.add_argument("--day", help="日付 YYYY-MM-DD")
    p.add_argument("--category", help=_CATEGORY_HELP)
    p.set_defaults(handler=_with_node(cmd_inquiry_list))

    qa = sub.add_parser("qa", help="質疑応答集").add_subparsers(dest="sub", required=True)
    p = qa.add_parser("list", help="質疑応答集を表示・検索する")
    p.add_argument("--search", help="検索する言葉（空白区切りで全てを含むもの）")
    p.add_argument("--category", help=_CATEGORY_HELP)
    p.add_argument("--all", action="store_true", help="削除したものも表示する")
    p.set_defaults(handler=_with_node(cmd_qa_list))
    p = qa.add_parser("add", help="追加する（現地管理者）")
    p.add_argument("--category", required=True, help=_CATEGORY_HELP)
    p.add_argument("--question", required=True)
    p.add_argument("--answer", required=True)
    p.set_defaults(handler=_with_node(cmd_qa_add))
    p = qa.add_parser("edit", help="修正する（現地管理者）")
    p.add_argument("qa_id", help="ID（先頭の一部でも可）")
    p.add_argument("--question")
    p.add_argument("--answer")
    p.add_argument("--category", help=_CATEGORY_HELP)
    p.set_defaults(handler=_with_node(cmd_qa_edit))
    p = qa.add_parser("retire", help="削除する（履歴は残る。現地管理者）")
    p.add_argument("qa_id")
    p.set_defaults(handler=_with_node(cmd_qa_retire))
    p = qa.add_parser("history", help="変更の履歴（誰がいつ）")
    p.add_argument("qa_id")
    p.set_defaults(handler=_with_node(cmd_qa_history))
    p = qa.add_parser("export", help="質疑応答集を書き出す（市と共有）")
    p.add_argument("-o", "--output", required=True, help="出力ファイル")
    p.add_argument("--format", choices=FORMATS, help="pdf、csv、xlsx（既定: ファイルの拡張子）")
    p.add_argument("--date", help="その日の終わりの時点で書き出す（既定: 現在）")
    p.add_argument("--encoding", default="utf-8-sig", choices=sorted(ENCODINGS),
                   help="CSVの文字コード")  # fmt: skip
    p.set_defaults(handler=_with_node(cmd_qa_export))
