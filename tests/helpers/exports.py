"""Checks every export shares: text written as text (no formula a spreadsheet would run),
and what LibreOffice shows when it opens a file."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

#: Free text as a counter may type it, starting with every character that makes a
#: spreadsheet read a formula (OWASP's list and the full-width forms).
FORMULAS = (
    "=1+1",
    '=HYPERLINK("http://example.com","click")',
    "=2*3 と表示される?",
    "+1+1 と入力した",
    "-1+1 は計算式ではない",
    "@SUM(1,1)",
    "\t=1+1 タブ",
    "\r=1+1 改行",
    "＝1+1 全角",
    "＋81 全角",
    "－の記号",
    "＠全角",
)
#: First characters a spreadsheet may read as a formula.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def csv_cells(data: bytes, encoding: str = "utf-8-sig") -> list[str]:
    """Returns every cell of a CSV export."""
    rows = csv.reader(io.StringIO(data.decode(encoding), newline=""))
    return [cell for row in rows for cell in row]


def assert_csv_safe(data: bytes, texts: tuple[str, ...] = (), encoding: str = "utf-8-sig") -> None:
    """No cell starts like a formula unless it is a number; each text is there, neutralised."""
    cells = csv_cells(data, encoding)
    risky = [c for c in cells if c.startswith(DANGEROUS) and not _NUMBER.match(c)]
    assert not risky, risky
    for text in texts:
        assert any(c == "'" + text or text in c for c in cells), text


def assert_xlsx_safe(data: bytes, texts: tuple[str, ...] = ()) -> None:
    """No formula anywhere; every text a string cell, quote-prefixed when it starts like one;
    each text there whole."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
    book = load_workbook(io.BytesIO(data))
    values: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    values.append(cell.value)
                    if cell.value.startswith(DANGEROUS):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
    for text in texts:
        text = text.replace("\r", "\n")  # XML reads a carriage return as a line feed
        assert any(text == v or text in v for v in values), text


def libreoffice() -> str | None:
    """Returns LibreOffice's program if installed (CI installs it: .ci/run)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_text(program: str, file: Path, out: Path) -> str:
    """Converts a file to PDF with LibreOffice headless and returns the text of its pages."""
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    subprocess.run(
        [program, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(out), str(file)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = out / (file.stem + ".pdf")
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
