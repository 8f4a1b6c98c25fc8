"""The public status page: one HTML file that needs nothing else (its style, its script, its
texts in every language and the status it was written with are inside it). No Qt.

The page (``resources/status/page.html``) shows the status it was written with at once,
then reads ``status.json`` beside it every ``interval`` seconds, so it stays current on a
phone left open; its script is plain ES5 with XMLHttpRequest, for old phones. A number in
the address (``status.html#A-012``, the ticket's QR code) is highlighted: people ahead and
the estimated wait, or the counter to go to once it is called. When the status is older
than ``stale_after`` seconds the page shows 「更新停止 HH:MM」 instead of its numbers.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from app.core.i18n import LANGUAGES, tr
from app.core.paths import resources_dir


def page_texts(lang: str) -> dict[str, str]:
    """Returns the page's fixed texts in a language (``{placeholders}`` filled by the page)."""
    return {
        "title": tr(lang, "status", "Waiting status"),
        "updated": tr(lang, "status", "Updated {time}"),
        "stale": tr(lang, "status", "Updates stopped at {time}"),
        "stale_note": tr(
            lang,
            "status",
            "The numbers are not shown because they may be out of date. "
            "Please look at the board in the waiting room.",
        ),
        "your_number": tr(lang, "status", "Your number"),
        "ahead": tr(lang, "status", "People ahead"),
        "wait": tr(lang, "status", "Estimated wait"),
        "minutes": tr(lang, "status", "about {m} min"),
        "soon": tr(lang, "status", "soon"),
        "called": tr(lang, "status", "Called: please go to counter {c}"),
        "not_waiting": tr(
            lang,
            "status",
            "This number is not waiting now. If it has been called already, please ask the staff.",
        ),
        "lanes": tr(lang, "status", "Waiting now"),
        "lane": tr(lang, "status", "Counter"),
        "waiting": tr(lang, "status", "Waiting"),
        "calls": tr(lang, "status", "Numbers called"),
        "number": tr(lang, "status", "Number"),
        "to_counter": tr(lang, "status", "Counter {c}"),
        "no_calls": tr(lang, "status", "No number has been called yet today."),
        "open": tr(lang, "status", "Reception is open today {hours}"),
        "before_open": tr(lang, "status", "Reception opens today at {hours}"),
        "after_close": tr(lang, "status", "Reception has closed for today."),
        "closed": tr(lang, "status", "The center is closed today."),
        "paused": tr(lang, "status", "Not taken now: {name}"),
        "estimate_note": tr(lang, "status", "The wait is an estimate; the order may change."),
        "loading": tr(lang, "status", "Loading…"),
        "failed": tr(
            lang,
            "status",
            "The status cannot be read now. Please look at the board in the waiting room.",
        ),
        "language": tr(lang, "status", "Language"),
    }


@functools.cache
def _template() -> str:
    return (resources_dir() / "status" / "page.html").read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """Returns JSON safe inside a <script> element (no closing tag, no HTML comment)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(status: dict[str, Any]) -> str:
    """Returns the page with the texts of every language and ``status`` inside it."""
    texts = {lang.code: page_texts(lang.code) for lang in LANGUAGES}
    langs = [[lang.code, lang.native, lang.tag] for lang in LANGUAGES]
    return (
        _template()
        .replace("/*TEXTS*/{}", _script_json(texts))
        .replace("/*LANGS*/[]", _script_json(langs))
        .replace("/*STATUS*/null", _script_json(status))
    )
