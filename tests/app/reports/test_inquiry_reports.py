"""The inquiry log and Q&A reports and exports (no personal data), and their command line."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.cli.main import main
from app.core.actor import SYSTEM, Actor
from app.core.node import Node
from app.core.privacy import PrivacyError, find_contact_data
from app.inquiries.inquiry_log import InquiryService
from app.inquiries.qa import QaService, seed_default_qa
from app.inquiries.qa_seed import DEFAULT_QA
from app.reports.files import render
from app.reports.inquiry_reports import build_report
from app.reservations.bookings import ReservationService
from tests.app.inquiries.test_inquiries import MY_NUMBER, PERSONAL, SM
from tests.helpers.clock import OPEN_DAY, FakeClock

BOOKING_KEY = re.compile(r"\b[A-Za-z0-9]{3}-\d{6}\b")


# -- reports and exports ------------------------------------------------------------------------


@pytest.fixture
def day_of_inquiries(node: Node, clock: FakeClock, clerk: Actor) -> Node:
    """A day with a named reservation, the default collection and inquiries about them."""
    ReservationService(node).book(SYSTEM, "RZQ55501234", OPEN_DAY, "11:00", "issuance", "self",
                                  "ヒミツノ ハナコ")  # fmt: skip
    ids = seed_default_qa(node, SM)
    service = InquiryService(node)
    for n, (code, question, answer) in enumerate(DEFAULT_QA[:6]):
        clock.advance(minutes=25)
        service.log(clerk, code, question if n % 2 else "", answer if n % 2 else "",
                    qa_id=None if n % 2 else ids[n])  # fmt: skip
    clock.advance(minutes=25)
    service.log(clerk, "other", "コンビニで住民票が取れるか", "カードで取れると案内")
    for text in PERSONAL.values():
        with pytest.raises(PrivacyError):
            service.log(clerk, "other", text, "案内した")
    return node


def _texts(data: bytes, fmt: str) -> list[str]:
    texts = [data.decode("latin-1")]
    if fmt == "pdf":
        texts.append("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    elif fmt == "csv":
        texts.append(data.decode("utf-8-sig"))
    else:
        book = load_workbook(io.BytesIO(data))
        texts.append("\n".join(str(c.value) for s in book.worksheets for row in s.iter_rows()
                               for c in row if c.value is not None))  # fmt: skip
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    return texts


def test_inquiry_and_qa_exports_carry_no_personal_data(day_of_inquiries: Node) -> None:
    node = day_of_inquiries
    secrets = ["RZQ55501234", "ヒミツノ ハナコ", "職員 cl", MY_NUMBER, "090-1234-5678",
               "yamada.taro", "AB1-234567", "昭和60年"]  # fmt: skip
    for kind, spec in (("inquiries", OPEN_DAY.isoformat()), ("qa", ""), ("qa", "2026-11-24")):
        report = build_report(node, kind, spec)
        for fmt in ("pdf", "csv", "xlsx"):
            texts = _texts(render(report, fmt), fmt)
            for text in texts:
                assert not [s for s in secrets if s in text], (kind, fmt)
                assert not BOOKING_KEY.search(text), (kind, fmt)
            readable = texts[1]
            assert find_contact_data(readable) is None, (kind, fmt)
            assert "暗証番号を忘れてしまいました" in readable.replace("\n", "")


def test_the_inquiry_log_lists_the_day_by_hour_band(day_of_inquiries: Node) -> None:
    report = build_report(day_of_inquiries, "inquiries", OPEN_DAY.isoformat())
    log, by_category, by_hour = report.tables()
    assert len(log.rows) == 7 and [r[0] for r in log.rows] == list(range(1, 8))
    # Logged every 25 minutes from 11:25: 11:25 11:50 12:15 12:40 13:05 13:30 13:55.
    assert [r[1] for r in log.rows] == ["11時台", "11時台", "12時台", "12時台", "13時台",
                                        "13時台", "13時台"]  # fmt: skip
    assert log.rows[0][2:] == ["カード交付", *DEFAULT_QA[0][1:], "○"]
    assert log.rows[-1][2:] == ["その他", "コンビニで住民票が取れるか", "カードで取れると案内", ""]
    assert by_category.rows[-1] == ["合計", 7]
    assert by_hour.rows == [["11時台", 2], ["12時台", 2], ["13時台", 3], ["合計", 7]]
    assert ("件数", "7 件") in report.header


def test_the_inquiry_log_pdf_renders_japanese(day_of_inquiries: Node, tmp_path: Path) -> None:
    data = render(build_report(day_of_inquiries, "inquiries", OPEN_DAY.isoformat()), "pdf")
    pdf = PdfReader(io.BytesIO(data))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = pdf.pages[0].extract_text()
    assert "問い合わせ対応記録" in text and "コンビニで住民票が取れるか" in text
    fonts = {str(f.get("/BaseFont")) for p in pdf.pages
             for f in p["/Resources"]["/Font"].values()}  # fmt: skip
    assert any("IPAexGothic" in f for f in fonts)
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.skip("pdftoppm (poppler) is not installed")
    (tmp_path / "log.pdf").write_bytes(data)
    subprocess.run([exe, "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "log.pdf"),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    page = next(tmp_path.glob("page*.png")).read_bytes()
    assert page[:8] == b"\x89PNG\r\n\x1a\n" and len(page) > 10_000


def test_the_collection_as_of_a_day_comes_from_the_events(node: Node, clock: FakeClock) -> None:
    service = QaService(node)
    kept = service.add(SM, "fee", "手数料は", "無料です")
    gone = service.add(SM, "other", "古い質問", "古い回答")
    clock.set(date(2026, 11, 27), time(10, 0))
    service.edit(SM, kept, answer="初回は無料です")
    service.retire(SM, gone)
    service.add(SM, "visit", "新しい質問", "新しい回答")
    then = build_report(node, "qa", OPEN_DAY.isoformat()).tables()[0].rows
    now = build_report(node, "qa", "").tables()[0].rows
    assert [(r[2], r[3], r[4]) for r in then] == [("手数料は", "無料です", 1),
                                                  ("古い質問", "古い回答", 1)]  # fmt: skip
    assert [(r[1], r[3], r[4]) for r in now] == [("来庁案内", "新しい回答", 1),
                                                 ("手数料", "初回は無料です", 2)]  # fmt: skip
    assert now[1][5] == date(2026, 11, 27)


# -- the command line ---------------------------------------------------------------------------


def test_cli_inquiries_qa_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(tmp_path / "node")]
    monkeypatch.setenv("MADOGUCHI_PIN", "9999")
    assert main([*d, "init", "--site", "s", "--name", "pc", "--role", "admin"]) == 0
    for staff_id, role, pin in (("cl", "clerk", "2222"), ("sm", "site_manager", "4444")):
        monkeypatch.setenv("MADOGUCHI_NEW_PIN", pin)
        assert main([*d, "--staff", "admin", "staff", "add", staff_id, "--name", staff_id,
                     "--role", role]) == 0  # fmt: skip
    monkeypatch.setenv("MADOGUCHI_STAFF", "sm")
    monkeypatch.setenv("MADOGUCHI_PIN", "4444")
    capsys.readouterr()
    assert main([*d, "--json", "qa", "add", "--category", "暗証番号", "--question",
                 "暗証番号を忘れた", "--answer", "窓口で初期化できます"]) == 0  # fmt: skip
    qa_id = json.loads(capsys.readouterr().out)["qa_id"]
    assert main([*d, "qa", "edit", qa_id, "--answer", "予約なしで初期化できます"]) == 0
    assert main([*d, "qa", "list", "--search", "あんしょう"]) == 0  # no match: hiragana ≠ kanji
    assert "該当する質疑応答はありません" in capsys.readouterr().out
    assert main([*d, "--json", "qa", "list", "--search", "暗証　番号"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["version"] == 2
    monkeypatch.setenv("MADOGUCHI_STAFF", "cl")
    monkeypatch.setenv("MADOGUCHI_PIN", "2222")
    assert main([*d, "qa", "edit", qa_id, "--answer", "x"]) == 2
    assert "質疑応答集の編集" in capsys.readouterr().err
    assert main([*d, "inquiry", "add", "--category", "pin", "--qa", qa_id]) == 0
    assert main([*d, "inquiry", "add", "--category", "other", "--question",
                 "090-1234-5678 に電話してほしい", "--answer", "伝えた"]) == 2  # fmt: skip
    assert "電話番号" in capsys.readouterr().err
    assert main([*d, "--json", "inquiry", "list"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["qa_id"], r["answer"]) for r in rows] == [(qa_id, "予約なしで初期化できます")]
    day = rows[0]["day"]
    out = tmp_path / "qa.csv"
    assert main([*d, "qa", "export", "-o", str(out)]) == 0
    assert "予約なしで初期化できます" in out.read_bytes().decode("utf-8-sig")
    assert main([*d, "report", "inquiries", day, "--format", "pdf,xlsx",
                 "-o", str(tmp_path / "inq")]) == 0  # fmt: skip
    assert (tmp_path / "inq.pdf").stat().st_size > 1000 and (tmp_path / "inq.xlsx").exists()
    monkeypatch.chdir(tmp_path)
    assert main([*d, "report", "qa", "--format", "csv"]) == 0
    assert "質疑応答集" in (tmp_path / "qa_latest.csv").read_bytes().decode("utf-8-sig")


def test_inquiry_log_of_a_month_lists_every_day(
    day_of_inquiries: Node, clock: FakeClock, clerk: Actor
) -> None:
    node = day_of_inquiries
    clock.set(date(2026, 11, 27), time(11, 0))
    InquiryService(node).log(clerk, "pin", "暗証番号を忘れた", "初期化の手続を案内")
    clock.set(date(2026, 12, 1), time(11, 0))
    InquiryService(node).log(clerk, "pin", "翌月の問い合わせ", "案内した")
    report = build_report(node, "inquiries", "2026-11")
    assert report.period == "2026-11"
    log, categories, days = report.tables()[:3]
    assert [c.title for c in log.columns][:2] == ["No.", "日付"]
    assert len(log.rows) == 8  # 7 on the 24th, 1 on the 27th; December's is not counted
    assert days.rows == [[OPEN_DAY, 7], [date(2026, 11, 27), 1], ["合計", 8]]
    assert categories.rows[-1] == ["合計", 8]
    assert "翌月の問い合わせ" not in render(report, "csv").decode("utf-8-sig")
