"""The log file of a PC, and what happens to errors nobody caught.

Everything goes to ``logs/madoguchi.log`` in the data folder (rotated at 2 MB, five old
files kept): a windowed program has no console, so nothing here writes to a missing
stderr. An exception that escapes (a bug) is logged with its trace by
:func:`install_crash_handlers`; a hard crash of the interpreter (a segfault in a library)
is written by :mod:`faulthandler` to ``logs/faults.log``, which is never rotated.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO

from app.core.mynumber import redact
from app.core.paths import default_data_dir

log = logging.getLogger("madoguchi")

LOG_FILE = "madoguchi.log"
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
        handler = RotatingFileHandler(folder / LOG_FILE, maxBytes=2_000_000,
                                      backupCount=5, encoding="utf-8")  # fmt: skip
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redact_record)
    root.addHandler(handler)
    root.setLevel(logging.INFO)


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
