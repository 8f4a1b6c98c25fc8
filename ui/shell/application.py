"""Starts the Qt application for a node: fonts, translations, sign-in, the window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget

from app.cli.output import CliError, error_line, note_line
from app.core.actor import Actor
from app.core.i18n import CODES, IPAEX, NOTO_CJK, NOTO_LATIN
from app.core.logs import install_crash_handlers
from app.core.node import Node
from app.core.paths import font_path
from app.core.staff import StaffService
from app.services import Services
from ui.shell.main_window import MainWindow
from ui.shell.signin import SignInDialog
from ui.shell.single_instance import SingleInstance
from ui.widgets.i18n import Texts, install_qt_translation

qt_log = logging.getLogger("madoguchi.qt")

#: The languages of the staff's windows; the display board takes any of the eight
#: (``run --lang zh`` starts it in Chinese, then it cycles as always).
STAFF_LANGUAGES = ("ja", "en")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Sends one of Qt's own messages to the log (and to stderr, when there is one)."""
    level = _QT_LEVELS.get(kind, logging.WARNING)
    qt_log.log(level, "%s", message)
    stream = sys.stderr
    if stream is None or level < logging.WARNING:  # a windowed build has no console
        return
    try:
        stream.write(f"qt: {message}\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def install_qt_message_handler() -> None:
    """Routes Qt's warnings to the log file instead of a console a windowed build lacks.

    Called by the program's entry points only (``madoguchi run``, ``madoguchi --smoke``),
    never at import: under pytest-qt, its own handler must stay.
    """
    qInstallMessageHandler(log_qt_message)


def application() -> QApplication:
    """Returns the QApplication, created once, with the bundled fonts: IPAex Gothic first,
    then the Noto subsets for the Chinese, Korean and Vietnamese texts of the board and the
    reception's language keys (Qt takes a glyph a font lacks from the next family)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("madoguchi")
    families: list[str] = []
    for name in (IPAEX, NOTO_CJK, NOTO_LATIN):
        font_id = QFontDatabase.addApplicationFont(str(font_path(name)))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)[:1]
    if families:
        font = QFont(families[0])
        font.setFamilies(families)
        font.setPointSize(11)
        app.setFont(font)
    return app


def screenshot(widget: QWidget, path: str, size: str | None) -> None:
    """Renders a widget offscreen (at ``WIDTHxHEIGHT`` if given) and saves it as PNG."""
    if size:
        try:
            width, height = (int(x) for x in size.lower().split("x"))
        except ValueError as exc:
            raise CliError(f"--size {size!r} は 幅x高さ（例 1280x800）で指定してください") from exc
        widget.resize(width, height)
    widget.show()
    for _ in range(3):
        QApplication.processEvents()
    if not widget.grab().save(path, "PNG"):
        raise CliError(f"画像を保存できません: {path}")


def preset_actor(node: Node, record: bool = True) -> Actor | None:
    """Signs in from MADOGUCHI_STAFF / MADOGUCHI_PIN when both are set (the demo's windows,
    screenshots). The sign-in is recorded as any other (staffing and reports count it),
    except for a screenshot (``record=False``), which only looks."""
    staff, pin = os.environ.get("MADOGUCHI_STAFF"), os.environ.get("MADOGUCHI_PIN")
    if not staff or not pin:
        return None
    service = StaffService(node)
    sign_in = service.sign_in if record else service.authenticate
    return sign_in(staff, pin, node.identity.counter)


def has_display() -> bool:
    """Tells whether Qt can open a window here (always on Windows and macOS)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def tell_about_bug(kind: type[BaseException], error: BaseException, trace: object) -> None:
    """Says calmly in the active window that an internal error was logged (see app.core.logs)."""
    window = QApplication.activeWindow()
    if isinstance(window, QMainWindow):
        texts = getattr(window, "texts", Texts())
        window.statusBar().showMessage(texts("internal_error"), 20_000)


def come_forward(widget: QWidget) -> None:
    """Brings a window to the front (a second start of the program asked for it)."""
    if widget.isMinimized():
        widget.showNormal()
    if isinstance(widget, MainWindow) and widget.kiosk:
        widget.setGeometry(widget.screen().geometry())
        widget.showFullScreen()
    widget.raise_()
    widget.activateWindow()


def run_shell(args: argparse.Namespace) -> int:
    """Opens the node's window (or saves a screenshot of it) and runs until it closes."""
    install_crash_handlers(args.data_dir, tell_about_bug)
    node = Node(args.data_dir)
    if not node.initialised:
        message = f"{args.data_dir} は初期設定されていません（madoguchi init を実行してください）"
        error_line(message)
        if sys.stderr is None and has_display():  # a windowed program opened by a shortcut
            from PySide6.QtWidgets import QMessageBox

            application()
            QMessageBox.critical(None, "madoguchi", message)
        node.close()
        return 2
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif not has_display():
        error_line(
            "画面（ディスプレイ）がありません。画面のある端末で実行するか --screenshot を使ってください"
        )
        node.close()
        return 2
    if args.lang not in (STAFF_LANGUAGES if node.identity.role != "display" else CODES):
        error_line(f"--lang {args.lang} はこの端末では使えません（職員の画面は ja か en、"
                   f"呼出表示の端末は {' '.join(CODES)}）")  # fmt: skip
        node.close()
        return 2
    app = application()
    instance = SingleInstance(node.data_dir)
    if not args.screenshot and (instance.forward() or not instance.claim()):
        note_line(f"{node.identity.name} の画面は既に開いています（前面に出しました）")
        node.close()
        return 0
    install_qt_translation(app, args.lang)
    texts = Texts(args.lang)
    services = Services.of(node)
    needs_staff = node.identity.role != "display"
    actor = preset_actor(node, record=not args.screenshot) if needs_staff else None
    if args.screenshot:
        widget: QWidget
        if needs_staff and actor is None:
            widget = SignInDialog(services.here, services.staff, texts)
        else:
            widget = MainWindow(services, actor, texts)
        if isinstance(widget, MainWindow) and widget.sync is not None:
            deadline = time.monotonic() + 5
            while widget.last_sync is None and time.monotonic() < deadline:
                QApplication.processEvents()
                time.sleep(0.02)
        tab = getattr(args, "tab", 0)
        panel = getattr(widget, "panel", None)
        if tab and isinstance(panel, QTabWidget):
            if not 1 <= tab <= panel.count():
                raise CliError(f"--tab は 1〜{panel.count()} で指定してください")
            panel.setCurrentIndex(tab - 1)
        size = args.size or (None if isinstance(widget, SignInDialog) else "1280x800")
        screenshot(widget, args.screenshot, size)
        if isinstance(widget, MainWindow):
            widget.leaving = True  # a screenshot only looks: closing asks nothing
        widget.close()
        node.close()
        return 0
    shown: list[QWidget] = []  # the window (or sign-in) a second start brings forward
    instance.raised.connect(lambda: come_forward(shown[-1]) if shown else None)
    while True:
        if needs_staff and actor is None:
            dialog = SignInDialog(services.here, services.staff, texts)
            shown.append(dialog)
            if not dialog.exec():
                node.close()
                return 0
            actor = dialog.actor
        kiosk = not needs_staff and not getattr(args, "windowed", False)
        window = MainWindow(services, actor, texts, kiosk=kiosk)
        shown.append(window)
        if kiosk:  # the waiting room's screen, as a kiosk
            # The screen's size first: without a window manager (a bare X server) the
            # full-screen request alone changes nothing.
            window.setGeometry(window.screen().geometry())
            window.showFullScreen()
        else:
            # A staff window as large as its work needs (the board: a 720p window), within
            # the screen.
            room = window.screen().availableGeometry()
            wanted = (1280, 800) if needs_staff else (1280, 720)
            window.resize(min(wanted[0], room.width()), min(wanted[1], room.height()))
            window.show()
        app.exec()
        texts = window.texts
        if not window.did_sign_out:
            node.close()
            return 0
        actor = None
