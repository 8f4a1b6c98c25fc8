"""The printed ticket: what it says (:class:`TicketContent`) and where (drawing primitives).

One layout feeds every output (design §6): :func:`layout` turns the content into a list of
small primitives in millimetres, and :mod:`app.printing.render` (PDF, PNG) and the Qt printer in
``ui/`` only draw those primitives. Coordinates start at the top-left corner of the ticket;
``y`` grows downwards. Text is measured with the bundled IPAex Gothic, so what fits here fits
in every output.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from app.core.paths import font_path
from app.model.clock import hhmm, to_datetime
from app.queue.modes import ModeService
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
QR_MODULE_MM = 0.875  # 7 dots of a 203 dpi thermal head
QR_MAX_MM = 30.0
RECENT_SERVICES = 10  # how many of the lane's latest services today make the mean
PT_MM = 25.4 / 72
_ASCENT, _DESCENT = 0.88, 0.12  # of the em (IPAex Gothic)
_WEEKDAYS_JA = "月火水木金土日"
_TOKEN = re.compile(r"[\x21-\x7e]+ *| +|.")  # an ASCII word with its spaces, or one character

Align = Literal["left", "center", "right"]


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
    """Everything a ticket says; no personal data (the QR holds only id and number)."""

    ticket_id: str
    number: str
    procedure_ja: str
    procedure_en: str
    lane_ja: str
    lane_en: str
    applicant_ja: str
    applicant_en: str
    issued_date: date
    issued_at: str  # "HH:MM"
    people_ahead: int
    estimated_wait_minutes: int
    center_ja: str
    center_en: str
    hours: str | None  # today's open hours "10:30–18:30"; None on a closed day
    slot: str | None  # the reservation's slot "11:30–12:00"; None for a walk-in
    qr_payload: str
    #: A reservation checked in too late for its priority: called in turn with walk-ins.
    late: bool = False
    #: The operating mode when the ticket was printed (None: 通常), Japanese and English.
    mode: tuple[str, str] | None = None
    #: A priority visitor (優先): the ticket says so, not why.
    priority: bool = False
    #: The visit's other procedures (Japanese, English), and the lane it moves on to for
    #: those served elsewhere (the city counter's), if any.
    others: tuple[tuple[str, str], ...] = ()
    then_lane: tuple[str, str] | None = None


@dataclass(frozen=True)
class Text:
    """One line of text; ``y_mm`` is its baseline, ``x_mm`` the point ``align`` refers to."""

    x_mm: float
    y_mm: float
    size_pt: float
    text: str
    bold: bool = False
    align: Align = "left"


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


def qr_payload(ticket_id: str, number: str) -> str:
    """Returns what the ticket's QR code encodes: ``MDG1|<ticket_id>|<number>``, nothing else."""
    return f"{QR_SCHEME}|{ticket_id}|{number}"


def _recent_service_minutes(node: Node, lane: str, day: str) -> float | None:
    """Returns the mean service time (start → end) of the lane's latest finished tickets."""
    rows = node.store.rows(
        "SELECT started_at, ended_at FROM tickets WHERE day = ? AND lane = ? AND state = 'done' "
        "AND started_at IS NOT NULL AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT ?",
        (day, lane, RECENT_SERVICES),
    )
    if not rows:
        return None
    return float(sum(r["ended_at"] - r["started_at"] for r in rows)) / len(rows) / 60_000


def ticket_content(node: Node, row: dict[str, Any], counters: int = 1) -> TicketContent:
    """Collects what a ticket says.

    People ahead are the waiting tickets before this one in its lane's calling order (0 once it
    is no longer waiting). The estimated wait is simple on purpose: every ticket ahead counts
    the mean service time (start → end) of the lane's last :data:`RECENT_SERVICES` tickets done
    that day, or, before the lane has finished any, its own procedure's catalog
    ``service_minutes``; the sum is divided by the counters serving the lane and rounded up.

    Args:
        node: the node holding the ticket.
        row: the ticket row (``TicketService.get``).
        counters: how many counters serve the ticket's lane, at least 1.

    Returns:
        The ticket's content.

    Raises:
        ValueError: ``counters`` is below 1.
    """
    if counters < 1:
        raise ValueError(f"counters = {counters} must be at least 1")
    catalog = node.catalog
    procedure = catalog.procedure(row["procedure"])
    lane = catalog.lane(row["lane"])
    applicant = catalog.applicants[row["applicant"]]
    queue = TicketService(node).queue((row["lane"],))
    ids = [t["ticket_id"] for t in queue]
    ahead = queue[: ids.index(row["ticket_id"])] if row["ticket_id"] in ids else []
    mean = _recent_service_minutes(node, row["lane"], row["day"])
    minutes = [
        mean if mean is not None else catalog.procedure(t["procedure"]).service_minutes
        for t in ahead
    ]
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
    return TicketContent(
        ticket_id=row["ticket_id"],
        number=row["number"],
        procedure_ja=procedure.name_ja,
        procedure_en=procedure.name_en,
        lane_ja=lane.name_ja,
        lane_en=lane.name_en,
        applicant_ja=applicant.name_ja,
        applicant_en=applicant.name_en,
        issued_date=to_datetime(row["issued_at"]).date(),
        issued_at=hhmm(row["issued_at"]),
        people_ahead=len(ahead),
        estimated_wait_minutes=math.ceil(round(sum(minutes) / counters, 6)),
        center_ja=site.name_ja,
        center_en=site.name_en,
        hours=f"{hours.open:%H:%M}–{hours.close:%H:%M}" if hours else None,
        slot=slot,
        qr_payload=qr_payload(row["ticket_id"], row["number"]),
        late=row["reservation_id"] is not None and not row["priority"],
        mode=ModeService(node).now().public_line(),
        priority=row["priority_reason"] is not None,
        others=tuple((p.name_ja, p.name_en) for p in others),
        then_lane=None if not later else (later[0].lane.name_ja, later[0].lane.name_en),
    )


@functools.cache
def ticket_font() -> TTFont:
    """Returns IPAex Gothic, loaded once and registered with reportlab under FONT_NAME.

    reportlab keeps the subset it embeds per document, so one font object serves every PDF.
    reportlab and qrcode are loaded at the first ticket, not when a window that never prints
    starts.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(FONT_NAME, str(font_path()))
    pdfmetrics.registerFont(font)
    return font


def text_width_mm(text: str, size_pt: float) -> float:
    """Returns the width of a line of text in IPAex Gothic."""
    return float(ticket_font().stringWidth(text, size_pt)) * PT_MM


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


def _wrap(text: str, size_pt: float, width_mm: float) -> list[str]:
    """Breaks text into lines that fit: between ASCII words, or between other characters,
    never before closing punctuation."""
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if token[0] in _NO_LINE_START:
            line += token
        elif line and text_width_mm(line + token.rstrip(), size_pt) > width_mm:
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
             gap: float = 0.0, lead: float = 0.2) -> None:  # fmt: skip
        """Adds text, shrunk down to ``min_size``, then wrapped, to fit ``width``.

        ``gap`` is the space before it in mm, ``lead`` the space below each line in ems.
        """
        width = self.inner if width is None else width
        while min_size is not None and size > min_size and text_width_mm(text, size) > width:
            size = max(min_size, size - 1)
        lines = _wrap(text, size, width)
        while size > 4 and any(text_width_mm(line, size) > width for line in lines):
            size -= 0.5  # a word too long for a line of its own: smaller, never cut off
            lines = _wrap(text, size, width)
        self.y += gap
        for line in lines:
            baseline = self.y + _ASCENT * size * PT_MM
            at = self.x_for(align) if x is None else x
            self.prims.append(Text(round(at, 3), round(baseline, 3), size, line, bold, align))
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
    if content.people_ahead:
        minutes = content.estimated_wait_minutes
        wait_ja, wait_en = f"約{minutes}分", f"about {minutes} min"
    else:
        wait_ja, wait_en = "まもなく", "soon"
    columns = (("お待ちの方", "People ahead", f"{content.people_ahead}人", ""),
               ("待ち時間の目安", "Estimated wait", wait_ja, wait_en))  # fmt: skip
    top, bottom = sheet.y, sheet.y
    for index, (label_ja, label_en, value, unit_en) in enumerate(columns):
        sheet.y = top
        x = sheet.left + half * (index + 0.5)
        sheet.text(label_ja, 8.5, x=x, width=half - 2)
        sheet.text(label_en, 6.5, x=x, width=half - 2)
        sheet.text(value, 22, bold=True, x=x, width=half - 2, min_size=14, gap=0.8, lead=0.05)
        if unit_en:
            sheet.text(unit_en, 7, x=x, width=half - 2)
        bottom = max(bottom, sheet.y)
    sheet.y = bottom
    sheet.text("待ち時間は目安です。順番は前後することがあります。", 6.5, gap=1.0)
    sheet.text("The wait is an estimate; the order may change.", 6)


def layout(content: TicketContent, roll: Roll = ROLL_80) -> tuple[list[Primitive], float]:
    """Lays a ticket out on a roll, everything inside the width its printer prints.

    Args:
        content: what the ticket says.
        roll: the paper (80 mm by default); nothing is drawn in its unprinted margins.

    Returns:
        The drawing primitives (x from the paper's left edge) and the ticket's height in mm
        (as tall as its content).
    """
    width_mm = roll.paper_mm
    sheet = _Sheet(width_mm, roll.margin_mm + INSET_MM)
    sheet.text(content.center_ja, 10, bold=True, min_size=7)
    sheet.text(content.center_en, 7, min_size=5.5)
    if content.mode is not None:
        sheet.rule()
        sheet.text(content.mode[0], 10, bold=True)
        sheet.text(content.mode[1], 7)
    sheet.rule()
    sheet.text("受付番号  Your number", 9)
    sheet.text(content.number, 64, bold=True, min_size=40, lead=0.06)
    if content.priority:
        sheet.text("優先案内  Priority", 12, bold=True)
    sheet.rule(gap=1.0)
    sheet.text(content.procedure_ja, 13, bold=True, min_size=10, gap=0.5)
    sheet.text(content.procedure_en, 8)
    for other_ja, other_en in content.others:  # a visit of several procedures
        sheet.text(f"＋ {other_ja}", 11, bold=True, min_size=8, gap=0.5)
        sheet.text(f"+ {other_en}", 7)
    sheet.text(f"{content.lane_ja} ／ {content.applicant_ja}", 10, min_size=8, gap=1.2)
    sheet.text(f"{content.lane_en} / {content.applicant_en}", 7)
    if content.then_lane is not None:
        sheet.text(f"続けて{content.then_lane[0]}へご案内します（この番号のまま）", 9, gap=0.8)
        sheet.text(f"Then to: {content.then_lane[1]}, with the same number", 7)
    if content.slot is not None and content.late:
        sheet.rule()
        sheet.text(f"ご予約  {content.slot}", 13, bold=True, min_size=10)
        sheet.text("遅れての受付のため、一般の方と同じ順番でお呼びします", 10, bold=True)
        sheet.text(f"Reservation {content.slot}, checked in late: you will be called in "
                   "turn with walk-in visitors.", 7)  # fmt: skip
    elif content.slot is not None:
        sheet.rule()
        sheet.text(f"ご予約  {content.slot}", 15, bold=True, min_size=11)
        sheet.text(f"Reservation {content.slot}", 7.5)
    sheet.rule()
    _figures(sheet, content)
    sheet.rule()
    qr = qr_matrix(content.qr_payload)
    side = min(QR_MAX_MM, len(qr) * QR_MODULE_MM)
    quiet = side / len(qr) * 4  # the quiet zone: 4 modules
    sheet.y += quiet
    sheet.prims.append(QR(round(width_mm / 2 - side / 2, 3), round(sheet.y, 3), side, qr))
    sheet.y += side + quiet
    sheet.text(f"発券  {_date_ja(content.issued_date)} {content.issued_at}", 8.5)
    sheet.text(f"Issued {content.issued_date.isoformat()} {content.issued_at}", 7)
    if content.hours is not None:
        sheet.text(f"本日の開庁時間  {content.hours}", 8.5, gap=1.2)
        sheet.text(f"Open today {content.hours}", 7)
    sheet.text("お呼び出しまでこの券をお持ちください。", 8, gap=1.2)
    sheet.text("Please keep this ticket until your number is called.", 6.5)
    return sheet.prims, round(sheet.y + 5.0, 2)
