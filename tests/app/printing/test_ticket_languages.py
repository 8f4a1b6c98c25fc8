"""A ticket in the visitor's language: chosen at issue, kept with the ticket, printed again
the same way; and its QR code leading to the status page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from app.core.actor import Actor
from app.core.i18n import tr
from app.core.node import Node
from app.core.settings import load_settings
from app.printing.layout import layout, scanned_ticket, ticket_content
from app.printing.printers import PdfFolderPrinter, print_ticket
from app.printing.render import render_pdf, render_png
from app.queue.tickets import TicketError, TicketService
from tests.helpers.clock import OPEN_DAY


def _pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _printed(folder: Path) -> list[str]:
    return [
        _pdf_text(p.read_bytes()) for p in sorted((folder / OPEN_DAY.isoformat()).glob("*.pdf"))
    ]


def test_the_language_is_kept_with_the_ticket_and_every_print_uses_it(
    node: Node, floor: Actor, tmp_path: Path
) -> None:
    tickets = TicketService(node)
    row = tickets.issue(floor, "certificate", "self", lang="zh")
    issued = [e for e in node.store.ticket_events(row["ticket_id"]) if e.type == "ticket.issued"]
    assert issued[0].payload["lang"] == "zh"
    assert tickets.language(row["number"]) == "zh"
    japanese, chinese, english = (tr(c, "ticket", "Your number") for c in ("ja", "zh", "en"))
    assert len({japanese, chinese, english}) == 3
    out = tmp_path / "printed"
    out.mkdir()
    printer = PdfFolderPrinter(out, node.today)
    assert print_ticket(node, row["ticket_id"], printer).ok
    assert print_ticket(node, row["ticket_id"], printer).ok  # a reprint, as F6 does it
    first, reprint = _printed(out)
    for text in (first, reprint):
        assert chinese in text and japanese in text and english not in text
    pdf = next((out / OPEN_DAY.isoformat()).glob("*.pdf")).read_bytes()
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSansCJKsc", pdf)  # embedded


def test_a_ticket_without_a_language_is_japanese_and_english(node: Node, floor: Actor) -> None:
    tickets = TicketService(node)
    row = tickets.issue(floor, "certificate", "self")
    issued = [e for e in node.store.ticket_events(row["ticket_id"]) if e.type == "ticket.issued"]
    assert "lang" not in issued[0].payload and tickets.language(row["ticket_id"]) == "ja"
    content = ticket_content(node, row)
    assert content.lang_2 == "en" and content.procedure_2 == "E-certificate issue / renewal"


def test_a_language_the_program_lacks_is_refused(node: Node, floor: Actor) -> None:
    tickets = TicketService(node)
    with pytest.raises(TicketError, match="xx"):
        tickets.issue(floor, "certificate", "self", lang="xx")
    assert tickets.tickets() == []


def test_a_transferred_visitor_keeps_the_language(node: Node, floor: Actor, clerk: Actor) -> None:
    tickets = TicketService(node)
    row = tickets.issue(floor, "certificate", "self", lang="vi")
    tickets.call(clerk, row["ticket_id"])
    tickets.start(clerk, row["ticket_id"])
    moved = tickets.transfer(clerk, row["ticket_id"], "city", "市の窓口で")
    assert moved["ticket_id"] != row["ticket_id"]
    assert tickets.language(moved["ticket_id"]) == "vi"
    assert ticket_content(node, moved).lang_2 == "vi"


def test_the_qr_code_leads_to_the_page_and_still_names_the_ticket(node: Node, floor: Actor) -> None:
    (node.data_dir / "site.toml").write_text(
        '[status]\nbase_url = "https://www.example.jp/madoguchi/"\n', encoding="utf-8"
    )
    node.settings = load_settings(node.data_dir / "site.toml")
    row = TicketService(node).issue(floor, "certificate", "self", lang="ko")
    prims, height = layout(ticket_content(node, row))
    image = Image.open(io.BytesIO(render_png(prims, height))).convert("L")
    codes = [c.text for c in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    day = OPEN_DAY.strftime("%Y%m%d")
    assert codes == [f"https://www.example.jp/madoguchi/status.html?d={day}#{row['number']}"]
    scanned = scanned_ticket(codes[0])  # the counter's scanner, no network
    assert (scanned.ref, scanned.day) == (row["number"], OPEN_DAY)
    assert scanned_ticket(f"MDG1|{row['ticket_id']}|{row['number']}").ref == row["ticket_id"]
    assert scanned_ticket(" a-2 ").ref == "a-2"  # typed by hand: as it is
    text = _pdf_text(render_pdf(prims, height))
    assert tr("ko", "ticket", "Scan the code to see your turn on your phone.") in text
