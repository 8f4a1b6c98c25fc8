"""The counter: call, serve, transfer and close tickets, by function key or button.

F1 call next · F5 recall · F2 start · F3 done · F9 done, documents missing (revisit) ·
F10 done, J-LIS down: come back later · F4 no-show (after the configured calls) · F6 hold ·
Ctrl+D ask the city's double check (シ; the visitor stays at the counter) · a visit of
several procedures records an outcome for each (and F3 moves it on to the city counter
when a procedure of the city's remains) ·
F7 resume · F8 transfer · Ctrl+F call a number · Ctrl+P pause the counter with a reason
(休憩 …: it calls nobody until reopened) or reopen it. The moves that end a visit without
the service (F9, F10, F4) ask first: a slip of the key would send the visitor away.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from app.core.actor import Actor
from app.core.catalog import Catalog
from app.core.errors import UserError
from app.model.clock import hhmm
from app.model.ticket_fold import timings
from app.model.ticket_states import HELD
from app.printing.layout import scanned_ticket
from app.queue.counter_pauses import REASONS as PAUSE_REASONS
from app.queue.queries import allowed_actions, confirmation
from app.queue.routes import procedures_of
from app.queue.tickets import PRIORITY_REASONS, STATE_NAMES
from app.services import CounterServices
from ui.counter.outcomes import OutcomeBox
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.keys import bind_key
from ui.widgets.labels import big_label, error_label, notice_label

#: (key, shortcut, method, arguments) of the counter's actions, in button order.
ACTIONS: tuple[tuple[str, str, str, tuple[Any, ...]], ...] = (
    ("call_next", "F1", "call_next", ()),
    ("recall", "F5", "recall", ()),
    ("start", "F2", "start", ()),
    ("done", "F3", "done", ("completed",)),
    ("done_revisit", "F9", "done", ("revisit",)),
    ("done_deferred", "F10", "done", ("deferred",)),
    ("noshow", "F4", "noshow", ()),
    ("hold", "F6", "hold", ()),
    ("resume", "F7", "resume", ()),
    ("transfer", "F8", "transfer", ()),
    ("check", "Ctrl+D", "request_check", ()),
)
TRANSFER_REASONS = ("ダブルチェック（シ）", "任意代理人の手続（市）", "手数料の支払い（レジ）",
                    "特急発行・申請書の作成（市）")  # fmt: skip


class TransferDialog(QDialog):
    """Asks where a ticket goes and why."""

    def __init__(self, catalog: Catalog, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts("transfer"))
        self.lane = QComboBox()
        for lane in catalog.lanes.values():
            self.lane.addItem(f"{lane.prefix}  {texts.name('lane', lane)}", lane.id)
        self.lane.setCurrentIndex(max(0, self.lane.findData("city")))
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(TRANSFER_REASONS)
        form = QFormLayout(self)
        form.addRow(texts("lane"), self.lane)
        form.addRow(texts("reason"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class CounterPanel(QWidget):
    """One counter's work. See the module docstring for the keys."""

    def __init__(self, services: CounterServices, actor: Actor, texts: Texts, hub: Hub,
                 confirm: Callable[[str], bool] | None = None) -> None:  # fmt: skip
        super().__init__()
        self._confirm = confirm or self._ask
        self._services, self._actor, self._texts, self._hub = services, actor, texts, hub
        self._here = services.here
        self._tickets = services.tickets
        self._queue = services.queue
        self._told: set[str] = set()  # conflicts already shown to the clerk
        self.paused = False  # the counter is paused (休憩 …) and calls nobody
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for i, (key, shortcut, _, _) in enumerate(ACTIONS):
            button = QPushButton(f"{texts(key)}\n{shortcut}")
            button.setMinimumHeight(72 if key == "call_next" else 56)
            size = 20 if key == "call_next" else 15
            button.setStyleSheet(f"font-size: {size}px; font-weight: bold;")
            button.clicked.connect(lambda _=False, k=key: self.run(k))
            bind_key(self, shortcut, partial(self.run, key))
            grid.addWidget(button, i // 5, i % 5)
            self.buttons[key] = button
        self.conflict = QLabel()
        self.conflict.setWordWrap(True)
        self.conflict.setStyleSheet(
            "background: #e69f00; color: #000000; font-weight: bold; font-size: 16px; padding: 8px;"
        )
        self.conflict.hide()
        # The board has not been heard from: the visitor will not see the call on it.
        self.board_notice = QLabel()
        self.board_notice.setObjectName("board_notice")
        self.board_notice.setWordWrap(True)
        self.board_notice.setStyleSheet(
            "background: #e69f00; color: #000000; font-weight: bold; font-size: 16px; padding: 8px;"
        )
        self.board_notice.hide()
        # The counter is paused (休憩 …): it calls nobody until reopened.
        self.pause_notice = QLabel()
        self.pause_notice.setObjectName("pause_notice")
        self.pause_notice.setWordWrap(True)
        self.pause_notice.setStyleSheet(
            "background: #e8f1fa; color: #000000; font-weight: bold; font-size: 16px; padding: 8px;"
        )
        self.pause_notice.hide()
        self.pause_button = QPushButton(texts("pause_counter"))
        self.pause_button.setMinimumHeight(40)
        self.pause_button.clicked.connect(lambda: self.toggle_pause())
        bind_key(self, "Ctrl+P", self.toggle_pause)
        self._started_ms = self._here.now_ms()
        self.number = big_label(64)
        self.details = QLabel()
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setStyleSheet("font-size: 17px;")
        self.error = error_label()
        self.notice = notice_label()
        self.call_field = QLineEdit()
        self.call_field.setPlaceholderText(texts("call_number_hint"))
        self.call_field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.call_field.returnPressed.connect(self.call_number)
        bind_key(self, "Ctrl+F", self.call_field.setFocus)
        call_button = QPushButton(texts("call_number"))
        call_button.clicked.connect(self.call_number)
        self.held = QListWidget()
        self.held.setMaximumWidth(360)
        self.fee = QComboBox()
        for fee in (None, "reissue", "express"):
            self.fee.addItem(texts(f"fee_{fee or 'none'}"), fee)
        self.outcome_box = OutcomeBox(self._here.catalog, texts)
        self.checks = QListWidget()
        self.checks.setMaximumWidth(360)
        self.sign_button = QPushButton(texts("sign_check"))
        self.sign_button.clicked.connect(lambda: self.sign_check())
        self.signs_checks = actor.may("ticket.doublecheck")
        left = QVBoxLayout()
        left.addWidget(self.pause_notice)
        left.addWidget(self.board_notice)
        left.addWidget(self.conflict)
        left.addWidget(self.number)
        left.addWidget(self.details)
        left.addWidget(self.error)
        left.addWidget(self.notice)
        specific = QHBoxLayout()
        specific.addWidget(self.call_field)
        specific.addWidget(call_button)
        left.addLayout(specific)
        right = QVBoxLayout()
        right.addWidget(self.pause_button)
        fee_row = QHBoxLayout()
        fee_row.addWidget(QLabel(texts("fee")))
        fee_row.addWidget(self.fee, 1)
        right.addLayout(fee_row)
        right.addWidget(self.outcome_box)
        right.addWidget(QLabel(texts("held_here")))
        right.addWidget(self.held)
        if self.signs_checks:  # city staff sign off the checks other counters ask for
            right.addWidget(QLabel(texts("checks_waiting")))
            right.addWidget(self.checks)
            right.addWidget(self.sign_button)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(body)
        hub.changed.connect(self.refresh)
        hub.tick.connect(self.refresh_times)
        hub.tick.connect(self.check_board)
        self.refresh()
        self.check_board()

    # -- state ------------------------------------------------------------------------------

    def mine(self, states: tuple[str, ...]) -> list[dict[str, Any]]:
        """Returns today's tickets at this counter in the given states, latest first."""
        return self._queue.at_counter(self._actor.counter, states)

    def current_ticket(self) -> dict[str, Any] | None:
        """Returns the ticket this counter is calling or serving, if any."""
        return self._queue.current_at(self._actor.counter)

    # -- acting -----------------------------------------------------------------------------

    def run(self, key: str) -> None:
        """Runs the counter action of a button or key; a move that would end the visit
        without the service is confirmed first."""
        _, _, method, args = next(a for a in ACTIONS if a[0] == key)
        question = confirmation(key, self.current_ticket(), self._texts.lang)
        if question is not None and not self._confirm(question):
            return
        self.act(method, *args)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self._texts("counter_tab"), question)
        return answer == QMessageBox.StandardButton.Yes

    def act(self, method: str, *args: Any) -> None:
        """Runs one counter action on the current ticket (or the selected held one)."""
        try:
            if method == "call_next":
                self.conflict.hide()
                if self._tickets.call_next(self._actor) is None:
                    self.error.setText(self._texts("nobody"))
                    return
            elif method == "transfer":
                self.transfer()
                return
            elif method == "request_check":
                self.request_check()
                return
            elif method == "resume":
                held = self.selected_held()
                if held is None:
                    self.error.setText(self._texts("nothing_held"))
                    return
                self._tickets.resume(self._actor, held["ticket_id"])
            else:
                ticket = self.current_ticket()
                if ticket is None:
                    self.error.setText(self._texts("nobody_here"))
                    return
                if method == "done" and args == ("completed",):
                    args = ("completed", self.fee.currentData(), self.outcome_box.outcomes())
                result = getattr(self._tickets, method)(self._actor, ticket["ticket_id"], *args)
                if method == "done":
                    self.fee.setCurrentIndex(0)
                if method == "done" and result["ticket_id"] != ticket["ticket_id"]:
                    self._moved_on(result)  # the visit goes on to another counter
                    return
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.error.clear()
        self.notice.clear()
        self._hub.notify()

    def _moved_on(self, new: dict[str, Any]) -> None:
        lane = self._here.catalog.lane(new["lane"])
        self.error.clear()
        self.notice.setText(self._texts("moved_on", n=self._queue.held_number(new),
                                        lane=self._texts.name("lane", lane)))  # fmt: skip
        self._hub.notify()

    def toggle_pause(self, reason: str | None = None) -> None:
        """Pauses the counter with a reason (asked unless given), or reopens a paused one."""
        pauses = self._services.pauses
        try:
            if pauses.state(self._actor.counter) is not None:
                pauses.resume(self._actor)
            else:
                reason = reason or self._ask_reason()
                if reason is None:
                    return
                pauses.pause(self._actor, reason)
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.error.clear()
        self._hub.notify()

    def _ask_reason(self) -> str | None:
        names = [self._texts.msg(name) for name in PAUSE_REASONS.values()]
        name, ok = QInputDialog.getItem(self, self._texts("pause_counter"),
                                        self._texts("pause_reason"), names, 0, False)  # fmt: skip
        return list(PAUSE_REASONS)[names.index(name)] if ok and name in names else None

    def request_check(self) -> None:
        """Asks for the city's double check of the current ticket (the visitor stays)."""
        ticket = self.current_ticket()
        if ticket is None:
            self.error.setText(self._texts("nobody_here"))
            return
        try:
            self._services.checks.request(self._actor, ticket["ticket_id"])
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.error.setText(self._texts("check_requested", n=ticket["number"]))
        self._hub.notify()

    def sign_check(self, ticket_id: str | None = None) -> None:
        """Signs off a waiting double check (city staff; default: the selected one)."""
        item = self.checks.currentItem()
        which = ticket_id or (item.data(Qt.ItemDataRole.UserRole) if item is not None else None)
        if which is None:
            self.error.setText(self._texts("choose_check"))
            return
        try:
            row = self._services.checks.sign(self._actor, which)
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.error.setText(self._texts("check_signed", n=row["number"]))
        self._hub.notify()

    def call_number(self) -> None:
        """Calls the number typed (or scanned from the ticket's QR code)."""
        # The ticket's QR code: MDG1|<ticket id>|<number>, or the status page's address
        # with the number and its day (no network is needed to read either).
        scanned = scanned_ticket(self.call_field.text())
        text = scanned.ref
        if not text:
            return
        if scanned.day is not None and scanned.day != self._here.today():
            self.error.setText(self._texts("other_day", d=scanned.day.isoformat()))
            return
        try:
            self._tickets.call(self._actor, text)
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        self.call_field.clear()
        self.error.clear()
        self._hub.notify()

    def transfer(self, lane: str | None = None, reason: str | None = None) -> None:
        """Transfers the current ticket (asking where and why unless given)."""
        ticket = self.current_ticket()
        if ticket is None:
            self.error.setText(self._texts("nobody_here"))
            return
        if lane is None or reason is None:
            dialog = TransferDialog(self._here.catalog, self._texts, self)
            if not dialog.exec():
                return
            lane, reason = dialog.lane.currentData(), dialog.reason.currentText()
        try:
            new = self._tickets.transfer(self._actor, ticket["ticket_id"], lane, reason)
        except UserError as exc:
            self.error.setText(self._texts.error(exc))
            return
        target = self._here.catalog.lane(new["lane"])
        self.error.clear()
        self.notice.setText(self._texts(
            "transferred", n=self._queue.held_number(new),
            lane=self._texts.name("lane", target), m=new["number"]))  # fmt: skip
        self._hub.notify()

    def selected_held(self) -> dict[str, Any] | None:
        """Returns the held ticket selected in the list (or the only one)."""
        held = self.mine((HELD,))
        item = self.held.currentItem()
        if item is not None:
            chosen = [t for t in held if t["ticket_id"] == item.data(Qt.ItemDataRole.UserRole)]
            if chosen:
                return chosen[0]
        return held[0] if len(held) == 1 else None

    # -- showing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Shows the current ticket, the held ones, any call another counter won, and
        whether the counter is paused."""
        self._show_conflicts()
        self._show_pause()
        self.held.clear()
        for t in self.mine((HELD,)):
            item = QListWidgetItem(f"{t['number']}  {self._procedure(t)}")
            item.setData(Qt.ItemDataRole.UserRole, t["ticket_id"])
            self.held.addItem(item)
        if self.signs_checks:
            self.checks.clear()
            for c in self._services.checks.waiting():
                item = QListWidgetItem(f"{c['number']}  {c['counter'] or ''}  "
                                       f"{hhmm(c['requested_ms'])}")  # fmt: skip
                item.setData(Qt.ItemDataRole.UserRole, c["ticket_id"])
                self.checks.addItem(item)
        self.refresh_times()

    def refresh_times(self) -> None:
        """Updates the current ticket's card (its waiting time moves every second)."""
        ticket = self.current_ticket()
        self.outcome_box.show_ticket(ticket)
        if ticket is None:
            self.number.setText("—")
            self.details.setText(self._texts("to_counter", c=self._actor.counter or "?"))
            self._enable(None)
            return
        t, catalog = self._texts, self._here.catalog
        applicant = catalog.applicants[ticket["applicant"]]
        lane = catalog.lane(ticket["lane"])
        waited = timings(ticket)["waiting_ms"]
        if waited is None:
            waited = self._here.now_ms() - ticket["issued_at"]
        lines = [
            f"{t.msg(STATE_NAMES[ticket['state']])}  ·  {self._procedure(ticket)}",
            f"{t.name('applicant', applicant)}  ·  {t.name('lane', lane)}",
            t("waited_for", m=waited // 60_000, at=hhmm(ticket["issued_at"])),
        ]
        if ticket["reservation_id"] and ticket["slot_start"] is not None:
            lines.append(t("slot_of", s=hhmm(ticket["slot_start"])))
        if ticket["priority_reason"] in PRIORITY_REASONS:
            lines.append(t("priority_mark", r=t.msg(PRIORITY_REASONS[ticket["priority_reason"]])))
        if ticket["call_count"] > 1:
            lines.append(t("calls", n=ticket["call_count"]))
        held = self._queue.held_number(ticket)
        if held != ticket["number"]:
            lines.append(t("transferred_from", n=held, m=ticket["number"]))
        self.number.setText(held)
        self.details.setText("\n".join(lines))
        self._enable(ticket)

    def check_board(self) -> None:
        """Tells the clerk when the display board has not been heard from for too long
        (its calls may not be shown in the waiting room: call the number aloud)."""
        hearing = self._services.links.board_reached(self._started_ms)
        if hearing.silent:
            heard = "—" if hearing.last_heard_ms is None else hhmm(hearing.last_heard_ms)
            self.board_notice.setText(self._texts("board_silent", t=heard))
        self.board_notice.setVisible(hearing.silent)

    def _show_pause(self) -> None:
        pause = self._services.pauses.state(self._actor.counter)
        self.paused = pause is not None
        self.pause_button.setText(self._texts("resume_counter" if self.paused else "pause_counter"))
        if pause is not None:
            reason = self._texts.msg_or(PAUSE_REASONS.get(pause["reason"]), "?")
            self.pause_notice.setText(self._texts("counter_paused", r=reason, t=hhmm(pause["at"])))
        self.pause_notice.setVisible(self.paused)

    def _procedure(self, ticket: dict[str, Any]) -> str:
        procs = [self._here.catalog.procedure(code) for code in procedures_of(ticket)]
        return "・".join(self._texts.name("procedure", p) for p in procs)

    def _enable(self, ticket: dict[str, Any] | None) -> None:
        allowed = allowed_actions(ticket, bool(self.mine((HELD,))),
                                  self._here.settings.counter.noshow_after_calls)  # fmt: skip
        allowed["call_next"] = allowed["call_next"] and not self.paused
        for key, button in self.buttons.items():
            button.setEnabled(allowed[key])

    def _show_conflicts(self) -> None:
        for lost in self._queue.lost_calls(self._actor.counter):
            if lost.ticket_id in self._told:
                continue
            self._told.add(lost.ticket_id)
            self.conflict.setText(self._texts("lost_call", n=lost.number, c=lost.winner))
            self.conflict.show()
