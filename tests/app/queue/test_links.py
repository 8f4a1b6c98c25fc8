"""Whether the board and the counters reach each other, judged by both paths: the LAN's word
counts at once, the share's silence after the threshold."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core.node import Node
from app.lan.path import LanPath
from app.queue.links import Links
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import site_node, sync_rounds


def pump(paths: list[LanPath], until: Callable[[], bool], timeout: float = 6.0) -> float:
    started = time.monotonic()
    while not until():
        assert time.monotonic() - started < timeout, "not within the time"
        for path in paths:
            path.step(0.005)
    return time.monotonic() - started


@pytest.fixture
def pair(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Node, Node, list[LanPath]]]:
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    display = site_node(tmp_path, "display", clock, block=3, role="display", staff=False)
    paths = [LanPath(counter), LanPath(display)]
    assert all(p.open() for p in paths)
    sync_rounds(counter, display)
    yield counter, display, paths
    for path in paths:
        path.close()
    counter.close()
    display.close()


def test_a_board_switched_off_is_known_within_five_seconds_though_the_share_is_fresh(
    pair: tuple[Node, Node, list[LanPath]],
) -> None:
    counter, display, paths = pair
    links = Links(counter)
    since = counter.now_ms() - 120_000  # the counter has been open a while
    pump(paths, lambda: Links(display).paths()[0].lan is True and links.paths()[0].lan is True)
    assert not links.board_reached(since).silent
    paths[1].close()  # the board's PC is off: neither path will carry a call to it
    took = pump(paths[:1], lambda: links.board_reached(since).silent)
    assert took < 5.0
    state = links.paths()[0]
    assert (state.role, state.lan, state.share) == ("display", False, False)
    # Its heartbeat on the share, a minute old at most, does not hide that it is gone.
    assert counter.now_ms() - int(state.share_heard_ms or 0) < 60_000


def test_with_the_share_gone_the_lan_alone_reaches_the_board(
    tmp_path: Path, pair: tuple[Node, Node, list[LanPath]], clock: FakeClock
) -> None:
    counter, display, paths = pair
    (tmp_path / "share").rename(tmp_path / "share-away")
    for node in (counter, display):
        assert SyncService(node).once().offline
    clock.advance(minutes=5)  # longer than the share's threshold
    since = counter.now_ms() - 600_000
    pump(paths, lambda: Links(counter).paths()[0].lan is True)
    assert not Links(counter).board_reached(since).silent
    assert not Links(display).board_hears_counters(since).silent
    state = Links(display).paths()[0]
    assert (state.share, state.lan, state.own_share) == (False, True, "offline")
    paths[0].close()  # now the counter's PC is off too: the board tells the room
    pump(paths[1:], lambda: Links(display).board_hears_counters(since).silent)


def test_without_the_lan_the_share_judges_as_before(
    pair: tuple[Node, Node, list[LanPath]], clock: FakeClock
) -> None:
    counter, display, paths = pair
    for path in paths:
        path.close()  # the port is closed at this site: the LAN never works
    links = Links(counter)
    since = counter.now_ms()
    assert not links.board_reached(since).silent
    assert links.paths()[0].lan is None
    # The board's PC stops for longer than the threshold: its heartbeat is not rewritten.
    clock.advance(seconds=75)
    beat = next(Path(counter.identity.share_dir).rglob(f"registry/{display.identity.node_id}.json"))
    os.utime(beat, (beat.stat().st_mtime - 75,) * 2)
    SyncService(counter).once()
    assert links.board_reached(since).silent
