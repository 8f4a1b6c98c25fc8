"""The printed ticket: content, one layout, PDF and PNG output, printers that fail calmly."""

from __future__ import annotations

import errno
import io
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.staff import StaffService
from app.printing.layout import (
    MARGIN_MM,
    PAPER_WIDTH_MM,
    QR,
    Line,
    Text,
    TicketContent,
    layout,
    text_width_mm,
    ticket_content,
)
from app.printing.printers import (
    NullPrinter,
    PdfFolderPrinter,
    PrinterError,
    print_ticket,
    printer_for,
)
from app.printing.render import render_pdf, render_png
from app.queue.modes import ModeService
from app.queue.tickets import TicketService
from app.reservations.bookings import ReservationService
from tests.helpers.clock import OPEN_DAY, FakeClock

A4_HEIGHT_MM = 297.0


@pytest.fixture
def svc(node: Node) -> TicketService:
    return TicketService(node)


def _pdf_and_png(node: Node, row: dict[str, object]) -> tuple[TicketContent, bytes, bytes]:
    content = ticket_content(node, row)
    prims, height = layout(content)
    return content, render_pdf(prims, height), render_png(prims, height)


def _pdf_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _decode_qr(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("L")
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found]


def _reserve(node: Node, rid: str, slot: str) -> None:
    ReservationService(node).book(
        SYSTEM, rid, OPEN_DAY, slot, "issuance", "self", "ヨコスカ ハナコ"
    )


def _serve(svc: TicketService, clerk: Actor, clock: FakeClock, ref: str, minutes: float) -> None:
    svc.call(clerk, ref)
    svc.start(clerk, ref)
    clock.advance(minutes=minutes)
    svc.done(clerk, ref)


# -- the PDF ------------------------------------------------------------------------------------


def test_pdf_is_an_80mm_roll_ticket_not_a4(node: Node, svc: TicketService, floor: Actor) -> None:
    row = svc.issue(floor, "certificate", "self")
    content = ticket_content(node, row)
    prims, height = layout(content)
    page = PdfReader(io.BytesIO(render_pdf(prims, height))).pages[0]
    width_mm = float(page.mediabox.width) * 25.4 / 72
    height_mm = float(page.mediabox.height) * 25.4 / 72
    assert width_mm == pytest.approx(80.0, abs=0.01)
    assert height_mm == pytest.approx(height, abs=0.01)
    assert 100 < height_mm < A4_HEIGHT_MM


def test_pdf_embeds_ipaex_gothic_and_draws_the_qr_as_vectors(
    node: Node, svc: TicketService, floor: Actor
) -> None:
    _, pdf, _ = _pdf_and_png(node, svc.issue(floor, "certificate", "self"))
    assert b"/FontFile2" in pdf
    assert re.search(rb"/BaseFont /[A-Z]{6}\+IPAexGothic", pdf)  # a subset, embedded
    assert b"/Helvetica" not in pdf  # no font the PC would have to substitute
    assert b"/Subtype /Image" not in pdf  # the QR code is rectangles, not an image


def test_pdf_text_is_japanese_and_english(node: Node, svc: TicketService, floor: Actor) -> None:
    content, pdf, _ = _pdf_and_png(node, svc.issue(floor, "certificate", "self"))
    text = _pdf_text(pdf)
    for expected in ("横須賀市マイナンバーカードセンター", "電子証明書の新規発行・更新",
                     "E-certificate issue / renewal", "一般窓口（委託）", "本人",
                     content.number, "本日の開庁時間  10:30–18:30", "発券  2026年11月24日（火） 11:00"):  # fmt: skip
        assert expected in text


# -- the QR code --------------------------------------------------------------------------------


def test_png_qr_decodes_to_exactly_id_and_number(
    node: Node, svc: TicketService, floor: Actor
) -> None:
    _reserve(node, "R0100", "11:00")
    row = svc.issue(floor, "issuance", "self", reservation_id="R0100")
    content, pdf, png = _pdf_and_png(node, row)
    expected = f"MDG1|{row['ticket_id']}|{row['number']}"
    assert content.qr_payload == expected
    assert _decode_qr(png) == [expected]
    image = Image.open(io.BytesIO(png))
    assert image.size[0] == round(80 / 25.4 * 203) and image.mode == "1"
    assert "ヨコスカ" not in _pdf_text(pdf) and "R0100" not in _pdf_text(pdf)


def test_png_qr_decodes_for_a_long_ticket_id(node: Node, svc: TicketService, floor: Actor) -> None:
    row = svc.issue(floor, "pin", "agent")
    content = ticket_content(node, row)
    long = replace(content, ticket_id="f" * 12 + "-123456", number="C-1999",
                   qr_payload=f"MDG1|{'f' * 12}-123456|C-1999")  # fmt: skip
    prims, height = layout(long)
    assert _decode_qr(render_png(prims, height)) == ["MDG1|ffffffffffff-123456|C-1999"]


# -- people ahead and the estimated wait ---------------------------------------------------------


def test_wait_before_any_service_uses_the_catalog_times(
    node: Node, svc: TicketService, floor: Actor
) -> None:
    svc.issue(floor, "certificate", "self")  # 25 min, general lane
    svc.issue(floor, "face_auth", "self")  # city lane: not ahead in the general lane
    svc.issue(floor, "pin", "self")  # 10 min, general lane
    mine = svc.issue(floor, "certificate", "legal")
    content = ticket_content(node, mine)
    assert content.people_ahead == 2
    assert content.estimated_wait_minutes == 35
    assert ticket_content(node, mine, counters=2).estimated_wait_minutes == 18  # 17.5 rounded up
    first = ticket_content(node, svc.get("A-001"))
    assert (first.people_ahead, first.estimated_wait_minutes) == (0, 0)
    with pytest.raises(ValueError, match="counters"):
        ticket_content(node, mine, counters=0)


def test_wait_uses_the_lanes_recent_service_times(
    node: Node, svc: TicketService, floor: Actor, clerk: Actor, clock: FakeClock
) -> None:
    for _ in range(5):
        svc.issue(floor, "certificate", "self")  # A-001 … A-005
    city = svc.issue(floor, "face_auth", "self")
    _serve(svc, clerk, clock, "A-001", 10)
    _serve(svc, clerk, clock, "A-002", 20)
    _serve(svc, clerk, clock, city["number"], 60)  # another lane's history does not count
    mine = svc.issue(floor, "pin", "self")  # A-006, behind A-003 … A-005
    content = ticket_content(node, mine)
    assert content.people_ahead == 3
    assert content.estimated_wait_minutes == 45  # 3 × mean(10, 20)
    svc.call(clerk, "A-003")  # called: no longer waiting, no longer ahead
    assert ticket_content(node, mine).people_ahead == 2
    assert ticket_content(node, svc.get("A-003")).people_ahead == 0
    text = _pdf_text(render_pdf(*layout(ticket_content(node, mine))))
    assert "2人" in text and "約30分" in text and "about 30 min" in text


def test_reserved_ticket_shows_its_slot_and_walk_in_does_not(
    node: Node, svc: TicketService, floor: Actor, clock: FakeClock
) -> None:
    _reserve(node, "R0200", "11:30")
    clock.set(OPEN_DAY, time(11, 20))
    reserved = ticket_content(node, svc.issue(floor, "issuance", "self", reservation_id="R0200"))
    walk_in = ticket_content(node, svc.issue(floor, "certificate", "self"))
    assert reserved.slot == "11:30–12:00" and walk_in.slot is None
    assert reserved.issued_at == "11:20"
    assert "ご予約  11:30–12:00" in _pdf_text(render_pdf(*layout(reserved)))
    assert "ご予約" not in _pdf_text(render_pdf(*layout(walk_in)))


def test_a_late_check_in_says_how_it_will_be_called(
    node: Node, svc: TicketService, floor: Actor, clock: FakeClock
) -> None:
    _reserve(node, "R0300", "11:00")
    clock.set(OPEN_DAY, time(11, 50))  # the slot and its 15 minutes of grace are over
    row = svc.issue(floor, "issuance", "self", reservation_id="R0300", confirm_late=True)
    late = ticket_content(node, row)
    assert late.late and late.slot == "11:00–11:30"
    text = _pdf_text(render_pdf(*layout(late)))
    assert "ご予約  11:00–11:30" in text
    joined = "".join(text.split())  # the sentences wrap on a narrow roll
    assert "遅れての受付のため、一般の方と同じ順番でお呼びします" in joined
    assert "calledinturnwithwalk-invisitors" in joined


def test_weekend_ticket_shows_weekend_hours(
    node: Node, svc: TicketService, floor: Actor, clock: FakeClock
) -> None:
    clock.set(date(2026, 11, 28), time(9, 30))  # a Saturday: 09:00–17:00
    content = ticket_content(node, svc.issue(floor, "pin", "self"))
    assert content.hours == "09:00–17:00"
    assert content.issued_date == date(2026, 11, 28)


# -- the layout ---------------------------------------------------------------------------------


def _boxes(prims: list[Text | Line | QR]) -> list[tuple[float, float, float, float, object]]:
    """Returns (left, top, right, bottom, primitive) of every text line and QR code."""
    boxes: list[tuple[float, float, float, float, object]] = []
    for p in prims:
        if isinstance(p, Text):
            width = text_width_mm(p.text, p.size_pt)
            left = {"left": p.x_mm, "center": p.x_mm - width / 2, "right": p.x_mm - width}[p.align]
            em = p.size_pt * 25.4 / 72
            boxes.append((left, p.y_mm - 0.88 * em, left + width, p.y_mm + 0.12 * em, p))
        elif isinstance(p, QR):
            boxes.append((p.x_mm, p.y_mm, p.x_mm + p.size_mm, p.y_mm + p.size_mm, p))
    return boxes


@pytest.mark.parametrize("number", ["A-001", "A-1012", "AB-999999"])
def test_layout_fits_the_roll_and_nothing_overlaps(
    node: Node, svc: TicketService, floor: Actor, number: str
) -> None:
    _reserve(node, "R0300", "11:00")
    content = ticket_content(node, svc.issue(floor, "issuance", "self", reservation_id="R0300"))
    long = replace(content, number=number, people_ahead=123, estimated_wait_minutes=1234,
                   procedure_ja="顔認証マイナンバーカードへの切替と長い長い手続の名前" * 2,
                   procedure_2="A very long English procedure name " * 4)  # fmt: skip
    prims, height = layout(long)
    texts = [p for p in prims if isinstance(p, Text)]
    big = next(t for t in texts if t.text == number)  # on one line
    assert big.bold and big.size_pt == max(t.size_pt for t in texts)
    assert big.size_pt >= (40 if len(number) <= 6 else 30)  # absurd numbers shrink to fit
    assert len([t for t in texts if t.text.startswith("顔認証")]) == 1  # wrapped onto more lines
    boxes = _boxes(prims)
    for left, top, right, bottom, p in boxes:
        assert left >= MARGIN_MM - 0.01 and right <= PAPER_WIDTH_MM - MARGIN_MM + 0.01, p
        assert top > 0 and bottom < height, p
    for i, (l1, t1, r1, b1, p1) in enumerate(boxes):
        for l2, t2, r2, b2, p2 in boxes[i + 1 :]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, (p1, p2)
    for rule in (p for p in prims if isinstance(p, Line)):
        assert all(b <= rule.y1_mm or t >= rule.y1_mm for _, t, _, b, _ in boxes), rule
    qr = next(p for p in prims if isinstance(p, QR))
    assert len(qr.matrix) == len(qr.matrix[0]) >= 21
    assert height < A4_HEIGHT_MM


# -- printers -----------------------------------------------------------------------------------


def test_pdf_folder_printer_writes_a_new_file_per_print(tmp_path: Path) -> None:
    printer = PdfFolderPrinter(tmp_path, today=lambda: OPEN_DAY)
    printer.print_ticket(b"%PDF-first", b"png", "A-001-abc123-4")
    printer.print_ticket(b"%PDF-reprint", b"png", "A-001-abc123-4")
    day = tmp_path / "2026-11-24"
    assert (day / "A-001-abc123-4.pdf").read_bytes() == b"%PDF-first"
    assert (day / "A-001-abc123-4-2.pdf").read_bytes() == b"%PDF-reprint"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda tmp: tmp / "gone" / "tickets", "見つかりません"),
        (lambda tmp: tmp / "file.txt", "フォルダではありません"),
    ],
)
def test_pdf_folder_printer_refuses_a_missing_or_file_path(
    tmp_path: Path, make: Callable[[Path], Path], says: str
) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    printer = PdfFolderPrinter(make(tmp_path), today=lambda: OPEN_DAY)
    with pytest.raises(PrinterError, match=says) as caught:
        printer.print_ticket(b"%PDF", b"png", "A-001-x")
    assert "確認してください" in caught.value.message_ja


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "書き込めません（権限がありません）"),
        (OSError(errno.ENOSPC, "No space left on device"), "ディスクがいっぱいです"),
        (OSError(errno.EIO, "Input/output error"), "接続を確認してください"),
    ],
)
def test_pdf_folder_printer_write_errors_become_calm_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, says: str
) -> None:
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise error

    printer = PdfFolderPrinter(tmp_path, today=lambda: OPEN_DAY)
    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(PrinterError, match=re.escape(says)):
        printer.print_ticket(b"%PDF", b"png", "A-001-x")
    assert not list((tmp_path / "2026-11-24").iterdir())


def test_printer_for_settings(tmp_path: Path) -> None:
    assert isinstance(printer_for("none"), NullPrinter)
    assert isinstance(printer_for(""), NullPrinter)
    folder = printer_for(f"pdf:{tmp_path}")
    assert isinstance(folder, PdfFolderPrinter) and folder.folder == tmp_path
    with pytest.raises(PrinterError, match="出力先フォルダがありません"):
        printer_for("pdf:")
    for unknown in ("lpt:1", "system:TM-T88"):
        with pytest.raises(PrinterError, match=re.escape(repr(unknown))):
            printer_for(unknown)
    seen: list[str] = []

    def system(name: str) -> NullPrinter:
        seen.append(name)
        return NullPrinter()

    assert isinstance(printer_for("system:TM-T88", schemes={"system": system}), NullPrinter)
    assert seen == ["TM-T88"]


def _node_with_printer(tmp_path: Path, clock: FakeClock, setting: str) -> Node:
    node = Node(tmp_path / "printing-node", wall_ms=clock)
    node.initialise(site_id="test", name="reception", role="reception", printer=setting)
    StaffService(node).add(SYSTEM, "fm", "職員 fm", "floor_manager", "1111")
    return node


def test_print_ticket_writes_the_pdf_of_the_nodes_printer(
    tmp_path: Path, clock: FakeClock, floor: Actor
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    node = _node_with_printer(tmp_path, clock, f"pdf:{out}")
    row = TicketService(node).issue(floor, "certificate", "self")
    result = print_ticket(node, row["ticket_id"])
    node.close()
    assert result.ok and row["number"] in result.message
    written = out / "2026-11-24" / f"{row['number']}-{row['ticket_id']}.pdf"
    assert written.read_bytes() == result.pdf and result.pdf.startswith(b"%PDF")
    assert _decode_qr(result.png) == [f"MDG1|{row['ticket_id']}|{row['number']}"]


def test_print_ticket_never_raises_when_the_printer_fails(
    tmp_path: Path, clock: FakeClock, floor: Actor
) -> None:
    node = _node_with_printer(tmp_path, clock, f"pdf:{tmp_path / 'unplugged'}")
    row = TicketService(node).issue(floor, "certificate", "self")
    result = print_ticket(node, row["ticket_id"])
    assert not result.ok
    assert "見つかりません" in result.message and "手書き" in result.message
    assert row["number"] in result.message
    assert result.pdf.startswith(b"%PDF") and result.png.startswith(b"\x89PNG")
    assert TicketService(node).get(row["ticket_id"])["state"] == "waiting"  # still issued
    node.close()


def test_print_ticket_survives_a_broken_backend(
    node: Node, svc: TicketService, floor: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        def print_ticket(self, pdf: bytes, png: bytes, name: str) -> None:
            raise RuntimeError("driver crashed")

    row = svc.issue(floor, "pin", "self")
    with caplog.at_level(logging.ERROR, logger="app.printing.printers"):
        result = print_ticket(node, row["ticket_id"], printer=Broken())
    assert not result.ok and "予期しないエラー" in result.message
    assert "driver crashed" in caplog.text


def test_print_ticket_reports_an_unknown_printer_setting(
    tmp_path: Path, clock: FakeClock, floor: Actor
) -> None:
    node = _node_with_printer(tmp_path, clock, "usb:COM3")
    row = TicketService(node).issue(floor, "pin", "self")
    result = print_ticket(node, row["number"])
    node.close()
    assert not result.ok and "'usb:COM3'" in result.message


def test_the_ticket_bench_measures_real_work(tmp_path: Path) -> None:
    from tests.bench import bench_ticket

    taps, rasters = bench_ticket.tap_latency(tmp_path / "bench", 3, render=True)
    assert len(taps) == len(rasters) == 3 and all(ms > 0 for ms in taps + rasters)
    bare, none = bench_ticket.tap_latency(tmp_path / "bare", 2, render=False)
    assert len(bare) == 2 and none == []


def test_the_ticket_says_the_operating_mode_when_it_is_not_normal(
    node: Node, svc: TicketService, floor: Actor
) -> None:
    row = svc.issue(floor, "loss", "self")
    assert ticket_content(node, row).mode is None
    assert "運転モード" not in _pdf_text(_pdf_and_png(node, row)[1])
    ModeService(node).start(Actor("sm", "site_manager"), "jlis", "J-LIS 障害")
    row = svc.issue(floor, "loss", "self")
    content, pdf, _ = _pdf_and_png(node, row)
    assert content.mode == ("運転モード: J-LIS停止（一部の手続の受付を休止しています）",
                            "Operating mode: J-LIS down (some procedures are not taken now)")  # fmt: skip
    text = _pdf_text(pdf)
    assert "運転モード: J-LIS停止" in text and "Operating mode: J-LIS down" in text


def test_a_priority_ticket_says_priority_but_not_why(
    node: Node, svc: TicketService, floor: Actor
) -> None:
    row = svc.issue(floor, "pin", "self", priority_reason="pregnant")
    content, pdf, _ = _pdf_and_png(node, row)
    text = _pdf_text(pdf)
    assert content.priority and "優先案内" in text and "Priority" in text
    assert "妊娠" not in text and "regnant" not in text


def test_a_ticket_of_several_procedures_names_them_and_where_the_visit_goes_next(
    node: Node, svc: TicketService, floor: Actor
) -> None:
    row = svc.issue(floor, "certificate", "self", others=("face_auth", "pin"))
    content, pdf, png = _pdf_and_png(node, row)
    assert content.others == (("暗証番号の初期化・再設定", "PIN reset / initialisation"),
                              ("顔認証マイナンバーカードへの切替",
                               "Switch to a face-authentication card"))  # fmt: skip
    assert content.then_lane == ("市窓口", "City counter")
    text = _pdf_text(pdf)
    assert "＋ 暗証番号の初期化・再設定" in text and "続けて市窓口へご案内します" in text
    assert _decode_qr(png) == [content.qr_payload]
