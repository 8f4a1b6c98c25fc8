"""Making a report's files in the background: its own connection, its progress told.

The site manager's 報告書 tab runs :meth:`ReportWriter.write` in a worker thread; the writer
opens its own connection to the node's database there (SQLite connections stay in the
thread that made them), so building a month or a year never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.core.node import Node
from app.reports.files import save
from app.reports.periodic import build_report

#: progress(steps done, steps in all, the format being written or '' while counting)
Progress = Callable[[int, int, str], None]


def report_name(kind: str, spec: str, fmt: str) -> str:
    """Returns the file name of a report, as ``madoguchi report`` names it by default."""
    return f"{kind}_{spec.replace('/', '-')}.{fmt}"


class ReportWriter:
    """Writes reports of one node's data.

    Args:
        data_dir: the node's folder.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def write(self, kind: str, spec: str, formats: list[str], folder: Path,
              progress: Progress | None = None) -> list[Path]:  # fmt: skip
        """Builds one report and writes it in each format; returns the files written.

        One step for the counting, one per file written.
        """
        tell = progress or (lambda done, total, fmt: None)
        total = 1 + len(formats)
        node = Node(self.data_dir)
        try:
            tell(0, total, "")
            report = build_report(node, kind, spec)
            folder.mkdir(parents=True, exist_ok=True)
            written: list[Path] = []
            for n, fmt in enumerate(formats, start=1):
                tell(n, total, fmt)
                path, _ = save(report, fmt, folder / report_name(kind, spec, fmt))
                written.append(path)
            tell(total, total, "")
            return written
        finally:
            node.close()
