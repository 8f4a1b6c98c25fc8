"""Importing the web reservation export from the screens, with a progress bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.core.actor import Actor
from app.core.errors import UserError
from app.reservations.importer import (
    CancellationsToConfirm,
    ImportRefused,
    ImportSummary,
    ReservationImports,
)
from ui.widgets.i18n import Texts


def ask(parent: QWidget, texts: Texts, question: str) -> bool:
    """Asks a yes/no question; the safe answer (no) is the default."""
    answer = QMessageBox.question(
        parent, texts("import_title"), question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )  # fmt: skip
    return answer == QMessageBox.StandardButton.Yes


def cancellations_text(texts: Texts, error: CancellationsToConfirm) -> str:
    """Says which bookings an import would cancel and asks whether to go on."""
    lines = [f"{b['reservation_id']}  {b['day']} {b['slot']}" for b in error.bookings[:20]]
    if len(error.bookings) > 20:
        lines.append(f"… ({len(error.bookings) - 20})")
    return "\n".join([str(error), "", *lines, "", texts("import_confirm_cancel")])


def import_file(
    parent: QWidget, imports: ReservationImports, actor: Actor, texts: Texts, path: Path,
    confirm: Callable[[str], bool] | None = None,
) -> str:  # fmt: skip
    """Imports one file with a progress dialog; returns the message shown to the user.

    An import that would cancel bookings the file no longer lists shows them and asks
    (``confirm``, default a yes/no box) before it is done.
    """
    try:
        return _import(parent, imports, actor, texts, path, confirm_cancel=False)
    except CancellationsToConfirm as exc:
        agree = confirm or (lambda question: ask(parent, texts, question))
        if not agree(cancellations_text(texts, exc)):
            return texts("import_not_done")
        return _import(parent, imports, actor, texts, path, confirm_cancel=True)


def _import(parent: QWidget, imports: ReservationImports, actor: Actor, texts: Texts,
            path: Path, confirm_cancel: bool) -> str:  # fmt: skip
    progress = QProgressDialog(texts("importing"), "", 0, 100, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setCancelButtonText("")  # all or nothing: an import is never half done
    progress.setMinimumDuration(300)

    def step(done: int, total: int) -> None:
        progress.setMaximum(max(total, 1))
        progress.setValue(done)
        QApplication.processEvents()

    try:
        summary: ImportSummary = imports.import_file(actor, path, progress=step,
                                                     confirm_cancel=confirm_cancel)  # fmt: skip
    except ImportRefused as exc:
        lines = exc.problems
        text = texts("import_refused", n=len(lines)) + "\n" + "\n".join(lines[:20])
        if len(lines) > 20:
            text += f"\n… ({len(lines) - 20})"
        return text
    except CancellationsToConfirm:
        raise
    except (OSError, UserError) as exc:
        return str(exc)
    finally:
        progress.close()
    return texts("import_done", a=summary.added, u=summary.updated, c=summary.cancelled,
                 s=summary.unchanged)  # fmt: skip


def ask_and_import(
    parent: QWidget, imports: ReservationImports, actor: Actor, texts: Texts
) -> None:
    """Asks for the CSV file, imports it and shows the outcome."""
    name, _ = QFileDialog.getOpenFileName(parent, texts("import_title"), "", "CSV (*.csv *.txt)")
    if name:
        QMessageBox.information(parent, texts("import_title"),
                                import_file(parent, imports, actor, texts, Path(name)))  # fmt: skip
