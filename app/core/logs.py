"""The log file of a PC, and what happens to errors nobody caught.

Everything goes to ``logs/madoguchi.log`` in the data folder (rotated at 2 MB, five old
files kept): a windowed program has no console, so nothing here writes to a missing
stderr. An exception that escapes (a bug) is logged with its trace by
:func:`install_crash_handlers`; a hard crash of the interpreter (a segfault in a library)
is written by :mod:`faulthandler` to ``logs/faults.log``, which is never rotated.

The window and the command line of one PC write the same log. On Windows a file another
process holds open cannot be renamed, so rotating the log fails while the other program
runs: :class:`SharedRotatingFileHandler` then keeps writing to the current file and tries
again after another tenth of the limit, instead of dropping every record from then on (what
the standard handler does).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from app.core.mynumber import redact
from app.core.paths import default_data_dir

log = logging.getLogger("madoguchi")

LOG_FILE = "madoguchi.log"
#: The size at which the log is rotated (five old files are kept).
MAX_LOG_BYTES = 2_000_000
FAULTS_FILE = "faults.log"
_faults: IO[str] | None = None  # kept open for faulthandler for the life of the process

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def log_folder(data_dir: Path | None) -> Path:
    """Returns the folder of the log files of a data folder (the user's by default)."""
    return (data_dir or default_data_dir()) / "logs"


def setup_logging(data_dir: Path | None) -> None:
    """Sends log records to the rotating log file of the data folder."""
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    folder = log_folder(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = SharedRotatingFileHandler(folder / LOG_FILE, maxBytes=MAX_LOG_BYTES,
                                            backupCount=5, encoding="utf-8")  # fmt: skip
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redact_record)
    root.addHandler(handler)
    root.setLevel(logging.INFO)


class SharedRotatingFileHandler(RotatingFileHandler):
    """A rotating log that another process may hold open (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._retry_at = 0  # size below which a failed rotation is not tried again

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if self.maxBytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        if self.stream.tell() < max(self.maxBytes, self._retry_at):
            return False
        return bool(super().shouldRollover(record))

    def doRollover(self) -> None:
        """Moves the log aside first, and only then shifts the old files: a log held open
        elsewhere stays where it is and no old file is lost by the attempt."""
        if self.stream:
            self.stream.close()
            self.stream = None
        aside = self.baseFilename + ".rotating"
        try:
            os.replace(self.baseFilename, aside)
        except OSError:
            # held open by the other program of this PC (Windows): write on, try later
            self.stream = self._open()
            self._retry_at = self.stream.tell() + max(1, self.maxBytes // 10)
            return
        try:
            for n in range(self.backupCount - 1, 0, -1):
                older = f"{self.baseFilename}.{n}"
                if os.path.exists(older):
                    os.replace(older, f"{self.baseFilename}.{n + 1}")
            os.replace(aside, self.baseFilename + ".1")
        except OSError:
            pass  # an old file held open: the newest stays in .rotating until next time
        self._retry_at = 0
        self.stream = self._open()


def redact_record(record: logging.LogRecord) -> bool:
    """Masks any My Number in a log record (a refusal or a trace may quote what was typed)."""
    message = record.getMessage()
    masked = redact(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = redact(text)
    return True


def install_crash_handlers(data_dir: Path | None, on_bug: Hook | None = None) -> None:
    """Logs every uncaught exception with its trace, and hard crashes with faulthandler.

    Args:
        data_dir: the PC's data folder (the log folder is inside it).
        on_bug: called after logging (the windows tell the person calmly); its own
            failure is logged too, never raised.
    """
    global _faults
    setup_logging(data_dir)
    if _faults is None:
        try:
            folder = log_folder(data_dir)
            folder.mkdir(parents=True, exist_ok=True)
            _faults = open(folder / FAULTS_FILE, "a", encoding="utf-8")  # noqa: SIM115
            faulthandler.enable(file=_faults, all_threads=True)
        except OSError:
            log.warning("faulthandler could not open its file in %s", log_folder(data_dir))

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.critical("uncaught %s", kind.__name__, exc_info=(kind, error, trace))
        if on_bug is not None:
            try:
                on_bug(kind, error, trace)
            except Exception:
                log.exception("reporting an uncaught error failed")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
