"""``madoguchi --smoke``: a quick run through the whole program, from source or frozen.

It checks that a build (above all the PyInstaller bundle) has everything it needs: the
bundled resources, the database migrations, PIN hashing, issuing and rendering a ticket to
PDF, each role's window built offscreen, one sync round through a temporary shared folder
and one export (the day's tickets as CSV). Everything happens in a temporary folder; the
real data folder is never touched.

The last step checks the shared folder rule by rule (:mod:`app.sync.probe`): the one given
with ``--share``, else the one this PC is set up with (``--data-dir`` or the user's data
folder), else the temporary one. On the first Windows PC, IT staff see there whether the
file server does what madoguchi needs, one ``ok``/``FAIL``/``note`` line per rule; only a
scratch folder of its own on the share is written, and removed.

Each step prints one ``smoke: ok`` line; the first step that fails ends the run with one
line naming it, the trace goes to the log (``<temporary folder>/logs/madoguchi.log``) and
the temporary folder is kept for a look. Exit code 0 means every step passed.
A windowed build has no console: the lines are then simply not printed.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import __version__
from app.cli.output import Output
from app.core.logs import setup_logging

log = logging.getLogger(__name__)

#: The steps in order; each is the method ``step_<name>`` of :class:`Smoke`.
STEPS = ("resources", "migrate", "staff", "ticket", "print", "windows", "sync", "report",
         "share")  # fmt: skip

#: name, role, counter, issuer block of the temporary site's PCs (one per role).
NODES = (
    ("reception", "reception", None, 0),
    ("counter", "counter", "1", 1),
    ("display", "display", None, 2),
    ("admin", "admin", None, 3),
)

EXIT_FAILED = 1


class SmokeError(Exception):
    """A check of the smoke run that did not hold; the message says which."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeError(message)


class Smoke:
    """One smoke run in a temporary folder.

    Args:
        workdir: an empty folder for the site (node folders, share, tickets, report).
        say: where each result line goes.
        say_error: where the failure line goes (default: ``say``).
        probe: the shared folder the ``share`` step checks (default: the temporary one).
    """

    def __init__(
        self,
        workdir: Path,
        say: Callable[[str], None],
        say_error: Callable[[str], None] | None = None,
        probe: Path | None = None,
    ) -> None:
        from app.core.node import Node

        self.workdir = Path(workdir)
        self.say = say
        self.say_error = say_error or say
        self.share = self.workdir / "share"
        self.probe = probe
        self.nodes: dict[str, Node] = {}
        self.ticket: dict[str, Any] = {}
        self.actor: Any = None

    # -- running ------------------------------------------------------------------------

    def run(self) -> int:
        """Runs every step; returns 0, or 1 after one line naming the failed step."""
        started = time.monotonic()
        try:
            for name in STEPS:
                step_started = time.monotonic()
                try:
                    detail = getattr(self, f"step_{name}")()
                except Exception as exc:
                    log.exception("smoke step %s failed", name)
                    self.say_error(f"smoke: FAILED at step {name}: {type(exc).__name__}: {exc}")
                    return EXIT_FAILED
                ms = (time.monotonic() - step_started) * 1000
                log.info("smoke step %s ok: %s", name, detail)
                self.say(f"smoke: ok {name:<9} {ms:6.0f} ms  {detail}")
        finally:
            for node in self.nodes.values():
                node.close()
        frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
        self.say(
            f"smoke: passed all {len(STEPS)} steps in {time.monotonic() - started:.1f} s "
            f"(madoguchi {__version__}, {frozen})"
        )
        return 0

    # -- the steps ------------------------------------------------------------------------

    def step_resources(self) -> str:
        """The bundled resources are where :func:`app.core.paths.resources_dir` looks."""
        from app.core.paths import font_path, resources_dir

        folder = resources_dir()
        needed = ["site.toml", "catalog.toml", "fonts/ipaexg.ttf",
                  "fonts/IPA_Font_License_Agreement_v1.0.txt"]  # fmt: skip
        missing = [name for name in needed if not (folder / name).is_file()]
        _check(not missing, f"missing in {folder}: {', '.join(missing)}")
        _check(font_path().stat().st_size > 1_000_000, f"font too small: {font_path()}")
        return str(folder)

    def step_migrate(self) -> str:
        """Sets up one PC per role (migrating each new database) sharing one site key."""
        from app.core.node import Node
        from app.sim.demo import open_day_shift

        self.share.mkdir(parents=True)
        (self.workdir / "tickets").mkdir()
        site_key = secrets.token_hex(32)
        shift: int | None = None
        for name, role, counter, block in NODES:
            node = Node(self.workdir / name)
            self.nodes[name] = node
            node.initialise(site_id="smoke", name=f"smoke-{name}", role=role,
                            share_dir=str(self.share), printer=f"pdf:{self.workdir / 'tickets'}",
                            counter=counter, issuer_block=block, site_key=site_key)  # fmt: skip
            # The check runs at any hour of any day: its PCs live on an open day, as a demo's.
            shift = open_day_shift(node, node.now_ms()) if shift is None else shift
            node.set_demo_clock(shift)
        wanted: list[str] = []
        for name, node in self.nodes.items():
            applied, wanted = node.schema()
            _check(applied == wanted, f"{name}: migrations {applied}, expected {wanted}")
        return f"{len(self.nodes)} nodes, {len(wanted)} migrations each, last {wanted[-1]}"

    def step_staff(self) -> str:
        """Adds a floor manager and signs in with the PIN (scrypt through OpenSSL)."""
        from app.core.actor import SYSTEM
        from app.core.staff import StaffService

        staff = StaffService(self.nodes["reception"])
        pin = f"{secrets.randbelow(10**6):06d}"
        staff.add(SYSTEM, "smoke-fm", "スモーク 受付", "floor_manager", pin)
        self.actor = staff.authenticate("smoke-fm", pin)
        return f"signed in as {self.actor.staff_id} ({self.actor.role})"

    def step_ticket(self) -> str:
        """Issues a walk-in ticket at reception."""
        from app.queue.tickets import TicketService

        catalog = self.nodes["reception"].catalog
        walk_in = next(p for p in catalog.procedures.values() if not p.reservation)
        applicant = "self" if "self" in walk_in.applicants else walk_in.applicants[0]
        row = TicketService(self.nodes["reception"]).issue(self.actor, walk_in.code, applicant)
        self.ticket = dict(row)
        return f"{row['number']} ({walk_in.code}/{applicant}) {row['ticket_id']}"

    def step_print(self) -> str:
        """Lays out, renders and prints the ticket to a PDF folder (and an ESC/POS dummy)."""
        from app.printing.printers import PdfFolderPrinter, print_ticket

        reception = self.nodes["reception"]
        folder = self.workdir / "tickets"
        result = print_ticket(reception, self.ticket["ticket_id"],
                              PdfFolderPrinter(folder, reception.today))  # fmt: skip
        _check(result.ok, result.message)
        _check(result.pdf.startswith(b"%PDF"), "the rendered ticket is not a PDF")
        _check(result.png.startswith(b"\x89PNG"), "the ticket raster is not a PNG")
        files = sorted(folder.rglob("*.pdf"))
        _check(len(files) == 1, f"expected one PDF in {folder}, found {len(files)}")
        _check(files[0].read_bytes().startswith(b"%PDF"), f"{files[0]} is not a PDF")
        pdf = f"{files[0].name} ({len(result.pdf):,} bytes PDF, {len(result.png):,} bytes PNG)"
        return f"{pdf}; {self._escpos()}"

    def _escpos(self) -> str:
        """Prints the ticket to python-escpos's dummy device, if the extra is installed."""
        from app.printing.printers import print_ticket

        try:
            from escpos.printer import Dummy
        except ImportError:
            return "ESC/POS: not installed"
        from app.printing.escpos_printer import EscposPrinter

        device = Dummy()
        with contextlib.redirect_stdout(io.StringIO()):  # python-escpos print()s notes
            result = print_ticket(self.nodes["reception"], self.ticket["ticket_id"],
                                  EscposPrinter("dummy", device=device))  # fmt: skip
        _check(result.ok, f"ESC/POS: {result.message}")
        _check(b"\x1d(k" in device.output, "ESC/POS: no native QR command in the output")
        return f"ESC/POS {len(device.output):,} bytes"

    def step_windows(self) -> str:
        """Builds each role's main window offscreen and renders it once."""
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo
        from PySide6.QtWidgets import QApplication

        from app.core.actor import Actor
        from app.services import Services
        from ui.shell.application import application
        from ui.shell.main_window import MainWindow
        from ui.widgets.i18n import Texts, install_qt_translation

        if QApplication.instance() is None:  # Qt aborts the process without its platform
            platform = os.environ["QT_QPA_PLATFORM"].split(":")[0]
            folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
            found = [
                p.name for p in folder.glob("*") if p.stem.removeprefix("lib") == f"q{platform}"
            ]
            _check(bool(found), f"Qt platform plugin {platform!r} is not in {folder}")
        app = application()
        translator = install_qt_translation(app, "ja")
        _check(translator is not None, "Qt's Japanese translation (qtbase_ja) did not load")
        assert translator is not None
        app.removeTranslator(translator)
        actors = {
            "reception": self.actor,
            "counter": Actor("smoke-cl", "clerk", "1"),
            "display": None,  # the display board has nobody signed in
            "admin": Actor("smoke-sm", "site_manager"),
        }
        built = []
        for name, actor in actors.items():
            window = MainWindow(Services.of(self.nodes[name]), actor, Texts("ja"), sync=False)
            try:
                window.resize(1280, 800)
                QApplication.processEvents()
                image = window.grab().toImage()
                _check(not image.isNull() and image.width() > 0, f"{name}: nothing rendered")
                built.append(f"{name}={type(window.panel).__name__}")
            finally:
                window.close()
                window.deleteLater()
                QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return f"{app.platformName()}: " + ", ".join(built)

    def step_sync(self) -> str:
        """Reception exports to the share; the counter imports the ticket from it."""
        from app.queue.tickets import TicketService
        from app.sync.service import SyncService

        sent = SyncService(self.nodes["reception"]).once()
        _check(not sent.offline, f"reception offline: {sent.message}")
        _check(sent.exported > 0 and sent.waiting == 0,
               f"reception exported {sent.exported}, {sent.waiting} still waiting")  # fmt: skip
        got = SyncService(self.nodes["counter"]).once()
        _check(not got.offline, f"counter offline: {got.message}")
        _check(not got.problems, f"counter found problems: {got.problems}")
        seen = TicketService(self.nodes["counter"]).get(self.ticket["ticket_id"])
        return f"exported {sent.exported}, imported {got.imported}, counter sees {seen['number']}"

    def step_report(self) -> str:
        """Writes the day's work report (作業日報) as PDF and CSV, computed from the events."""
        from app.reports.files import save
        from app.reports.inquiry_reports import build_report

        reception = self.nodes["reception"]
        report = build_report(reception, "daily", reception.today().isoformat())
        folder = self.workdir / "reports"
        folder.mkdir()
        sizes = []
        for fmt in ("pdf", "csv"):
            path = folder / f"daily-{reception.today().isoformat()}.{fmt}"
            sizes.append(save(report, fmt, path)[1])
            _check(path.stat().st_size > 0, f"{path} is empty")
        _check((folder / f"daily-{reception.today().isoformat()}.pdf").read_bytes()[:4] == b"%PDF",
               "the daily report is not a PDF")  # fmt: skip
        return f"daily report PDF {sizes[0]:,} bytes, CSV {sizes[1]:,} bytes"

    def step_share(self) -> str:
        """Checks the shared folder rule by rule, one line each (:mod:`app.sync.probe`)."""
        from app.sync.probe import probe_share

        share = self.probe or self.share
        where = "the temporary share" if self.probe is None else "the configured share"
        checks = probe_share(share)
        for check in checks:
            self.say(f"smoke:   share {check.rule:<11} {check.verdict:<4}  {check.detail}")
        failed = [c.rule for c in checks if c.failed]
        _check(not failed, f"{share}: {', '.join(failed)} failed (see the lines above)")
        return f"{where} {share}: {len(checks)} rules checked"


def run_smoke(workdir: Path, say: Callable[[str], None] | None = None,
              probe: Path | None = None) -> int:  # fmt: skip
    """Runs the smoke steps in ``workdir``; returns the exit code.

    Args:
        workdir: an empty folder for the temporary site.
        say: where the result lines go (default: stdout, if there is one).
        probe: the shared folder the ``share`` step checks (default: the temporary one).
    """
    if say is not None:
        return Smoke(workdir, say, probe=probe).run()
    out = Output(as_json=False)
    return Smoke(workdir, lambda line: out.emit(None, line), to_stderr, probe).run()


def configured_share(argv: list[str]) -> Path | None:
    """Returns the share ``--smoke`` checks: ``--share``, else the one the PC's data folder
    (``--data-dir`` or the user's) is set up with, read without opening the database for
    writing; None when there is neither.

    Raises:
        SmokeError: ``--share`` names a path this platform cannot use.
    """
    import argparse

    from app.core.sharepath import ShareError, normalise_share

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--share")
    parser.add_argument("--data-dir", type=Path)
    args, _ = parser.parse_known_args(argv)
    if args.share:
        try:
            return Path(normalise_share(args.share))
        except ShareError as exc:
            raise SmokeError(str(exc)) from None
    from app.core.paths import default_data_dir
    from app.sync.probe import configured_share as of_data_dir

    return of_data_dir(args.data_dir or default_data_dir())


def to_stderr(line: str) -> None:
    """Writes a line to stderr when there is one (a windowed build has none)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(line + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """``madoguchi --smoke [--share DIR] [--data-dir DIR]``: runs the smoke steps in a new
    temporary folder, and checks the shared folder (see the module docstring).

    The folder is deleted when every step passed and kept (with its log) otherwise.
    """
    from ui.shell.application import install_qt_message_handler

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    workdir = Path(tempfile.mkdtemp(prefix="madoguchi-smoke-"))
    # python-escpos caches its printer database in a new temporary folder on every import
    # unless told where; keep it in ours, which goes away after a pass.
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(workdir))
    setup_logging(workdir)
    install_qt_message_handler()
    try:
        code = run_smoke(workdir, probe=configured_share(argv or []))
    except Exception as exc:  # anything outside the steps (should not happen)
        log.exception("smoke run failed")
        to_stderr(f"smoke: FAILED: {type(exc).__name__}: {exc}")
        code = EXIT_FAILED
    if code == 0:
        _close_logs(workdir)
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        to_stderr(f"smoke: log and files kept in {workdir}")
    return code


def _close_logs(folder: Path) -> None:
    """Closes the log handlers writing into ``folder`` so it can be deleted (Windows)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        name = getattr(handler, "baseFilename", "")
        if name and Path(name).is_relative_to(folder):
            root.removeHandler(handler)
            handler.close()
