"""Inquiries answered at the counters (問い合わせへの回答), logged in a few seconds. No Qt.

The specification (6(2)イ(c)) asks for every inquiry and its answer as electronic data every
day, **without personal information**. Every text is checked with
:func:`app.core.privacy.check_city_text` (My Number, phone numbers, e-mail addresses, birth
dates, booking keys of the 交付通知書) and refused with a request to rephrase; nothing is
recorded then. The categories are a fixed list shared with the Q&A collection
(:mod:`app.inquiries.qa`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.privacy import check_city_text
from app.core.staff import Actor
from app.model.qa_projection import INQUIRY_LOGGED

if TYPE_CHECKING:
    from app.core.node import Node

#: The longest question or answer accepted (characters).
MAX_TEXT = 2000


@dataclass(frozen=True)
class Category:
    """An inquiry / Q&A category: its code (stored in events) and its names."""

    code: str
    name_ja: str
    name_en: str


CATEGORIES: tuple[Category, ...] = (
    Category("issuance", "カード交付", "Card issuance"),
    Category("certificate", "電子証明書", "Electronic certificates"),
    Category("pin", "暗証番号", "PINs"),
    Category("loss", "紛失・廃止", "Loss and abolition"),
    Category("surface", "券面変更", "Card-surface changes"),
    Category("reservation", "予約", "Reservations"),
    Category("visit", "来庁案内", "Visiting the center"),
    Category("fee", "手数料", "Fees"),
    Category("other", "その他", "Other"),
)
_BY_KEY = {key: c for c in CATEGORIES for key in (c.code, c.name_ja, c.name_en.lower())}


def find_category(value: str) -> Category:
    """Returns a category from its code, Japanese name or English name.

    Raises:
        ValueError: no such category (the message lists them).
    """
    found = _BY_KEY.get(value.strip()) or _BY_KEY.get(value.strip().lower())
    if found is None:
        names = "、".join(f"{c.name_ja}（{c.code}）" for c in CATEGORIES)
        raise ValueError(f"分類 {value!r} はありません（{names}）")
    return found


def category_name(code: str) -> str:
    """Returns a category's Japanese name (the code itself if unknown)."""
    found = _BY_KEY.get(code)
    return found.name_ja if found else code


def clean_text(text: str, field: str, *, required: bool = True) -> str:
    """Returns stripped text fit for the city: no personal data, not empty, not too long.

    Raises:
        PrivacyError: the text seems to hold personal data (the message asks to rephrase).
        ValueError: empty (when required) or longer than :data:`MAX_TEXT`.
    """
    value = text.strip()
    check_city_text(value, field)
    if required and not value:
        raise ValueError(f"{field}を入力してください")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{field}は{MAX_TEXT}文字以内にしてください（{len(value)}文字）")
    return value


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
            from app.inquiries.qa import QaService

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
        sql = "SELECT * FROM inquiries WHERE day = ?"
        params: list[Any] = [(day or self.node.today()).isoformat()]
        if category is not None:
            sql += " AND category = ?"
            params.append(find_category(category).code)
        rows = self.node.store.rows(sql + " ORDER BY at, hlc, inquiry_id", params)
        for row in rows:
            row.pop("hlc")
            row["category_ja"] = category_name(row["category"])
        return rows
