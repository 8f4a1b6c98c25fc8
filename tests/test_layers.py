"""Layers: ui → app → db, and app/ and db/ never import Qt."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6", "pytestqt")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_app_and_db_never_import_qt_or_ui() -> None:
    offenders = []
    for package in ("app", "db"):
        for path in (ROOT / package).rglob("*.py"):
            for module in imported_modules(path):
                top = module.split(".")[0]
                if top in QT or top == "ui" or (package == "db" and top == "app"):
                    offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_the_checker_would_catch_a_qt_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport db.store\n", encoding="utf-8")
    assert {"PySide6.QtCore", "db.store"} <= imported_modules(bad)


def test_import_linter_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe is not None, "import-linter is part of the dev extra"
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 kept, 0 broken" in result.stdout


def test_the_cli_runs_without_qt() -> None:
    code = (
        "import sys, app.cli.main\n"
        "rc = app.cli.main.main(['--data-dir', sys.argv[1], 'calendar', '2026-09-20'])\n"
        "assert rc == 0, rc\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / ".pytest-tmp-cli")],
                            cwd=ROOT, capture_output=True, text=True, check=False)  # fmt: skip
    shutil.rmtree(ROOT / ".pytest-tmp-cli", ignore_errors=True)
    assert result.returncode == 0, result.stderr
    assert "第3土曜日の翌日曜日" in result.stdout


SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s+\S|\.execute\(|PRAGMA|\.store\b")


def test_windows_hold_no_sql_and_never_reach_the_store() -> None:
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if SQL.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_sql_check_would_catch_a_query_in_a_window() -> None:
    assert SQL.search('rows = self._node.store.rows("SELECT * FROM tickets")')
    assert SQL.search("conn.execute(sql)")
    assert not SQL.search("self.select_key(view, key)")
