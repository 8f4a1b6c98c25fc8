"""``madoguchi staff``: adding staff with a PIN and listing them."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_node, sign_in
from app.cli.output import Output, read_pin
from app.core.actor import ROLES


def cmd_staff_add(args: argparse.Namespace, out: Output) -> int:
    from app.core.staff import StaffService

    node = open_node(args)
    actor = sign_in(args, node)
    pin = read_pin("新しい職員の暗証番号: ", env="MADOGUCHI_NEW_PIN")
    StaffService(node).add(actor, args.staff_id, args.name, args.role, pin)
    out.emit({"staff_id": args.staff_id, "role": args.role},
             f"職員 {args.staff_id}（{ROLES[args.role].text_in('ja')}）を登録しました")  # fmt: skip
    return 0


def cmd_staff_list(args: argparse.Namespace, out: Output) -> int:
    from app.core.staff import StaffService

    rows = StaffService(open_node(args)).all()
    out.emit(rows, lambda: "\n".join(
        f"{r['staff_id']:<10} {r['name']:<12} {ROLES[r['role']].text_in('ja')}"
        f"{'' if r['active'] else '（無効）'}" for r in rows))  # fmt: skip
    return 0


def register(sub: Any) -> None:
    """Adds these commands to the ``madoguchi`` parser."""
    staff = sub.add_parser("staff", help="職員").add_subparsers(dest="sub", required=True)
    p = staff.add_parser("add", help="職員を登録（暗証番号は MADOGUCHI_NEW_PIN または入力）")
    p.add_argument("staff_id")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=sorted(ROLES))
    p.set_defaults(handler=cmd_staff_add)
    staff.add_parser("list").set_defaults(handler=cmd_staff_list)
