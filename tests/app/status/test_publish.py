"""The public status: what it says, that nothing personal is in it, and how it is written."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.queue.pauses import PauseService
from app.queue.tickets import TicketService
from app.reservations.bookings import ReservationService
from app.status.page import render_page
from app.status.publish import StatusPublisher, publish, write_atomic
from app.status.snapshot import build_status, public_text
from app.sync.loop import SyncLoop
from tests.helpers.clock import OPEN_DAY, FakeClock

#: A valid My Number (check digit 8) and contact data a site manager might type by mistake.
MY_NUMBER = "123456789018"


def _busy(node: Node, floor: Actor, clerk: Actor) -> dict[str, str]:
    tickets = TicketService(node)
    bookings = ReservationService(node)
    bookings.book(SYSTEM, "R20261124099", OPEN_DAY, "11:00", "issuance", "self",
                  name_kana="ヨコスカ タロウ")  # fmt: skip
    reserved = tickets.issue(floor, "issuance", "self", reservation_id="R20261124099")
    first = tickets.issue(floor, "certificate", "self")
    second = tickets.issue(floor, "pin", "self")
    tickets.call(clerk, first["number"])
    return {"reserved": reserved["ticket_id"], "first": first["ticket_id"],
            "second": second["ticket_id"], "second_number": second["number"]}  # fmt: skip


def test_the_status_says_what_waits_and_who_is_called(
    node: Node, floor: Actor, clerk: Actor, clock: FakeClock
) -> None:
    _busy(node, floor, clerk)
    status = build_status(node)
    lanes = {lane["id"]: lane for lane in status["lanes"]}
    assert lanes["general"]["waiting"] == 1
    assert lanes["general"]["tickets"] == [["A-002", 1, 30]]  # behind K-001 (30 min)
    assert lanes["reserved"]["tickets"][0][:2] == ["K-001", 0]
    assert status["calls"] == [{"number": "A-001", "counter": "1", "now": True}]
    assert status["reception"]["state"] == "open" and status["reception"]["hours"]
    assert (
        lanes["general"]["name"]["zh"] == "一般窗口"
        and lanes["general"]["name"]["ja"] == "一般窓口"
    )
    assert status["updated"] == "11:00" and status["day"] == OPEN_DAY.isoformat()


def test_nothing_personal_reaches_the_files_byte_for_byte(
    node: Node, floor: Actor, clerk: Actor, tmp_path: Path
) -> None:
    ids = _busy(node, floor, clerk)
    manager = Actor("sm", "site_manager")
    PauseService(node).pause(manager, "pin", "端末故障 連絡先 045-822-1234")
    PauseService(node).pause(manager, "loss", "担当者不在")
    folder = tmp_path / "web"
    folder.mkdir()
    publish(node, folder)
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert set(files) == {"status.json", "status.html"}
    secrets_ = [*ids.values(), "R20261124099", "ヨコスカ", "タロウ", "045-822-1234",
                "822-1234", "職員 cl", "職員 fm", MY_NUMBER]  # fmt: skip
    for name, data in files.items():
        for secret in (s for s in secrets_ if s != ids["second_number"]):
            for encoding in ("utf-8", "utf-16-le", "unicode_escape"):
                assert secret.encode(encoding) not in data, (name, secret, encoding)
    status = json.loads(files["status.json"])
    reasons = [p["reason"] for p in status["reception"]["paused"]]
    assert reasons == [None, "担当者不在"] or sorted(map(str, reasons)) == ["None", "担当者不在"]


def test_the_privacy_guard_keeps_personal_data_out_of_published_texts() -> None:
    assert public_text("J-LIS 障害のため") == "J-LIS 障害のため"
    assert public_text(f"番号 {MY_NUMBER} の方") is None
    assert public_text("問い合わせ 045-822-1234") is None
    assert public_text("taro@example.jp に連絡") is None


def test_the_page_carries_every_language_and_the_status(node: Node) -> None:
    page = render_page(build_status(node))
    assert "更新停止 {time}" in page and "Cập nhật lúc {time}" in page and "대기 현황" in page
    assert "/*STATUS*/" not in page and "https://" not in page and "http://" not in page
    assert "<link" not in page and "src=" not in page  # nothing from outside


def test_a_reader_never_sees_half_a_file(tmp_path: Path) -> None:
    target = tmp_path / "status.json"
    big = [json.dumps({"n": n, "pad": "x" * 200_000}).encode() for n in range(2)]
    write_atomic(target, big[0])
    stop = threading.Event()
    seen: list[bytes] = []

    def read() -> None:
        while not stop.is_set():
            seen.append(target.read_bytes())

    reader = threading.Thread(target=read)
    reader.start()
    for n in range(60):
        write_atomic(target, big[n % 2])
    stop.set()
    reader.join()
    assert seen and all(data in big for data in seen)
    assert [p.name for p in tmp_path.iterdir()] == ["status.json"]  # no temporary left


def test_the_sync_round_publishes_on_the_publishing_pc(
    node: Node, floor: Actor, tmp_path: Path
) -> None:
    folder = tmp_path / "web"
    loop = SyncLoop(node)
    assert loop.round().published == 0  # not a publishing PC
    loop.publisher = StatusPublisher(node, folder)
    assert "見つかりません" in loop.round().status_error  # the folder is missing: reported
    folder.mkdir()
    loop.publisher = StatusPublisher(node, folder)
    first = loop.round()
    assert first.published == node.now_ms() and (folder / "status.html").exists()
    TicketService(node).issue(floor, "pin", "self")
    assert loop.round().published == 0  # within the interval: not again
    loop.publisher._last = None  # the interval has passed
    assert loop.round().published
    assert json.loads((folder / "status.json").read_bytes())["lanes"][1]["waiting"] == 1


@pytest.mark.parametrize("value", ["16", "0"])
def test_the_interval_is_at_most_15_seconds(tmp_path: Path, value: str) -> None:
    from app.core.settings import SettingsError, load_settings

    site = tmp_path / "site.toml"
    site.write_text(f"[status]\ninterval_seconds = {value}\n", encoding="utf-8")
    with pytest.raises(SettingsError):
        load_settings(site)
