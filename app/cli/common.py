"""What every command group shares: opening the node, signing in, days and tickets as text."""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from app.cli.output import CliError, Output, read_pin

if TYPE_CHECKING:  # the command groups import what they run only when they run it
    from app.core.actor import Actor
    from app.core.node import Node

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


def norm_month(text: str) -> str:
    """Returns ``YYYY-MM`` of a month typed as ``YYYY-M`` or ``YYYY/MM``."""
    match = _MONTH.match(text)
    assert match is not None
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def open_node(args: argparse.Namespace, must_init: bool = True) -> Node:
    """Opens the node of ``--data-dir``; refuses one never initialised if asked."""
    from app.core.node import Node

    node = Node(args.data_dir)
    if must_init and not node.initialised:
        node.close()
        raise CliError(
            f"{args.data_dir} は初期設定されていません（madoguchi init を実行してください）"
        )
    return node


def sign_in(args: argparse.Namespace, node: Node) -> Actor:
    """Checks the ``--staff`` PIN and returns who acts, at which counter."""
    from app.core.staff import StaffService

    if not args.staff:
        raise CliError("職員IDを --staff または環境変数 MADOGUCHI_STAFF で指定してください")
    counter = args.counter or node.identity.counter
    return StaffService(node).authenticate(args.staff, read_pin(), counter)


def ticket_line(row: dict[str, Any]) -> str:
    """Returns one line about a ticket: number, state, counter, procedure (and the visit's
    others), 優先 with its reason, and id."""
    from app.queue.routes import procedures_of
    from app.queue.tickets import STATE_NAMES

    state = STATE_NAMES[row["state"]].text_in("ja")
    where = f" {row['counter']}番窓口" if row["counter"] else ""
    others = [p for p in procedures_of(row) if p != row["procedure"]]
    also = "".join(f"+{p}" for p in others)
    priority = f"  優先({row['priority_reason']})" if row.get("priority_reason") else ""
    return (f"{row['number']:<7} {state:<4}{where}  {row['procedure']}{also}/{row['applicant']}"
            f"{priority}  {row['ticket_id']}")  # fmt: skip


def emit_ticket(out: Output, row: dict[str, Any]) -> None:
    """Prints a ticket (as JSON with ``--json``)."""
    from app.queue.tickets import ticket_json

    out.emit(ticket_json(row), ticket_line(row))
