"""The role panel at the top of each window: reception issues, counters call and serve.
The full role screens grow from these (the display board is :mod:`ui.display.board`, the site
manager's screen :mod:`ui.admin.panel`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.core.catalog import Catalog
from ui.widgets.i18n import Texts


def big_label(points: int, bold: bool = True) -> QLabel:
    """Returns a centred label with a large font."""
    label = QLabel()
    font = label.font()
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def error_label() -> QLabel:
    """Returns the red, bold line where user errors are shown."""
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold; font-size: 15px;")
    return label


def notice_label() -> QLabel:
    """Returns the green, bold line where what went well is said (beside the error line)."""
    label = QLabel()
    label.setObjectName("notice")
    label.setWordWrap(True)
    label.setStyleSheet("color: #005a32; font-weight: bold; font-size: 15px;")
    return label


def lane_counts(counts: dict[str, int], catalog: Catalog, texts: Texts) -> str:
    """Returns 'lane: n waiting' for every lane of the catalog (``QueueQueries.waiting_counts``)."""
    parts = []
    for lane in catalog.lanes.values():
        name = texts.name("lane", lane)
        parts.append(f"{lane.prefix} {name}: {texts('waiting_count', n=counts.get(lane.id, 0))}")
    return "   ".join(parts)
