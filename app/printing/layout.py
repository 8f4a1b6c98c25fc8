"""The printed ticket: what it says (:class:`TicketContent`) and where (drawing primitives).

One layout feeds every output (design §6): :func:`layout` turns the content into a list of
small primitives in millimetres, and :mod:`app.printing.render` (PDF, PNG) and the Qt printer in
``ui/`` only draw those primitives. Coordinates start at the top-left corner of the ticket;
``y`` grows downwards. Text is measured with the bundled IPAex Gothic, so what fits here fits
in every output.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from app.core.i18n import IPAEX, Msg, data_name, language, tr
from app.core.paths import font_path
from app.model.clock import hhmm, to_datetime
from app.queue.estimate import estimate_for
from app.queue.modes import ModeNow, ModeService
from app.queue.routes import procedures_of, split_here, stops
from app.queue.tickets import TicketService

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

    from app.core.node import Node

FONT_NAME = "IPAexGothic"
PAPER_WIDTH_MM = 80.0
MARGIN_MM = 5.0  # 80 mm roll: 72 mm printable, and content 1 mm inside it
#: Content keeps this far inside the printable width (a head's outermost dots print faint).
INSET_MM = 1.0
QR_SCHEME = "MDG1"
STATUS_PAGE = "status.html"
_SCANNED_NUMBER = re.compile(r"[A-Z]{1,3}-\d{1,5}")
_SCANNED_DAY = re.compile(r"(?:^|&)d=(\d{8})(?:&|$)")
QR_MODULE_MM = 0.875  # 7 dots of a 203 dpi thermal head
QR_MAX_MM = 30.0
PT_MM = 25.4 / 72
_ASCENT, _DESCENT = 0.88, 0.12  # of the em (IPAex Gothic)
_WEEKDAYS_JA = "月火水木金土日"
_TOKEN = re.compile(r"[\x21-\x7e]+ *| +|.")  # an ASCII word with its spaces, or one character

Align = Literal["left", "center", "right"]
#: A priority visitor's mark, and where a visit of several procedures goes next.
PRIORITY = Msg("ticket", "Priority")
THEN = Msg("ticket", "Then to: {lane}, with the same number")


@dataclass(frozen=True)
class Roll:
    """A thermal roll and what its printer prints of it (a 203 dpi head: 8 dots a mm).

    Attributes:
        paper_mm: the paper's width.
        printable_mm: the width the head prints, centred on the paper.
        dots: the head's dots across the printable width (what a raster may be wide).
    """

    paper_mm: float
    printable_mm: float
    dots: int

    @property
    def margin_mm(self) -> float:
        """Returns the unprinted strip on each side of the paper."""
        return (self.paper_mm - self.printable_mm) / 2


#: The rolls a site may set (``printing.roll_mm``): 80 mm prints 72 mm (576 dots), 58 mm
#: prints 48 mm (384 dots).
ROLLS = {80: Roll(80.0, 72.0, 576), 58: Roll(58.0, 48.0, 384)}
ROLL_80 = ROLLS[80]


@dataclass(frozen=True)
class TicketContent:
    """Everything a ticket says, in Japanese and a second language; no personal data (the QR
    holds the status page's address and the number, or the ticket's id and number)."""

    ticket_id: str
    number: str
    procedure_ja: str
    procedure_2: str
    lane_ja: str
    lane_2: str
    applicant_ja: str
    applicant_2: str
    issued_date: date
    issued_at: str  # "HH:MM"
    people_ahead: int
    estimated_wait_minutes: int
    center_ja: str
    center_2: str
    hours: str | None  # today's open hours "10:30–18:30"; None on a closed day
    slot: str | None  # the reservation's slot "11:30–12:00"; None for a walk-in
    qr_payload: str
    #: A reservation checked in too late for its priority: called in turn with walk-ins.
    late: bool = False
    #: The operating mode when the ticket was printed (None: 通常), in Japanese and in the
    #: second language.
    mode: tuple[str, str] | None = None
    #: A priority visitor (優先): the ticket says so, not why.
    priority: bool = False
    #: The visit's other procedures (Japanese, the second language), and the lane it moves
    #: on to for those served elsewhere (the city counter's), if any.
    others: tuple[tuple[str, str], ...] = ()
    then_lane: tuple[str, str] | None = None
    #: The language of the lines under the Japanese ones: the visitor's, English for a
    #: visitor who chose Japanese.
    lang_2: str = "en"
    #: The QR code leads to the public status page (``status.base_url`` is set).
    status_page: bool = False


@dataclass(frozen=True)
class Text:
    """One line of text; ``y_mm`` is its baseline, ``x_mm`` the point ``align`` refers to,
    ``font`` the bundled font file that draws it (``resources/fonts``)."""

    x_mm: float
    y_mm: float
    size_pt: float
    text: str
    bold: bool = False
    align: Align = "left"
    font: str = IPAEX


@dataclass(frozen=True)
class Line:
    """A straight rule from (x1, y1) to (x2, y2)."""

    x1_mm: float
    y1_mm: float
    x2_mm: float
    y2_mm: float
    width_pt: float = 0.75


@dataclass(frozen=True)
class QR:
    """A QR code: top-left corner, side, and its modules (True = dark), quiet zone excluded."""

    x_mm: float
    y_mm: float
    size_mm: float
    matrix: tuple[tuple[bool, ...], ...]


Primitive = Text | Line | QR


def qr_payload(ticket_id: str, number: str, base_url: str = "", day: date | None = None) -> str:
    """Returns what the ticket's QR code encodes.

    With the status page's public address (``status.base_url``),
    ``<base>/status.html?d=20261124#A-012``: a phone opens the page on the visitor's number,
    and the counter's scanner reads the number and its day from it
    (:func:`scanned_ticket`), without any network. The day keeps a ticket kept from another
    day from standing for today's ticket of the same number (the page does not highlight
    it, the counter refuses it). Without the address, ``MDG1|<ticket_id>|<number>``, for
    the counter's scanner only.
    """
    if base_url:
        query = f"?d={day:%Y%m%d}" if day is not None else ""
        return f"{base_url.rstrip('/')}/{STATUS_PAGE}{query}#{number}"
    return f"{QR_SCHEME}|{ticket_id}|{number}"


@dataclass(frozen=True)
class Scanned:
    """What a scanned ticket code names.

    Attributes:
        ref: a ticket id, a display number, or the text itself (typed by hand).
        day: the ticket's day, when the code says it (the status page's address).
    """

    ref: str
    day: date | None = None


def scanned_ticket(text: str) -> Scanned:
    """Returns the ticket a scanned QR code names, or ``text`` itself when it is not a
    ticket's code (a number typed by hand)."""
    text = text.strip()
    if text.startswith(f"{QR_SCHEME}|"):
        return Scanned(text.split("|")[1])
    page, mark, number = text.rpartition("#")
    address, _, query = page.partition("?")
    if mark and address.endswith(f"/{STATUS_PAGE}") and _SCANNED_NUMBER.fullmatch(number):
        found = _SCANNED_DAY.search(query)
        day = None
        if found:
            try:
                day = datetime.strptime(found.group(1), "%Y%m%d").date()
            except ValueError:
                day = None
        return Scanned(number, day)
    return Scanned(text)


def ticket_content(
    node: Node, row: dict[str, Any], counters: int | None = None, lang: str | None = None
) -> TicketContent:
    """Collects what a ticket says.

    People ahead and the estimated wait come from :func:`app.queue.estimate.estimate_for`.

    Args:
        node: the node holding the ticket.
        row: the ticket row (``TicketService.get``).
        counters: how many counters serve the ticket's lane (at least 1); by default
            those serving it now.
        lang: the visitor's language (``app.core.i18n.CODES``): the ticket says everything
            in Japanese and in it (in English when it is Japanese). By default the one
            chosen when the ticket was issued, so a reprint comes out as the first print.

    Returns:
        The ticket's content.

    Raises:
        ValueError: ``counters`` is below 1.
        KeyError: the program has no such language.
    """
    if lang is None:
        lang = TicketService(node).language(row["ticket_id"])
    second = "en" if lang == "ja" else language(lang).code
    catalog = node.catalog
    procedure = catalog.procedure(row["procedure"])
    lane = catalog.lane(row["lane"])
    applicant = catalog.applicants[row["applicant"]]
    estimate = estimate_for(node, row, counters)
    codes = procedures_of(row)
    others = [catalog.procedure(code) for code in codes if code != row["procedure"]]
    _, rest = split_here(catalog, row)
    later = stops(catalog, rest, row["applicant"]) if rest else []
    day = date.fromisoformat(row["day"])
    hours = node.calendar().hours(day)
    slot = None
    if row["reservation_id"] is not None and row["slot_start"] is not None:
        slot_ms = node.settings.reservations.slot_minutes * 60_000
        slot = f"{hhmm(row['slot_start'])}–{hhmm(row['slot_start'] + slot_ms)}"
    site = node.settings.site
    base_url = node.settings.status.base_url
    return TicketContent(
        ticket_id=row["ticket_id"],
        number=row["number"],
        procedure_ja=procedure.name_ja,
        procedure_2=data_name(second, "procedure", procedure.name_ja, procedure.name_en),
        lane_ja=lane.name_ja,
        lane_2=data_name(second, "lane", lane.name_ja, lane.name_en),
        applicant_ja=applicant.name_ja,
        applicant_2=data_name(second, "applicant", applicant.name_ja, applicant.name_en),
        issued_date=to_datetime(row["issued_at"]).date(),
        issued_at=hhmm(row["issued_at"]),
        people_ahead=estimate.people_ahead,
        estimated_wait_minutes=estimate.minutes,
        center_ja=site.name_ja,
        center_2=data_name(second, "site", site.name_ja, site.name_en),
        hours=f"{hours.open:%H:%M}–{hours.close:%H:%M}" if hours else None,
        slot=slot,
        qr_payload=qr_payload(row["ticket_id"], row["number"], base_url, day),
        late=row["reservation_id"] is not None and not row["priority"],
        lang_2=second,
        status_page=bool(base_url),
        mode=_mode_lines(ModeService(node).now(), second),
        priority=row["priority_reason"] is not None,
        others=tuple(
            (p.name_ja, data_name(second, "procedure", p.name_ja, p.name_en)) for p in others
        ),
        then_lane=None
        if not later
        else (
            later[0].lane.name_ja,
            data_name(second, "lane", later[0].lane.name_ja, later[0].lane.name_en),
        ),
    )


def _mode_lines(modes: ModeNow, second: str) -> tuple[str, str] | None:
    ja, other = modes.public_line("ja"), modes.public_line(second)
    return None if ja is None or other is None else (ja, other)


def face_name(font: str) -> str:
    """Returns the name a bundled font file is registered under with reportlab."""
    return FONT_NAME if font == IPAEX else font.rsplit(".", 1)[0]


@functools.cache
def ticket_font(font: str = IPAEX) -> TTFont:
    """Returns a bundled font (IPAex Gothic by default), loaded once and registered with
    reportlab under :func:`face_name`.

    reportlab keeps the subset it embeds per document, so one font object serves every PDF.
    reportlab and qrcode are loaded at the first ticket, not when a window that never prints
    starts.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    loaded = TTFont(face_name(font), str(font_path(font)))
    pdfmetrics.registerFont(loaded)
    return loaded


def text_width_mm(text: str, size_pt: float, font: str = IPAEX) -> float:
    """Returns the width of a line of text in a bundled font."""
    return float(ticket_font(font).stringWidth(text, size_pt)) * PT_MM


def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """Returns the QR modules of a payload (error correction M, no quiet zone)."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


#: Characters a Japanese line never starts with (禁則): they stay at the end of the line
#: before, which then shrinks to fit.
_NO_LINE_START = frozenset("、。，．）」』】〕！？ー・：:;,.)")


def _wrap(text: str, size_pt: float, width_mm: float, font: str = IPAEX) -> list[str]:
    """Breaks text into lines that fit: between ASCII words, or between other characters,
    never before closing punctuation."""
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if token[0] in _NO_LINE_START:
            line += token
        elif line and text_width_mm(line + token.rstrip(), size_pt, font) > width_mm:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


class _Sheet:
    """Lays primitives out from the top down; ``y`` is where the next line's top goes."""

    def __init__(self, width_mm: float, margin_mm: float = MARGIN_MM) -> None:
        self.width = width_mm
        self.left, self.right = margin_mm, width_mm - margin_mm
        self.inner = self.right - self.left
        self.y = 3.0
        self.prims: list[Primitive] = []

    def x_for(self, align: Align) -> float:
        return {"left": self.left, "center": self.width / 2, "right": self.right}[align]

    def text(self, text: str, size: float, *, bold: bool = False, align: Align = "center",
             min_size: float | None = None, width: float | None = None, x: float | None = None,
             gap: float = 0.0, lead: float = 0.2, font: str = IPAEX) -> None:  # fmt: skip
        """Adds text, shrunk down to ``min_size``, then wrapped, to fit ``width``.

        ``gap`` is the space before it in mm, ``lead`` the space below each line in ems.
        """
        width = self.inner if width is None else width
        while min_size is not None and size > min_size and (
                text_width_mm(text, size, font) > width):  # fmt: skip
            size = max(min_size, size - 1)
        lines = _wrap(text, size, width, font)
        while size > 4 and any(text_width_mm(line, size, font) > width for line in lines):
            size -= 0.5  # a word too long for a line of its own: smaller, never cut off
            lines = _wrap(text, size, width, font)
        self.y += gap
        for line in lines:
            baseline = self.y + _ASCENT * size * PT_MM
            at = self.x_for(align) if x is None else x
            self.prims.append(Text(round(at, 3), round(baseline, 3), size, line, bold, align, font))
            self.y = baseline + (_DESCENT + lead) * size * PT_MM

    def rule(self, gap: float = 1.5) -> None:
        self.y += gap
        y = round(self.y, 3)
        self.prims.append(Line(self.left, y, self.right, y))
        self.y += gap


def _date_ja(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS_JA[day.weekday()]}）"


def _figures(sheet: _Sheet, content: TicketContent) -> None:
    """People ahead and the estimated wait, side by side."""
    half = sheet.inner / 2
    second = content.lang_2
    font = language(second).font

    if content.people_ahead:
        minutes = content.estimated_wait_minutes
        wait_ja, wait_2 = (
            tr("ja", "ticket", "about {m} min", m=minutes),
            tr(second, "ticket", "about {m} min", m=minutes),
        )
    else:
        wait_ja, wait_2 = tr("ja", "ticket", "soon"), tr(second, "ticket", "soon")
    columns = (
        (tr("ja", "ticket", "People ahead"), tr(second, "ticket", "People ahead"),
         f"{content.people_ahead}人", ""),
        (tr("ja", "ticket", "Estimated wait"), tr(second, "ticket", "Estimated wait"),
         wait_ja, wait_2),
    )  # fmt: skip
    top, bottom = sheet.y, sheet.y
    for index, (label_ja, label_2, value, unit_2) in enumerate(columns):
        sheet.y = top
        x = sheet.left + half * (index + 0.5)
        sheet.text(label_ja, 8.5, x=x, width=half - 2)
        sheet.text(label_2, 6.5, x=x, width=half - 2, font=font)
        sheet.text(value, 22, bold=True, x=x, width=half - 2, min_size=14, gap=0.8, lead=0.05)
        if unit_2:
            sheet.text(unit_2, 7, x=x, width=half - 2, font=font)
        bottom = max(bottom, sheet.y)
    sheet.y = bottom
    sheet.text(tr("ja", "ticket", "The wait is an estimate; the order may change."), 6.5, gap=1.0)
    sheet.text(tr(second, "ticket", "The wait is an estimate; the order may change."), 6, font=font)


def layout(content: TicketContent, roll: Roll = ROLL_80) -> tuple[list[Primitive], float]:
    """Lays a ticket out on a roll, everything inside the width its printer prints.

    Every fixed line is in Japanese, then in the ticket's second language (its own font).

    Args:
        content: what the ticket says.
        roll: the paper (80 mm by default); nothing is drawn in its unprinted margins.

    Returns:
        The drawing primitives (x from the paper's left edge) and the ticket's height in mm
        (as tall as its content).
    """
    second = content.lang_2
    font = language(second).font

    width_mm = roll.paper_mm
    sheet = _Sheet(width_mm, roll.margin_mm + INSET_MM)
    sheet.text(content.center_ja, 10, bold=True, min_size=7)
    sheet.text(content.center_2, 7, min_size=5.5, font=font)
    if content.mode is not None:
        sheet.rule()
        sheet.text(content.mode[0], 10, bold=True)
        sheet.text(content.mode[1], 7, font=font)
    sheet.rule()
    sheet.text(tr("ja", "ticket", "Your number"), 9)
    sheet.text(tr(second, "ticket", "Your number"), 7, font=font)
    sheet.text(content.number, 64, bold=True, min_size=40, lead=0.06)
    if content.priority:
        sheet.text(PRIORITY.text_in("ja"), 12, bold=True)
        sheet.text(PRIORITY.text_in(second), 8, font=font)
    sheet.rule(gap=1.0)
    sheet.text(content.procedure_ja, 13, bold=True, min_size=10, gap=0.5)
    sheet.text(content.procedure_2, 8, font=font)
    for other in content.others:  # a visit of several procedures
        sheet.text(f"＋ {other[0]}", 11, bold=True, min_size=8, gap=0.5)
        sheet.text(f"+ {other[1]}", 7, font=font)
    sheet.text(f"{content.lane_ja} ／ {content.applicant_ja}", 10, min_size=8, gap=1.2)
    sheet.text(f"{content.lane_2} / {content.applicant_2}", 7, font=font)
    if content.then_lane is not None:
        sheet.text(THEN.text_in("ja", lane=content.then_lane[0]), 9, gap=0.8)
        lane_2 = content.then_lane[1]
        sheet.text(THEN.text_in(second, lane=lane_2), 7, font=font)
    if content.slot is not None and content.late:
        sheet.rule()
        sheet.text(
            tr("ja", "ticket", "Reservation {slot}", slot=content.slot), 13, bold=True, min_size=10
        )
        sheet.text(tr("ja", "ticket", "Checked in late: you will be called in turn with walk-in visitors."),
                   10, bold=True)  # fmt: skip
        late_2 = tr(second, "ticket", "Reservation {slot}", slot=content.slot)
        late_2 += " · " + tr(
            second, "ticket", "Checked in late: you will be called in turn with walk-in visitors."
        )
        sheet.text(late_2, 7, font=font)
    elif content.slot is not None:
        sheet.rule()
        sheet.text(
            tr("ja", "ticket", "Reservation {slot}", slot=content.slot), 15, bold=True, min_size=11
        )
        sheet.text(tr(second, "ticket", "Reservation {slot}", slot=content.slot), 7.5, font=font)
    sheet.rule()
    _figures(sheet, content)
    sheet.rule()
    qr = qr_matrix(content.qr_payload)
    side = min(QR_MAX_MM, len(qr) * QR_MODULE_MM)
    quiet = side / len(qr) * 4  # the quiet zone: 4 modules
    sheet.y += quiet
    sheet.prims.append(QR(round(width_mm / 2 - side / 2, 3), round(sheet.y, 3), side, qr))
    sheet.y += side + quiet
    if content.status_page:
        sheet.text(
            tr("ja", "ticket", "Scan the code to see your turn on your phone."), 8.5, bold=True
        )
        sheet.text(
            tr(second, "ticket", "Scan the code to see your turn on your phone."), 7, font=font
        )
        sheet.y += 1.2
    issued = content.issued_date
    sheet.text(
        tr("ja", "ticket", "Issued {date} {time}", date=_date_ja(issued), time=content.issued_at),
        8.5,
    )
    sheet.text(tr(second, "ticket", "Issued {date} {time}", date=issued.isoformat(), time=content.issued_at),
               7, font=font)  # fmt: skip
    if content.hours is not None:
        sheet.text(tr("ja", "ticket", "Open today {hours}", hours=content.hours), 8.5, gap=1.2)
        sheet.text(tr(second, "ticket", "Open today {hours}", hours=content.hours), 7, font=font)
    sheet.text(
        tr("ja", "ticket", "Please keep this ticket until your number is called."), 8, gap=1.2
    )
    sheet.text(
        tr(second, "ticket", "Please keep this ticket until your number is called."), 6.5, font=font
    )
    return sheet.prims, round(sheet.y + 5.0, 2)
