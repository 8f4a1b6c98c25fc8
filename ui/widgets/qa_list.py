"""The list of Q&A entries that the counter's inquiry tab and the site manager's Q&A tab share."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from app.inquiries.qa import QaService


def fill_qa_list(widget: QListWidget, qa: QaService, text: str) -> list[dict[str, Any]]:
    """Lists the Q&A entries matching every word of ``text`` (all when empty)."""
    rows = qa.search(text) if text.strip() else qa.all()
    widget.clear()
    for row in rows:
        item = QListWidgetItem(f"［{row['category_ja']}］{row['question']}")
        item.setData(Qt.ItemDataRole.UserRole, row["qa_id"])
        widget.addItem(item)
    return rows
