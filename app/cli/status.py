"""``madoguchi status``: the public waiting status: show it, publish it, serve it on the LAN."""

from __future__ import annotations

import argparse
import json
import threading
from pathlib import Path
from typing import Any

from app.cli.common import open_node
from app.cli.output import CliError, Output


def _folder(args: argparse.Namespace, setting: str) -> Path:
    folder = args.dir or setting.strip()
    if not folder:
        raise CliError(
            "公開先フォルダがありません（--dir か設定 status.publish_dir を指定してください）"
        )
    return Path(folder)


def cmd_status(args: argparse.Namespace, out: Output) -> int:
    from app.status.publish import publish
    from app.status.snapshot import build_status

    node = open_node(args)
    try:
        if args.action == "show":
            status = build_status(node)
            out.emit(status, json.dumps(status, ensure_ascii=False, indent=1))
            return 0
        folder = _folder(args, node.settings.status.publish_dir)
        if args.action == "publish":
            done = publish(node, folder)
            out.emit(vars(done), f"{folder} に公開しました（status.json {done.json_bytes:,} バイト、"
                     f"status.html {done.page_bytes:,} バイト、{done.seconds * 1000:.0f} ms）")  # fmt: skip
            return 0
        return _serve(args, node.settings.status.serve, folder, out)
    finally:
        node.close()


def _serve(args: argparse.Namespace, setting: str, folder: Path, out: Output) -> int:
    from app.status.server import StatusServer, parse_listen

    try:
        host, port = parse_listen(args.listen or setting or "127.0.0.1:8080")
    except ValueError as exc:
        raise CliError(str(exc)) from None
    server = StatusServer(folder, host, port).start()
    out.emit({"host": host, "port": server.port, "folder": str(folder)},
             f"http://{host}:{server.port}/status.html を配信しています（{folder}、Ctrl+C で終了）")  # fmt: skip
    stop = threading.Event()
    try:
        stop.wait(args.seconds if args.seconds else None)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def register(sub: Any) -> None:
    """Adds ``status show|publish|serve`` to the ``madoguchi`` parser."""
    p = sub.add_parser("status", help="公開する待ち状況（表示・公開・LAN配信）")
    p.add_argument("action", choices=["show", "publish", "serve"],
                   help="show: JSONで表示 / publish: 公開先に書き出す / serve: LANに配信")  # fmt: skip
    p.add_argument("--dir", help="公開先フォルダ（既定: 設定 status.publish_dir）")
    p.add_argument("--listen", help="serve のアドレス:ポート（既定: 設定 status.serve）")
    p.add_argument("--seconds", type=float, help=argparse.SUPPRESS)  # tests: serve this long
    p.set_defaults(handler=cmd_status)
