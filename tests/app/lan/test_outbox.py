"""An event is sent until acknowledged, more slowly each time, at once when the PC is back."""

from __future__ import annotations

from itertools import pairwise

from app.lan.outbox import LIMIT, MAX_BACKOFF, TTL, Outbox


def test_resent_with_back_off_until_acknowledged() -> None:
    box = Outbox()
    box.add("nr:1", "ev", b"[1]", 0.0)
    box.add("nr:1", "ev", b"[1]", 0.5)  # queued once
    times = []
    for step in range(1000):  # ten seconds, looked at every 10 ms
        now = step / 100
        due = box.due(now)
        if due:
            times.append(now)
            box.sent(due, now)
    assert [round(b - a, 2) for a, b in pairwise(times[:5])] == [0.15, 0.3, 0.6, 1.0]
    assert max(b - a for a, b in pairwise(times)) <= MAX_BACKOFF + 0.01
    assert box.next_due() == max(e.due for e in box.due(100.0))
    box.hurry(now)
    assert [e.key for e in box.due(now)] == ["nr:1"]
    box.ack(("nr:1",))
    assert len(box) == 0 and box.due(now + 5) == []


def test_an_outbox_is_bounded_in_size_and_age() -> None:
    box = Outbox()
    for i in range(LIMIT + 10):
        box.add(f"nr:{i}", "ev", b"[]", 0.0)
    assert len(box) == LIMIT
    assert box.due(0.0)[0].key == "nr:10"  # the oldest went first
    assert box.due(TTL + 1) == [] and len(box) == 0
