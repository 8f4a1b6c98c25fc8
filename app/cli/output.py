"""What a command prints, how it fails, and where a PIN comes from.

Results go to stdout as text or JSON; a problem the user can fix is one line on stderr; a
windowed build has no console, so nothing here ever writes to a missing stream.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from app.core.errors import UserError
from app.core.mynumber import redact

EXIT_USAGE = 2
EXIT_INTERNAL = 70


class CliError(UserError):
    """A problem the user can fix; printed as one line."""


class Output:
    """Writes results as text or JSON; never fails when there is no console."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def emit(self, data: Any, text: str | Callable[[], str]) -> None:
        """Prints ``data`` as JSON in ``--json`` mode, else the human text."""
        if self.as_json:
            _write(sys.stdout, json.dumps(data, ensure_ascii=False, indent=None))
        else:
            _write(sys.stdout, text() if callable(text) else text)


def _write(stream: Any, text: str) -> None:
    if stream is None:  # a windowed build has no console
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def note_line(text: str) -> None:
    """Prints one line for the person on stderr (when there is one), not an error."""
    _write(sys.stderr, f"madoguchi: {redact(text)}")


def error_line(text: str) -> None:
    """Prints one error line on stderr (when there is one); a My Number in it is masked."""
    _write(sys.stderr, f"madoguchi: エラー: {redact(text)}")


def read_pin(prompt: str = "暗証番号: ", env: str = "MADOGUCHI_PIN") -> str:
    """Returns a PIN from the environment, or asks for it on a terminal."""
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise CliError(f"暗証番号を環境変数 {env} に設定するか、端末から実行してください")
