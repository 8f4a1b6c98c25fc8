"""Japanese-first texts of the windows, with English switchable at run time.

The labels the windows share are here, by key, as English texts of the context ``ui``
(``tab`` for the counter's tab); their Japanese is in the gettext catalogs
(:mod:`app.core.i18n`). Qt's standard dialogs use Qt's ``qtbase_ja`` translation.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.core.errors import UserError
from app.core.i18n import Msg, data_name

TEXTS: dict[str, Msg] = {
    "app": Msg("ui", "Yokosuka My Number Card Center"),
    "sign_in": Msg("ui", "Sign in"),
    "sign_out": Msg("ui", "Sign out"),
    "leave_board": Msg("ui", "Close the board"),
    "close_counter": Msg(
        "ui",
        "{n} is {state} at this counter. Closing now leaves the visitor without a clerk. "
        "Close anyway? (Finish, transfer or hold the visit first.)",
    ),
    "staff_id": Msg("ui", "Staff ID"),
    "pin": Msg("ui", "PIN"),
    "counter": Msg("ui", "Counter"),
    "cancel": Msg("ui", "Cancel"),
    "quit": Msg("ui", "Quit"),
    "file": Msg("ui", "File"),
    "view": Msg("ui", "View"),
    "queue": Msg("ui", "Today's tickets"),
    "number": Msg("ui", "No."),
    "state": Msg("ui", "State"),
    "procedure": Msg("ui", "Procedure"),
    "applicant": Msg("ui", "Applicant"),
    "lane": Msg("ui", "Lane"),
    "issued": Msg("ui", "Issued"),
    "waited": Msg("ui", "Waited"),
    "waiting_count": Msg("ui", "{n} waiting"),
    "issue": Msg("ui", "Issue (Enter)"),
    "issued_number": Msg("ui", "Ticket"),
    "call_next": Msg("ui", "Call next"),
    "start": Msg("ui", "Start"),
    "done": Msg("ui", "Done"),
    "done_revisit": Msg("ui", "Missing documents"),
    "done_deferred": Msg("ui", "J-LIS down: later"),
    "noshow": Msg("ui", "No-show"),
    "recall": Msg("ui", "Recall"),
    "hold": Msg("ui", "Hold"),
    "resume": Msg("ui", "Resume"),
    "transfer": Msg("ui", "Transfer"),
    "check": Msg("ui", "Ask double check"),
    "fee": Msg("ui", "Fee"),
    "fee_none": Msg("ui", "None"),
    "fee_reissue": Msg("ui", "Reissue"),
    "fee_express": Msg("ui", "Express"),
    "checks_waiting": Msg("ui", "Double checks waiting"),
    "choose_check": Msg("ui", "Choose a ticket in the list"),
    "sign_check": Msg("ui", "Sign off selected"),
    "check_requested": Msg("ui", "Double check of {n} asked for"),
    "check_signed": Msg("ui", "Double check of {n} signed off"),
    "reason": Msg("ui", "Reason"),
    "counter_tab": Msg("tab", "Counter"),
    "inquiry_tab": Msg("ui", "Inquiries && Q&&A"),  # & marks a mnemonic in a tab
    "counter_setup": Msg("ui", "Counter setup…"),
    "call_number": Msg("ui", "Call this number"),
    "call_number_hint": Msg("ui", "Number (e.g. A-012) or scan the QR (Ctrl+F)"),
    "held_here": Msg("ui", "On hold at this counter"),
    "nothing_held": Msg("ui", "No ticket on hold"),
    "nobody_here": Msg("ui", "No ticket at this counter"),
    "other_day": Msg("ui", "This ticket is of {d}, not of today"),
    "transferred": Msg(
        "ui",
        "✓ {n} transferred to {lane}. The visitor keeps number {n} and is called by it "
        "(recorded as {m}).",
    ),
    "transferred_from": Msg("ui", "Transferred visitor (holds {n}, recorded as {m})"),
    "waited_for": Msg("ui", "Waited {m} min (issued {at})"),
    "slot_of": Msg("ui", "Reservation {s}"),
    "calls": Msg("ui", "Called {n} times"),
    "lost_call": Msg(
        "ui", "{n} had already been called by counter {c}. Please call the next visitor (F1)."
    ),
    "board_silent": Msg(
        "ui",
        "Calls are not reaching the display board. Please call the number aloud "
        "(board last heard {t}).",
    ),
    "current": Msg("ui", "Current ticket"),
    "nobody": Msg("ui", "Nobody is waiting"),
    "now_calling": Msg("ui", "Now calling"),
    "to_counter": Msg("ui", "Counter {c}"),
    "open_today": Msg("ui", "Open today {o}–{c}"),
    "closed_today": Msg("ui", "Closed today: {r}"),
    "node": Msg("ui", "PC"),
    "demo_clock": Msg("ui", "Demo time {t}"),
    "staff": Msg("ui", "Staff"),
    "minutes": Msg("ui", "{m} min"),
    "documents": Msg("ui", "Documents brought"),
    "choose_procedure": Msg("ui", "Choose the procedure (1–9, 0)"),
    "choose_applicant": Msg("ui", "Choose the applicant type (Q/W/E)"),
    "reservation_only": Msg(
        "ui", "{p} needs a reservation: point the visitor to the web booking ({n} left today)"
    ),
    "reservation_mark": Msg("ui", "reservation only"),
    "paused": Msg("ui", "paused: {r}"),
    "turn_back": Msg("ui", "Missing documents (F5)"),
    "turned_back": Msg("ui", "No ticket: documents missing"),
    "reprint": Msg("ui", "Reprint (F6)"),
    "ticket_language": Msg("ui", "Ticket language (F2)"),
    "cancel_ticket": Msg("ui", "Cancel (F8)"),
    "cancel_reason": Msg("ui", "Reason for cancelling {n}"),
    "cancelled": Msg("ui", "Ticket {n} cancelled"),
    "soon": Msg("ui", "You will be called soon"),
    "ahead": Msg("ui", "{n} ahead · about {m} min"),
    "capacity_left": Msg("ui", "Reservations left today: {n}"),
    "reprint_queue": Msg("ui", "{n} waiting to reprint (F6)"),
    "walk_in": Msg("ui", "Walk-in"),
    "check_in": Msg("ui", "Check in (Enter)"),
    "checkin_tab": Msg("ui", "Reservations"),
    "scan_hint": Msg("ui", "Scan or type the booking number"),
    "name_hint": Msg("ui", "Find the name (katakana, hiragana or romaji)"),
    "not_found": Msg("ui", "No booking today matches “{q}”"),
    "res_reservation": Msg("ui", "Booking"),
    "res_slot": Msg("ui", "Slot"),
    "res_name_kana": Msg("ui", "Name (kana)"),
    "res_applicant": Msg("ui", "Applicant"),
    "res_state": Msg("ui", "State"),
    "import_title": Msg("ui", "Import reservations"),
    "import_menu": Msg("ui", "Import reservations…"),
    "importing": Msg("ui", "Importing reservations…"),
    "import_done": Msg("ui", "Imported: {a} new, {u} changed, {c} cancelled, {s} unchanged"),
    "import_confirm_cancel": Msg("ui", "Cancel these bookings and import the file?"),
    "import_not_done": Msg("ui", "Import stopped: nothing was imported"),
    "import_refused": Msg("ui", "{n} problems: nothing was imported:"),
    "sync_status": Msg("ui", "Sync: {w} waiting to go out"),
    "sync_none": Msg("ui", "No shared folder (this PC only)"),
    "internal_error": Msg(
        "ui", "An internal error happened (written to the log). You can carry on."
    ),
    "offline_banner": Msg("ui", "⚠ Offline: {m}"),
    "banner_offline": Msg(
        "ui",
        "the shared folder cannot be reached. This PC works on; what it records goes out "
        "when the share is back.",
    ),
    "banner_write_failed": Msg(
        "ui",
        "the shared folder cannot be written. This PC's records are safe here and go out "
        "once it can be written.",
    ),
    "banner_halted": Msg(
        "ui",
        "this PC has stopped recording: its data folder was copied or restored, or another "
        "PC writes under its identity. Call IT (madoguchi identity).",
    ),
    "staff_role": Msg("ui", "{s} ({r})"),
    "pause_hint": Msg("ui", "J-LIS down"),
    "outcomes_title": Msg("ui", "Outcome of each procedure (F3)"),
    "moving_on": Msg("ui", "Then {lane}: {p} (F3 transfers)"),
    "moved_on": Msg(
        "ui", "✓ Recorded here and transferred to the {lane}. The visitor keeps number {n}."
    ),
    "expected_end": Msg("ui", "Today's reception expected to end  {e}"),
    "after_close": Msg("ui", "{t} (after closing)"),
    "no_counter": Msg("ui", "no counter"),
    "not_today": Msg("ui", "tomorrow or later"),
    "cutoff_passed": Msg("ui", "reception ended ({t})"),
    "ends_after_close": Msg("ui", "expected end {t} (after closing)"),
    "multi": Msg("ui", "+ Several procedures (+)"),
    "route_first": Msg("ui", "→ {lane}: {p}"),
    "route_then": Msg("ui", "→ then {lane}: {p} (same number, transferred)"),
    "priority_none": Msg("ui", "No priority (F3)"),
    "priority_reason": Msg("ui", "Priority: {r} (F3)"),
    "priority_mark": Msg("ui", "Priority ({r})"),
    "mode_period": Msg("ui", "Operating mode {m} ({s}, {r}): {d}"),
    "pause_counter": Msg("ui", "Pause (Ctrl+P)"),
    "resume_counter": Msg("ui", "Reopen (Ctrl+P)"),
    "pause_reason": Msg("ui", "Reason for the pause"),
    "counter_paused": Msg(
        "ui", "Paused: {r} (since {t}). Reopen the counter to call the next visitor."
    ),
}


class Named(Protocol):
    """A thing named in Japanese and in English by the site's data."""

    @property
    def name_ja(self) -> str: ...

    @property
    def name_en(self) -> str: ...


class Texts:
    """The window's texts in the chosen language (one per window tree, not global).

    Args:
        lang: ``ja`` or ``en``.
    """

    def __init__(self, lang: str = "ja") -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        """Returns a text of :data:`TEXTS` by key, formatted with ``values``."""
        return self.msg(TEXTS[key], **values)

    def msg(self, message: Msg, **values: object) -> str:
        """Returns a text of any window's table in this language, formatted with ``values``."""
        return message.text_in(self.lang, **values)

    def name(self, context: str, named: Named) -> str:
        """Returns the name of a thing of the site's data (a procedure, a lane, an applicant
        type) in this language (:func:`app.core.i18n.data_name`)."""
        return data_name(self.lang, context, named.name_ja, named.name_en)

    def msg_or(self, message: Msg | None, missing: str) -> str:
        """Returns a text of a table in this language, or ``missing`` (a code the table
        lacks: a record of a newer version)."""
        return missing if message is None else message.text_in(self.lang)

    def error(self, exc: UserError) -> str:
        """Returns a user error's message in this language (Japanese if it has no English)."""
        return exc.in_language(self.lang)


def install_qt_translation(app: QApplication, lang: str) -> QTranslator | None:
    """Loads Qt's own Japanese translation for standard dialogs and buttons."""
    if lang != "ja":
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Japanese), "qtbase", "_", folder):
        app.installTranslator(translator)
        return translator
    return None
