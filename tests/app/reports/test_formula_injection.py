"""Free text reaches the city as text: no export turns what a counter typed into a formula
(CSV/formula injection), in any report, in CSV (both encodings) and XLSX."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.core.actor import Actor
from app.core.node import Node
from app.inquiries.inquiry_log import InquiryService
from app.inquiries.qa import QaService
from app.reports.deliverables import Deliverables
from app.reports.files import neutralise, render
from app.reports.inquiry_reports import build_report
from app.reports.model import Column, Notes, Report, Table
from app.reports.notes import ReportNotes
from app.reports.sla import record_incident, record_sla_plan
from app.reports.structure import Structure
from app.reports.training import TrainingLog
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.exports import (
    DANGEROUS,
    FORMULAS,
    assert_csv_safe,
    assert_xlsx_safe,
    csv_cells,
    libreoffice,
    libreoffice_text,
)

SM = Actor("sm", "site_manager")
#: What the services keep of each formula: they strip leading blanks (tab, CR) themselves.
TYPED = tuple(dict.fromkeys(text.strip() for text in FORMULAS))
MONTH = OPEN_DAY.strftime("%Y-%m")


def _free_text_report() -> Report:
    report = Report("test", FORMULAS[0], FORMULAS[1], header=[(f, f) for f in FORMULAS])
    columns = [Column("番号"), Column("文", "text", 4), Column("差", "number")]
    rows = [[n, text, -1.5] for n, text in enumerate(FORMULAS)]
    report.blocks += [Table(FORMULAS[2], columns, rows, note=FORMULAS[3]),
                      Notes(FORMULAS[4], list(FORMULAS))]  # fmt: skip
    return report


def test_neutralise_follows_the_owasp_rule() -> None:
    for text in FORMULAS:
        assert neutralise(text) == "'" + text
    for text in ("1+1", "相談", "'=1", " =1", "", "a=b"):
        assert neutralise(text) == text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_csv_writes_every_text_cell_as_text(encoding: str) -> None:
    data = render(_free_text_report(), "csv", encoding)
    assert_csv_safe(data, FORMULAS if encoding == "utf-8-sig" else (), encoding)
    cells = csv_cells(data, encoding)
    assert "-1.5" in cells  # a negative number stays a number


def test_xlsx_writes_every_text_cell_as_a_string() -> None:
    data = render(_free_text_report(), "xlsx")
    assert_xlsx_safe(data, FORMULAS)
    sheet = load_workbook(io.BytesIO(data)).worksheets[1]
    assert sheet["C3"].value == -1.5 and sheet["C3"].data_type == "n"


@pytest.fixture
def typed_everywhere(node: Node, clock: FakeClock, clerk: Actor) -> Node:
    """Inquiries, Q&A entries, incidents and improvement plans typed as formulas."""
    inquiries, qa = InquiryService(node), QaService(node)
    for text in TYPED:
        clock.advance(minutes=3)
        inquiries.log(clerk, "other", text, text)
        qa.add(SM, "other", text, text)
    record_incident(node, SM, TYPED[0])
    record_sla_plan(node, SM, MONTH, "wait_p90", TYPED[1], TYPED[2])
    ReportNotes(node).set(SM, OPEN_DAY.isoformat(), "improvement", TYPED[3])
    ReportNotes(node).set(SM, MONTH, "city", TYPED[4])
    TrainingLog(node).record(SM, "cl", OPEN_DAY, TYPED[5], TYPED[6], 1, TYPED[7])
    Structure(node).assign(SM, "cl", "worker", OPEN_DAY, TYPED[8])
    Deliverables(node).add_meeting(SM, OPEN_DAY, "monthly", TYPED[9])
    return node


EXPORTS = (("inquiries", OPEN_DAY.isoformat()), ("inquiries", MONTH), ("qa", ""),
           ("qa", OPEN_DAY.isoformat()), ("daily", OPEN_DAY.isoformat()),
           ("monthly", MONTH), ("sla", MONTH), ("annual", "2026"), ("training", MONTH),
           ("structure", OPEN_DAY.isoformat()))  # fmt: skip
#: The free texts each report carries whole in a cell of its own (the SLA report's plan and
#: follow-up are inside a line of its notes).
WHOLE = {"inquiries": TYPED, "qa": TYPED, "sla": (TYPED[0],), "daily": (TYPED[3],),
         "monthly": (TYPED[4],), "training": (TYPED[5], TYPED[6], TYPED[7]),
         "structure": (TYPED[8],)}  # fmt: skip
#: The free texts each report carries somewhere.
CARRIED = {"sla": (TYPED[0], TYPED[1], TYPED[2]), "daily": (TYPED[0], TYPED[3]),
           "monthly": (TYPED[0], TYPED[1], TYPED[2], TYPED[3], TYPED[4]),
           "annual": (TYPED[0],)}  # fmt: skip


@pytest.mark.parametrize(("kind", "spec"), EXPORTS)
def test_every_report_writes_typed_formulas_as_text(typed_everywhere: Node, kind: str,
                                                     spec: str) -> None:  # fmt: skip
    report = build_report(typed_everywhere, kind, spec)
    texts = CARRIED.get(kind, WHOLE.get(kind, ()))
    assert_csv_safe(render(report, "csv"), texts)
    assert_csv_safe(render(report, "csv", "cp932"), (), "cp932")
    assert_xlsx_safe(render(report, "xlsx"), texts)
    if kind in WHOLE:  # the texts were whole cells: each one neutralised, nothing lost
        cells = csv_cells(render(report, "csv"))
        for text in WHOLE[kind]:
            assert ("'" + text if text.startswith(DANGEROUS) else text) in cells


@pytest.mark.slow
def test_libreoffice_shows_the_text_not_its_result(typed_everywhere: Node, tmp_path: Path) -> None:
    program = libreoffice()
    if program is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs it)")
    folder = tmp_path / "out"
    folder.mkdir()
    for kind, spec in (("inquiries", OPEN_DAY.isoformat()), ("qa", "")):
        report = build_report(typed_everywhere, kind, spec)
        file = folder / f"{kind}.xlsx"
        file.write_bytes(render(report, "xlsx"))
        shown = libreoffice_text(program, file, tmp_path / kind)
        assert "=1+1" in shown and "=2*3 と表示される?" in shown and "HYPERLINK" in shown
        assert "Err:" not in shown and "#NAME" not in shown
        assert "click" in shown  # the formula's text, not a live link labelled "click" alone
