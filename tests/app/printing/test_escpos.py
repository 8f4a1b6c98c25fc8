"""ESC/POS: the same layout as raster parts, with the printer's own QR command."""

from __future__ import annotations

from pathlib import Path

import pytest
from escpos.printer import Dummy

from app.core.actor import Actor
from app.core.node import Node
from app.core.settings import SettingsError, load_settings
from app.printing.escpos_printer import EscposPrinter, split_at_qr
from app.printing.jobs import TicketPrinting, print_and_record, reprint_queue
from app.printing.layout import QR, ROLLS, Roll, layout, qr_payload, ticket_content
from app.printing.printers import printer_for
from app.queue.tickets import TicketService
from tests.helpers.clock import FakeClock

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


# -- the byte stream, parsed ------------------------------------------------------------------


def commands(stream: bytes) -> list[tuple[str, bytes]]:
    """Splits an ESC/POS stream into (command, its bytes); fails on anything unknown."""
    out, i = [], 0
    while i < len(stream):
        head = stream[i : i + 2]
        if head == b"\x1b@":
            out.append(("ESC @", b""))
            i += 2
        elif head in (b"\x1ba", b"\x1bd"):
            out.append(("ESC a" if head == b"\x1ba" else "ESC d", stream[i + 2 : i + 3]))
            i += 3
        elif stream[i : i + 3] == b"\x1d(k":
            size = stream[i + 3] + 256 * stream[i + 4]
            out.append(("GS ( k", stream[i + 5 : i + 5 + size]))
            i += 5 + size
        elif stream[i : i + 3] == b"\x1dv0":
            width, height = stream[i + 4] + 256 * stream[i + 5], stream[i + 6] + 256 * stream[i + 7]
            out.append(("GS v 0", stream[i + 4 : i + 8 + width * height]))
            i += 8 + width * height
        elif head == b"\x1dV":
            extra = 2 if stream[i + 2] in (65, 66) else 1
            out.append(("GS V", stream[i + 2 : i + 2 + extra]))
            i += 2 + extra
        else:
            raise AssertionError(f"unknown ESC/POS bytes at {i}: {stream[i : i + 8]!r}")
    return out


def ink_columns(raster: bytes) -> tuple[int, int, int]:
    """Returns a GS v 0 image's width in dots and its first and last inked column."""
    width_bytes, height = raster[0] + 256 * raster[1], raster[2] + 256 * raster[3]
    rows = [raster[4 + r * width_bytes : 4 + (r + 1) * width_bytes] for r in range(height)]
    inked = [
        x for x in range(width_bytes * 8) if any(row[x // 8] & (0x80 >> (x % 8)) for row in rows)
    ]
    return width_bytes * 8, min(inked), max(inked)


@pytest.mark.parametrize("roll", [ROLLS[80], ROLLS[58]], ids=["80mm", "58mm"])
def test_the_stream_resets_fits_the_printable_width_and_has_a_sturdy_qr(
    node: Node, floor: Actor, roll: Roll
) -> None:
    t = TicketService(node).issue(floor, "pin", "self")
    device = Dummy()
    prims, height = layout(ticket_content(node, t), roll)
    EscposPrinter("dummy", device, roll).print_layout(
        prims, height, qr_payload(t["ticket_id"], t["number"])
    )
    parsed = commands(device.output)
    assert parsed[0] == ("ESC @", b"")  # starts with a reset
    assert parsed[-1][0] == "GS V"  # and ends with the cut
    rasters = [body for name, body in parsed if name == "GS v 0"]
    assert len(rasters) == 2
    for raster in rasters:
        width, first, last = ink_columns(raster)
        assert width == roll.dots  # 576 dots on 80 mm, 384 on 58 mm: nothing past the head
        assert first >= 0 and last <= roll.dots - 1
    # The rules run across the whole printable width: nothing was shifted off the head.
    assert ink_columns(rasters[0])[1] <= 16 and ink_columns(rasters[0])[2] >= roll.dots - 17
    qr = [body for name, body in parsed if name == "GS ( k"]
    level = next(body for body in qr if body[:2] == b"1E")  # cn 49, fn 69: error correction
    assert level[2] >= 0x31  # M (0x31) or better; L (0x30) would not survive a crease
    assert any(body == b"1P0" + qr_payload(t["ticket_id"], t["number"]).encode() for body in qr)


def test_the_setting_of_a_58mm_roll_reaches_the_escpos_printer(
    tmp_path: Path, clock: FakeClock
) -> None:
    (tmp_path / "n").mkdir()
    (tmp_path / "n" / "site.toml").write_text("[printing]\nroll_mm = 58\n", encoding="utf-8")
    node = Node(tmp_path / "n", wall_ms=clock)
    node.initialise(site_id="test", name="reception", role="reception",
                    printer="escpos:net:127.0.0.1:9")  # fmt: skip
    printer = TicketPrinting(node).printer()
    assert isinstance(printer, EscposPrinter) and printer.roll.dots == 384
    node.close()
    (tmp_path / "n" / "site.toml").write_text("[printing]\nroll_mm = 60\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="58 か 80"):
        load_settings(tmp_path / "n" / "site.toml")
