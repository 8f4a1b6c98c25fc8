"""What the public status says: a JSON document made of the queue, with nothing personal. No Qt.

Per lane: how many wait, the estimated wait of a walk-in joining now and, for each waiting
ticket, its display number, the people ahead and its estimated wait (the page highlights
the visitor's own number); the numbers called last and to which counter; whether reception
takes visitors; when it was made. Display numbers are the ones the visitors hold (a
transferred visitor keeps theirs). No ticket id, name or booking number is read into it,
and every text typed by staff (a closure's or a pause's reason) passes the privacy guard or
is left out; the whole document passes it once more before it is written.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from app.core.i18n import CODES, data_name, tr
from app.core.privacy import check_payload, find_contact_data
from app.model.clock import to_datetime
from app.queue.estimate import lane_wait
from app.queue.pauses import JLIS
from app.queue.queries import QueueQueries
from app.status.reception import reception_state

if TYPE_CHECKING:
    from app.core.node import Node

log = logging.getLogger(__name__)

#: The format of status.json; a reader that finds another one says so.
SCHEMA = 1
_PARENS = re.compile(r"\s*[（(][^）)]*[）)]")


def public_name(name: str) -> str:
    """Returns a lane name for the public: without the parts in brackets (（委託）)."""
    return _PARENS.sub("", name).strip()


def public_text(text: str) -> str | None:
    """Returns a text typed by staff if it may be published, None when the privacy guard
    finds personal data in it (it is then left out, and the log says so)."""
    found = find_contact_data(text)
    if found is not None:
        log.warning("a text with %s was left out of the public status", found)
        return None
    return text


def _names(context: str, ja: str, en: str, public: bool = False) -> dict[str, str]:
    names = {code: data_name(code, context, ja, en) for code in CODES}
    return {code: public_name(n) for code, n in names.items()} if public else names


def build_status(node: Node, now_ms: int | None = None) -> dict[str, Any]:
    """Returns the public status of the center now (or at ``now_ms``), ready for JSON.

    Raises:
        PrivacyError: a My Number would have reached the document (never published).
    """
    now = node.now_ms() if now_ms is None else now_ms
    settings = node.settings
    queries = QueueQueries(node)
    lanes = []
    for lane in node.catalog.lanes.values():
        wait = lane_wait(node, lane.id)
        tickets = [[queries.held_number(t), ahead, wait.minutes_behind(ahead)]
                   for ahead, t in enumerate(wait.waiting) if t["lane"] == lane.id]  # fmt: skip
        lanes.append({
            "id": lane.id,
            "prefix": lane.prefix,
            "name": _names("lane", lane.name_ja, lane.name_en, public=True),
            "waiting": len(tickets),
            "wait_minutes": wait.newcomer_minutes,
            "tickets": tickets,
        })  # fmt: skip
    limit = settings.status.recent_calls
    calls = [{"number": r["number"], "counter": str(r["counter"]), "now": r["state"] == "called"}
             for r in queries.recent_calls(limit)]  # fmt: skip
    reception = reception_state(node, now)
    paused = []
    for pause in reception.paused:
        reason = public_text(pause.reason)
        if pause.procedure == JLIS:
            name = {code: tr(code, "status", "Procedures that need J-LIS") for code in CODES}
        else:
            proc = node.catalog.procedure(pause.procedure)
            name = _names("procedure", proc.name_ja, proc.name_en)
        paused.append({"name": name, "reason": reason})
    reasons = [r for r in (public_text(x) for x in reception.reasons_ja) if r is not None]
    reasons_en = [r for r in (public_text(x) for x in reception.reasons_en) if r is not None]
    document = {
        "schema": SCHEMA,
        "center": _names("site", settings.site.name_ja, settings.site.name_en),
        "day": to_datetime(now).date().isoformat(),
        "updated_at": now,
        "updated": f"{to_datetime(now):%H:%M}",
        "stale_after": settings.status.stale_seconds,
        "interval": settings.status.interval_seconds,
        "reception": {
            "state": reception.state,
            "mode": reception.mode,
            "hours": reception.hours,
            "reasons": reasons,  # why the center is closed: Japanese …
            "reasons_en": reasons_en,  # … and English, for every other language
            "paused": paused,
        },
        "lanes": lanes,
        "calls": calls,
    }
    check_payload(document, "公開する待ち状況")
    return document
