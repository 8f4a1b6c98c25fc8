"""The display board on the waiting-room monitor: who is called to which counter.

Full screen, readable from 8 m: the numbers being called now with their counter, very
large (the newest flashes), the last calls, and how many wait in each lane. White and
yellow on black, a flash that inverts the row: nothing relies on telling colours apart.
The texts alternate between Japanese and English. New calls and recalls seen in the
node's data (this PC's or synced from the counters) go to the :class:`Announcer`;
calls already on the board when it starts are not announced again.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.model.clock import to_datetime
from app.queue.calls import CallWatcher
from app.services import BoardServices
from ui.display.announcer import Announcer, default_announcer
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts

BOARD_TEXTS: dict[str, tuple[str, str]] = {
    "now_calling": ("お呼び出し中の番号", "Now calling"),
    "number": ("受付番号", "Ticket number"),
    "counter": ("窓口", "Counter"),
    "to_counter": ("{c}番窓口", "Counter {c}"),
    "recent": ("これまでの呼出し", "Recent calls"),
    "number_short": ("番号", "No."),
    "waiting": ("お待ちの方", "Waiting"),
    "people": ("{n}人", "{n}"),
    "please_wait": ("番号をお呼びするまでお待ちください", "Please wait for your number"),
}

BLACK, WHITE, YELLOW, GREY, BAND = "#000000", "#ffffff", "#ffe000", "#c8c8c8", "#1c1c1c"
#: Pixel sizes at 1920×1080; the board scales them to its size.
SIZES = {"heading": 60, "column": 40, "number": 172, "arrow": 96, "counter": 112,
         "recent_head": 40, "recent": 60, "waiting": 48}  # fmt: skip
#: Width shares of the number, arrow and counter columns and of the recent calls: the
#: widest texts (C-2001, Counter 12) fit at 1920×1080 with the sizes above.
COLUMNS, SIDE = (66, 12, 63), 40
_PARENS = re.compile(r"\s*[（(][^）)]*[）)]")


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
        self.lang = texts.lang
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
        self.refresh()

    # -- building ---------------------------------------------------------------------------

    def _label(self, size: str, color: str, bold: bool = True, align: Any = None) -> QLabel:
        label = QLabel()
        label.setProperty("text_size", size)
        label.setProperty("bold", bold)
        # The screen's width is the limit: a long text never widens the board past it.
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
        self.rows: list[tuple[QLabel, QLabel, QLabel]] = []
        for i in range(rows):
            cells = (self._label("number", YELLOW), self._label("arrow", WHITE, align=centre),
                     self._label("counter", WHITE))  # fmt: skip
            for column, cell in enumerate(cells):
                cell.setContentsMargins(8 if column == 1 else 12, 0, 8 if column == 1 else 12, 0)
                grid.addWidget(cell, i + 1, column)
            grid.setRowStretch(i + 1, 1)
            self.rows.append(cells)
        self.idle = self._label("recent", WHITE)
        grid.addWidget(self.idle, 1, 0, 1, 3)
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
        self.recent_rows: list[tuple[QLabel, QLabel]] = []
        for i in range(recent):
            pair = (self._label("recent", WHITE), self._label("recent", WHITE, align=right))
            side.addWidget(pair[0], i + 2, 0)
            side.addWidget(pair[1], i + 2, 1)
            self.recent_rows.append(pair)
        side.setRowStretch(recent + 2, 1)
        side.setColumnStretch(0, 3)
        side.setColumnStretch(1, 2)
        middle = QHBoxLayout()
        middle.addLayout(grid, sum(COLUMNS))
        middle.addSpacing(32)
        middle.addLayout(side, SIDE)
        self.waiting_head = self._label("waiting", GREY, False)
        self.waiting = self._label("waiting", WHITE)
        self.waiting_head.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        foot = QHBoxLayout()
        foot.addWidget(self.waiting_head)
        foot.addSpacing(24)
        foot.addWidget(self.waiting, 1)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # see minimumSizeHint
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addWidget(_band(head))
        layout.addLayout(middle, 1)
        layout.addWidget(_band(foot))
        self._scale(1.0)

    def _scale(self, factor: float) -> None:
        for label in self.findChildren(QLabel):
            font = QFont(label.font())
            font.setPixelSize(max(8, round(SIZES[label.property("text_size")] * factor)))
            font.setBold(bool(label.property("bold")))
            label.setFont(font)

    def minimumSizeHint(self) -> QSize:
        """Returns a small size: the texts shrink with the board (a window, a screenshot)."""
        return QSize(480, 270)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Scales the texts so that the board fills any screen as it fills 1920×1080."""
        size = event.size()
        self._scale(min(size.width() / 1920, size.height() / 1080))
        super().resizeEvent(event)

    # -- data -------------------------------------------------------------------------------

    def t(self, key: str, **values: object) -> str:
        """Returns a board text in the language shown now."""
        return Texts(self.lang).pick(BOARD_TEXTS[key]).format(**values)

    def refresh(self) -> None:
        """Re-reads the calls; announces new calls and recalls; redraws."""
        day = self._here.today()
        self._day = day.isoformat()
        state = self._watcher.look(
            self._queue.called_now(day),
            self._queue.recent_calls(self._watcher.rows + self._watcher.recent, day),
        )
        for call in state.fresh:
            self.announcer.announce(call)
        self.current, self.recent = state.current, state.recent
        if state.flash is not None:
            self.flash(state.flash)
        self.show_texts()

    def waiting_counts(self) -> list[tuple[str, str, str, int]]:
        """Returns (prefix, name ja, name en, waiting) for every lane."""
        counts = self._queue.waiting_counts()
        return [(lane.prefix, public_name(lane.name_ja), public_name(lane.name_en),
                 counts.get(lane.id, 0)) for lane in self._here.catalog.lanes.values()]  # fmt: skip

    def calls_shown(self) -> list[tuple[str, str]]:
        """Returns the (number, counter) pairs shown very large, newest first."""
        return [(r["number"], str(r["counter"])) for r in self.current]

    # -- showing ----------------------------------------------------------------------------

    def show_texts(self) -> None:
        """Writes every text of the board in the language shown now."""
        ja = self.lang == "ja"
        self.heading.setText(self.t("now_calling"))
        self.number_head.setText(self.t("number"))
        self.counter_head.setText(self.t("counter"))
        for i, (number, arrow, counter) in enumerate(self.rows):
            row = self.current[i] if i < len(self.current) else None
            number.setText(row["number"] if row else "")
            arrow.setText("→" if row else "")
            counter.setText(self.t("to_counter", c=row["counter"]) if row else "")
        self.idle.setText("" if self.current else self.t("please_wait"))
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
            f"{prefix} {name_ja if ja else name_en}  {self.t('people', n=n)}"
            for prefix, name_ja, name_en, n in self.waiting_counts()
        ))  # fmt: skip
        self.show_clock()
        self.paint_flash()

    def show_clock(self) -> None:
        """Shows the node's time in the heading band (and a new day's empty board)."""
        self.clock.setText(to_datetime(self._here.now_ms()).strftime("%H:%M"))
        if self._here.today().isoformat() != self._day:
            self.refresh()

    def switch_language(self) -> None:
        """Shows the other language (called by the timer every ``switch_ms``)."""
        self.lang = "en" if self.lang == "ja" else "ja"
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
        for i, cells in enumerate(self.rows):
            row = self.current[i] if i < len(self.current) else None
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
