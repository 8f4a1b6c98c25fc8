"""Writing the public status into a folder the city's web server serves. No Qt.

``status.json`` and ``status.html`` are each written whole into a new file beside the old
one, flushed to disk, then put in its place with one rename, so a reader (the web server, a
phone) gets the old file or the new one, never half of one. A reader that holds the file
open on Windows can make the rename fail for a moment: it is tried again a few times, and
otherwise at the next publishing (the status is then only some seconds older).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import UserError
from app.status.page import render_page
from app.status.snapshot import build_status

if TYPE_CHECKING:
    from app.core.node import Node

log = logging.getLogger(__name__)

JSON_NAME, PAGE_NAME = "status.json", "status.html"
_RENAME_TRIES, _RENAME_PAUSE_S = 5, 0.05


class PublishError(UserError):
    """The status cannot be written into the publishing folder (the message says why)."""


@dataclass(frozen=True)
class Published:
    """One publishing: when the status was taken, how big its files are, how long it took."""

    updated_at: int
    json_bytes: int
    page_bytes: int
    seconds: float


def write_atomic(path: Path, data: bytes) -> None:
    """Replaces ``path`` by ``data`` so that a reader sees the old file or the new one whole.

    Raises:
        OSError: the folder cannot be written (the new file is removed again).
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        for attempt in range(_RENAME_TRIES):
            try:
                os.replace(temporary, path)
                return
            except PermissionError:  # Windows: a reader has the old file open right now
                if attempt == _RENAME_TRIES - 1:
                    raise
                time.sleep(_RENAME_PAUSE_S)
    finally:
        temporary.unlink(missing_ok=True)


def publish(node: Node, folder: Path) -> Published:
    """Writes the status of now into ``folder`` (which must exist).

    Raises:
        PublishError: the folder is missing or cannot be written.
    """
    started = time.perf_counter()
    if not folder.is_dir():
        raise PublishError(
            f"待ち状況の公開先フォルダ {folder} が見つかりません。設定 status.publish_dir と"
            "共有・ドライブの接続を確認してください",
            en=f"The status folder {folder} is missing: check status.publish_dir and the share",
        )
    status = build_status(node)
    data = json.dumps(status, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    page = render_page(status).encode("utf-8")
    try:
        write_atomic(folder / JSON_NAME, data)
        write_atomic(folder / PAGE_NAME, page)
    except OSError as exc:
        raise PublishError(
            f"待ち状況を {folder} に書き込めません（{exc.strerror or exc}）",
            en=f"Cannot write the status into {folder} ({exc.strerror or exc})",
        ) from exc
    return Published(status["updated_at"], len(data), len(page),
                     round(time.perf_counter() - started, 4))  # fmt: skip


class StatusPublisher:
    """Publishes the status every ``status.interval_seconds`` into ``status.publish_dir``
    (the sync rounds call :meth:`publish_if_due`).

    Args:
        node: the node whose queue is published.
        folder: the folder; by default the setting (empty: nothing is published).
    """

    def __init__(self, node: Node, folder: Path | None = None) -> None:
        self.node = node
        setting = node.settings.status.publish_dir.strip()
        self.folder = folder if folder is not None else (Path(setting) if setting else None)
        self._last: float | None = None

    def publish_if_due(self) -> Published | None:
        """Publishes when the interval has passed since the last time (monotonic clock).

        Raises:
            PublishError: the folder cannot be written (tried again next time).
        """
        if self.folder is None:
            return None
        now = time.monotonic()
        interval = self.node.settings.status.interval_seconds
        if self._last is not None and now - self._last < interval:
            return None
        self._last = now
        return publish(self.node, self.folder)
