"""A file system that behaves like a Windows SMB share, for the tests (FUSE, Linux only).

The counter PCs reach their shared folder over SMB from Windows; this machine has no SMB
client, so the rules that make a Windows share differ from a Linux folder are enforced here
by a FUSE file system over a local folder (the file server's disk). madoguchi itself runs
unchanged on the mount: every file operation of every process (the sync, purge, reports,
the log handler, a holder process) meets the rules, with no seam in the program to fake.

The mount shows one folder per *client* (``<mount>/<client>/…``): each is the whole share
as one PC's SMB client sees it, with caches of its own, over the same disk. Give each PC of a
test its own client folder, as each Windows PC has its own SMB client.

Rules (each an option of :class:`Rules`, read again from the rules file whenever it
changes, so a test can turn one on or off while the PCs run):

- ``sharing``: a file open anywhere cannot be renamed, replaced or deleted (``EACCES``, as
  Windows answers a sharing violation); nor can a folder with an open file below it. A file
  opened by a *viewer* (``O_NONBLOCK`` marks such an open: Excel and Acrobat open with
  deny-write) cannot be opened for writing either.
- ``dir_cache_s``, ``info_cache_s``, ``not_found_cache_s``: the SMB client's directory
  cache (new files invisible to a listing), file information cache (stale size and time)
  and not-found cache, each per client; a client's own changes refresh its own caches, as
  the Windows redirector does. Windows' defaults: 10 s, 10 s and 5 s. A process asking
  about a file it holds open (``fstat``) gets the server's answer: SMB's open returns the
  file's current size and times.
- ``case_insensitive``: names are found whatever their case and keep the case they were
  made with; creating ``A`` beside ``a`` opens ``a``.
- ``windows_names``: reserved names (``CON``, ``NUL``, ``COM1``…, also with an extension),
  names ending in a dot or a space and the characters ``<>:"|?*\\`` are refused (``EINVAL``).
- ``unc_root`` and ``max_path``: the path a Windows PC would use (``\\\\server\\share\\…``) may
  not be longer than ``max_path`` characters (``ENAMETOOLONG``).
- ``time_step_ns`` and ``clock_offset_s``: file times in steps of 100 ns (NTFS) or 2 s
  (FAT, some NAS), on a server whose clock is ``clock_offset_s`` ahead of the PCs'.
- ``time_at_close``: a file written through a handle gets its write time again when the
  handle is closed, as NTFS does: a time asked through the handle before closing is not
  the file's time afterwards.
- ``denied``: share-relative paths an ACL closes (``EACCES`` on opening, listing, creating
  or deleting; the entry itself is still listed and its attributes read, as on Windows).
- ``full`` (quota exhausted: ``ENOSPC`` on every write) and ``readonly`` (``EACCES``).

Run as ``python -m tests.faults.smbfs DISK MOUNT RULES`` (foreground); :mod:`tests.faults.smb`
mounts and unmounts it for the tests.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
            *(f"LPT{n}" for n in range(1, 10))}  # fmt: skip
BAD_CHARS = set('<>:"|?*\\') | {chr(c) for c in range(32)}


@dataclass
class Rules:
    """What the share enforces (see the module docstring)."""

    sharing: bool = True
    dir_cache_s: float = 0.0
    info_cache_s: float = 0.0
    not_found_cache_s: float = 0.0
    case_insensitive: bool = True
    windows_names: bool = True
    unc_root: str = r"\\fileserver\madoguchi"
    max_path: int = 259
    time_step_ns: int = 100
    clock_offset_s: float = 0.0
    time_at_close: bool = True
    denied: list[str] = field(default_factory=list)
    full: bool = False
    readonly: bool = False

    @classmethod
    def smb(cls, **changes: Any) -> Rules:
        """Returns the rules of a Windows SMB share with the redirector's default caches."""
        base = {"dir_cache_s": 10.0, "info_cache_s": 10.0, "not_found_cache_s": 5.0}
        return cls(**{**base, **changes})

    def save(self, path: Path) -> None:
        """Writes the rules for the file system to pick up (a new file, then a rename)."""
        temporary = path.with_name(path.name + ".new")
        temporary.write_text(json.dumps(asdict(self)), encoding="utf-8")
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> Rules:
        data = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def forbidden_name(name: str) -> bool:
    """Tells whether Windows refuses a file or folder name."""
    if name in (".", ".."):
        return False
    if name.endswith((".", " ")) or any(c in BAD_CHARS for c in name):
        return True
    return name.split(".")[0].rstrip(" ").upper() in RESERVED


@dataclass
class Handle:
    key: str
    writable: bool
    viewer: bool
    pid: int
    closed: bool = False  # close(2) seen (FLUSH); RELEASE may come a moment later
    wrote: bool = False


class Refused(OSError):
    pass


def _fail(code: int) -> Refused:
    return Refused(code, os.strerror(code))


class SmbShare:
    """The FUSE operations (mfusepy's ``Operations`` interface).

    Args:
        disk: the file server's folder.
        rules_file: the rules, read again whenever the file changes.
    """

    use_ns = True

    def __init__(self, disk: Path, rules_file: Path) -> None:
        self.disk = disk
        self.rules_file = rules_file
        self.rules = Rules.load(rules_file)
        self._rules_seen: tuple[int, int, int] | None = None
        self.lock = threading.RLock()
        self.handles: dict[int, Handle] = {}
        self.clients: set[str] = set()
        self.listings: dict[tuple[str, str], tuple[float, list[str]]] = {}
        self.infos: dict[tuple[str, str], tuple[float, dict[str, int]]] = {}
        self.missing: dict[tuple[str, str], float] = {}
        self.started_ns = time.time_ns()

    # -- rules and paths ---------------------------------------------------------------------

    def _caller(self) -> int:
        """Returns the process asking (0 outside a FUSE request)."""
        try:
            import mfusepy

            return int(mfusepy.fuse_get_context()[2])
        except (ImportError, OSError, ValueError):
            return 0

    def _held_by_caller(self, key: str) -> bool:
        pid = self._caller()
        return any(h.key == key and h.pid == pid and not h.closed for h in self.handles.values())

    def _refresh_rules(self) -> None:
        try:
            info = os.stat(self.rules_file)
        except OSError:
            return
        seen = (info.st_mtime_ns, info.st_size, info.st_ino)
        if seen != self._rules_seen:
            self._rules_seen = seen
            self.rules = Rules.load(self.rules_file)

    def _split(self, path: str) -> tuple[str, list[str]]:
        parts = [p for p in path.split("/") if p]
        if not parts:
            return "", []
        self.clients.add(parts[0])
        return parts[0], parts[1:]

    def _resolve(self, parts: list[str]) -> Path:
        """Returns the disk path of share-relative parts (found whatever their case)."""
        exact = self.disk.joinpath(*parts)
        if not self.rules.case_insensitive or os.path.lexists(exact):
            return exact
        current = self.disk
        for n, part in enumerate(parts):
            candidate = current / part
            if not os.path.lexists(candidate):
                folded = part.casefold()
                try:
                    names = os.listdir(current)
                except OSError:
                    return current.joinpath(*parts[n:])
                match = next((m for m in sorted(names) if m.casefold() == folded), None)
                if match is None:
                    return current.joinpath(*parts[n:])
                candidate = current / match
            current = candidate
        return current

    def _check_length(self, parts: list[str]) -> None:
        if self.rules.max_path <= 0:
            return
        windows = "\\".join([self.rules.unc_root.rstrip("\\"), *parts])
        if len(windows) > self.rules.max_path:
            raise _fail(errno.ENAMETOOLONG)

    def _check_new_name(self, parts: list[str]) -> None:
        if self.rules.windows_names and parts and forbidden_name(parts[-1]):
            raise _fail(errno.EINVAL)
        self._check_length(parts)

    def _check_denied(self, parts: list[str]) -> None:
        if not self.rules.denied:
            return
        here = "/".join(parts).casefold()
        for denied in self.rules.denied:
            closed = denied.strip("/").casefold()
            if here == closed or here.startswith(closed + "/"):
                raise _fail(errno.EACCES)

    def _check_writable(self) -> None:
        if self.rules.readonly:
            raise _fail(errno.EACCES)
        if self.rules.full:
            raise _fail(errno.ENOSPC)

    def _open_below(self, key: str) -> Handle | None:
        for handle in self.handles.values():
            if handle.closed:
                continue
            if handle.key == key or handle.key.startswith(key + os.sep):
                return handle
        return None

    def _check_not_open(self, *keys: str) -> None:
        if self.rules.sharing and any(self._open_below(k) is not None for k in keys):
            raise _fail(errno.EACCES)

    def _forget(self, client: str, disk_path: Path) -> None:
        """A client's own change: its caches of the path and of the folder are refreshed."""
        key = str(disk_path)
        for store in (self.infos, self.missing):
            store.pop((client, key), None)
        self.listings.pop((client, str(disk_path.parent)), None)

    def _prepare(self, path: str) -> tuple[str, list[str], Path]:
        self._refresh_rules()
        client, parts = self._split(path)
        if not client:
            return "", [], self.disk
        self._check_length(parts)
        return client, parts, self._resolve(parts)

    # -- attributes and listings --------------------------------------------------------------

    def _attrs(self, info: os.stat_result) -> dict[str, int]:
        step = max(1, int(self.rules.time_step_ns))
        offset = int(self.rules.clock_offset_s * 1e9)

        def server_time(ns: int) -> int:
            return (ns + offset) // step * step

        return {"st_mode": info.st_mode, "st_nlink": info.st_nlink, "st_size": info.st_size,
                "st_uid": info.st_uid, "st_gid": info.st_gid, "st_ino": info.st_ino,
                "st_mtime": server_time(info.st_mtime_ns),
                "st_atime": server_time(info.st_atime_ns),
                "st_ctime": server_time(info.st_ctime_ns)}  # fmt: skip

    def getattr(self, path: str, fh: int | None = None) -> dict[str, int]:
        with self.lock:
            client, _, disk_path = self._prepare(path)
            if not client:
                return {"st_mode": stat.S_IFDIR | 0o755, "st_nlink": 2,
                        "st_mtime": self.started_ns, "st_atime": self.started_ns,
                        "st_ctime": self.started_ns}  # fmt: skip
            if fh is not None or self._held_by_caller(str(disk_path)):
                # asked through an open handle (fstat): the server answers
                return self._attrs(os.lstat(disk_path))
            key = (client, str(disk_path))
            now = time.monotonic()
            lost = self.missing.get(key)
            if lost is not None and now - lost < self.rules.not_found_cache_s:
                raise _fail(errno.ENOENT)
            cached = self.infos.get(key)
            if cached is not None and now - cached[0] < self.rules.info_cache_s:
                return cached[1]
            try:
                attrs = self._attrs(os.lstat(disk_path))
            except FileNotFoundError:
                if self.rules.not_found_cache_s > 0:
                    self.missing[key] = now
                raise
            self.infos[key] = (now, attrs)
            return attrs

    def readdir(self, path: str, fh: int) -> list[str]:
        with self.lock:
            client, parts, disk_path = self._prepare(path)
            if not client:
                return [".", "..", *sorted(self.clients)]
            self._check_denied(parts)
            key = (client, str(disk_path))
            now = time.monotonic()
            cached = self.listings.get(key)
            if cached is not None and now - cached[0] < self.rules.dir_cache_s:
                names = cached[1]
            else:
                names = sorted(os.listdir(disk_path))
                self.listings[key] = (now, names)
            return [".", "..", *names]

    def readlink(self, path: str) -> str:
        with self.lock:
            _, _, disk_path = self._prepare(path)
            return os.readlink(disk_path)

    def statfs(self, path: str) -> dict[str, int]:
        info = os.statvfs(self.disk if self.disk.exists() else self.disk.parent)
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files",
                "f_flag", "f_frsize", "f_namemax")  # fmt: skip
        return {k: getattr(info, k) for k in keys}

    # -- files ---------------------------------------------------------------------------------

    def _opened(self, client: str, parts: list[str], disk_path: Path, flags: int,
                create: bool) -> int:  # fmt: skip
        writable = flags & os.O_ACCMODE != os.O_RDONLY or bool(flags & os.O_TRUNC)
        viewer = bool(flags & os.O_NONBLOCK) and not writable
        self._check_denied(parts)
        if writable:
            self._check_writable()
        key = str(disk_path)
        if self.rules.sharing:
            for handle in self.handles.values():
                if handle.key != key or handle.closed:
                    continue
                if (handle.viewer and writable) or (viewer and handle.writable):
                    raise _fail(errno.EACCES)
        if create:
            self._check_new_name(parts)
            fd = os.open(disk_path, (flags & ~os.O_NONBLOCK) | os.O_CREAT, 0o644)
            self._forget(client, disk_path)
        else:
            fd = os.open(disk_path, flags & ~(os.O_NONBLOCK | os.O_CREAT))
        self.handles[fd] = Handle(key, writable, viewer, self._caller())
        if writable:
            self._forget(client, disk_path)
        return fd

    def open(self, path: str, flags: int) -> int:
        with self.lock:
            client, parts, disk_path = self._prepare(path)
            return self._opened(client, parts, disk_path, flags, create=False)

    def create(self, path: str, mode: int, flags: int = os.O_WRONLY) -> int:
        with self.lock:
            client, parts, disk_path = self._prepare(path)
            return self._opened(client, parts, disk_path, flags, create=True)

    def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
        handle = self.handles.get(fh)
        if handle is not None:
            handle.closed = False  # still in use: another descriptor of the same open
        return os.pread(fh, size, offset)

    def write(self, path: str, data: bytes, offset: int, fh: int) -> int:
        with self.lock:
            self._refresh_rules()
            self._check_writable()
            handle = self.handles.get(fh)
            if handle is not None:
                handle.closed = False
                handle.wrote = True
                client, _ = self._split(path) if path else ("", [])
                if client:
                    self._forget(client, Path(handle.key))
        return os.pwrite(fh, data, offset)

    def truncate(self, path: str, length: int, fh: int | None = None) -> int:
        with self.lock:
            client, parts, disk_path = self._prepare(path)
            self._check_writable()
            if fh is not None:
                os.ftruncate(fh, length)
            else:
                self._check_denied(parts)
                os.truncate(disk_path, length)
            self._forget(client, disk_path)
        return 0

    def flush(self, path: str, fh: int) -> int:
        with self.lock:
            handle = self.handles.get(fh)
            if handle is not None:
                handle.closed = True
                if handle.wrote and self.rules.time_at_close:
                    handle.wrote = False
                    time.sleep(0.002)  # a close comes a moment after the last write
                    os.utime(fh)
                    client, _ = self._split(path) if path else ("", [])
                    if client:
                        self._forget(client, Path(handle.key))
        return 0

    def release(self, path: str, fh: int) -> int:
        with self.lock:
            self.handles.pop(fh, None)
            os.close(fh)
        return 0

    def fsync(self, path: str, datasync: int, fh: int) -> int:
        if datasync:
            os.fdatasync(fh)
        else:
            os.fsync(fh)
        return 0

    # -- names ---------------------------------------------------------------------------------

    def mkdir(self, path: str, mode: int) -> int:
        with self.lock:
            client, parts, disk_path = self._prepare(path)
            if not client or not parts:
                raise _fail(errno.EACCES)
            self._check_denied(parts[:-1])
            self._check_writable()
            self._check_new_name(parts)
            os.mkdir(disk_path, mode)
            self._forget(client, disk_path)
        return 0

    def unlink(self, path: str) -> int:
        with self.lock:
            client, parts, disk_path = self._prepare(path)
            self._check_denied(parts)
            if self.rules.readonly:
                raise _fail(errno.EACCES)
            self._check_not_open(str(disk_path))
            os.unlink(disk_path)
            self._forget(client, disk_path)
        return 0

    def rmdir(self, path: str) -> int:
        with self.lock:
            client, parts, disk_path = self._prepare(path)
            self._check_denied(parts)
            if self.rules.readonly:
                raise _fail(errno.EACCES)
            os.rmdir(disk_path)
            self._forget(client, disk_path)
        return 0

    def rename(self, old: str, new: str) -> int:
        with self.lock:
            client, old_parts, old_path = self._prepare(old)
            _, new_parts, new_path = self._prepare(new)
            if not old_parts or not new_parts:
                raise _fail(errno.EACCES)
            self._check_denied(old_parts)
            self._check_denied(new_parts[:-1])
            if self.rules.readonly:
                raise _fail(errno.EACCES)
            self._check_new_name(new_parts)
            self._check_not_open(str(old_path), str(new_path))
            if self.rules.case_insensitive and new_path.parent.exists():
                # the new name keeps the case it was given, even over a name of another case
                new_path = new_path.parent / new_parts[-1]
            os.replace(old_path, new_path)
            self._forget(client, old_path)
            self._forget(client, new_path)
        return 0

    def symlink(self, target: str, source: str) -> int:
        raise _fail(errno.EPERM)  # Windows shares do not make links for their clients

    def chmod(self, path: str, mode: int) -> int:
        with self.lock:
            client, _, disk_path = self._prepare(path)
            os.chmod(disk_path, mode)
            self._forget(client, disk_path)
        return 0

    def chown(self, path: str, uid: int, gid: int) -> int:
        return 0

    def utimens(self, path: str, times: tuple[int, int] | None = None) -> int:
        with self.lock:
            client, _, disk_path = self._prepare(path)
            self._check_writable()
            offset = int(self.rules.clock_offset_s * 1e9)
            if times is None:
                os.utime(disk_path)
            else:
                os.utime(disk_path, ns=(times[0] - offset, times[1] - offset))
            self._forget(client, disk_path)
        return 0


def serve(disk: Path, mount: Path, rules_file: Path) -> None:
    """Mounts the share at ``mount`` and serves it until it is unmounted."""
    import mfusepy

    share_class = type("Share", (SmbShare, mfusepy.Operations), {})
    operations = share_class(disk, rules_file)
    for name in dir(operations):  # errors become the errno the caller sees
        method = getattr(operations, name)
        if callable(method) and not name.startswith("_") and name in _OPERATIONS:
            setattr(operations, name, _errno_of(method, mfusepy.FuseOSError))
    mfusepy.FUSE(operations, str(mount), foreground=True, nothreads=False,
                 default_permissions=True, allow_other=True, hard_remove=True, direct_io=True,
                 attr_timeout=0, entry_timeout=0, negative_timeout=0,
                 fsname="smbshare")  # fmt: skip


_OPERATIONS = {"getattr", "readdir", "readlink", "statfs", "open", "create", "read", "write",
               "truncate", "flush", "release", "fsync", "mkdir", "unlink", "rmdir", "rename",
               "symlink", "chmod", "chown", "utimens"}  # fmt: skip


def _errno_of(method: Any, fuse_error: type[Exception]) -> Any:
    def call(*args: Any) -> Any:
        try:
            return method(*args)
        except OSError as exc:
            raise fuse_error(exc.errno or errno.EIO) from None

    return call


if __name__ == "__main__":
    serve(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
