"""The Q&A collection (質疑応答集) shared with the city and every counter. No Qt.

The specification (6(2)イ(a)) asks for one shared collection, updated from the questions
citizens ask and shared with city staff and everyone working at the center. Site managers
(and administrators) add, edit and retire entries; each change is an event (``qa.added``,
``qa.edited``, ``qa.retired``) with its author and time, so :meth:`QaService.history`
shows who changed what and when, and every PC ends with the same collection. The texts
are checked like every text meant for the city (:func:`app.core.privacy.check_city_text`).

Search is tolerant of how Japanese is typed: full / half width, hiragana / katakana, upper
/ lower case and spaces do not matter (:func:`normalise`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.core.errors import InputError
from app.inquiries.categories import CATEGORIES, category_name, clean_text, find_category
from app.model.clock import iso, to_ms
from app.model.qa_projection import QA_ADDED, QA_EDITED, QA_EVENTS, QA_FIELDS, QA_RETIRED, fold_qa
from db.hlc import pack, wall_of

if TYPE_CHECKING:
    from app.core.node import Node

_ORDER = {c.code: n for n, c in enumerate(CATEGORIES)}
_HIRAGANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_FIELD_NAMES = {"category": "分類", "question": "質問", "answer": "回答"}
#: Event type → (action, its Japanese name) in :meth:`QaService.history`.
ACTIONS = {QA_ADDED: ("added", "追加"), QA_EDITED: ("edited", "修正"),
           QA_RETIRED: ("retired", "削除")}  # fmt: skip


def normalise(text: str) -> str:
    """Returns text in the form search compares: NFKC, case-folded, katakana, no spaces.

    ``ｱﾝｼｮｳ``, ``あんしょう`` and ``アンショウ`` all become ``アンショウ``; ``ＰＩＮ`` becomes
    ``pin``.
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_HIRAGANA)
    return "".join(folded.split())


def _present(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Returns rows by category, then in the order they were added, without their clocks."""
    ordered = sorted(
        rows, key=lambda r: (_ORDER.get(r["category"], 99), r["created_hlc"], r["qa_id"])
    )
    for row in ordered:
        del row["hlc"], row["created_hlc"]
        row["category_ja"] = category_name(row["category"])
    return ordered


class QaService:
    """Reads and changes the Q&A collection.

    Rows are dicts with ``qa_id, category`` (code), ``category_ja, question, answer,
    active`` (0 once retired), ``version`` (1 for a new entry, +1 a change),
    ``created_at, created_by, updated_at, updated_by`` (epoch ms and staff ids).

    Args:
        node: the node holding the collection.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    # -- changes ----------------------------------------------------------------------------

    def add(self, actor: Actor, category: str, question: str, answer: str) -> str:
        """Adds an entry; returns its id.

        Raises:
            AuthError: the actor may not edit the collection (site manager, admin only).
            PrivacyError: a text seems to hold personal data; nothing is recorded.
            ValueError: unknown category, empty or too long text, or the same question
                is already in the collection.
        """
        actor.require("qa.edit")
        payload = {
            "category": find_category(category).code,
            "question": clean_text(question, "質問"),
            "answer": clean_text(answer, "回答"),
        }
        same = self.find_question(payload["question"])
        if same is not None:
            raise InputError(f"同じ質問が既に質疑応答集にあります（{same}）")
        with self.node.write() as w:
            qa_id = f"{self.node.store.node_id}-{w.next_seq}"
            w.append(QA_ADDED, actor, payload={"qa_id": qa_id, **payload})
        return qa_id

    def edit(
        self,
        actor: Actor,
        qa_id: str,
        question: str | None = None,
        answer: str | None = None,
        category: str | None = None,
    ) -> dict[str, Any]:
        """Changes an entry's question, answer or category; returns the entry as changed.

        Only the values that differ from the entry's are recorded.

        Raises:
            AuthError: the actor may not edit the collection.
            PrivacyError: a text seems to hold personal data; nothing is recorded.
            ValueError: unknown or retired entry, unknown category, empty text, or no change.
        """
        actor.require("qa.edit")
        row = self.get(qa_id)
        if not row["active"]:
            raise InputError(f"質疑応答 {row['qa_id']} は削除されています")
        new = {
            "category": None if category is None else find_category(category).code,
            "question": None if question is None else clean_text(question, "質問"),
            "answer": None if answer is None else clean_text(answer, "回答"),
        }
        changes = {f: v for f, v in new.items() if v is not None and v != row[f]}
        if not changes:
            raise InputError("変更がありません")
        with self.node.write() as w:
            w.append(QA_EDITED, actor, payload={"qa_id": row["qa_id"], **changes})
        return self.get(row["qa_id"])

    def retire(self, actor: Actor, qa_id: str) -> None:
        """Removes an entry from the collection (its history is kept).

        Raises:
            AuthError: the actor may not edit the collection.
            ValueError: unknown or already retired entry.
        """
        actor.require("qa.edit")
        row = self.get(qa_id)
        if not row["active"]:
            raise InputError(f"質疑応答 {row['qa_id']} は既に削除されています")
        with self.node.write() as w:
            w.append(QA_RETIRED, actor, payload={"qa_id": row["qa_id"]})

    # -- reading ----------------------------------------------------------------------------

    def get(self, qa_id: str) -> dict[str, Any]:
        """Returns an entry (retired ones too) by its id or a unique beginning of it.

        Raises:
            ValueError: no entry, or several, match.
        """
        key = qa_id.strip()
        rows = self.node.store.rows("SELECT * FROM qa WHERE qa_id = ?", (key,))
        if not rows and key:
            rows = self.node.store.rows(
                "SELECT * FROM qa WHERE substr(qa_id, 1, ?) = ?", (len(key), key)
            )
        if len(rows) != 1:
            found = "複数あります" if rows else "ありません"
            raise InputError(f"質疑応答 {qa_id!r} は{found}（qa list でIDを確認してください）")
        return _present(rows)[0]

    def all(self, include_retired: bool = False) -> list[dict[str, Any]]:
        """Returns the entries by category (in :data:`CATEGORIES` order), oldest first."""
        sql = "SELECT * FROM qa" + ("" if include_retired else " WHERE active = 1")
        return _present(self.node.store.rows(sql))

    def search(self, text: str, category: str | None = None) -> list[dict[str, Any]]:
        """Returns the active entries holding every word of ``text``, best match first.

        Words are separated by spaces (half or full width); each is compared after
        :func:`normalise` with the entry's category name, question and answer. An entry
        scores 2 for each time a word occurs in its question and 1 in its answer or
        category; ties keep the order of :meth:`all`. The rows get a ``score``.

        Raises:
            ValueError: unknown category.
        """
        code = None if category is None else find_category(category).code
        words = [normalise(w) for w in unicodedata.normalize("NFKC", text).split()]
        words = [w for w in words if w]
        found: list[tuple[int, dict[str, Any]]] = []
        for row in self.all():
            if code is not None and row["category"] != code:
                continue
            question = normalise(row["question"])
            other = normalise(row["answer"]) + "\n" + normalise(row["category_ja"])
            if not all(w in question or w in other for w in words):
                continue
            score = sum(2 * question.count(w) + other.count(w) for w in words)
            found.append((score, dict(row, score=score)))
        found.sort(key=lambda item: -item[0])
        return [row for _, row in found]

    def history(self, qa_id: str) -> list[dict[str, Any]]:
        """Returns every change of an entry, oldest first, from the events.

        Each change has ``event_id, action`` (``added``, ``edited``, ``retired``),
        ``action_ja, staff_id, at`` (epoch ms), ``at_text`` (ISO, JST), ``version`` (the
        entry's version after it), ``changes`` (field → new value) and ``summary`` (text).

        Raises:
            ValueError: unknown entry.
        """
        key = self.get(qa_id)["qa_id"]
        events = self.node.store.events(
            f"type IN ({', '.join('?' * len(QA_EVENTS))}) AND json_extract(payload, '$.qa_id') = ?",
            (*QA_EVENTS, key),
        )
        changes: list[dict[str, Any]] = []
        for event in events:
            action, action_ja = ACTIONS[event.type]
            fields = {f: event.payload[f] for f in QA_FIELDS if event.payload.get(f) is not None}
            names = "・".join(_FIELD_NAMES[f] for f in fields)
            summary = action_ja if event.type != QA_EDITED else f"{action_ja}（{names}）"
            at = wall_of(event.hlc)
            changes.append({
                "event_id": event.id, "action": action, "action_ja": action_ja,
                "staff_id": event.staff_id, "at": at, "at_text": iso(at),
                "version": len(changes) + 1, "changes": fields, "summary": summary,
            })  # fmt: skip
        return changes

    def as_of(self, day: date) -> list[dict[str, Any]]:
        """Returns the active entries as they stood at the end of a day (from the events)."""
        end = pack(to_ms(day + timedelta(days=1), time(0, 0)))
        events = self.node.store.events(
            f"type IN ({', '.join('?' * len(QA_EVENTS))}) AND hlc < ?", (*QA_EVENTS, end)
        )
        return _present(dict(r) for r in fold_qa(events).values() if r["active"])

    def find_question(self, question: str) -> str | None:
        """Returns the id of the active entry asking the same question (normalised), if any."""
        target = normalise(question)
        for row in self.all():
            if normalise(row["question"]) == target:
                return str(row["qa_id"])
        return None


def seed_default_qa(node: Node, actor: Actor) -> list[str]:
    """Adds the starting entries of the collection (:data:`app.inquiries.qa_seed.DEFAULT_QA`).

    Entries whose question is already in the collection are skipped, so running it again
    adds nothing. The site manager is expected to check and adapt the texts.

    Returns:
        The ids of the entries added.
    """
    from app.inquiries.qa_seed import DEFAULT_QA

    service = QaService(node)
    added: list[str] = []
    for code, question, answer in DEFAULT_QA:
        if service.find_question(question) is None:
            added.append(service.add(actor, code, question, answer))
    return added
