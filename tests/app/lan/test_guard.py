"""Replays and floods are refused; packets reordered within the window are taken."""

from __future__ import annotations

from app.lan.guard import WINDOW, Floods, Replays, Tally


def test_a_packet_is_taken_once_and_an_earlier_epoch_never() -> None:
    seen = Replays({"na": 5})
    assert seen.accept("na", 4, 1) is None  # an epoch before the one last heard (persisted)
    assert seen.accept("na", 5, 10) is True  # the first packet of the epoch in this run
    assert seen.accept("na", 5, 10) is None  # the same packet again
    assert seen.accept("na", 5, 12) is False
    assert seen.accept("na", 5, 11) is False  # late, within the window: taken once
    assert seen.accept("na", 5, 11) is None
    assert seen.accept("na", 6, 1) is True  # the PC started again
    assert seen.accept("na", 5, 13) is None  # the old epoch is over
    assert seen.accept("na", 6, 1 + WINDOW + 5) is False
    assert seen.accept("na", 6, 5) is None  # further back than the window
    assert seen.accept("nb", 1, 1) is True  # each PC on its own


def test_one_address_may_not_flood_the_others_go_on() -> None:
    floods = Floods(rate=100, burst=10)
    taken = sum(floods.allow("10.0.0.9", 0.0) for _ in range(50))
    assert taken == 10
    assert floods.allow("10.0.0.2", 0.0)
    assert sum(floods.allow("10.0.0.9", 0.1) for _ in range(50)) == 10  # refilled at 100/s


def test_the_tally_reads_as_one_line() -> None:
    tally = Tally()
    tally["replayed"] += 2
    tally["forged"] += 1
    assert tally.line() == "forged 1, replayed 2"
