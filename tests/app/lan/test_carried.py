"""Only the moves of tickets travel on the LAN, and never a field that tells who a visitor is."""

from __future__ import annotations

from app.lan.carried import carried
from db.event import Event

HLC = 1_795_000_000_000 << 16


def event(type_: str, payload: dict[str, object], ticket: str | None = "nr-1") -> Event:
    return Event("nr", 1, HLC, type_, "fm", ticket, (), None, payload)


def test_ticket_moves_travel_whole() -> None:
    call = event("ticket.called", {})
    assert carried(call) == ("ev", call)
    held = event("ticket.held", {"reason": "書類を取りに戻る"})
    assert carried(held) == ("ev", held)


def test_a_reserved_visitors_issue_travels_without_its_reservation_number() -> None:
    issued = event("ticket.issued", {"number": "K-001", "lane": "reserved", "slot": "11:00",
                                     "reservation_id": "R20261124001", "priority": True})  # fmt: skip
    kind, sent = carried(issued) or ("", issued)
    assert kind == "pv" and "reservation_id" not in sent.payload
    assert sent.payload["number"] == "K-001" and sent.id == issued.id
    assert issued.payload["reservation_id"] == "R20261124001"  # the event itself is unchanged


def test_personal_data_and_other_events_stay_on_the_share() -> None:
    typed = event("ticket.cancelled", {"reason": "電話 045-123-4567 に連絡"})
    assert carried(typed) is None
    assert carried(event("ticket.held", {"reason": "照会番号 AB1-123456"})) is None
    booked = event("reservation.booked", {"reservation_id": "R1", "name_kana": "ヤマダ"}, None)
    assert carried(booked) is None
    added = event("staff.added", {"staff_id": "cl", "pin_hash": "x"}, None)
    assert carried(added) is None
