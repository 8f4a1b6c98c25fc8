"""The 報告書 tab: builds a report in a worker thread and writes it in the chosen formats.

The worker (:class:`app.reports.writer.ReportWriter`) opens its own connection to the node's
database, so building a month or a year never freezes the window; the bar moves one step for
the counting and one per file written.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QObject, QStandardPaths, Qt, QUrl, Signal, SignalInstance
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.reports.kinds import FORMATS
from app.reports.writer import ReportWriter
from app.services import ManagerServices
from ui.admin.edit_tabs import qdate_day
from ui.admin.texts import ADMIN_TEXTS, REPORT_KINDS
from ui.widgets.i18n import Texts
from ui.widgets.labels import error_label


class ReportJob(QObject):
    """Builds one report and writes its files in a daemon thread (:class:`ReportWriter`).

    Signals:
        progress(int, int, str): steps done, steps in all, the format being written ('' while
            counting).
        done(list): the paths written.
        failed(str): why the report could not be made.
    """

    progress = Signal(int, int, str)
    done = Signal(list)
    failed = Signal(str)

    def __init__(self, writer: ReportWriter, kind: str, spec: str, formats: list[str],
                 folder: Path, parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._writer = writer
        self._args = (kind, spec, formats, folder)
        self._thread = threading.Thread(target=self._run, name="madoguchi-report", daemon=True)

    def start(self) -> None:
        """Starts the work."""
        self._thread.start()

    def _run(self) -> None:
        kind, spec, formats, folder = self._args
        try:
            written = self._writer.write(
                kind, spec, formats, folder,
                lambda done, total, fmt: self._emit(self.progress, done, total, fmt),
            )  # fmt: skip
        except Exception as exc:  # the window must hear of any failure
            self._emit(self.failed, str(exc))
            return
        self._emit(self.done, [str(p) for p in written])

    @staticmethod
    def _emit(signal: SignalInstance, *values: object) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone
            signal.emit(*values)


class ReportsTab(QWidget):
    """Chooses a report, its period, formats and folder, and makes it in the background."""

    def __init__(self, services: ManagerServices, texts: Texts) -> None:
        super().__init__()
        self._services, self._texts = services, texts
        self.job: ReportJob | None = None
        self.files: list[str] = []
        t = texts
        today = services.here.today()
        last_month = today.replace(day=1) - timedelta(days=1)
        self.kind = QComboBox()
        for code, name in REPORT_KINDS.items():
            self.kind.addItem(t.msg(name), code)
        self.kind.currentIndexChanged.connect(self._show_period)
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.month = QDateEdit(QDate(last_month.year, last_month.month, 1))
        self.month.setDisplayFormat("yyyy-MM")
        self.year = QSpinBox()
        self.year.setRange(2020, 2100)
        self.year.setValue(today.year if today.month >= 4 else today.year - 1)
        self.year.setPrefix("FY")
        self.checks: dict[str, QCheckBox] = {}
        formats = QHBoxLayout()
        for fmt in FORMATS:
            check = self.checks[fmt] = QCheckBox(fmt.upper())
            check.setChecked(fmt == "pdf")
            formats.addWidget(check)
        formats.addStretch(1)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        self.folder = QLineEdit(str(Path(documents or Path.home()) / "madoguchi-reports"))
        browse = QPushButton(t.msg(ADMIN_TEXTS["browse"]))
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.form = QFormLayout()
        self.form.addRow(t.msg(ADMIN_TEXTS["report_kind"]), self.kind)
        self.form.addRow(t.msg(ADMIN_TEXTS["report_day"]), self.day)
        self.form.addRow(t.msg(ADMIN_TEXTS["report_month"]), self.month)
        self.form.addRow(t.msg(ADMIN_TEXTS["report_year"]), self.year)
        self.form.addRow(t.msg(ADMIN_TEXTS["formats"]), formats)
        self.form.addRow(t.msg(ADMIN_TEXTS["folder"]), folder_row)
        self.generate_button = QPushButton(t.msg(ADMIN_TEXTS["generate"]))
        self.generate_button.setMinimumHeight(44)
        self.generate_button.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.generate_button.clicked.connect(lambda: self.generate())
        self.bar = QProgressBar()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status = QLabel()
        self.error = error_label()
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(self._open)
        left = QVBoxLayout()
        left.addLayout(self.form)
        left.addWidget(self.generate_button)
        left.addWidget(self.bar)
        left.addWidget(self.status)
        left.addWidget(self.error)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel(t.msg(ADMIN_TEXTS["written"])))
        right.addWidget(self.list, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._show_period()

    def _show_period(self) -> None:
        kind = str(self.kind.currentData())
        self.form.setRowVisible(self.day, kind in ("daily", "structure"))
        self.form.setRowVisible(self.month, kind in ("monthly", "sla", "training"))
        self.form.setRowVisible(self.year, kind == "annual")

    def spec(self) -> str:
        """Returns the period the form names, as the report expects it."""
        kind = str(self.kind.currentData())
        if kind in ("daily", "structure"):
            return qdate_day(self.day.date()).isoformat()
        if kind == "annual":
            return f"FY{self.year.value()}"
        return self.month.date().toString("yyyy-MM")

    def choose_folder(self) -> None:
        """Asks for the folder the files go to."""
        name = QFileDialog.getExistingDirectory(
            self, self._texts.msg(ADMIN_TEXTS["folder"]), self.folder.text()
        )
        if name:
            self.folder.setText(name)

    def generate(self, kind: str | None = None, spec: str | None = None,
                 formats: list[str] | None = None, folder: Path | None = None) -> bool:  # fmt: skip
        """Starts making a report (default: what the form shows); False if it cannot start."""
        t = self._texts
        if self.job is not None:
            self.error.setText(t.msg(ADMIN_TEXTS["report_busy"]))
            return False
        kind = kind or str(self.kind.currentData())
        spec = spec or self.spec()
        formats = formats or [f for f, check in self.checks.items() if check.isChecked()]
        target = folder or (
            Path(self.folder.text().strip()) if self.folder.text().strip() else None
        )
        if not formats:
            self.error.setText(t.msg(ADMIN_TEXTS["no_format"]))
            return False
        if target is None:
            self.error.setText(t.msg(ADMIN_TEXTS["no_folder"]))
            return False
        self.error.clear()
        self.status.setText(t.msg(ADMIN_TEXTS["generating"], s=t.msg(ADMIN_TEXTS["step_build"])))
        self.files = []
        self.list.clear()
        self.bar.setRange(0, 1 + len(formats))
        self.bar.setValue(0)
        self.generate_button.setEnabled(False)
        self.job = ReportJob(self._services.reports, kind, spec, formats, target, parent=self)
        self.job.progress.connect(self.show_progress)
        self.job.done.connect(self.show_done)
        self.job.failed.connect(self.show_failure)
        self.job.start()
        return True

    def show_progress(self, done: int, total: int, fmt: str) -> None:
        """Moves the bar and says what is being done."""
        t = self._texts
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        step = (
            t.msg(ADMIN_TEXTS["step_write"], f=fmt.upper())
            if fmt
            else t.msg(ADMIN_TEXTS["step_build"])
        )
        self.status.setText(t.msg(ADMIN_TEXTS["generating"], s=step) if done < total else "")

    def show_done(self, paths: list[str]) -> None:
        """Lists the files written."""
        self._finish()
        self.files = list(paths)
        for path in paths:
            size = Path(path).stat().st_size if Path(path).exists() else 0
            item = QListWidgetItem(
                f"{path}  ({self._texts.msg(ADMIN_TEXTS['bytes'], n=f'{size:,}')})"
            )
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.list.addItem(item)
        self.status.setText(self._texts.msg(ADMIN_TEXTS["report_done"], n=len(paths)))

    def show_failure(self, message: str) -> None:
        """Shows why the report could not be made."""
        self._finish()
        self.status.clear()
        self.error.setText(self._texts.msg(ADMIN_TEXTS["report_failed"], e=message))

    def _finish(self) -> None:
        if self.job is not None:
            self.job.deleteLater()
        self.job = None
        self.generate_button.setEnabled(True)

    def _open(self, item: QListWidgetItem) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(item.data(Qt.ItemDataRole.UserRole))))
