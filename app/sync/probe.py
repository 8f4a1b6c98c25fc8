"""What a shared folder does with madoguchi's file operations, rule by rule.

``madoguchi --smoke`` runs these checks on the configured share (or ``--share``), so IT
staff can see on the first Windows PC whether the file server does what madoguchi needs:
each rule passes, fails, or is noted (a behaviour madoguchi copes with, told so the reader
knows it is there). Everything happens in a folder of its own under
``<share>/madoguchi/probe/`` that is removed at the end. No Qt.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.sharepath import DEEPEST, MAX_PATH
from app.sync.registry import write_record

#: The longest site id (:func:`app.core.sharepath.check_site_id`).
SITE_MAX = 40
#: A clock difference beyond this raises madoguchi's clock alarm (ms).
CLOCK_ALARM_MS = 120_000


@dataclass(frozen=True)
class Check:
    """One rule's result: ``ok``, ``FAIL`` or ``note``."""

    rule: str
    verdict: str
    detail: str

    @property
    def failed(self) -> bool:
        return self.verdict == "FAIL"


class _Probe:
    def __init__(self, share: Path, wall_ms: Callable[[], int]) -> None:
        self.share = share
        self.wall_ms = wall_ms
        host = "".join(c for c in socket.gethostname() if c.isalnum() or c in "-_")[:20]
        self.folder = share / "madoguchi" / "probe" / f"{host or 'pc'}-{secrets.token_hex(3)}"

    def reach(self) -> str:
        with os.scandir(self.share):
            pass
        self.folder.mkdir(parents=True)
        return f"{self.share} を一覧でき、フォルダを作れます"

    def create(self) -> str:
        path = self.folder / "block-000-g001.json"
        with open(path, "xb") as f:
            f.write(b"{}")
        try:
            with open(path, "xb"):
                pass
        except FileExistsError:
            return "排他作成（番号ブロックの確保）: 同じ名前の2回目は拒否されます"
        raise OSError("同じ名前のファイルを2回作れました: 番号ブロックが重複するおそれがあります")

    def append(self) -> str:
        path = self.folder / "seg-000000001-probe.log"
        lines = [b"first record\n", b"second record\n"]
        with open(path, "xb") as f:
            f.write(lines[0])
            f.flush()
            os.fsync(f.fileno())
        with open(path, "ab") as f:
            f.write(lines[1])
            f.flush()
            os.fsync(f.fileno())
        with open(path, "rb") as f:
            data = f.read()
            size = os.fstat(f.fileno()).st_size
        if data != b"".join(lines) or size != len(data):
            raise OSError(f"読み戻した内容が書いたものと違います（{len(data)}/{size} バイト）")
        return f"作成・追記・fsync・読み戻し: {size} バイト、書いたとおり"

    def heartbeat(self) -> str:
        path = self.folder / "node.json"
        write_record(path, b'{"beat": 1}')
        with open(path, "rb") as reader:  # another PC reading it at this moment
            reader.read(1)
            write_record(path, b'{"beat": 2}')
        with open(path, "rb") as f:
            if f.read() != b'{"beat": 2}':
                raise OSError("書き直した内容が読めません")
        return "読み手が開いている間も書き直せます"

    def deep_path(self) -> str:
        """Makes a path as long as the deepest madoguchi writes on this share (a site id of
        the longest length)."""
        needed = len(str(self.share)) + DEEPEST + SITE_MAX
        room = needed - len(str(self.folder)) - 2
        folder = self.folder / ("d" * max(1, room // 2))
        name = "s" * max(1, room - len(folder.name) - len(".log")) + ".log"
        deepest = folder / name
        folder.mkdir()
        with open(deepest, "xb") as f:
            f.write(b"x")
        spare = MAX_PATH - needed
        return (f"最長のセグメントと同じ {len(str(deepest))} 文字のパスを作れます"
                f"（Windows の上限まで残り {spare} 文字）")  # fmt: skip

    def names(self) -> str:
        (self.folder / "Case-Probe.txt").write_bytes(b"x")
        if (self.folder / "case-probe.txt").exists():
            return "名前の大文字・小文字を区別しません（Windows と同じ）"
        return "名前の大文字・小文字を区別します（拠点IDは小文字のみなので影響しません）"

    def delete_open(self) -> str:
        path = self.folder / "held.log"
        path.write_bytes(b"x")
        with open(path, "rb"):
            try:
                os.unlink(path)
            except PermissionError:
                return ("開いているファイルは削除できません（Windows と同じ）。名前の消去は、"
                        "読み手が閉じた後の同期で削除します")  # fmt: skip
        return "開いているファイルも削除できます"

    def clock(self) -> str:
        path = self.folder / "clock.txt"
        before = self.wall_ms()
        with open(path, "wb") as f:
            f.write(b"x")
        after = self.wall_ms()
        with open(path, "rb") as f:
            server = os.fstat(f.fileno()).st_mtime_ns // 1_000_000
        offset = server - (before + after) // 2
        if abs(offset) > CLOCK_ALARM_MS:
            raise OSError(f"ファイルサーバーの時計がこのPCと {offset / 1000:+.0f} 秒ずれています"
                          "（Windows の時刻同期を確認してください）")  # fmt: skip
        return f"ファイルサーバーの時計はこのPCと {offset / 1000:+.1f} 秒（警告は ±120 秒から）"

    def cleanup(self) -> str:
        for attempt in range(20):
            try:
                _remove_tree(self.folder)
                parent = self.folder.parent
                if not any(parent.iterdir()):
                    parent.rmdir()
                return "確認用のファイルを削除しました"
            except FileNotFoundError:
                return "確認用のファイルを削除しました"
            except OSError:
                time.sleep(0.05 * (attempt + 1))  # an antivirus scan holding a file
        raise OSError(f"確認用のフォルダ {self.folder} を削除できません（手で削除してください）")


RULES = ("reach", "create", "append", "heartbeat", "deep_path", "names", "delete_open",
         "clock", "cleanup")  # fmt: skip
#: Rules that tell what the share does rather than pass or fail.
NOTES = ("names", "delete_open")


def probe_share(share: Path, wall_ms: Callable[[], int] | None = None) -> list[Check]:
    """Runs every rule on ``share``; a failed ``reach`` ends the run (nothing else can work).

    Args:
        share: the shared folder as configured.
        wall_ms: this PC's clock (epoch ms).
    """
    probe = _Probe(share, wall_ms or (lambda: time.time_ns() // 1_000_000))
    checks: list[Check] = []
    for rule in RULES:
        try:
            detail = getattr(probe, rule)()
        except OSError as exc:
            checks.append(Check(rule, "FAIL", f"{type(exc).__name__}: {exc}"))
            if rule == "reach":
                break
            continue
        checks.append(Check(rule, "note" if rule in NOTES else "ok", detail))
    return checks


def configured_share(data_dir: Path) -> Path | None:
    """Returns the share a PC's data folder is set up with, read without opening its
    database for writing (no migration, no lock); None when there is none."""
    import sqlite3

    database = data_dir / "node.sqlite3"
    if not database.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'share_dir'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return Path(row[0]) if row and row[0] else None


def _remove_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink()
    folder.rmdir()
