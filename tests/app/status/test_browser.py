"""The status page in a real browser: headless Chromium (Debian's ``chromium``) loads the
published file and the LAN server's page, runs its script, and the DOM it leaves is read.

Chromium's virtual time lets the page's first request finish and its script run before the
DOM is dumped; nothing here sleeps.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.core.actor import Actor
from app.core.i18n import tr
from app.core.node import Node
from app.queue.closures import ClosureService
from app.queue.tickets import TicketService
from app.status.publish import publish
from app.status.server import StatusServer
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import make_node

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="headless Chromium (Debian's chromium) is not installed; CI installs it",
)


def dom(url: str, lang: str = "en-US") -> str:
    """Returns the page's DOM once its script has run (Chromium's --dump-dom)."""
    assert CHROMIUM is not None, "chromium is missing (.ci/run installs it)"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--lang={lang}", f"--accept-lang={lang}", "--virtual-time-budget=3000",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


def own(page: str) -> tuple[str, str]:
    """Returns the highlighted number's state and its text."""
    match = re.search(r'<section id="own"[^>]*data-state="([^"]+)"[^>]*>(.*?)</section>', page,
                      re.S)  # fmt: skip
    assert match, page[:2000]
    return match.group(1), re.sub(r"<[^>]+>", " ", match.group(2))


def reception(page: str) -> list[str]:
    """Returns the lines the page says about reception."""
    match = re.search(r'<div id="reception"[^>]*>(.*?)</div>', page, re.S)
    assert match, page[:2000]
    return re.findall(r"<p>(.*?)</p>", match.group(1))


#: A center open every day of the year (but 29 February), from 00:00 to 23:59: the page
#: judges staleness by the browser's real time, so these tests run on the real clock, and
#: must find the center open on a Wednesday or at the year end too.
ALWAYS_OPEN = """
[calendar]
first_day = "2000-01-01"
last_day = "2099-12-31"
open_weekdays = [1, 2, 3, 4, 5, 6, 7]
closed_sunday_after_third_saturday = false
year_end_from = "02-29"
year_end_to = "02-29"
[hours.weekday]
open = "00:00"
close = "23:59"
staff_start = "00:00"
staff_end = "23:59"
[hours.weekend]
open = "00:00"
close = "23:59"
staff_start = "00:00"
staff_end = "23:59"
"""


@pytest.fixture
def now_clock(clock: FakeClock) -> FakeClock:
    clock.ms = int(time.time() * 1000)  # the page judges staleness by the real time
    return clock


@pytest.fixture
def node(tmp_path: Path, now_clock: FakeClock) -> Iterator[Node]:
    (tmp_path / "node").mkdir()
    (tmp_path / "node" / "site.toml").write_text(ALWAYS_OPEN, encoding="utf-8")
    n = make_node(tmp_path / "node", now_clock)
    yield n
    n.close()


@pytest.fixture
def site(node: Node, now_clock: FakeClock, floor: Actor, clerk: Actor,
         tmp_path: Path) -> Iterator[tuple[Path, StatusServer]]:  # fmt: skip
    tickets = TicketService(node)
    first = tickets.issue(floor, "pin", "self", confirm_closed=True)
    tickets.issue(floor, "pin", "self", confirm_closed=True)
    tickets.issue(floor, "pin", "self", confirm_closed=True)
    tickets.call(clerk, first["number"])
    folder = tmp_path / "web"
    folder.mkdir()
    publish(node, folder)
    server = StatusServer(folder, "127.0.0.1", 0).start()
    yield folder, server
    server.stop()


def test_the_lan_page_highlights_a_waiting_number(site: tuple[Path, StatusServer]) -> None:
    _, server = site
    state, text = own(dom(f"http://127.0.0.1:{server.port}/status.html#A-003"))
    assert state == "waiting"
    assert "A-003" in text and "People ahead: 1" in text and "about 10 min" in text


def test_a_ticket_of_another_day_is_not_taken_for_todays_number(
    site: tuple[Path, StatusServer], node: Node
) -> None:
    _, server = site
    page = f"http://127.0.0.1:{server.port}/status.html"
    today = node.today()
    for day, expected in ((today, "waiting"), (today - timedelta(days=1), "not-waiting")):
        assert own(dom(f"{page}?d={day:%Y%m%d}#A-003"))[0] == expected, day


def test_the_lan_page_sends_a_called_number_to_its_counter(
    site: tuple[Path, StatusServer],
) -> None:
    _, server = site
    page = dom(f"http://127.0.0.1:{server.port}/status.html#A-001", lang="ja")
    state, text = own(page)
    assert state == "called" and "1番窓口へお越しください" in text
    assert '<html lang="ja"' in page and 'data-stale="0"' in page


def test_the_published_file_works_without_a_server(site: tuple[Path, StatusServer]) -> None:
    folder, _ = site
    page = dom((folder / "status.html").as_uri() + "#A-002", lang="vi")
    state, text = own(page)
    assert state == "waiting" and "Số người phía trước: 0" in text
    assert '<html lang="vi"' in page
    center = tr("vi", "site", "Yokosuka City My Number Card Center")  # the center's name too
    assert center != "Yokosuka City My Number Card Center" and f">{center}<" in page
    assert own(dom((folder / "status.html").as_uri() + "#B-999"))[0] == "not-waiting"


def test_old_numbers_are_not_shown_as_current(
    node: Node, now_clock: FakeClock, floor: Actor, tmp_path: Path
) -> None:
    TicketService(node).issue(floor, "pin", "self", confirm_closed=True)
    now_clock.advance(minutes=-10)  # published ten minutes ago, then nothing
    folder = tmp_path / "web"
    folder.mkdir()
    publish(node, folder)
    stamp = time.strftime("%H:%M", time.gmtime(now_clock() / 1000 + 9 * 3600))
    page = dom((folder / "status.html").as_uri() + "#A-001", lang="ja")
    assert 'data-stale="1"' in page
    assert f"更新停止 {stamp}" in page
    assert own(page)[0] == "stale"
    assert 'id="current" class="hide"' in page  # the lanes and calls are hidden


def test_a_closed_day_says_so(node: Node, now_clock: FakeClock, tmp_path: Path) -> None:
    ClosureService(node).add(Actor("sm", "site_manager"), node.today(), "設備点検")
    folder = tmp_path / "web"
    folder.mkdir()
    publish(node, folder)
    page = dom((folder / "status.html").as_uri())
    assert re.search(r'id="reception" data-state="closed"', page)
    assert "The center is closed today." in page and "設備点検" in page
    assert 'id="queue" class="hide"' in page  # no empty lanes saying "soon"
    assert reception(page) == ["The center is closed today.", "Ad-hoc closure: 設備点検"]
    japanese = reception(dom((folder / "status.html").as_uri(), lang="ja"))
    assert japanese[1] == "臨時閉庁: 設備点検"
