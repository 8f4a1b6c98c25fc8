"""Importing the web reservation export from the screens, with a progress bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.core.actor import Actor
from app.core.errors import UserError
from app.reservations.importer import ImportRefused, ImportSummary, ReservationImports
from ui.widgets.i18n import Texts


def import_file(
    parent: QWidget, imports: ReservationImports, actor: Actor, texts: Texts, path: Path
) -> str:
    """Imports one file with a progress dialog; returns the message shown to the user."""
    progress = QProgressDialog(texts("importing"), "", 0, 100, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setCancelButtonText("")  # all or nothing: an import is never half done
    progress.setMinimumDuration(300)

    def step(done: int, total: int) -> None:
        progress.setMaximum(max(total, 1))
        progress.setValue(done)
        QApplication.processEvents()

    try:
        summary: ImportSummary = imports.import_file(actor, path, progress=step)
    except ImportRefused as exc:
        lines = exc.problems
        text = texts("import_refused", n=len(lines)) + "\n" + "\n".join(lines[:20])
        if len(lines) > 20:
            text += f"\n… ({len(lines) - 20})"
        return text
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
