"""The counter's inquiry tab: search the Q&A collection, log what was asked and answered.

Nothing personal may be typed: the privacy guard refuses numbers, phones, e-mail
addresses, birth dates and booking keys with a request to rephrase.
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
from app.inquiries.inquiry_log import InquiryService
from app.inquiries.qa import QaService
from app.model.clock import hhmm
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.keys import bind_key
from ui.widgets.labels import error_label
from ui.widgets.qa_list import fill_qa_list

TEXTS: dict[str, Msg] = {
    "search": Msg("counter", "Search the Q&A (e.g. PIN forgotten)"),
    "use_answer": Msg("counter", "Use this answer"),
    "category": Msg("counter", "Category"),
    "question": Msg("counter", "Question"),
    "answer": Msg("counter", "Answer"),
    "log": Msg("counter", "Log (Ctrl+Enter)"),
    "logged": Msg("counter", "Logged"),
    "today": Msg("counter", "Logged at this counter today"),
    "no_personal": Msg("counter", "Never type names, phone numbers or birth dates"),
    "linked": Msg("counter", "Linked to Q&A: {q}"),
}  # fmt: skip


class InquiryPanel(QWidget):
    """Logs an inquiry in a few seconds, with the Q&A collection at hand."""

    def __init__(self, inquiries: InquiryService, qa: QaService, actor: Actor, texts: Texts,
                 hub: Hub) -> None:  # fmt: skip
        super().__init__()
        self._actor, self._texts, self._hub = actor, texts, hub
        self._qa = qa
        self._inquiries = inquiries
        self.qa_id: str | None = None
        t = self._t
        self.search = QLineEdit()
        self.search.setPlaceholderText(t("search"))
        self.search.textChanged.connect(self.search_qa)
        self.results = QListWidget()
        self.results.currentItemChanged.connect(self.show_entry)
        self.entry = QLabel()
        self.entry.setWordWrap(True)
        self.entry.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.entry.setStyleSheet("background: #ffffff; padding: 8px; font-size: 15px;")
        use = QPushButton(t("use_answer"))
        use.clicked.connect(self.use_answer)
        left = QVBoxLayout()
        for widget in (self.search, self.results, self.entry, use):
            left.addWidget(widget)
        self.category = QComboBox()
        for category in CATEGORIES:
            self.category.addItem(texts.msg(category.name), category.code)
        self.question = QLineEdit()
        self.answer = QPlainTextEdit()
        self.link = QLabel()
        self.error = error_label()
        self.done = QLabel()
        self.done.setStyleSheet("color: #005a32; font-weight: bold;")
        log = QPushButton(t("log"))
        log.setMinimumHeight(48)
        log.clicked.connect(self.log)
        bind_key(self, "Ctrl+Return", self.log)
        form = QFormLayout()
        form.addRow(t("category"), self.category)
        form.addRow(t("question"), self.question)
        form.addRow(t("answer"), self.answer)
        warning = QLabel(t("no_personal"))
        warning.setStyleSheet("color: #7a4a00;")
        self.today = QListWidget()
        right = QVBoxLayout()
        right.addWidget(warning)
        right.addLayout(form)
        for widget in (self.link, self.error, self.done, log, QLabel(t("today")), self.today):
            right.addWidget(widget)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        hub.changed.connect(self.refresh)
        self.search_qa("")
        self.refresh()

    def _t(self, key: str, **values: object) -> str:
        return self._texts.msg(TEXTS[key], **values)

    def search_qa(self, text: str) -> None:
        """Lists the Q&A entries that match every word typed (all when empty)."""
        rows = fill_qa_list(self.results, self._qa, text)
        if rows:
            self.results.setCurrentRow(0)
        else:
            self.entry.clear()

    def _selected(self) -> dict[str, Any] | None:
        item = self.results.currentItem()
        return None if item is None else self._qa.get(item.data(Qt.ItemDataRole.UserRole))

    def show_entry(self) -> None:
        """Shows the selected entry's answer."""
        row = self._selected()
        self.entry.setText("" if row is None else f"Q. {row['question']}\nA. {row['answer']}")

    def use_answer(self) -> None:
        """Fills the form from the selected entry and links the inquiry to it."""
        row = self._selected()
        if row is None:
            return
        self.qa_id = row["qa_id"]
        index = self.category.findData(row["category"])
        if index >= 0:
            self.category.setCurrentIndex(index)
        if not self.question.text().strip():
            self.question.setText(row["question"])
        self.answer.setPlainText(row["answer"])
        self.link.setText(self._t("linked", q=row["question"]))

    def log(self) -> None:
        """Records the inquiry; refused text keeps the form as it is for rephrasing."""
        try:
            self._inquiries.log(self._actor, self.category.currentData(), self.question.text(),
                                self.answer.toPlainText(), self.qa_id)  # fmt: skip
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            self.done.clear()
            return
        self.error.clear()
        self.done.setText(self._t("logged"))
        self.question.clear()
        self.answer.clear()
        self.link.clear()
        self.qa_id = None
        self._hub.notify()

    def refresh(self) -> None:
        """Lists today's inquiries logged at this counter."""
        self.today.clear()
        for row in self._inquiries.list():
            if row["counter"] == self._actor.counter:
                self.today.addItem(f"{hhmm(row['at'])} ［{row['category_ja']}］{row['question']}")
