"""The shared folder as a person types it, and the names madoguchi makes on it.

The PCs run Windows and reach the share as ``\\\\server\\madoguchi`` (a UNC path) or as a
mapped drive (``Z:\\madoguchi``). What IT staff type or paste is taken as Windows would take
it: quotes from Explorer's "Copy as path" and spaces around are dropped, forward slashes
are accepted. A folder name the site id becomes must be one Windows can make, and the
deepest path madoguchi writes under the share must stay within Windows' 260 characters.
No Qt.
"""

from __future__ import annotations

import os
import re
from pathlib import PureWindowsPath

#: Windows' limit of a path (MAX_PATH, 260 with the terminating NUL).
MAX_PATH = 259
#: The longest path madoguchi writes below the share, without the site id:
#: ``madoguchi\\v1\\<site>\\days\\2026-09-01\\nodes\\n0123456789ab\\``
#: ``seg-000000001-0123abcd-0123ab-0123-p0123.log``.
DEEPEST = len(r"\madoguchi\v1\\days\2026-09-01\nodes\n0123456789ab"
              r"\seg-000000001-0123abcd-0123ab-0123-p0123.log")  # fmt: skip
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
             *(f"LPT{n}" for n in range(1, 10))}  # fmt: skip
_SITE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class ShareError(ValueError):
    """A share path or site id Windows cannot use; the message says what to type."""


def windows_name_problem(name: str) -> str | None:
    """Returns why Windows would refuse a file or folder name, or None when it takes it."""
    if not name:
        return "名前が空です"
    if name.endswith((".", " ")):
        return "名前の最後に「.」や空白は使えません"
    bad = sorted({c for c in name if c in '<>:"/\\|?*' or ord(c) < 32})
    if bad:
        return f"名前に使えない文字があります（{' '.join(map(repr, bad))}）"
    if name.split(".")[0].rstrip(" ").upper() in _RESERVED:
        return f"{name} は Windows が予約している名前です"
    return None


def check_site_id(site_id: str) -> str:
    """Returns a site id that is a folder name on every PC's share, or raises ShareError.

    Lowercase letters, digits, ``-`` and ``_``, at most 40 characters: Windows finds names
    whatever their case, so ``Yokosuka`` and ``yokosuka`` would be one folder there and two
    on another server.
    """
    problem = windows_name_problem(site_id)
    if problem is None and not _SITE.match(site_id):
        problem = "英小文字・数字・「-」「_」の40文字以内にしてください（例: yokosuka-plaza）"
    if problem:
        raise ShareError(f"拠点ID {site_id!r} は使えません: {problem}")
    return site_id


def normalise_share(text: str, site_id: str = "", windows: bool | None = None) -> str:
    """Returns a typed share path as madoguchi stores it, or raises ShareError.

    Args:
        text: what was typed or pasted: ``\\\\server\\madoguchi``, ``//server/madoguchi``,
            ``Z:\\madoguchi``, or (elsewhere than Windows) a mounted folder.
        site_id: the site, to check that its deepest path fits Windows' limit.
        windows: take the path as Windows does (default: when running on Windows).
    """
    on_windows = os.name == "nt" if windows is None else windows
    typed = text.strip().strip('"').strip("'").strip()
    if not typed:
        raise ShareError("共有フォルダが空です")
    unc = typed.startswith(("\\\\", "//"))
    if not on_windows:
        if unc:
            raise ShareError(
                f"{typed} は Windows の共有フォルダの書き方です。この端末では共有フォルダを"
                "マウントしたフォルダ（例: /mnt/madoguchi）を指定してください"
            )
        return typed
    path = PureWindowsPath(typed)
    if unc:
        parts = [p for p in typed.replace("/", "\\").split("\\") if p]
        if len(parts) < 2:
            raise ShareError(
                f"{typed} にはサーバー名と共有名が必要です（例: \\\\server\\madoguchi）"
            )
    elif not (path.drive and path.root):
        raise ShareError(
            f"{typed} は完全なパスではありません。\\\\server\\madoguchi か、割り当てたドライブの"
            "Z:\\madoguchi のように指定してください"
        )
    for part in path.parts[1:]:
        problem = windows_name_problem(part)
        if problem:
            raise ShareError(f"{typed}: {part}: {problem}")
    stored = str(path).rstrip("\\") if unc or len(path.parts) > 1 else str(path)
    room = MAX_PATH - DEEPEST - len(site_id)
    if len(stored) > room:
        raise ShareError(
            f"共有フォルダのパスが長すぎます（{len(stored)}文字。Windows のパスの上限 260 文字に"
            f"収めるには {room} 文字まで）。浅いフォルダを共有してください"
        )
    return stored
