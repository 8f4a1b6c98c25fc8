"""``madoguchi identity``: what a PC does when its data folder was copied or moved.

``renew`` makes a copy (a master image, a folder copied to another PC) a new PC of the site;
``confirm`` says the PC is the same one, moved to another folder or renamed. Either needs a
site manager's PIN (see :mod:`app.core.machine`).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_node, sign_in
from app.cli.output import Output


def cmd_renew(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    old = node.identity
    identity = node.renew_identity(sign_in(args, node), args.name)
    out.emit(identity.to_json(),
             f"新しい端末にしました: {identity.name} node={identity.node_id}"
             f"（複製元 {old.name} {old.node_id}）。番号ブロックは次の同期で共有フォルダから"
             "割り当てられ、それまでは整理券を発行できません")  # fmt: skip
    return 0


def cmd_confirm(args: argparse.Namespace, out: Output) -> int:
    node = open_node(args)
    identity = node.confirm_identity(sign_in(args, node))
    out.emit(identity.to_json(),
             f"この場所の端末 {identity.name}（{identity.node_id}）として確認しました")  # fmt: skip
    return 0


def register(sub: Any) -> None:
    """Adds ``madoguchi identity``."""
    identity = sub.add_parser("identity", help="複製・移動したデータフォルダの扱い")
    actions = identity.add_subparsers(dest="sub", required=True)
    p = actions.add_parser("renew", help="複製したデータフォルダを新しい端末にする")
    p.add_argument("--name", required=True, help="新しい端末名（例: reception-2）")
    p.set_defaults(handler=cmd_renew)
    p = actions.add_parser("confirm", help="同じPCの移動・名前変更として今の場所を確認する")
    p.set_defaults(handler=cmd_confirm)
