"""The reception desk: categorise the visit, check the documents, issue and print.

Touch-sized and keyboard-driven: 1–9 and 0 pick the procedure, Q/W/E the applicant type,
+ turns 複数の手続 on (a procedure button then adds one more to the visit, each with its
own checklist), F2 the visitor's language (the next of the eight; Shift+F2 the one before),
F3 marks a priority visitor (優先, a reason of a fixed list), Ctrl+A ticks every document,
Enter issues, F5 turns the visitor back (書類不備), F6 reprints, F8 cancels the last ticket,
Esc starts over (in Japanese again).

The ticket is printed in Japanese and the chosen language (English beside Japanese when
the visitor's is Japanese); the language is kept with the ticket, so a reprint comes out
the same.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from app.core.actor import Actor
from app.core.errors import UserError
from app.core.i18n import CODES, font_families, language
from app.model.clock import day_of, hhmm
from app.printing.printer import Printer
from app.queue.forecast import Forecast
from app.queue.hours import OutsideHours, ReceptionDay
from app.queue.modes import ModeNow
from app.queue.modes import detail as mode_detail
from app.queue.routes import stops
from app.queue.tickets import PRIORITY_REASONS
from app.services import ReceptionServices
from ui.reception.choices import button_text, procedure_key, route_text
from ui.reception.touch import TOUCH_STYLE
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.images import png_pixmap, qr_pixmap
from ui.widgets.keys import bind_key
from ui.widgets.labels import big_label, error_label, lane_counts
from ui.widgets.qt_printer import print_and_show
from ui.widgets.wrap_button import WrapButton

APPLICANT_KEYS = ("Q", "W", "E")


Confirm = Callable[[str], bool]


class ReceptionPanel(QWidget):
    """Issues tickets at the entrance. See the module docstring for the keys."""

    def __init__(self, services: ReceptionServices, actor: Actor, texts: Texts, hub: Hub,
                 printer: Printer | None = None, confirm: Confirm | None = None) -> None:  # fmt: skip
        super().__init__()
        self._services, self._actor, self._texts, self._hub = services, actor, texts, hub
        self._here = services.here
        self._printer = printer
        self._confirm = confirm or self._ask
        self._tickets = services.tickets
        self.procedure: str | None = None  # the first of the visit's procedures
        self.procedures: list[str] = []
        self.applicant: str | None = None
        self.sections: list[QLabel] = []  # a title over each procedure's checklist
        self.lang = "ja"  # the visitor's language (F2)
        self.last: dict[str, Any] | None = None
        self.setStyleSheet(TOUCH_STYLE)
        self.counts = QLabel()
        self.counts.setStyleSheet("font-size: 15px;")
        # The operating mode when it is not 通常 (縮小運転, J-LIS停止, 臨時閉庁).
        self.mode_banner = QLabel()
        self.mode_banner.setObjectName("mode_banner")
        self.mode_banner.setWordWrap(True)
        self.mode_banner.setStyleSheet(
            "background: #e69f00; color: #000000; font-weight: bold; font-size: 16px; padding: 6px;"
        )
        self.mode_banner.hide()
        root = QVBoxLayout(self)
        root.addWidget(self.mode_banner)
        root.addWidget(self.counts)
        # 本日の受付終了見込み per lane (app/queue/forecast.py), read again every half minute.
        self.expected_end = QLabel()
        self.expected_end.setObjectName("expected_end")
        self.expected_end.setStyleSheet("font-size: 15px;")
        root.addWidget(self.expected_end)
        columns = QHBoxLayout()
        root.addLayout(columns, 1)
        columns.addWidget(self._choices(), 3)
        columns.addWidget(self._documents(), 3)
        columns.addWidget(self._result(), 2)
        self._shortcuts()
        self.choose_language("ja")
        hub.changed.connect(self.refresh)
        self._ticks = 0
        hub.tick.connect(self._tick)
        self.refresh()

    # -- building -------------------------------------------------------------------------

    def _choices(self) -> QWidget:
        t = self._texts
        box = QGroupBox(t("procedure"))
        grid = QGridLayout(box)
        self.procedure_buttons: dict[str, WrapButton] = {}
        group = self.procedure_group = QButtonGroup(self)
        group.setExclusive(False)  # several procedures may be chosen (see choose_procedure)
        for i, proc in enumerate(self._here.catalog.procedures.values()):
            button = WrapButton()  # long names wrap rather than being cut off
            button.setCheckable(True)
            button.setMinimumHeight(64)
            button.setStyleSheet("font-size: 16px; text-align: left; padding: 6px;")
            button.clicked.connect(lambda _=False, code=proc.code: self.choose_procedure(code))
            group.addButton(button)
            grid.addWidget(button, i // 2, i % 2)
            self.procedure_buttons[proc.code] = button
        self.applicant_buttons: dict[str, QPushButton] = {}
        applicants = QHBoxLayout()
        group2 = self.applicant_group = QButtonGroup(self)
        for key, app in zip(APPLICANT_KEYS, self._here.catalog.applicants.values(), strict=True):
            choice = QPushButton(f"{key}  {t.name('applicant', app)}")
            choice.setCheckable(True)
            choice.setMinimumHeight(64)
            choice.setStyleSheet("font-size: 17px;")
            choice.clicked.connect(lambda _=False, code=app.code: self.choose_applicant(code))
            group2.addButton(choice)
            applicants.addWidget(choice)
            self.applicant_buttons[app.code] = choice
        grid.addLayout(applicants, 5, 0, 1, 2)
        # 優先: a reason of a fixed list, never anything personal (F3 picks the next one).
        self.priority = QComboBox()
        self.priority.setStyleSheet("font-size: 16px;")
        self.priority.addItem(t("priority_none"), None)
        for code, name in PRIORITY_REASONS.items():
            self.priority.addItem(t("priority_reason", r=t.msg(name)), code)
        grid.addWidget(self.priority, 6, 0)
        # Several procedures in one visit: while on, a procedure button adds or removes one.
        self.multi = QPushButton(t("multi"))
        self.multi.setCheckable(True)
        self.multi.toggled.connect(lambda _on: self.show_choice())
        grid.addWidget(self.multi, 6, 1)
        return box

    def _documents(self) -> QWidget:
        t = self._texts
        box = QGroupBox(t("documents"))
        self.documents_layout = QVBoxLayout(box)
        self.route = QLabel()
        self.route.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.route.setWordWrap(True)
        self.documents_layout.addWidget(self.route)
        self.checks: list[QCheckBox] = []
        self.checks_box = QVBoxLayout()
        self.documents_layout.addLayout(self.checks_box)
        self.reserve_qr = QLabel()
        self.reserve_qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.documents_layout.addWidget(self.reserve_qr)
        self.documents_layout.addStretch(1)
        self.language_label = QLabel(t("ticket_language"))
        self.language_label.setStyleSheet("font-size: 15px;")
        self.language_button = QPushButton()  # the language's own name, in its own script
        self.language_button.setMinimumHeight(48)
        self.language_button.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.language_button.clicked.connect(self.next_language)
        language_row = QHBoxLayout()
        language_row.addWidget(self.language_label)
        language_row.addWidget(self.language_button, 1)
        self.documents_layout.addLayout(language_row)
        self.issue_button = QPushButton(t("issue"))
        self.issue_button.setMinimumHeight(64)
        self.issue_button.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.issue_button.clicked.connect(self.issue)
        self.turn_back_button = QPushButton(t("turn_back"))
        self.turn_back_button.setMinimumHeight(48)
        self.turn_back_button.clicked.connect(self.turn_back)
        self.documents_layout.addWidget(self.issue_button)
        self.documents_layout.addWidget(self.turn_back_button)
        return box

    def _result(self) -> QWidget:
        t = self._texts
        box = QGroupBox(t("issued_number"))
        layout = QVBoxLayout(box)
        self.number = big_label(72)
        self.ahead = QLabel()
        self.ahead.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ahead.setStyleSheet("font-size: 17px;")
        self.print_status = QLabel()
        self.print_status.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error = error_label()
        buttons = QHBoxLayout()
        self.reprint_button = QPushButton(t("reprint"))
        self.reprint_button.clicked.connect(self.reprint)
        self.cancel_button = QPushButton(t("cancel_ticket"))
        self.cancel_button.clicked.connect(self.cancel_last)
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.cancel_button)
        self.queue_label = QLabel()
        for widget in (self.number, self.ahead, self.print_status, self.preview, self.error):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.queue_label)
        return box

    def _shortcuts(self) -> None:
        def bind(key: str, slot: Callable[[], object]) -> None:
            bind_key(self, key, slot, Qt.ShortcutContext.WidgetWithChildrenShortcut)

        for i, code in enumerate(self.procedure_buttons, start=1):
            bind(procedure_key(i), partial(self.choose_procedure, code))
        for key, code in zip(APPLICANT_KEYS, self.applicant_buttons, strict=True):
            bind(key, partial(self.choose_applicant, code))
        for key, slot in (("F2", self.next_language),
                          ("Shift+F2", partial(self.next_language, -1)),
                          ("F3", self.next_priority), ("+", self.toggle_multi),
                          ("Ctrl+A", self.tick_all), ("Return", self.issue), ("Enter", self.issue),
                          ("F5", self.turn_back), ("F6", self.reprint), ("F8", self.cancel_last),
                          ("Esc", self.reset)):  # fmt: skip
            bind(key, slot)

    # -- choosing ---------------------------------------------------------------------------

    def choose_procedure(self, code: str) -> None:
        """Selects a procedure (ignored while it is paused); with 複数の手続 on, adds it to
        the visit's procedures or takes it out again."""
        if self.multi.isChecked() and self.procedures:
            self.add_procedure(code)
            return
        if not self.procedure_buttons[code].isEnabled():
            return
        self._choose([code])

    def add_procedure(self, code: str) -> None:
        """Adds a procedure to the visit, or takes it out if it is in already."""
        if code in self.procedures:
            self._choose([c for c in self.procedures if c != code])
        elif self.procedure_buttons[code].isEnabled():
            self._choose([*self.procedures, code])

    def _choose(self, codes: list[str]) -> None:
        self.procedures = codes
        self.procedure = codes[0] if codes else None
        for code, button in self.procedure_buttons.items():
            button.setChecked(code in codes)
        catalog = self._here.catalog
        if self.applicant is not None and any(
            self.applicant not in catalog.procedure(code).applicants for code in codes
        ):
            self.applicant = None
        self.show_choice()

    def toggle_multi(self) -> None:
        """Turns 複数の手続 on or off (the + key)."""
        self.multi.setChecked(not self.multi.isChecked())

    def choose_applicant(self, code: str) -> None:
        """Selects the applicant type."""
        if self.applicant_buttons[code].isEnabled():
            self.applicant = code
            self.applicant_buttons[code].setChecked(True)
            self.show_choice()

    def next_language(self, step: int = 1) -> None:
        """Picks the visitor's language: the next of the eight (``step`` -1: the one before)."""
        self.choose_language(CODES[(CODES.index(self.lang) + step) % len(CODES)])

    def choose_language(self, code: str) -> None:
        """Picks the language the ticket is printed in beside Japanese."""
        self.lang = code
        font = self.language_button.font()
        font.setFamilies(font_families(code))  # its name in its own font (Chinese hanzi)
        self.language_button.setFont(font)
        self.language_button.setText(language(code).native)

    def tick_all(self) -> None:
        """Ticks every document (the visitor has everything)."""
        for check in self.checks:
            check.setChecked(True)

    def show_choice(self) -> None:
        """Shows the lane, the checklist, or why no walk-in ticket can be issued."""
        t, catalog = self._texts, self._here.catalog
        for widget in [*self.checks, *self.sections]:
            self.checks_box.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.checks, self.sections = [], []
        self.reserve_qr.clear()
        self.issue_button.setEnabled(False)
        self.turn_back_button.setEnabled(False)
        if self.procedure is None:
            self.route.setText(t("choose_procedure"))
            return
        procs = [catalog.procedure(code) for code in self.procedures]
        proc = next((p for p in procs if p.reservation), procs[0])
        if proc.reservation:
            left = self.capacity_left()
            self.route.setText(t("reservation_only", p=t.name("procedure", proc), n=left))
            self.reserve_qr.setPixmap(qr_pixmap(self._here.settings.site.reservation_url, 200))
            return
        if self.applicant is None:
            self.route.setText(t("choose_applicant"))
            return
        self.route.setText(route_text(t, catalog, stops(catalog, self.procedures, self.applicant)))
        for code in self.procedures:
            if len(self.procedures) > 1:  # each procedure with its own checklist
                name = catalog.procedure(code)
                section = QLabel(t.name("procedure", name))
                section.setStyleSheet("font-size: 15px; font-weight: bold; margin-top: 4px;")
                self.checks_box.addWidget(section)
                self.sections.append(section)
            for document in catalog.documents(code, self.applicant):
                check = QCheckBox(catalog.document_name(document, t.lang))
                check.setProperty("document", document)  # what is recorded: the catalog's name
                check.setStyleSheet("font-size: 16px; padding: 4px;")
                check.toggled.connect(self._update_buttons)
                self.checks_box.addWidget(check)
                self.checks.append(check)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ticked = [c.isChecked() for c in self.checks]
        self.issue_button.setEnabled(bool(ticked) and all(ticked))
        self.turn_back_button.setEnabled(bool(ticked) and not all(ticked))

    def capacity_left(self) -> int:
        """Returns today's reservation capacity not yet booked."""
        return self._services.reservations.capacity_left(self._here.today())

    def next_priority(self) -> None:
        """Picks the next priority reason (F3), back to none after the last."""
        self.priority.setCurrentIndex((self.priority.currentIndex() + 1) % self.priority.count())

    def reset(self) -> None:
        """Clears the choice for the next visitor (Japanese again)."""
        self.priority.setCurrentIndex(0)
        self.multi.setChecked(False)
        self.procedure = self.applicant = None
        self.procedures = []
        self.choose_language("ja")
        for group in (self.procedure_group, self.applicant_group):
            exclusive = group.exclusive()
            group.setExclusive(False)  # an exclusive group refuses to uncheck its button
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(exclusive)
        self.show_choice()

    # -- acting ---------------------------------------------------------------------------

    def issue(self) -> None:
        """Issues and prints the ticket; a printer failure never stops it."""
        if not self.issue_button.isEnabled() or self.procedure is None or self.applicant is None:
            return
        args = (self._actor, self.procedure, self.applicant)
        priority = {"priority_reason": self.priority.currentData(),
                    "others": tuple(self.procedures[1:])}  # fmt: skip
        try:
            try:
                row = self._tickets.issue(*args, lang=self.lang, **priority)
            except OutsideHours as exc:
                if not self._confirm(self._texts.error(exc)):
                    return
                row = self._tickets.issue(*args, confirm_closed=True, lang=self.lang, **priority)
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.error.clear()
        self.last = row
        self._show_ticket(row)
        self._print(row["ticket_id"])
        self.reset()
        self._hub.notify()

    def _show_ticket(self, row: dict[str, Any]) -> None:
        content = self._services.printing.content(row)
        self.number.setText(row["number"])
        if content.people_ahead == 0:
            self.ahead.setText(self._texts("soon"))
        else:
            self.ahead.setText(self._texts("ahead", n=content.people_ahead,
                                           m=content.estimated_wait_minutes))  # fmt: skip

    def _print(self, ticket_id: str) -> None:
        result = print_and_show(self._services.printing, self._actor, ticket_id, self._printer,
                                self.print_status, self._texts.lang)  # fmt: skip
        if result is not None:
            self.preview.setPixmap(png_pixmap(result.png, 180))

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self._texts("issue"), question)
        return answer == QMessageBox.StandardButton.Yes

    def _show_expected_end(self, hours: ReceptionDay) -> Forecast | None:
        """Shows when today's reception is expected to end in each lane (本日の受付終了見込み),
        marked when it passes closing; returns the estimate (None: the center is closed)."""
        t, catalog = self._texts, self._here.catalog
        if hours.close_ms is None:
            self.expected_end.setText("")
            return None
        expected = self._services.queue.forecast()
        parts = []
        for lane in catalog.lanes.values():
            end = expected.lane_end_ms[lane.id]
            shown = "—" if end is None else self._end_time(end, hours)
            if not expected.counters.get(lane.id):
                shown = t("no_counter")
            if end is not None and end > hours.close_ms:
                shown = t("after_close", t=shown)
            parts.append(f"{lane.prefix} {shown}")
        self.expected_end.setText(t("expected_end", e="   ".join(parts)))
        return expected

    def _end_time(self, end_ms: int, hours: ReceptionDay) -> str:
        """Returns an expected end as reception shows it: its time today, or 翌日以降 when
        the day cannot take it (a clock time of the small hours would read as today's)."""
        if day_of(end_ms) != day_of(hours.close_ms or end_ms):
            return self._texts("not_today")
        return hhmm(end_ms)

    def _show_mode(self, modes: ModeNow) -> None:
        """Shows the operating mode when it is not 通常: each period, its times, why, and
        what it leaves out."""
        t, catalog = self._texts, self._here.catalog
        lines = [t("mode_period", m=p.name(t.lang), s=p.span(), r=p.reason,
                   d=mode_detail(p, catalog, t.lang)) for p in modes.periods]  # fmt: skip
        self.mode_banner.setText("\n".join(lines))
        self.mode_banner.setVisible(bool(lines))

    def reprint(self) -> None:
        """Prints the last ticket again, or the oldest one waiting for a reprint."""
        queue = self._services.printing.reprint_queue()
        target = queue[0] if queue else self.last
        if target is not None:
            self._print(target["ticket_id"])
            self._hub.notify()

    def cancel_last(self) -> None:
        """Cancels the last ticket issued here, asking for the reason."""
        if self.last is None:
            return
        reason, ok = QInputDialog.getText(self, self._texts("cancel_ticket"),
                                          self._texts("cancel_reason", n=self.last["number"]))  # fmt: skip
        if ok:
            self.cancel_with_reason(reason)

    def cancel_with_reason(self, reason: str) -> None:
        """Cancels the last ticket with a reason (the dialog's second half)."""
        if self.last is None:
            return
        try:
            self._tickets.cancel(self._actor, self.last["ticket_id"], reason)
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.print_status.setText(self._texts("cancelled", n=self.last["number"]))
        self.number.setText("")
        self.last = None
        self._hub.notify()

    def turn_back(self) -> None:
        """Records a turned-back visit with the unticked documents; no ticket."""
        if (
            not self.turn_back_button.isEnabled()
            or self.procedure is None
            or self.applicant is None
        ):
            return
        missing = [str(c.property("document")) for c in self.checks if not c.isChecked()]
        try:
            text = self._services.visits.turn_back(
                self._actor, self.procedure, self.applicant, missing, self.procedures[1:]
            )
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.number.setText("")
        self.ahead.setText("")
        self.print_status.setStyleSheet("color: #7a4a00; font-weight: bold; font-size: 16px;")
        self.print_status.setText(f"{self._texts('turned_back')}\n{text}")
        self.reset()
        self._hub.notify()

    def _tick(self) -> None:
        """Reads the estimates again every half minute: time passes without any change."""
        self._ticks += 1
        if self._ticks % 30 == 0:
            self.refresh()

    def refresh(self) -> None:
        """Updates counts, capacity, the day's expected end, pauses, modes and the reprint
        queue."""
        t = self._texts
        today = self._here.today()
        counts = lane_counts(self._services.queue.waiting_counts(), self._here.catalog, t)
        self.counts.setText(
            f"{counts}    {t('capacity_left', n=self.capacity_left())}"
            if self._here.calendar().is_open(today) else counts
        )  # fmt: skip
        pauses, catalog = self._services.pauses, self._here.catalog
        modes = self._services.modes.now()
        self._show_mode(modes)
        hours = self._services.queue.reception_day()
        expected = self._show_expected_end(hours)
        now = self._here.now_ms()
        for i, (code, button) in enumerate(self.procedure_buttons.items(), start=1):
            proc = catalog.procedure(code)
            notes: list[str] = []
            reason = pauses.reason(code)
            applicant = self.applicant if self.applicant in proc.applicants else proc.applicants[0]
            lane = catalog.lane_for(code, applicant)
            blocking = modes.blocking(proc, lane, proc.reservation)
            if proc.reservation:
                notes.append(t("reservation_mark"))
            if reason is not None:
                notes.append(t("paused", r=reason))
            elif blocking is not None:  # the reason is on the mode's banner above
                reason = blocking.reason
                notes.append(t("paused", r=blocking.name(t.lang)))
            elif expected is not None and hours.close_ms is not None and not proc.reservation:
                cutoff = hours.cutoff_ms(code)
                ends = expected.visit_end_ms(lane.id, self._services.queue.visit_minutes([code]))
                if cutoff is not None and now >= cutoff:
                    notes.append(t("cutoff_passed", t=hhmm(cutoff)))
                elif ends is not None and ends > hours.close_ms:  # asked before issuing
                    notes.append(t("ends_after_close", t=self._end_time(ends, hours)))
            button.setText(button_text(f"{procedure_key(i)}  {t.name('procedure', proc)}",
                                       notes))  # fmt: skip
            button.setEnabled(reason is None)
        queue = self._services.printing.reprint_queue()
        self.queue_label.setText(t("reprint_queue", n=len(queue)) if queue else "")
        if self.procedure is None:
            self.show_choice()
