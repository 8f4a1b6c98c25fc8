"""The display board on the waiting-room monitor: who is called to which counter.

A public screen, readable from 8 m: the numbers being called now with their counter, very
large (the newest flashes), the last calls, and how many wait in each lane. White and
yellow on black, a flash that inverts the row: nothing relies on telling colours apart.
The texts cycle through the eight languages, Japanese between each of the others. New calls and recalls seen in the
node's data (this PC's or synced from the counters) go to the :class:`Announcer`;
calls already on the board when it starts are not announced again.

Laid out for landscape screens (1920×1080, 1280×720: the last calls beside the current
ones) and portrait ones (1080×1920: below them); every text shrinks to fit its place, so a
number is never cut off. An operating mode other than 通常 (縮小運転, J-LIS停止, 臨時閉庁)
is said in a band under the heading. What only staff need (the PC is offline, events wait to go out)
is a small mark in the corner. When the board has heard nothing from the counters for
longer than ``display.silence_seconds``, it stops showing calls it can no longer vouch
for and tells the room that the counters call in person.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import CODES, Msg, data_name, font_families, tr
from app.model.clock import to_datetime
from app.queue.calls import CallWatcher
from app.services import BoardServices
from ui.display.announcer import Announcer, default_announcer
from ui.widgets.fit_label import FitLabel
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts

BOARD_TEXTS: dict[str, Msg] = {
    "now_calling": Msg("board", "Now calling"),
    "number": Msg("board", "Ticket number"),
    "counter": Msg("board", "Counter"),
    "to_counter": Msg("board", "Counter {c}"),
    "recent": Msg("board", "Recent calls"),
    "number_short": Msg("board", "No."),
    "waiting": Msg("board", "Waiting"),
    "people": Msg("board", "{n}"),
    "please_wait": Msg("board", "Please wait for your number"),
    "in_person": Msg("board", "Counters are calling numbers in person"),
    "in_person_note": Msg("board", "Please ask a member of staff if unsure"),
    "demo_clock": Msg("board", "Demo time {t}"),
    "mark_offline": Msg("board", "share×"),
    "mark_write": Msg("board", "write×"),
    "mark_halted": Msg("board", "halted"),
    "mark_waiting": Msg("board", "unsent {n}"),
    "mark_silent": Msg("board", "no counter heard"),
}

BLACK, WHITE, YELLOW, GREY, BAND = "#000000", "#ffffff", "#ffe000", "#c8c8c8", "#1c1c1c"
#: Pixel sizes at 1920×1080 (landscape) or 1080×1920 (portrait); the board scales them to
#: its size, and each text shrinks further if its place is too small for it.
SIZES = {"heading": 60, "column": 40, "number": 172, "arrow": 96, "counter": 112,
         "recent_head": 40, "recent": 60, "waiting": 48, "mark": 18, "mode": 44}  # fmt: skip
#: The widest text each kind of label usually shows: labels of a kind keep one size.
TEMPLATES = {"number": "C-2001", "counter": "Counter 12", "recent": "C-2001"}
#: Width shares of the number, arrow and counter columns and of the recent calls: the
#: widest texts (C-2001, Counter 12) fit at 1920×1080 with the sizes above.
COLUMNS, SIDE = (66, 12, 63), 40
#: In portrait, the shares of height of the current calls and of the recent ones below,
#: and of a call's number and of its counter on the line below it.
PORTRAIT, PORTRAIT_ROWS = (7, 3), (3, 2)
_PARENS = re.compile(r"\s*[（(][^）)]*[）)]")


def next_language(shown: str, last_other: str) -> str:
    """Returns the board's language after ``shown``: Japanese after any other, and after
    Japanese the language following ``last_other`` (:data:`app.core.i18n.CODES` order)."""
    if shown != "ja":
        return "ja"
    others = [code for code in CODES if code != "ja"]
    at = others.index(last_other) if last_other in others else -1
    return others[(at + 1) % len(others)]


def public_name(name: str) -> str:
    """Returns a lane name for the public: without the parts in brackets (（委託）)."""
    return _PARENS.sub("", name).strip()


class DisplayBoard(QWidget):
    """The waiting-room board of a display node.

    Args:
        services: the display PC and the queue it reads.
        texts: the window's language (the board starts with it, then alternates).
        hub: tells the board when the node's data changed, and the time.
        announcer: the announcement queue (default: Qt chime and voice; silent offscreen).
        switch_ms: how long each language stays before the other one is shown.
        flash_ms: how long a fresh call flashes.
        blink_ms: half a period of the flash.
        rows: how many current calls are shown very large.
        recent: how many earlier calls are listed.

    The timings and sizes not given come from the settings (``[display]``).
    """

    def __init__(
        self, services: BoardServices, texts: Texts, hub: Hub, announcer: Announcer | None = None,
        *, switch_ms: int | None = None, flash_ms: int | None = None,
        blink_ms: int | None = None, rows: int | None = None, recent: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self._here = services.here
        self._queue = services.queue
        shown = self._here.settings.display
        switch_ms = switch_ms or shown.language_seconds * 1000
        flash_ms = flash_ms or shown.flash_seconds * 1000
        blink_ms = blink_ms or shown.blink_ms
        rows = rows or shown.large_rows
        recent = shown.recent_rows if recent is None else recent
        self.announcer = announcer if announcer is not None else default_announcer(self)
        self._links = services.links
        self._modes = services.modes
        self._started_ms = self._here.now_ms()
        self.silent = False  # nothing heard from the counters for too long
        self._marks: list[str] = []  # the staff's mark: offline, unsent events …
        self.lang = texts.lang
        self._last_other = "tl" if texts.lang == "ja" else texts.lang  # English comes next
        self.current: list[dict[str, Any]] = []
        self.recent: list[dict[str, Any]] = []
        self.flashing: str | None = None  # the ticket id whose row flashes
        self.flash_on = False
        self._flips_left = 0
        self._flips = max(2, 2 * (flash_ms // (2 * blink_ms)))
        self._watcher = CallWatcher(rows, recent)
        self._day = ""
        self._build(rows, recent)
        self._switch = QTimer(self)
        self._switch.setInterval(switch_ms)
        self._switch.timeout.connect(self.switch_language)
        self._blink = QTimer(self)
        self._blink.setInterval(blink_ms)
        self._blink.timeout.connect(self.blink)
        self._switch.start()
        hub.changed.connect(self.refresh)
        hub.tick.connect(self.show_clock)
        hub.tick.connect(self.check_link)
        self.refresh()

    # -- building ---------------------------------------------------------------------------

    def _label(self, size: str, color: str, bold: bool = True, align: Any = None) -> FitLabel:
        # The screen's width is the limit: a long text never widens the board past it, it
        # shrinks to fit its place instead.
        label = FitLabel(TEMPLATES.get(size, ""))
        label.setProperty("text_size", size)
        label.setProperty("bold", bold)
        label.setStyleSheet(f"color: {color}; background: transparent;")
        label.setAlignment(align or Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return label

    def _build(self, rows: int, recent: int) -> None:
        self.setObjectName("board")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#board {{ background: {BLACK}; }}")
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        centre = Qt.AlignmentFlag.AlignCenter
        self.heading = self._label("heading", WHITE)
        self.clock = self._label("heading", WHITE, align=right)
        self.clock.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.clock)
        self.number_head = self._label("column", GREY, False)
        self.counter_head = self._label("column", GREY, False)
        grid = QGridLayout()
        grid.setHorizontalSpacing(0)  # a flashing row is one unbroken band
        grid.addWidget(self.number_head, 0, 0)
        grid.addWidget(self.counter_head, 0, 2)
        self.rows: list[tuple[FitLabel, FitLabel, FitLabel]] = []
        for _ in range(rows):
            cells = (self._label("number", YELLOW), self._label("arrow", WHITE, align=centre),
                     self._label("counter", WHITE))  # fmt: skip
            for column, cell in enumerate(cells):
                cell.setContentsMargins(8 if column == 1 else 12, 0, 8 if column == 1 else 12, 0)
            self.rows.append(cells)
        self.grid = grid
        self._place_rows(portrait=False)
        self.idle = self._label("recent", WHITE)
        grid.addWidget(self.idle, 1, 0, 1, 3)
        self.idle_note = self._label("recent_head", GREY, False)
        grid.addWidget(self.idle_note, 2, 0, 1, 3)
        for column, stretch in enumerate(COLUMNS):
            grid.setColumnStretch(column, stretch)
        self.recent_head = self._label("recent_head", GREY, False)
        self.recent_number_head = self._label("column", GREY, False)
        self.recent_counter_head = self._label("column", GREY, False, right)
        side = QGridLayout()
        side.setHorizontalSpacing(16)
        side.addWidget(self.recent_head, 0, 0, 1, 2)
        side.addWidget(self.recent_number_head, 1, 0)
        side.addWidget(self.recent_counter_head, 1, 1)
        self.recent_rows: list[tuple[FitLabel, FitLabel]] = []
        for i in range(recent):
            pair = (self._label("recent", WHITE), self._label("recent", WHITE, align=right))
            side.addWidget(pair[0], i + 2, 0)
            side.addWidget(pair[1], i + 2, 1)
            self.recent_rows.append(pair)
        side.setRowStretch(recent + 2, 1)
        side.setColumnStretch(0, 3)
        side.setColumnStretch(1, 2)
        calls, recents = QWidget(), QWidget()
        calls.setLayout(grid)
        recents.setLayout(side)
        for part in (calls, recents):
            part.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.middle.setSpacing(32)
        self.middle.addWidget(calls, sum(COLUMNS))
        self.middle.addWidget(recents, SIDE)
        self.waiting_head = self._label("waiting", GREY, False)
        self.waiting = self._label("waiting", WHITE)
        self.waiting_head.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.mark = self._label("mark", GREY, False, right)
        self.mark.setObjectName("staff_mark")
        # Small but whole: it takes the width it needs, the lane counts shrink beside it.
        self.mark.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        foot = QHBoxLayout()
        foot.addWidget(self.waiting_head)
        foot.addSpacing(24)
        foot.addWidget(self.waiting, 1)
        foot.addWidget(self.mark)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # see minimumSizeHint
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addWidget(_band(head))
        # The operating mode when it is not 通常 (縮小運転, J-LIS停止, 臨時閉庁).
        self.mode_line = self._label("mode", YELLOW)
        mode = QHBoxLayout()
        mode.addWidget(self.mode_line, 1)
        self.mode_band = _band(mode)
        self.mode_band.hide()
        layout.addWidget(self.mode_band)
        layout.addLayout(self.middle, 1)
        layout.addWidget(_band(foot))
        self._scale(1.0)

    def _place_rows(self, portrait: bool) -> None:
        """Puts each current call on one line (landscape), or its number on a line of its
        own above the counter (portrait: the numbers get the screen's whole width)."""
        grid = self.grid
        for row in range(1, 2 * len(self.rows) + 1):
            grid.setRowStretch(row, 0)
        for i, (number, arrow, counter) in enumerate(self.rows):
            if portrait:
                grid.addWidget(number, 2 * i + 1, 0, 1, 3)
                grid.addWidget(arrow, 2 * i + 2, 1)
                grid.addWidget(counter, 2 * i + 2, 2)
                grid.setRowStretch(2 * i + 1, PORTRAIT_ROWS[0])
                grid.setRowStretch(2 * i + 2, PORTRAIT_ROWS[1])
            else:
                for column, cell in enumerate((number, arrow, counter)):
                    grid.addWidget(cell, i + 1, column)
                grid.setRowStretch(i + 1, 1)

    @property
    def portrait(self) -> bool:
        """Tells whether the board is laid out for a screen taller than wide."""
        return self.middle.direction() == QBoxLayout.Direction.TopToBottom

    def _scale(self, factor: float) -> None:
        for label in self.findChildren(FitLabel):
            size = SIZES[label.property("text_size")]
            label.set_size(round(size * factor), bool(label.property("bold")))

    def minimumSizeHint(self) -> QSize:
        """Returns a small size: the texts shrink with the board (a window, a screenshot)."""
        return QSize(480, 270)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Lays the board out for the screen's shape and scales the texts so that it fills
        any screen as it fills 1920×1080 (or 1080×1920 in portrait)."""
        size = event.size()
        portrait = size.height() > size.width()
        if portrait != self.portrait:
            direction = QBoxLayout.Direction.TopToBottom if portrait else (
                QBoxLayout.Direction.LeftToRight)  # fmt: skip
            self.middle.setDirection(direction)
            self._place_rows(portrait)
            shares = PORTRAIT if portrait else (sum(COLUMNS), SIDE)
            for index, share in enumerate(shares):
                self.middle.setStretch(index, share)
        base = (1080, 1920) if portrait else (1920, 1080)
        self._scale(min(size.width() / base[0], size.height() / base[1]))
        super().resizeEvent(event)

    # -- data -------------------------------------------------------------------------------

    def t(self, key: str, **values: object) -> str:
        """Returns a board text in the language shown now."""
        text = BOARD_TEXTS[key]
        return tr(self.lang, text.context, text.text, **values)

    def refresh(self) -> None:
        """Re-reads the calls; announces new calls and recalls; redraws."""
        day = self._here.today()
        self._day = day.isoformat()
        state = self._watcher.look(
            self._queue.called_now(day),
            self._queue.recent_calls(self._watcher.rows + self._watcher.recent, day),
        )
        if not self.silent:
            for call in state.fresh:
                self.announcer.announce(call)
        self.current, self.recent = state.current, state.recent
        if state.flash is not None and not self.silent:
            self.flash(state.flash)
        self.show_texts()

    def check_link(self) -> None:
        """Looks whether the counters are still heard from (every second); when they are
        not, the board says so to the room and shows no call as current."""
        silent = self._links.board_hears_counters(self._started_ms).silent
        if silent != self.silent:
            self.silent = silent
            self.show_texts()

    def show_link(self, report: dict[str, Any]) -> None:
        """Shows the small staff mark from a sync round's report (nothing when all is well).

        Args:
            report: the round's report (:class:`app.sync.loop.RoundReport` as a dict).
        """
        marks = []
        if report.get("clone_alarm"):
            marks.append("mark_halted")
        elif report.get("offline"):
            marks.append("mark_offline")
        elif report.get("write_failed"):
            marks.append("mark_write")
        self._waiting = int(report.get("waiting") or 0)
        if self._waiting > 0:
            marks.append("mark_waiting")
        self._marks = marks
        self.show_mark()

    def show_mark(self) -> None:
        """Writes the staff mark in the language shown now."""
        keys = [*self._marks, *(["mark_silent"] if self.silent else [])]
        waiting = getattr(self, "_waiting", 0)
        texts = [self.t(k, n=waiting) for k in keys]
        self.mark.setText(f"● {' '.join(texts)}" if texts else "")

    def waiting_counts(self) -> list[tuple[str, str, str, int]]:
        """Returns (prefix, name ja, name in the language shown now, waiting) for every lane."""
        counts = self._queue.waiting_counts()
        return [(lane.prefix, public_name(lane.name_ja),
                 public_name(data_name(self.lang, "lane", lane.name_ja, lane.name_en)),
                 counts.get(lane.id, 0)) for lane in self._here.catalog.lanes.values()]  # fmt: skip

    def calls_shown(self) -> list[tuple[str, str]]:
        """Returns the (number, counter) pairs shown very large, newest first."""
        return [(r["number"], str(r["counter"])) for r in self.current]

    # -- showing ----------------------------------------------------------------------------

    def show_texts(self) -> None:
        """Writes every text of the board in the language shown now, in its font."""
        families = font_families(self.lang)
        # The numbers, the arrows and the clock keep one font: a number must not change
        # its size or shape each time the language changes.
        steady = {self.clock, self.mark, *(r[0] for r in self.recent_rows),
                  *(cell for r in self.rows for cell in r[:2])}  # fmt: skip
        for label in self.findChildren(FitLabel):
            if label in steady:
                continue
            font = label.font()
            if font.families() != families:
                font.setFamilies(families)
                label.setFont(font)
                label.fit()  # another font is another size for the same room
        self.heading.setText(self.t("now_calling"))
        self.number_head.setText(self.t("number"))
        self.counter_head.setText(self.t("counter"))
        current = [] if self.silent else self.current
        for i, (number, arrow, counter) in enumerate(self.rows):
            row = current[i] if i < len(current) else None
            number.setText(row["number"] if row else "")
            arrow.setText("→" if row else "")
            counter.setText(self.t("to_counter", c=row["counter"]) if row else "")
        if self.silent:
            self.idle.setText(self.t("in_person"))
            self.idle_note.setText(self.t("in_person_note"))
        else:
            self.idle.setText("" if current else self.t("please_wait"))
            self.idle_note.setText("")
        self.recent_head.setText(self.t("recent"))
        self.recent_number_head.setText(self.t("number_short"))
        self.recent_counter_head.setText(self.t("counter"))
        for i, (number, counter) in enumerate(self.recent_rows):
            row = self.recent[i] if i < len(self.recent) else None
            number.setText(row["number"] if row else "")
            counter.setText(str(row["counter"]) if row else "")
            # Still called (more counters call than there are large rows): yellow as well.
            color = YELLOW if row and row.get("state") == "called" else WHITE
            for cell in (number, counter):
                cell.setStyleSheet(f"color: {color}; background: transparent;")
        self.waiting_head.setText(self.t("waiting"))
        self.waiting.setText("     ".join(
            f"{prefix} {name_shown}  {self.t('people', n=n)}"
            for prefix, _, name_shown, n in self.waiting_counts()
        ))  # fmt: skip
        self.show_clock()
        self.show_mark()
        self.paint_flash()

    def show_mode(self) -> None:
        """Shows the operating mode under the heading when it is not 通常 (every second: a
        period planned for later starts without any change of data)."""
        line = self._modes.now().public_line(self.lang)
        self.mode_line.setText("" if line is None else line)
        self.mode_band.setVisible(line is not None)

    def show_clock(self) -> None:
        """Shows the node's time in the heading band (and a new day's empty board)."""
        self.show_mode()
        shown = to_datetime(self._here.now_ms()).strftime("%H:%M")
        self.clock.setText(self.t("demo_clock", t=shown) if self._here.demo_clock else shown)
        if self._here.today().isoformat() != self._day:
            self.refresh()

    def switch_language(self) -> None:
        """Shows the next language (called by the timer every ``switch_ms``): Japanese,
        then each other language in turn with Japanese between them (ja, en, ja, zh, ja,
        ko …), so Japanese is never more than one turn away."""
        self.lang = next_language(self.lang, self._last_other)
        if self.lang != "ja":
            self._last_other = self.lang
        self.show_texts()

    def flash(self, ticket_id: str) -> None:
        """Starts flashing the row of a ticket just called (or called again)."""
        self.flashing, self.flash_on, self._flips_left = ticket_id, True, self._flips - 1
        self._blink.start()
        self.paint_flash()

    def blink(self) -> None:
        """Turns the flash over (called by the timer every ``blink_ms``); stops at the end."""
        if self._flips_left <= 0:
            self._blink.stop()
            self.flashing, self.flash_on = None, False
        else:
            self._flips_left -= 1
            self.flash_on = not self.flash_on
        self.paint_flash()

    def paint_flash(self) -> None:
        """Paints the flashing row black on yellow while the flash is on."""
        current = [] if self.silent else self.current
        for i, cells in enumerate(self.rows):
            row = current[i] if i < len(current) else None
            lit = self.flash_on and row is not None and row["ticket_id"] == self.flashing
            colors = (YELLOW, WHITE, WHITE)
            for cell, color in zip(cells, colors, strict=True):
                style = (f"color: {BLACK}; background: {YELLOW};" if lit
                         else f"color: {color}; background: transparent;")  # fmt: skip
                cell.setStyleSheet(style)


def _band(layout: QHBoxLayout) -> QWidget:
    band = QWidget()
    band.setObjectName("band")
    band.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    band.setStyleSheet(f"QWidget#band {{ background: {BAND}; }}")
    layout.setContentsMargins(24, 8, 24, 8)
    band.setLayout(layout)
    return band
