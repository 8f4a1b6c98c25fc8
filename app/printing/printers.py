"""Printing a ticket: printer backends chosen by the node's printer setting.

The setting (``node.identity.printer``) is a string: ``pdf:<folder>`` writes each ticket as a
PDF file, ``none`` (or empty) prints nothing. Backends that need Qt (``system:<name>``) or extra
packages (``escpos:…``) live in ``ui/`` or optional extras and are passed to :func:`printer_for`
as ``schemes``. A printer that fails raises :class:`PrinterError` with a calm Japanese message
saying what to do; :func:`print_ticket` turns that into a result and never raises for it: the
ticket is already issued (durable) before anything prints, and a printer never blocks issuing.
"""

from __future__ import annotations

import errno
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.model.clock import day_of
from app.printing.layout import ROLLS, layout, ticket_content
from app.printing.printer import NullPrinter, Printer, PrinterError
from app.queue.tickets import TicketService
from db.hlc import wall_ms_now

if TYPE_CHECKING:
    from app.core.node import Node

log = logging.getLogger(__name__)

HANDWRITE_JA = "整理券 {number} は発行済みです。番号を画面で確認し、手書きでお渡しください"
HANDWRITE_EN = "Ticket {number} is issued: read the number on the screen and hand it over written"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class PdfFolderPrinter:
    """Writes each ticket as ``<folder>/<YYYY-MM-DD>/<name>.pdf``, never over another file.

    The folder itself must exist (it is a share or a mounted drive; creating it would hide a
    missing mount); the day's subfolder is created. A second print of the same ticket (a
    reprint) gets ``<name>-2.pdf``, ``-3`` and so on.

    Args:
        folder: the output folder.
        today: the printing day (the node's calendar day), for the subfolder.
    """

    def __init__(self, folder: Path, today: Callable[[], date] | None = None) -> None:
        self.folder = Path(folder)
        self._today = today or (lambda: day_of(wall_ms_now()))

    def print_ticket(self, pdf: bytes, png: bytes, name: str) -> None:
        """Writes the PDF; the PNG is not needed here.

        Raises:
            PrinterError: the folder is missing, not a folder, not writable, or the disk is full.
        """
        if not self.folder.is_dir():
            what = "フォルダではありません" if self.folder.exists() else "見つかりません"
            raise PrinterError(
                f"印刷先フォルダ {self.folder} が{what}。"
                "共有フォルダやUSBドライブの接続と、端末のプリンタ設定を確認してください",
                en=f"The print folder {self.folder} is missing or not a folder. Check the "
                "share or USB drive and this PC's printer setting",
            )
        day_dir = self.folder / self._today().isoformat()
        stem = _UNSAFE.sub("_", name) or "ticket"
        try:
            day_dir.mkdir(exist_ok=True)
            for copy in range(1, 100):
                path = day_dir / (f"{stem}.pdf" if copy == 1 else f"{stem}-{copy}.pdf")
                try:
                    self._write_new(path, pdf)
                    return
                except FileExistsError:
                    continue
        except OSError as exc:
            raise PrinterError(_os_message(self.folder, exc),
                               en=f"Cannot write to the print folder {self.folder} "
                               f"({exc.strerror or exc})") from exc  # fmt: skip
        raise PrinterError(
            f"{day_dir} に {stem} の印刷ファイルが多すぎます。不要なファイルを整理してください"
        )

    @staticmethod
    def _write_new(path: Path, data: bytes) -> None:
        """Creates the file exclusively; a failed write leaves no partial file behind."""
        with path.open("xb") as out:
            try:
                out.write(data)
                out.flush()
            except OSError:
                out.close()
                path.unlink(missing_ok=True)
                raise


def _os_message(folder: Path, exc: OSError) -> str:
    """Returns the Japanese message for an error writing into the output folder."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"印刷先 {folder} のディスクがいっぱいです。不要なファイルを削除するか、管理者に連絡してください"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"印刷先フォルダ {folder} に書き込めません（権限がありません）。管理者に書き込み権限を確認してください"
    return (
        f"印刷先フォルダ {folder} に書き込めません（{exc.strerror or exc}）。接続を確認してください"
    )


PrinterFactory = Callable[[str], Printer]


def printer_for(
    setting: str,
    today: Callable[[], date] | None = None,
    schemes: Mapping[str, PrinterFactory] | None = None,
    roll_mm: int = 80,
) -> Printer:
    """Returns the printer a setting names.

    Args:
        setting: ``pdf:<folder>``, ``none`` or empty; other schemes come from ``schemes``.
        today: the printing day for file printers (the node's calendar day).
        schemes: more backends by scheme (``system``, ``escpos``), each given the text after
            the colon.
        roll_mm: the roll of the ticket printer (setting ``printing.roll_mm``).

    Raises:
        PrinterError: the scheme is unknown or the setting is incomplete.
    """
    text = setting.strip()
    if text in ("", "none"):
        return NullPrinter()
    scheme, _, rest = text.partition(":")
    if scheme == "pdf":
        if not rest.strip():
            raise PrinterError(
                f"プリンタ設定 {setting!r} に出力先フォルダがありません（例: pdf:D:\\tickets）"
            )
        return PdfFolderPrinter(Path(rest.strip()), today)
    if schemes is not None and scheme in schemes:
        return schemes[scheme](rest)
    if scheme == "escpos":
        from app.printing.escpos_printer import EscposPrinter

        return EscposPrinter(rest, roll=ROLLS[roll_mm])
    known = ", ".join(["pdf:<フォルダ>", "escpos:…", "none", *(f"{s}:…" for s in schemes or {})])
    raise PrinterError(f"プリンタ設定 {setting!r} は使えません（使える設定: {known}）")


@dataclass(frozen=True)
class PrintResult:
    """What became of printing one ticket; the PDF and PNG are there in any case."""

    ok: bool
    message: str
    pdf: bytes
    png: bytes
    message_en: str = ""

    def in_language(self, lang: str) -> str:
        """Returns the message in ``ja`` or ``en``."""
        return self.message_en if lang == "en" and self.message_en else self.message


def print_ticket(
    node: Node,
    ticket_id: str,
    printer: Printer | None = None,
    counters: int | None = None,
    lang: str | None = None,
) -> PrintResult:
    """Lays out, renders and prints an issued ticket.

    Args:
        node: the node holding the ticket.
        ticket_id: the ticket (id or today's display number).
        printer: where to print; by default the node's printer setting.
        counters: counters serving the ticket's lane, for the estimated wait (by default
            those serving it now).
        lang: the visitor's language (the ticket's second language; see ``ticket_content``),
            by default the one the ticket was issued in.

    Returns:
        The result; ``ok`` is False with a message saying what to do when the printer failed.
        Printer failures never raise.
    """
    from app.printing.render import render_pdf, render_png  # PIL and reportlab, when printing

    row = TicketService(node).get(ticket_id)
    content = ticket_content(node, row, counters, lang)
    roll = ROLLS[node.settings.printing.roll_mm]
    prims, height = layout(content, roll)
    pdf = render_pdf(prims, height, width_mm=roll.paper_mm, title=f"整理券 {content.number}")
    png = render_png(prims, height, width_mm=roll.paper_mm)
    handwrite = HANDWRITE_JA.format(number=content.number)
    handwrite_en = HANDWRITE_EN.format(number=content.number)
    try:
        target = printer or printer_for(node.identity.printer, node.today,
                                        roll_mm=node.settings.printing.roll_mm)  # fmt: skip
        print_layout = getattr(target, "print_layout", None)
        if print_layout is not None:  # ESC/POS: raster parts and the printer's own QR command
            print_layout(prims, height, content.qr_payload)
        else:
            target.print_ticket(pdf, png, f"{content.number}-{content.ticket_id}")
    except PrinterError as exc:
        return PrintResult(False, f"{exc.message_ja}。{handwrite}", pdf, png,
                           f"{exc.in_language('en')}. {handwrite_en}")  # fmt: skip
    except Exception:  # a backend bug must not stop the reception desk either
        log.exception("printing ticket %s failed", content.ticket_id)
        return PrintResult(False, f"印刷中に予期しないエラーが起きました。{handwrite}", pdf, png,
                           f"Printing failed unexpectedly. {handwrite_en}")  # fmt: skip
    return PrintResult(True, f"整理券 {content.number} を印刷しました", pdf, png,
                       f"Ticket {content.number} printed")  # fmt: skip
