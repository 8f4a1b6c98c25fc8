"""The site's folder on the shared drive, and looking into it without ever falling over.

Layout (design.md §4)::

    <share>/madoguchi/v1/<site>/registry/<node_id>.json          who each PC is, heartbeat
    <share>/madoguchi/v1/<site>/blocks/block-<n>-g<gen>.json     who holds number block n
    <share>/madoguchi/v1/<site>/days/<YYYY-MM-DD>/nodes/<node_id>/seg-*.log   events

A Windows PC sees the share through its SMB client, which caches directory listings and
file sizes and times for about ten seconds (``DirectoryCacheLifetime``,
``FileInfoCacheLifetime``): a listing may miss a file another PC has just made and show an
old size for one it is appending to. What a listing says is therefore a hint; the file that
can still grow is looked at through an open handle (:meth:`Share.fresh`), whose size and
time come from the file server itself.

Only the share itself being gone makes a PC offline. One odd entry — a folder or a dangling
link named like a segment, a file locked by antivirus or closed by an ACL — is reported as a
problem and passed over; it never hides the other files.

A PC set up without a share (``share_dir`` empty) has no folder at all: it is never the
current folder (an empty path would be), and every look into it is refused as the share
being unreachable, so a round on such a PC writes nothing anywhere.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class ShareUnreachable(OSError):
    """The shared folder itself cannot be reached (unplugged, renamed, no permission)."""


NOT_CONFIGURED = "共有フォルダが設定されていません"


@dataclass(frozen=True)
class Entry:
    """A regular file found in a folder of the share, as it was when listed."""

    path: Path
    size: int
    mtime_ns: int


def describe(exc: OSError) -> str:
    """Returns an OS error as a short Japanese phrase (what happened to a file)."""
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return "読む権限がありません（アクセス権・ウイルス対策ソフトを確認してください）"
    if code == errno.ENOENT:
        return "ファイルがありません（壊れたリンクか、移動・削除されました）"
    if code == errno.EISDIR:
        return "ファイルではなくフォルダです"
    return f"読めません（{exc.strerror or exc}）"


class Share:
    """One site's folder on the shared drive.

    Args:
        share_dir: the shared folder as configured (a UNC path on Windows); None for a PC
            set up without one.
        site: the site id.
    """

    def __init__(self, share_dir: Path | None, site: str) -> None:
        self.share_dir = share_dir
        self.site = site

    @property
    def root(self) -> Path:
        """Returns the site's folder on the share.

        Raises:
            ShareUnreachable: this PC has no share.
        """
        if self.share_dir is None:
            raise ShareUnreachable(errno.ENOENT, NOT_CONFIGURED, "")
        return self.share_dir / "madoguchi" / "v1" / self.site

    @property
    def registry(self) -> Path:
        """Returns the folder of the PCs' registry files."""
        return self.root / "registry"

    @property
    def days(self) -> Path:
        """Returns the folder of the days' segments."""
        return self.root / "days"

    @property
    def blocks(self) -> Path:
        """Returns the folder of the number blocks' claims."""
        return self.root / "blocks"

    def check(self) -> None:
        """Raises ShareUnreachable unless the shared folder can be listed now (never for a
        PC without a share)."""
        if self.share_dir is None:
            raise ShareUnreachable(errno.ENOENT, NOT_CONFIGURED, "")
        try:
            with os.scandir(self.share_dir):
                pass
        except OSError as exc:
            raise ShareUnreachable(
                exc.errno, exc.strerror or str(exc), str(self.share_dir)
            ) from exc

    def node_folder(self, day: str, node_id: str) -> Path:
        """Returns the folder of one node's segments of one day."""
        return self.days / day / "nodes" / node_id

    def folders(self, folder: Path, problems: list[str]) -> list[Path]:
        """Returns the sub-folders of a folder, sorted; a folder that cannot be listed is
        reported in ``problems`` and gives none."""
        found = []
        for entry in self._scan(folder, problems):
            try:
                if entry.is_dir():
                    found.append(Path(entry.path))
            except OSError as exc:
                problems.append(f"{entry.name}: {describe(exc)}")
        return sorted(found)

    def files(self, folder: Path, prefix: str, suffix: str, problems: list[str]) -> list[Entry]:
        """Returns the regular files of a folder named ``prefix…suffix``, sorted by name.

        An entry of that name that is not a readable regular file (a folder, a dangling
        link, one that cannot be looked at) is reported in ``problems`` and left out.
        """
        found = []
        for entry in self._scan(folder, problems):
            if not (entry.name.startswith(prefix) and entry.name.endswith(suffix)):
                continue
            try:
                info = entry.stat()  # follows a link: a dangling one raises here
            except OSError as exc:
                problems.append(f"{entry.name}: {describe(exc)}")
                continue
            if not stat.S_ISREG(info.st_mode):
                problems.append(f"{entry.name}: {describe(OSError(errno.EISDIR, 'folder'))}")
                continue
            found.append(Entry(Path(entry.path), info.st_size, info.st_mtime_ns))
        return sorted(found, key=lambda e: e.path.name)

    @staticmethod
    def fresh(path: Path) -> Entry:
        """Returns a file's size and time as the file server has them now.

        The file is opened and its handle asked: the SMB client's caches of listings and
        file information are bypassed (opening a file returns its current attributes).

        Raises:
            OSError: the file cannot be opened now (gone, locked, no permission).
        """
        with open(path, "rb") as f:
            info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "folder", str(path))
        return Entry(path, info.st_size, info.st_mtime_ns)

    @staticmethod
    def _scan(folder: Path, problems: list[str]) -> Iterator[os.DirEntry[str]]:
        try:
            with os.scandir(folder) as entries:
                yield from list(entries)
        except FileNotFoundError:
            return
        except NotADirectoryError:
            problems.append(f"{folder.name}: フォルダではありません")
        except OSError as exc:
            problems.append(f"{folder.name}: {describe(exc)}")
