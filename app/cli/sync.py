"""``madoguchi sync``: one round, a watch loop, or the status of every PC."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path
from typing import Any

from app.cli.common import open_node
from app.cli.output import Output
from app.model.clock import iso


def _round_text(report: Any) -> str:
    text = f"送信 {report.exported}件 / 受信 {report.imported}件 / 未送信 {report.waiting}件"
    if getattr(report, "noshows", 0):
        text += f" / 不在 {report.noshows}件"
    if report.message:
        text += f"\n{report.message}"
    text += "".join(f"\n要確認: {p}" for p in report.problems)
    return text


def cmd_sync(args: argparse.Namespace, out: Output) -> int:
    from app.sync.loop import RoundReport, SyncLoop
    from app.sync.service import SyncService

    node = open_node(args)
    service = SyncService(node)
    if args.action == "status":
        rows = service.status()
        waiting = service.waiting()
        files = service.problem_files()
        identity = node.identity
        halted = node.halted()

        def text() -> str:
            block = f"番号ブロック {identity.issuer_block}"
            block += "" if identity.block_proven else "（未確定）"
            lines = [f"この端末: {identity.name}  未送信 {waiting}件  {block}"]
            if halted:
                lines.append(f"⚠ {halted}")
            for r in rows:
                heard = iso(r["last_heard_ms"]) if r["last_heard_ms"] else "—"
                offset = r["clock_offset_ms"]
                clock = "—" if offset is None else f"{offset / 1000:+.1f}秒"
                alarm = "  ⚠時計のずれ" if r["clock_alarm"] else ""
                lan = {1: "○", 0: "×"}.get(r["lan_up"], "—")
                lines.append(f"{r['name'] or r['node_id']:<12} 最終受信 {heard}  時計 {clock}"
                             f"  受信 {r['events']}件  LAN {lan}{alarm}")  # fmt: skip
            if rows and rows[0]["conflicts"]:
                lines.append(f"競合のあった整理券: {rows[0]['conflicts']}件")
            lines += [f"要確認: {Path(f['path']).name}（{f['node_id']}）: {f['problem']}"
                      for f in files]  # fmt: skip
            return "\n".join(lines)

        out.emit({"waiting": waiting, "nodes": rows, "problem_files": files,
                  "block": identity.issuer_block, "block_proven": identity.block_proven,
                  "halted": halted}, text)  # fmt: skip
        return 0
    if args.watch:
        # The same rounds as a window's sync thread: sync, then the no-shows seen first.
        def show(report: RoundReport) -> None:
            if report.exported or report.imported or report.offline or report.problems:
                out.emit(report.to_json(), _round_text(report))

        interval = args.interval or node.settings.sync.interval_seconds
        try:
            SyncLoop(node).run(threading.Event(), interval, show)
        except KeyboardInterrupt:
            return 0
    report = service.once()
    out.emit(report.to_json(), _round_text(report))
    return 1 if report.offline or report.clone_alarm else 0


def register(sub: Any) -> None:
    """Adds ``madoguchi sync``."""
    p = sub.add_parser("sync", help="共有フォルダと同期する（--once / --watch / status）")
    p.add_argument("action", nargs="?", choices=["status"], help="status: 各端末の状態")
    p.add_argument("--once", action="store_true", help="1回だけ同期する（既定）")
    p.add_argument("--watch", action="store_true", help="同期を続ける（Ctrl+C で終了）")
    p.add_argument(
        "--interval",
        type=float,
        default=None,
        help="--watch の間隔（秒、既定: 設定 sync.interval_seconds）",
    )
    p.set_defaults(handler=cmd_sync)
