"""The site manager's Q&A tab: edit the collection every counter searches (質疑応答集).

Every change is an event with its author and time; the history of an entry is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from app.core.actor import Actor
from app.core.errors import UserError
from app.core.i18n import Msg
from app.inquiries.categories import CATEGORIES
from app.inquiries.qa import QaService
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.labels import error_label
from ui.widgets.qa_list import fill_qa_list

TEXTS: dict[str, Msg] = {
    "search": Msg("admin", "Search"),
    "new": Msg("admin", "New entry"),
    "save": Msg("admin", "Save"),
    "retire": Msg("admin", "Retire (history kept)"),
    "category": Msg("admin", "Category"),
    "question": Msg("admin", "Question"),
    "answer": Msg("admin", "Answer"),
    "history": Msg("admin", "History"),
    "saved": Msg("admin", "Saved"),
    "managers_only": Msg("admin", "Only site managers can edit"),
}


class QaTab(QWidget):
    """Lists, adds, edits and retires Q&A entries."""

    def __init__(self, qa: QaService, actor: Actor, texts: Texts, hub: Hub) -> None:
        super().__init__()
        self._actor, self._texts, self._hub = actor, texts, hub
        self._qa = qa
        self.qa_id: str | None = None
        t = self._t
        self.search = QLineEdit()
        self.search.setPlaceholderText(t("search"))
        self.search.textChanged.connect(self.refresh)
        self.entries = QListWidget()
        self.entries.currentItemChanged.connect(self.load)
        new = QPushButton(t("new"))
        new.clicked.connect(self.new_entry)
        left = QVBoxLayout()
        for item in (self.search, self.entries, new):
            left.addWidget(item)
        self.category = QComboBox()
        for category in CATEGORIES:
            self.category.addItem(texts.msg(category.name), category.code)
        self.question = QLineEdit()
        self.answer = QPlainTextEdit()
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setStyleSheet("color: #444444;")
        self.error = error_label()
        self.status = QLabel()
        self.save_button = QPushButton(t("save"))
        self.save_button.clicked.connect(self.save)
        self.retire_button = QPushButton(t("retire"))
        self.retire_button.clicked.connect(self.retire)
        form = QFormLayout()
        form.addRow(t("category"), self.category)
        form.addRow(t("question"), self.question)
        form.addRow(t("answer"), self.answer)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.retire_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(buttons)
        for widget in (self.error, self.status, QLabel(t("history")), self.history):
            right.addWidget(widget)
        right.addStretch(1)
        if not actor.may("qa.edit"):
            self.save_button.setEnabled(False)
            self.retire_button.setEnabled(False)
            self.status.setText(t("managers_only"))
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self.refresh()

    def _t(self, key: str) -> str:
        return self._texts.msg(TEXTS[key])

    def refresh(self) -> None:
        """Lists the entries matching the search."""
        self.entries.blockSignals(True)
        fill_qa_list(self.entries, self._qa, self.search.text())
        self.entries.blockSignals(False)

    def load(self) -> None:
        """Shows the selected entry and its history in the form."""
        item = self.entries.currentItem()
        if item is not None:
            self.show_entry(item.data(Qt.ItemDataRole.UserRole))

    def show_entry(self, qa_id: str) -> None:
        """Shows one entry and its history in the form."""
        row: dict[str, Any] = self._qa.get(qa_id)
        self.qa_id = row["qa_id"]
        self.category.setCurrentIndex(max(0, self.category.findData(row["category"])))
        self.question.setText(row["question"])
        self.answer.setPlainText(row["answer"])
        self.history.setText("\n".join(
            f"{h['at_text']}  {h['staff_id']}  {h['summary']}" for h in self._qa.history(row["qa_id"])
        ))  # fmt: skip

    def new_entry(self) -> None:
        """Empties the form for a new entry."""
        self.qa_id = None
        self.question.clear()
        self.answer.clear()
        self.history.clear()
        self.entries.clearSelection()

    def save(self) -> None:
        """Adds the entry, or records the changes made to the selected one."""
        try:
            if self.qa_id is None:
                self.qa_id = self._qa.add(self._actor, self.category.currentData(),
                                          self.question.text(), self.answer.toPlainText())  # fmt: skip
            else:
                self._qa.edit(self._actor, self.qa_id, question=self.question.text(),
                              answer=self.answer.toPlainText(),
                              category=self.category.currentData())  # fmt: skip
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.error.clear()
        self.status.setText(self._t("saved"))
        self.refresh()
        self.show_entry(self.qa_id)
        self._hub.notify()

    def retire(self) -> None:
        """Retires the selected entry (it stays in the history)."""
        if self.qa_id is None:
            return
        try:
            self._qa.retire(self._actor, self.qa_id)
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.new_entry()
        self.refresh()
        self._hub.notify()
