"""``madoguchi init``, ``demo``, ``counter-set``, ``events`` and ``rebuild``: setting a PC up and looking into its log."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path
from typing import Any

from app.cli.common import open_node, parse_day, sign_in
from app.cli.output import CliError, Output, read_pin
from app.core.roles import NODE_ROLES


def cmd_init(args: argparse.Namespace, out: Output) -> int:
    from app.core.node import DB_FILE
    from app.core.staff import StaffService
    from app.sync.blocks import BlockTaken, claim_at_setup
    from app.sync.registry import Registry
    from app.sync.share import Share

    node = open_node(args, must_init=False)
    lanes = tuple(x for x in (args.lanes or "").split(",") if x)
    if args.take_block and args.issuer_block is None:
        raise CliError("--take-block には引き継ぐ番号ブロックを --issuer-block で指定してください")
    pin = read_pin("管理者の暗証番号: ")
    identity = node.initialise(
        site_id=args.site, name=args.name, role=args.role, share_dir=args.share or "",
        printer=args.printer or "", counter=args.counter, lanes=lanes,
        issuer_block=args.issuer_block or 0,
        site_key=args.site_key or os.environ.get("MADOGUCHI_SITE_KEY"), block_proven=False,
    )  # fmt: skip
    # as stored: quotes and spaces around a pasted \\server\share dropped
    share = Share(Path(identity.share_dir), args.site) if identity.share_dir else None
    from app.core.actor import SYSTEM

    StaffService(node).add(SYSTEM, args.admin, args.admin_name, "admin", pin)
    registry = Registry(node, share) if share is not None else None
    try:
        chosen = claim_at_setup(
            share, registry.blocks() if registry else {},
            registry.same_name(args.name) if registry else [], identity.node_id,
            node.store.get_meta("install") or "", args.name, args.issuer_block, args.take_block,
        )  # fmt: skip
    except BlockTaken as exc:
        node.close()
        shutil.rmtree(args.data_dir / "logs", ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            (args.data_dir / f"{DB_FILE}{suffix}").unlink(missing_ok=True)
        raise CliError(f"{exc}。別の番号ブロックを指定するか、指定せずに自動で選ばせてください"
                       ) from None  # fmt: skip
    node.store.set_meta("issuer_block", str(chosen.block))
    if chosen.proven and not args.take_block:
        node.store.set_meta("block_proven", "1")
    elif args.take_block:
        node.store.set_meta("block_after_import", "1")  # proven once today's numbers are in
    identity = node.identity
    key_note = ""
    if not (args.site_key or os.environ.get("MADOGUCHI_SITE_KEY")):
        key_note = (f"\n拠点キー（同じ拠点の他の端末の init に --site-key で指定）: "
                    f"{node.store.get_meta('site_key')}")  # fmt: skip
    block_note = f"\n{chosen.note}" if chosen.note else ""
    state = "" if identity.block_proven or args.take_block else "（未確定）"
    out.emit(identity.to_json(),
             f"初期設定しました: {identity.name}（{NODE_ROLES[identity.role].text_in('ja')}）"
             f" node={identity.node_id} site={identity.site_id} 番号ブロック={chosen.block}{state}"
             f" 管理者={args.admin}{key_note}{block_note}")  # fmt: skip
    return 0


def cmd_demo(args: argparse.Namespace, out: Output) -> int:
    from app.sim.demo import create_demo

    day = parse_day(args.date) if args.date else None
    summary = create_demo(Path(args.data_dir), day=day, keep=args.keep)
    out.emit(summary, lambda: summary["text"])
    if args.windows:
        from app.sim.demo import run_windows

        return run_windows(Path(args.data_dir))
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

    from app.queue.tickets import TicketService

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


def register(sub: Any) -> None:
    """Adds these commands to the ``madoguchi`` parser."""

    p = sub.add_parser("init", help="この端末を初期設定する")
    p.add_argument("--site", required=True, help="拠点ID")
    p.add_argument("--name", required=True, help="端末名（例: reception-1）")
    p.add_argument("--role", required=True, choices=sorted(NODE_ROLES))
    p.add_argument(
        "--share", help="共有フォルダ（Windows: \\\\server\\madoguchi か Z:\\madoguchi）"
    )
    p.add_argument("--printer", help="プリンタ（例: pdf:フォルダ）")
    p.add_argument("--lanes", help="この窓口が呼び出す列（カンマ区切り）")
    p.add_argument("--issuer-block", type=int, default=None,
                   help="番号ブロック（端末ごとに別。既定: 共有フォルダで空いている最小のブロック）")  # fmt: skip
    p.add_argument("--take-block", action="store_true",
                   help="--issuer-block のブロックを撤去済みの旧端末から引き継ぐ（交換・再設定）")  # fmt: skip
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

    p = sub.add_parser("counter-set", help="この端末の窓口番号と呼び出す列を変える（現地管理者）")
    p.add_argument("--number", required=True, help="窓口番号")
    p.add_argument("--lanes", help="呼び出す列（カンマ区切り、既定: すべて）")
    p.set_defaults(handler=cmd_counter_set)

    p = sub.add_parser("events", help="イベントログ（JSON Lines）")
    p.add_argument("--type")
    p.add_argument("--ticket")
    p.set_defaults(handler=cmd_events)
    sub.add_parser("rebuild", help="イベントから表を作り直す").set_defaults(handler=cmd_rebuild)
