"""ESC/POS: the same layout as raster parts, with the printer's own QR command."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy

from app.core.actor import Actor
from app.core.node import Node
from app.printing.escpos_printer import EscposPrinter, split_at_qr
from app.printing.jobs import print_and_record, reprint_queue
from app.printing.layout import QR, layout, qr_payload, ticket_content
from app.printing.printers import printer_for
from app.queue.tickets import TicketService

QR_STORE = b"\x1d(k"  # GS ( k: the native QR command family


def test_the_ticket_prints_as_raster_with_a_native_qr(node: Node, floor: Actor) -> None:
    t = TicketService(node).issue(floor, "pin", "self")
    device = Dummy()
    result = print_and_record(node, floor, t["ticket_id"], EscposPrinter("dummy", device))
    assert result.ok, result.message
    out = device.output
    payload = qr_payload(t["ticket_id"], t["number"]).encode()
    assert out.count(QR_STORE) >= 4 and payload in out  # model, size, level, data, print
    assert out.count(b"\x1dv0") == 2  # two raster images: above and below the QR
    assert out.rstrip().endswith(b"\x1dVA\x00") or b"\x1dV" in out[-8:]  # the paper is cut


def test_the_layout_splits_around_the_qr_without_losing_anything(node: Node, floor: Actor) -> None:
    t = TicketService(node).issue(floor, "pin", "self")
    prims, height = layout(ticket_content(node, t))
    parts = split_at_qr(prims, height)
    kinds = [p[0] for p in parts]
    assert kinds == ["raster", "qr", "raster"]
    assert isinstance(parts[1][1], QR)
    assert len(parts[0][1]) + len(parts[2][1]) == len(prims) - 1
    assert all(getattr(p, "y_mm", getattr(p, "y1_mm", 0)) >= 0 for p in parts[2][1])


def test_an_unreachable_escpos_printer_fails_calmly(node: Node, floor: Actor) -> None:
    class Offline(Dummy):  # type: ignore[misc]
        def image(self, *args: object, **kwargs: object) -> None:
            raise OSError("connection refused")

    t = TicketService(node).issue(floor, "pin", "self")
    result = print_and_record(node, floor, t["ticket_id"], EscposPrinter("dummy", Offline()))
    assert not result.ok and "ESC/POS プリンタに接続できません" in result.message
    assert [r["number"] for r in reprint_queue(node)] == [t["number"]]


@pytest.mark.parametrize("setting", ["escpos:net:127.0.0.1:9", "escpos:usb:04b8:0202"])
def test_printer_setting_names_an_escpos_printer(setting: str) -> None:
    printer = printer_for(setting)
    assert isinstance(printer, EscposPrinter) and printer.target == setting.split(":", 1)[1]
