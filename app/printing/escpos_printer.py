"""ESC/POS roll printers through python-escpos (the optional extra ``escpos``).

The ticket goes out as the same layout as everywhere else, cut in three: the raster above
the QR code, the QR code as the printer's own QR command (fast and sharp, never a slow
image; error correction M, so a creased ticket still scans), and the raster below it.
Japanese text is part of the raster, so no code page or printer font matters. The stream
starts with a reset (``ESC @``), and every raster is exactly as wide as the head prints
(576 dots on an 80 mm roll, 384 on 58 mm: setting ``printing.roll_mm``): a wider one
would lose its right edge on the printer.

Setting: ``escpos:net:HOST[:PORT]``, ``escpos:usb:VENDOR:PRODUCT`` (hex),
``escpos:serial:DEVICE`` or ``escpos:file:PATH``.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from app.printing.layout import QR, ROLL_80, Line, Primitive, Roll
from app.printing.printer import PrinterError
from app.printing.render import render_raster

#: Module size of the native QR (dots); 6 gives ~25 mm at 203 dpi for our payload.
QR_MODULE_DOTS = 6
#: Error correction of the native QR: M (15 % of the code may be lost), as on the PDF.
QR_LEVEL_M = 1  # python-escpos QR_ECLEVEL_M
_OFFLINE = "ESC/POS プリンタに接続できません（{e}）。電源・ケーブル・用紙・カバーを確認してください"
_OFFLINE_EN = "Cannot reach the ESC/POS printer ({e}). Check its power, cable, paper and cover"


def split_at_qr(prims: Sequence[Primitive], height_mm: float) -> list[tuple[Any, ...]]:
    """Cuts a layout into ('raster', prims, height) / ('qr', payload-less QR) parts, in order."""
    qrs = [p for p in prims if isinstance(p, QR)]
    if not qrs:
        return [("raster", list(prims), height_mm)]
    qr = qrs[0]
    top, bottom = qr.y_mm, qr.y_mm + qr.size_mm
    above = [p for p in prims if not isinstance(p, QR) and _y(p) < top]
    below = [_shift(p, -bottom) for p in prims if not isinstance(p, QR) and _y(p) >= bottom]
    return [("raster", above, top), ("qr", qr), ("raster", below, height_mm - bottom)]


def _y(prim: Primitive) -> float:
    return prim.y1_mm if isinstance(prim, Line) else prim.y_mm


def _shift(prim: Primitive, dy: float) -> Primitive:
    if isinstance(prim, Line):
        return replace(prim, y1_mm=prim.y1_mm + dy, y2_mm=prim.y2_mm + dy)
    return replace(prim, y_mm=prim.y_mm + dy)


class EscposPrinter:
    """A roll printer spoken to in ESC/POS.

    Args:
        target: the device part of the setting (``net:…``, ``usb:…``, ``serial:…``, ``file:…``).
        device: an already opened python-escpos printer (tests pass ``escpos.printer.Dummy``).
        roll: the paper and its printable width (80 mm by default).
    """

    def __init__(self, target: str, device: Any = None, roll: Roll = ROLL_80) -> None:
        self.target = target.strip()
        self._device = device
        self.roll = roll

    def _open(self) -> Any:
        if self._device is not None:
            return self._device
        try:
            from escpos import printer as escpos_printer
        except ImportError as exc:
            raise PrinterError(
                "ESC/POS 印刷には追加の部品が必要です（pip install madoguchi[escpos]）"
            ) from exc
        kind, _, rest = self.target.partition(":")
        try:
            if kind == "net":
                host, _, port = rest.partition(":")
                return escpos_printer.Network(host, port=int(port or 9100), timeout=5)
            if kind == "usb":
                vendor, _, product = rest.partition(":")
                return escpos_printer.Usb(int(vendor, 16), int(product, 16))
            if kind == "serial":
                return escpos_printer.Serial(rest)
            if kind == "file":
                return escpos_printer.File(rest)
        except Exception as exc:  # the library raises its own and OS errors
            raise PrinterError(_OFFLINE.format(e=exc), en=_OFFLINE_EN.format(e=exc)) from exc
        raise PrinterError(
            f"ESC/POS の接続先 {self.target!r} が分かりません（net:/usb:/serial:/file:）"
        )

    def print_layout(self, prims: Sequence[Primitive], height_mm: float, qr_payload: str) -> None:
        """Prints a layout: raster parts and the native QR command, then cuts."""
        from PIL import Image

        device = self._open()
        try:
            device.hw("INIT")  # ESC @: whatever an earlier job left set is reset
            for part in split_at_qr(prims, height_mm):
                if part[0] == "qr":
                    device.set(align="center")
                    device.qr(qr_payload, ec=QR_LEVEL_M, native=True, size=QR_MODULE_DOTS)
                    device.set(align="left")
                elif part[1]:
                    png = render_raster(part[1], part[2], self.roll)
                    device.image(Image.open(io.BytesIO(png)))
            device.cut()
        except PrinterError:
            raise
        except Exception as exc:
            raise PrinterError(_OFFLINE.format(e=exc), en=_OFFLINE_EN.format(e=exc)) from exc
        finally:
            if self._device is None:
                with contextlib.suppress(Exception):  # closing a dead connection
                    device.close()

    def print_ticket(self, pdf: bytes, png: bytes, name: str) -> None:
        """Prints a ready raster of the whole paper (used when no layout is at hand): its
        printable middle, ``roll.dots`` wide."""
        from PIL import Image

        device = self._open()
        try:
            image = Image.open(io.BytesIO(png))
            left = max(0, (image.width - self.roll.dots) // 2)
            device.hw("INIT")
            device.image(image.crop((left, 0, left + self.roll.dots, image.height)))
            device.cut()
        except Exception as exc:
            raise PrinterError(_OFFLINE.format(e=exc), en=_OFFLINE_EN.format(e=exc)) from exc
