"""The ``madoguchi`` command line: the same services as the windows, for IT staff,
scheduled jobs, tests and benchmarks.

Bad input exits non-zero with one readable line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from app import __version__
from app.cli.output import EXIT_INTERNAL, EXIT_USAGE, Output, error_line
from app.core.errors import UserError
from app.core.mynumber import redact


class Parser(argparse.ArgumentParser):
    """The argument parser; its one-line errors never echo a My Number typed by mistake."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {redact(message)}\n")


#: Each module of :mod:`app.cli` and the commands it adds.
_GROUPS = (
    ("setup", "init demo counter-set events rebuild"),
    ("identity", "identity"),
    ("calendar", "calendar closure procedure"),
    ("staff", "staff"),
    ("tickets", "ticket call recall start hold resume noshow transfer done check cancel reopen"),
    ("sync", "sync"),
    ("reservations", "reservations purge"),
    ("reports", "report simulate"),
    ("deliverables", "deliverables meeting"),
    ("staffing", "training structure roster"),
    ("inquiries", "inquiry qa"),
    ("day", "mode counter"),
    ("status", "status"),
)
#: Each command's module; a run loads only the modules its words name.
COMMANDS: dict[str, str] = {name: module for module, names in _GROUPS for name in names.split()}


def build_parser(
    extra: Callable[[Any], None] | None = None, argv: Sequence[str] | None = None
) -> argparse.ArgumentParser:
    """Returns the argument parser with the Qt-free commands.

    Args:
        extra: adds more commands to the subparsers (the windows add ``run``).
        argv: the words of this run. Given, only the modules of the commands among them are
            loaded (a word that is also a data folder's name loads one module too many, never
            one too few); ``--version`` alone loads none. Without it, every command is there.
    """
    import importlib

    parser = Parser(prog="madoguchi", description="横須賀市マイナンバーカードセンター 窓口システム")
    parser.add_argument("--version", action="version", version=f"madoguchi {__version__}")
    _add_common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = dict.fromkeys(COMMANDS.values())
    if argv is not None:
        named = dict.fromkeys(COMMANDS[word] for word in argv if word in COMMANDS)
        if named or "--version" in argv:
            modules = named
    for name in modules:
        importlib.import_module(f"app.cli.{name}").register(sub)
    if extra is not None:
        extra(sub)
    # The common options work after the command too: `madoguchi demo --data-dir X`.
    for leaf in _leaf_parsers(sub):
        _add_common(leaf, suppress=True)
    return parser


def _add_common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument("--data-dir", type=Path, default=default(None),
                        help="この端末のデータフォルダ（既定: ユーザーのデータフォルダ）")  # fmt: skip
    parser.add_argument("--json", action="store_true", default=default(False),
                        help="結果をJSONで出力")  # fmt: skip
    parser.add_argument("--staff", default=default(os.environ.get("MADOGUCHI_STAFF")),
                        help="操作する職員ID（暗証番号は MADOGUCHI_PIN または入力）")  # fmt: skip
    parser.add_argument("--counter", default=default(None), help="窓口番号（既定: 端末の設定）")


def _leaf_parsers(sub: Any) -> list[argparse.ArgumentParser]:
    leaves = []
    for parser in dict.fromkeys(sub.choices.values()):
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            leaves += _leaf_parsers(nested[0])
        else:
            leaves.append(parser)
    return leaves


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Runs a parsed command and maps errors to exit codes."""
    import logging
    import sqlite3

    from app.core.paths import default_data_dir
    from db.store import StoreError

    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    user_errors = (UserError, StoreError)
    try:
        result = handler(args, Output(args.json))
        return int(result or 0)
    except user_errors as exc:
        error_line(str(exc))
        return EXIT_USAGE
    except sqlite3.OperationalError as exc:
        error_line(
            f"データベースを使えません: {exc}（他のプログラムが使用中でないか確認してください）"
        )
        return EXIT_USAGE
    except OSError as exc:
        error_line(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: keep the trace in the log, one line for the user
        logging.getLogger("madoguchi").exception("internal error in %s", args.command)
        error_line(f"内部エラー {type(exc).__name__}: {exc}（詳細はログを確認してください）")
        return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None, extra: Callable[[Any], None] | None = None) -> int:
    """Entry point of ``python -m app`` (and, with ``extra``, of ``madoguchi``)."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(extra, words)
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:  # argparse has printed its one-line usage error
        return int(exc.code or 0)
    from app.core.logs import setup_logging

    setup_logging(args.data_dir)
    return run(args, parser)
