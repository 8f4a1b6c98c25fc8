"""What a copy of a data folder cannot carry: the machine and the place it lives in.

A PC's data folder copied byte for byte (a master disk image, a backup restored on another
PC, a folder copied beside the original) carries the PC's node id and its sequence numbers;
two PCs writing under them would issue the same ticket ids and numbers, and every other PC
would keep only one of each pair. So at set-up the node records a fingerprint of where it
lives — the operating system's machine id, the host name and the data folder's full path —
and a node whose fingerprint no longer matches refuses to write until a person says which
it is: a copy that must become a new PC (``madoguchi identity renew``) or the same PC moved
or renamed (``madoguchi identity confirm``).
"""

from __future__ import annotations

import hashlib
import socket
import sys
import uuid
from pathlib import Path

_LINUX_IDS = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


def machine_id() -> str:
    """Returns the operating system's id of this machine (MAC address as a last resort)."""
    if sys.platform == "win32":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE,  # type: ignore[attr-defined,unused-ignore]
                                r"SOFTWARE\Microsoft\Cryptography") as key:  # fmt: skip
                value, _ = winreg.QueryValueEx(key, "MachineGuid")  # type: ignore[attr-defined,unused-ignore]
                return str(value)
        except OSError:
            pass
    for path in _LINUX_IDS:
        try:
            text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return text
    return f"mac-{uuid.getnode():012x}"


def fingerprint(data_dir: Path) -> str:
    """Returns the fingerprint of a data folder on this machine (16 hex digits)."""
    place = "\n".join((machine_id(), socket.gethostname().lower(), str(data_dir.resolve())))
    return hashlib.sha256(place.encode("utf-8")).hexdigest()[:16]
