"""The Windows version resource of ``madoguchi.exe``, made from ``app.__version__``.

Used by ``madoguchi.spec`` on Windows only (PyInstaller ignores version resources
elsewhere, and its ``versioninfo`` module needs ``pefile``, a Windows-only dependency).
``python build/version_info.py`` prints the resource in PyInstaller's version-file syntax.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

COMPANY = "横須賀市 (Yokosuka City)"
PRODUCT = "madoguchi 横須賀市マイナンバーカードセンター 窓口システム"
DESCRIPTION = "madoguchi 窓口システム"


def app_version() -> str:
    """Returns ``app.__version__`` (read from the file, so nothing is imported)."""
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise ValueError("app/__init__.py has no __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Returns the four numbers of a Windows version: ``0.1.0`` -> (0, 1, 0, 0).

    Anything after the numbers (``0.2.0rc1``, ``+local``) is dropped.
    """
    match = re.match(r"\d+(?:\.\d+)*", version)
    if match is None:
        raise ValueError(f"version {version!r} does not start with a number")
    numbers = [int(n) for n in match.group().split(".")[:4]] + [0, 0, 0, 0]
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_info(version: str | None = None, name: str = "madoguchi") -> Any:
    """Returns the ``VSVersionInfo`` PyInstaller embeds in an executable.

    Args:
        version: the version (default: ``app.__version__``).
        name: the executable's name without ``.exe``.
    """
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    version = version or app_version()
    numbers = version_tuple(version)
    strings = [
        StringStruct("CompanyName", COMPANY),
        StringStruct("FileDescription", DESCRIPTION),
        StringStruct("FileVersion", version),
        StringStruct("InternalName", name),
        StringStruct("LegalCopyright", COMPANY),
        StringStruct("OriginalFilename", f"{name}.exe"),
        StringStruct("ProductName", PRODUCT),
        StringStruct("ProductVersion", version),
    ]
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            # 0411 = Japanese, 04B0 = Unicode (code page 1200)
            StringFileInfo([StringTable("041104B0", strings)]),
            VarFileInfo([VarStruct("Translation", [0x0411, 1200])]),
        ],
    )


if __name__ == "__main__":
    print(version_info())
