"""A label whose text shrinks to fit its rectangle: a called number is never cut off."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: Below this pixel size a text is not made any smaller (it would not be read anyway).
SMALLEST_PX = 6


class FitLabel(QLabel):
    """One line of text drawn as large as :meth:`set_size` allows and as its rectangle
    fits, in width and in height; never wrapped, never clipped.

    The width comes from the layout (stretch factors), never from the text, so a long text
    does not push its neighbours. The height asked for is the one of the largest size;
    a layout that gives less makes the text smaller.

    Args:
        template: a text as wide as the widest this label usually shows; the label fits
            the wider of it and its text, so labels of one kind keep one size.
        parent: the parent widget.
    """

    def __init__(self, template: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._template = template
        self._max_px = 16
        self._bold = False
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_size(self, px: int, bold: bool | None = None) -> None:
        """Sets the largest pixel size of the text (and whether it is bold)."""
        self._max_px = max(SMALLEST_PX, px)
        if bold is not None:
            self._bold = bold
        self.updateGeometry()
        self.fit()

    def max_px(self) -> int:
        """Returns the largest pixel size the text may have."""
        return self._max_px

    def _font(self, px: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(px)
        font.setBold(self._bold)
        return font

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._font(self._max_px))
        margins = self.contentsMargins()
        width = metrics.horizontalAdvance(self.text() or self._template)
        return QSize(width + margins.left() + margins.right(),
                     metrics.height() + margins.top() + margins.bottom())  # fmt: skip

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def setText(self, text: str) -> None:
        if text != self.text():
            super().setText(text)
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Sets the largest font size, up to the maximum, at which the text fits."""
        room = self.contentsRect()
        px = self._max_px
        font = self._font(px)
        widest = max((self.text(), self._template),
                     key=lambda t: QFontMetrics(font).horizontalAdvance(t))  # fmt: skip
        while px > SMALLEST_PX:
            metrics = QFontMetrics(font)
            if metrics.horizontalAdvance(widest) <= room.width() and (
                metrics.height() <= room.height()
            ):
                break
            px -= max(1, px // 24)
            font = self._font(px)
        if font != self.font():
            self.setFont(font)

    def fits(self) -> bool:
        """Tells whether the text is shown whole (its width and height within the label)."""
        metrics = QFontMetrics(self.font())
        room = self.contentsRect()
        return metrics.horizontalAdvance(self.text()) <= room.width() and (
            metrics.height() <= room.height()
        )
