"""The main window of a node: its role panel, the live queue and the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.actor import NODE_ROLES, ROLES, Actor
from app.core.i18n import language
from app.model.clock import to_datetime
from app.queue.tickets import STATE_NAMES
from app.services import Services
from ui.shell.lan_runner import LanRunner
from ui.shell.signin import SignInDialog
from ui.shell.sync_runner import SyncRunner
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts
from ui.widgets.keys import bind_key
from ui.widgets.queue_model import COL_APPLICANT, COL_ISSUED, COL_NUMBER, COL_WAITED, QueueModel
from ui.widgets.tables import KeyedTableView

if TYPE_CHECKING:
    from ui.display.board import DisplayBoard


class MainWindow(QMainWindow):
    """One node's window, for the role it was set up with.

    The display board's window is the public screen itself: no menu, no status bar, no
    staff banner (only the board's small staff mark); as a kiosk it fills the screen and
    only a staff member's PIN closes it (Esc, or any attempt to close it).

    Args:
        services: the services of the node shown (:meth:`app.services.Services.of`).
        actor: the signed-in staff member (None on the display board).
        texts: the language.
        sync: run the background sync rounds when the PC has a shared folder.
        kiosk: the board's window may only be closed with a staff member's PIN.

    Signals:
        signed_out: the staff member signed out; the shell asks for sign-in again.
    """

    signed_out = Signal()

    def __init__(self, services: Services, actor: Actor | None, texts: Texts,
                 sync: bool = True, kiosk: bool = False) -> None:  # fmt: skip
        super().__init__()
        self.services, self.actor, self.texts = services, actor, texts
        self.here = services.here
        self.did_sign_out = False
        self.kiosk = kiosk
        self.leaving = False
        self.identity = self.here.identity
        settings = self.here.settings
        self.hub = Hub(self.here.data_version, settings.screens.poll_ms, parent=self)
        self.hub.tick.connect(self.update_clock)
        self.last_sync: dict[str, object] | None = None
        self._build()
        self.sync: SyncRunner | None = None
        self.lan: LanRunner | None = None
        if sync and self.identity.share_dir:
            self.sync = SyncRunner(self.here.data_dir, settings.sync.interval_seconds, parent=self)
            self.sync.report.connect(self.show_sync)
            # A move made here goes out at once (what the round itself wrote wakes nothing);
            # what a round brings in shows at once (show_sync).
            self.hub.wrote.connect(self.sync.wake)
            self.sync.start()
            if settings.lan.enabled:  # the same, over the LAN, in a tenth of a second
                self.lan = LanRunner(self.here.data_dir, parent=self)
                self.lan.news.connect(self.hub.poll)
                self.hub.wrote.connect(self.lan.wake)
                self.lan.start()

    def show_sync(self, report: dict[str, object]) -> None:
        """Shows a sync round's outcome: status bar text and the offline banner."""
        self.last_sync = report
        if report.get("imported"):
            self.hub.poll()  # the views re-read now, not at the hub's next look
        if self.board is not None:
            self.board.show_link(report)
            return
        texts = self.texts
        self.sync_label.setText(texts("sync_status", w=report["waiting"]))
        message = str(report.get("message") or "")
        alarm = bool(
            report.get("offline") or report.get("clone_alarm") or report.get("write_failed")
        )
        if texts.lang == "en":  # the round's message is Japanese: say it from its flags
            kind = ("halted" if report.get("clone_alarm") else
                    "write_failed" if report.get("write_failed") else "offline")  # fmt: skip
            message = texts(f"banner_{kind}")
        self.banner.setText(texts("offline_banner", m=message) if alarm else "")
        self.banner.setVisible(alarm)

    @property
    def is_board(self) -> bool:
        """Tells whether this window is the waiting room's display board."""
        return self.identity.role == "display" or self.actor is None

    def _build(self) -> None:
        texts, identity = self.texts, self.identity
        role_name = texts.msg(NODE_ROLES[identity.role])
        self.setWindowTitle(f"madoguchi — {role_name} — {identity.name}")
        if self.is_board:
            self._build_board()
            return
        self.menuBar().clear()
        file_menu = self.menuBar().addMenu(texts("file"))
        if self.actor is not None:
            sign_out = QAction(texts("sign_out"), self)
            sign_out.triggered.connect(self.sign_out)
            file_menu.addAction(sign_out)
        if self.actor is not None and self.actor.may("reservation.manage"):
            importer = QAction(texts("import_menu"), self)
            importer.triggered.connect(self.import_reservations)
            file_menu.addAction(importer)
        if (
            identity.role == "counter"
            and self.actor is not None
            and self.actor.may("calendar.edit")
        ):
            setup = QAction(texts("counter_setup"), self)
            setup.triggered.connect(self.setup_counter)
            file_menu.addAction(setup)
        quit_action = QAction(texts("quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(texts("view"))
        # The other language, named in itself: the one the switch turns the window to.
        switch = QAction(language("en" if texts.lang == "ja" else "ja").native, self)
        switch.setShortcut(QKeySequence("Ctrl+L"))
        switch.triggered.connect(self.toggle_language)
        view_menu.addAction(switch)

        central = QWidget()
        layout = QVBoxLayout(central)
        self.banner = QLabel()
        self.banner.setObjectName("offline_banner")
        self.banner.setWordWrap(True)
        # Black on amber: readable for every kind of colour vision.
        self.banner.setStyleSheet(
            "background: #e69f00; color: #000000; font-weight: bold; padding: 8px;"
        )
        self.banner.hide()
        layout.addWidget(self.banner)
        self.panel = self._panel()
        layout.addWidget(self.panel, 0 if identity.role != "display" else 1)
        self.model: QueueModel | None = None
        if identity.role != "display":
            self._lanes = identity.lanes if identity.role == "counter" else ()
            self.model = QueueModel(self.here.catalog, texts, parent=self)
            self.refresh_queue()
            self.hub.changed.connect(self.refresh_queue)
            self.hub.tick.connect(self.update_waits)
            self.table = KeyedTableView()
            self.table.setModel(self.model)
            self.table.verticalHeader().hide()
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            # Short cells as wide as they are; the state (優先 …) and the procedures (several
            # in one visit) share the rest with the lane.
            for column in (COL_NUMBER, COL_APPLICANT, COL_ISSUED, COL_WAITED):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
            layout.addWidget(QLabel(texts("queue")))
            layout.addWidget(self.table, 1)
        self.setCentralWidget(central)

        bar = self.statusBar()
        for child in self.findChildren(QLabel, "status"):
            bar.removeWidget(child)
        self.node_label, self.day_label, self.clock_label = QLabel(), QLabel(), QLabel()
        self.sync_label = QLabel(texts("sync_none") if not identity.share_dir else "")
        staff = "—"
        if self.actor is not None:
            staff = texts("staff_role", s=self.actor.staff_id, r=texts.msg(ROLES[self.actor.role]))
            if self.actor.counter:
                staff += f" {texts('to_counter', c=self.actor.counter)}"
        self.node_label.setText(
            f"{texts('node')}: {identity.name} [{identity.node_id}]   {texts('staff')}: {staff}"
        )
        for label in (self.node_label, self.sync_label, self.day_label, self.clock_label):
            label.setObjectName("status")
        bar.addWidget(self.node_label, 1)
        bar.addPermanentWidget(self.sync_label)
        bar.addPermanentWidget(self.day_label)
        bar.addPermanentWidget(self.clock_label)
        self.update_clock()

    def _build_board(self) -> None:
        """The public screen: the board alone (its language alternates by itself)."""
        self.model = None
        self.panel = self._panel()
        self.setCentralWidget(self.panel)
        self.setStyleSheet("QMainWindow { background: #000000; }")
        bind_key(self, "Esc", self.ask_to_leave)
        if self.kiosk:
            self.panel.setCursor(Qt.CursorShape.BlankCursor)

    def ask_to_leave(self) -> bool:
        """Asks for a staff member's PIN and closes the board if it is right.

        Returns:
            Whether the board closes.
        """
        dialog = SignInDialog(self.here, self.services.staff, self.texts, self, leave=True)
        if dialog.exec() and dialog.actor is not None:
            self.leaving = True
            self.close()
            return True
        return False

    def _panel(self) -> QWidget:
        """Makes the role's panel; each role's modules are loaded only on its own PCs."""
        role = self.identity.role
        services = self.services
        self.board: DisplayBoard | None = None
        if role == "display" or self.actor is None:
            from ui.display.board import DisplayBoard

            self.board = DisplayBoard(services.board(), self.texts, self.hub)
            return self.board
        if role == "reception":
            from ui.reception.checkin import CheckinPanel
            from ui.reception.walk_in import ReceptionPanel

            tabs = QTabWidget()  # touch-sized tabs
            tabs.setStyleSheet("QTabBar::tab { font-size: 16px; padding: 12px 24px; }")
            desk = services.reception()
            self.walk_in = ReceptionPanel(desk, self.actor, self.texts, self.hub)
            self.checkin = CheckinPanel(desk, self.actor, self.texts, self.hub)
            tabs.addTab(self.walk_in, self.texts("walk_in"))
            tabs.addTab(self.checkin, self.texts("checkin_tab"))
            return tabs
        if role == "counter":
            from ui.counter.inquiry_panel import InquiryPanel
            from ui.counter.panel import CounterPanel

            tabs = QTabWidget()
            tabs.setStyleSheet("QTabBar::tab { font-size: 16px; padding: 8px 24px; }")
            counter = services.counter()
            self.counter_panel = CounterPanel(counter, self.actor, self.texts, self.hub)
            self.inquiry = InquiryPanel(counter.inquiries, counter.qa, self.actor, self.texts,
                                        self.hub)  # fmt: skip
            tabs.addTab(self.counter_panel, self.texts("counter_tab"))
            tabs.addTab(self.inquiry, self.texts("inquiry_tab"))
            return tabs
        from ui.admin.panel import AdminPanel

        return AdminPanel(services.manager(), self.actor, self.texts, self.hub)

    def refresh_queue(self) -> None:
        """Re-reads the live queue under the panel (in place: the selection stays)."""
        if self.model is not None:
            self.model.show(self.services.queue.live_queue(self._lanes), self.here.now_ms())

    def update_waits(self) -> None:
        """Moves the live queue's waiting minutes on (once a second; cells change in place)."""
        if self.model is not None:
            self.model.set_now(self.here.now_ms())

    def update_clock(self) -> None:
        """Shows the time and whether the center is open today."""
        if self.is_board:
            return  # the board shows its own clock
        now = self.here.now_ms()
        shown = to_datetime(now).strftime("%Y-%m-%d %H:%M:%S")
        if self.here.demo_clock:
            shown = self.texts("demo_clock", t=shown)
        self.clock_label.setText(shown)
        status = self.here.calendar().status(self.here.today())
        if status.open and status.hours is not None:
            text = self.texts(
                "open_today", o=f"{status.hours.open:%H:%M}", c=f"{status.hours.close:%H:%M}"
            )
        else:
            reasons = status.reasons_ja if self.texts.lang == "ja" else status.reasons_en
            text = self.texts("closed_today", r="、".join(reasons))
        self.day_label.setText(text)

    def toggle_language(self) -> None:
        """Switches between Japanese and English."""
        self.texts = Texts("en" if self.texts.lang == "ja" else "ja")
        old = self.centralWidget()
        self._build()
        if old is not None:
            old.deleteLater()
        if self.last_sync is not None:
            self.show_sync(self.last_sync)

    def setup_counter(self) -> None:
        """Lets a site manager change this counter's number and lanes, then rebuilds."""
        from ui.counter.setup_dialog import CounterSetupDialog

        if self.actor is not None and CounterSetupDialog(self.here, self.actor, self.texts).exec():
            self.identity = self.here.identity
            old = self.centralWidget()
            self._build()
            if old is not None:
                old.deleteLater()

    def import_reservations(self) -> None:
        """Imports the web reservation export chosen in a file dialog."""
        from ui.reception.import_dialog import ask_and_import

        if self.actor is not None:
            ask_and_import(self, self.services.imports, self.actor, self.texts)
            self.hub.notify()

    def may_close(self) -> bool:
        """Asks before a counter is closed (or signed out) while a visitor is called or
        being served there; True when the window may close."""
        if self.identity.role != "counter" or self.actor is None or self.leaving:
            return True
        ticket = self.services.queue.current_at(self.actor.counter)
        if ticket is None:
            return True
        number = self.services.queue.held_number(ticket)
        state = self.texts.msg(STATE_NAMES[ticket["state"]])
        question = self.texts("close_counter", n=number, state=state)
        if self.confirm_close(question):
            self.leaving = True
            return True
        return False

    def confirm_close(self, question: str) -> bool:
        """Asks a yes/no question before closing (tests replace it)."""
        answer = QMessageBox.question(self, self.windowTitle(), question)
        return answer == QMessageBox.StandardButton.Yes

    def sign_out(self) -> None:
        """Records the end of the shift and returns to the sign-in dialog."""
        if not self.may_close():
            return
        if self.actor is not None:
            self.services.staff.sign_out(self.actor)
        self.did_sign_out = True
        self.signed_out.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closes the window; a kiosk board asks for a PIN first, a counter with a visitor
        called or being served asks whether to leave them."""
        if self.kiosk and not self.leaving:
            event.ignore()
            QTimer.singleShot(0, self.ask_to_leave)
            return
        if not self.may_close():
            event.ignore()
            return
        self.hub.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.lan is not None:
            self.lan.stop()
        super().closeEvent(event)
