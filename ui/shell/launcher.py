"""``madoguchi``: every command of the CLI, plus ``run`` which opens the window.

Qt is imported only when a window is needed, so the plain commands start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from app.cli import main as cli
from app.cli.output import Output


def _run_gui(args: argparse.Namespace, out: Output) -> int:
    from ui.shell.application import install_qt_message_handler, run_shell

    install_qt_message_handler()
    return run_shell(args)


def _add_gui_commands(sub: Any) -> None:
    p = sub.add_parser("run", help="この端末の画面を開く")
    p.add_argument("--screenshot", metavar="FILE", help="画面をPNGに保存して終了する")
    p.add_argument("--size", help="--screenshot の画面サイズ（幅x高さ、既定 1280x800）")
    # Checked when the window opens (app.core.i18n is not loaded for the other commands).
    p.add_argument("--lang", default="ja",
                   help="表示言語: ja か en（呼出表示は ja en zh ko vi pt es tl のどれからでも巡回する）")  # fmt: skip
    p.add_argument("--tab", type=int, default=0,
                   help="--screenshot で写すタブ（1から数える。既定: 最初のタブ）")  # fmt: skip
    p.add_argument("--windowed", action="store_true",
                   help="呼出表示を全画面でなく普通のウィンドウで開く（デモ・確認用）")  # fmt: skip
    p.set_defaults(handler=_run_gui)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``madoguchi`` script (``--smoke`` runs the smoke check).

    Without arguments and without a console (the windowed program opened from its
    shortcut or by a double click) it opens the window, as ``madoguchi run``.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if not args and sys.stdout is None:
        args = ["run"]
    if "--smoke" in args:
        from ui.shell.smoke import main as smoke

        return smoke(args)
    return cli.main(args, extra=_add_gui_commands)


if __name__ == "__main__":
    sys.exit(main())
