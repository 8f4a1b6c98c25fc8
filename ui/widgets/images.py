"""Images for the screens: QR codes and ticket previews, from the same data as print."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap


def qr_pixmap(text: str, size_px: int) -> QPixmap:
    """Returns a QR code of ``text`` as a crisp square pixmap."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    image = QImage(n, n, QImage.Format.Format_RGB32)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            image.setPixel(x, y, 0xFF000000 if dark else 0xFFFFFFFF)
    return QPixmap.fromImage(image).scaled(
        size_px,
        size_px,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )


def png_pixmap(png: bytes, width_px: int) -> QPixmap:
    """Returns a PNG (a rendered ticket) scaled to a width for an on-screen preview."""
    pixmap = QPixmap()
    pixmap.loadFromData(png, "PNG")
    return pixmap.scaledToWidth(width_px, Qt.TransformationMode.SmoothTransformation)
