"""Inquiries answered at the counters (問い合わせへの回答), logged in a few seconds. No Qt.

The specification (6(2)イ(c)) asks for every inquiry and its answer as electronic data every
day, **without personal information**. Every text is checked with
:func:`app.core.privacy.check_city_text` (My Number, phone numbers, e-mail addresses, birth
dates, booking keys of the 交付通知書) and refused with a request to rephrase; nothing is
recorded then. The categories are a fixed list shared with the Q&A collection
(:mod:`app.inquiries.qa`).
"""

from __future__ import annotations

import builtins
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.inquiries.categories import category_name, clean_text, find_category
from app.inquiries.qa import QaService
from app.model.qa_projection import INQUIRY_LOGGED

if TYPE_CHECKING:
    from app.core.node import Node


class InquiryService:
    """Logs inquiries and their answers, and lists them.

    Args:
        node: the node recording them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def log(
        self, actor: Actor, category: str, question: str, answer: str, qa_id: str | None = None
    ) -> str:
        """Records one inquiry and the answer given.

        Args:
            actor: who answered (clerk, city staff, floor or site manager).
            category: a category code or name (see :data:`CATEGORIES`).
            question: what was asked, without personal data.
            answer: what was answered, without personal data.
            qa_id: the Q&A entry the answer came from, if any. With one, an empty question
                or answer is taken from the entry.

        Returns:
            The new inquiry's id.

        Raises:
            AuthError: the actor's role may not log inquiries.
            PrivacyError: a text seems to hold personal data; nothing is recorded.
            ValueError: unknown category or Q&A entry, empty or too long text.
        """
        actor.require("inquiry.log")
        code = find_category(category).code
        if qa_id is not None:
            entry = QaService(self.node).get(qa_id)
            qa_id = str(entry["qa_id"])
            question = question if question.strip() else str(entry["question"])
            answer = answer if answer.strip() else str(entry["answer"])
        payload = {
            "category": code,
            "question": clean_text(question, "問い合わせ内容"),
            "answer": clean_text(answer, "回答"),
            "qa_id": qa_id,
        }
        with self.node.write() as w:
            inquiry_id = f"{self.node.store.node_id}-{w.next_seq}"
            w.append(INQUIRY_LOGGED, actor, payload={"inquiry_id": inquiry_id, **payload})
        return inquiry_id

    def list(self, day: date | None = None, category: str | None = None) -> list[dict[str, Any]]:
        """Returns a day's inquiries (today by default) in the order they were logged.

        Each row has ``inquiry_id, day, at`` (epoch ms), ``category`` (code),
        ``category_ja, question, answer, qa_id, staff_id, counter``.

        Raises:
            ValueError: unknown category.
        """
        the_day = day or self.node.today()
        return self.between(the_day, the_day, category)

    def between(self, first: date, last: date, category: str | None = None
                ) -> builtins.list[dict[str, Any]]:  # fmt: skip
        """Returns the inquiries of the days ``first`` to ``last`` (inclusive), as :meth:`list`.

        Raises:
            ValueError: unknown category.
        """
        sql = "SELECT * FROM inquiries WHERE day BETWEEN ? AND ?"
        params: list[Any] = [first.isoformat(), last.isoformat()]
        if category is not None:
            sql += " AND category = ?"
            params.append(find_category(category).code)
        rows = self.node.store.rows(sql + " ORDER BY at, hlc, inquiry_id", params)
        for row in rows:
            row.pop("hlc")
            row["category_ja"] = category_name(row["category"])
        return rows
