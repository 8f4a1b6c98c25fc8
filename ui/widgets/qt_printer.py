"""The Windows/system printer backend, through Qt: the ticket raster on an 80 mm page."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QLabel

from app.core.actor import Actor
from app.printing.jobs import TicketPrinting
from app.printing.printer import Printer, PrinterError
from app.printing.printers import PrintResult

ROLL_WIDTH_MM = 80.0


class QtSystemPrinter:
    """Prints the ticket's raster on a roll printer known to the operating system.

    Args:
        name: the printer's name (empty: the default printer).
        output_file: print to this PDF file instead (tests and "print to file").
        roll_mm: the paper's width (setting ``printing.roll_mm``).
    """

    def __init__(self, name: str = "", output_file: str | None = None,
                 roll_mm: float = ROLL_WIDTH_MM) -> None:  # fmt: skip
        self.name = name.strip()
        self.output_file = output_file
        self.roll_mm = float(roll_mm)

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.output_file is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(self.output_file)
            return printer
        info = QPrinterInfo.printerInfo(self.name) if self.name else QPrinterInfo.defaultPrinter()
        if info.isNull():
            raise PrinterError(
                f"プリンタ「{self.name or '既定のプリンタ'}」が見つかりません。"
                "電源とケーブルを確認し、Windows の「プリンターとスキャナー」に表示されるか確かめてください",
                en=f"Printer '{self.name or 'default printer'}' not found. Check its power and "
                "cable, and that Windows lists it under Printers & scanners",
            )
        return QPrinter(info, QPrinter.PrinterMode.HighResolution)

    def print_ticket(self, pdf: bytes, png: bytes, name: str) -> None:
        """Prints the PNG raster at the roll's width, on a page exactly as tall as the ticket."""
        image = QImage.fromData(png)
        if image.isNull():
            raise PrinterError("整理券の画像を作れませんでした", en="The ticket's picture failed")
        height_mm = self.roll_mm * image.height() / image.width()
        printer = self._printer()
        printer.setDocName(name)
        size = QPageSize(QSizeF(self.roll_mm, height_mm), QPageSize.Unit.Millimeter, "madoguchi")
        printer.setPageLayout(
            QPageLayout(
                size,
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
                QPageLayout.Unit.Millimeter,
            )
        )
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrinterError(
                "プリンタに送れませんでした（オフライン・用紙切れ・カバー開きを確認してください）",
                en="Could not send to the printer (check: offline, out of paper, cover open)",
            )
        try:
            page = printer.pageRect(QPrinter.Unit.DevicePixel)
            painter.drawImage(QRectF(0, 0, page.width(), page.height()), image)
        finally:
            painter.end()


def site_printer(printing: TicketPrinting) -> Printer:
    """Returns the printer of this PC's setting, including the Qt system printer."""
    roll = printing.roll_mm
    return printing.printer({"system": lambda name: QtSystemPrinter(name, roll_mm=roll)})


def print_and_show(printing: TicketPrinting, actor: Actor, ticket_id: str,
                   printer: Printer | None, label: QLabel, lang: str = "ja",
                   ) -> PrintResult | None:  # fmt: skip
    """Prints a ticket (recording the outcome) and shows the result in a label.

    Returns:
        The result, or None when the printer setting itself is unusable (shown too).
    """
    try:
        target = printer or site_printer(printing)
    except PrinterError as exc:
        label.setText(exc.in_language(lang))
        return None
    result = printing.print_and_record(actor, ticket_id, target)
    color = "#005a32" if result.ok else "#b00020"
    label.setStyleSheet(f"color: {color}; font-weight: bold; font-size: 14px;")
    label.setText(result.in_language(lang))
    return result
