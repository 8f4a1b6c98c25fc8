"""Reports from events: a simulated month, figures checked against the raw events, every
export searched for personal data, SLA verdicts, traceability and the monthly due date."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.cli.main import main
from app.core.actor import SYSTEM, Actor, AuthError
from app.core.node import Node
from app.model.clock import to_datetime
from app.reports.facts import load_facts
from app.reports.figures import FigureKey, Figures, Period, explain, figures_for, percentile
from app.reports.files import render, write_csv
from app.reports.inquiry_reports import build_report as build_any_report
from app.reports.model import Column, Notes, Report, Table
from app.reports.operations import monthly_due_date
from app.reports.periodic import build_report, fiscal_months
from app.reports.sla import (
    SLA_DEFAULTS,
    evaluate,
    is_met,
    load_targets,
    record_incident,
    record_sla_plan,
)
from app.reports.structure import Structure
from app.reports.training import TrainingLog
from app.reservations.bookings import ReservationService
from app.sim.config import SimNode
from app.sim.simulate import SIM_SITE, simulate
from db.hlc import wall_of

MONTH = "2026-10"
FIRST, LAST = date(2026, 10, 2), date(2026, 10, 31)
#: Reservations with names and numbers that must never leave the node.
SECRETS = (
    ("RZQ90417731", date(2026, 10, 5), "10:30", "ミツカラナイ ナナシ"),
    ("RZQ90417732", date(2026, 10, 5), "14:00", "ゼッタイデナイ タロウ"),
    ("RZQ90417733", date(2026, 10, 17), "09:30", "Xyzzy Plugh"),
    ("RZQ90417734", date(2026, 10, 26), "16:00", "カクサレタ ハナコ"),
)
BOOKING_KEY = re.compile(r"\b[A-Za-z0-9]{3}-\d{6}\b")
KINDS = (("daily", "2026-10-05"), ("monthly", MONTH), ("sla", MONTH), ("annual", "2026"),
         ("inquiries", MONTH), ("training", MONTH), ("structure", "2026-10-05"))  # fmt: skip
VARIANTS = (("pdf", "utf-8-sig"), ("csv", "utf-8-sig"), ("csv", "cp932"), ("xlsx", "utf-8-sig"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimNode]:
    """A month simulated through the services, with the distinctive reservations booked."""
    node = SimNode(tmp_path_factory.mktemp("site") / "node", start=date(2026, 10, 1))
    simulate(node, date(2026, 10, 1), date(2026, 10, 1))  # a Thursday: sets up, no visits
    service = ReservationService(node)
    for number, day, slot, name in SECRETS:
        service.book(SYSTEM, number, day, slot, "issuance", "self", name)
    simulate(node, FIRST, LAST, seed=7)
    staff = [r["staff_id"] for r in node.store.rows("SELECT staff_id FROM staff ORDER BY 1")]
    for n, staff_id in enumerate(staff):  # a structure and trainings naming every staff member
        Structure(node).assign(SYSTEM, staff_id, ("supervisor", "worker")[n > 0], FIRST)
        TrainingLog(node).record(
            SYSTEM, staff_id, date(2026, 10, 5), "番号法と個人情報", "市民課", 1
        )
    yield node
    node.close()


@pytest.fixture(scope="module")
def exports(site: Node) -> dict[tuple[str, str, str], bytes]:
    """Every report in every format (CSV in both encodings)."""
    out: dict[tuple[str, str, str], bytes] = {}
    for kind, spec in KINDS:
        report = build_any_report(site, kind, spec)
        for fmt, encoding in VARIANTS:
            out[(kind, fmt, encoding)] = render(report, fmt, encoding)
    return out


def _raw(site: Node, type_: str) -> list[tuple[int, dict[str, object], str | None]]:
    """(hlc, payload, ticket id) of every event of a type, straight from SQLite."""
    rows = site.store.conn.execute(
        "SELECT hlc, payload, ticket_id FROM events WHERE type = ?", (type_,)
    ).fetchall()
    return [(hlc, json.loads(payload), ticket) for hlc, payload, ticket in rows]


def _month_figures(site: Node) -> Figures:
    return figures_for(site, MONTH)


# -- the simulation ------------------------------------------------------------------------


def test_simulation_goes_through_the_services(site: Node) -> None:
    kinds = Counter(r["type"] for r in site.store.rows("SELECT type FROM events"))
    for kind in ("reservation.booked", "ticket.issued", "ticket.called", "ticket.started",
                 "ticket.done", "ticket.transferred", "visit.turned_back", "staff.signed_in",
                 "staff.signed_out"):  # fmt: skip
        assert kinds[kind] > 0, kind
    assert kinds["ticket.issued"] > 2_500  # ~21 open days of ~140 visits
    assert kinds["staff.signed_in"] == kinds["staff.signed_out"]
    before = site.store.projection_dump()
    site.store.rebuild()
    assert site.store.projection_dump() == before  # the projections are what the events say
    outcomes = {r["outcome"] for r in site.store.rows("SELECT outcome FROM tickets")}
    assert {"completed", "revisit", "deferred"} <= outcomes
    assert site.identity.site_id == SIM_SITE


def test_simulation_refuses_a_real_node_and_going_back(tmp_path: Path, site: SimNode) -> None:
    real = SimNode(tmp_path / "real")
    real.initialise(site_id="yokosuka", name="reception", role="reception")
    with pytest.raises(ValueError, match="シミュレーション"):
        simulate(real, FIRST, FIRST)
    real.close()
    with pytest.raises(ValueError, match="シミュレーション済み"):
        simulate(site, date(2026, 10, 20), date(2026, 10, 21))


# -- figures against the raw events ----------------------------------------------------------


def test_visits_per_day_and_hour_match_the_raw_events(site: Node) -> None:
    expected: Counter[tuple[str, str]] = Counter()
    for hlc, payload, _ in _raw(site, "ticket.issued"):
        if "transferred_from" not in payload:
            expected[(str(payload["day"]), str(to_datetime(wall_of(hlc)).hour))] += 1
    figures = _month_figures(site)
    assert figures.by("visits", "day", "hour") == dict(expected)
    turned: Counter[tuple[str, str]] = Counter()
    for hlc, _, _ in _raw(site, "visit.turned_back"):
        at = to_datetime(wall_of(hlc))
        turned[(at.date().isoformat(), str(at.hour))] += 1
    assert figures.by("turned_back", "day", "hour") == dict(turned)
    # The monthly report's day × hour table shows the same numbers (visits + turned back).
    table = next(t for t in build_report(site, "monthly", MONTH).tables()
                 if t.title.startswith("日別・時間帯別"))  # fmt: skip
    hours = [int(c.title.removesuffix("時台")) for c in table.columns[1:-1]]
    for row in table.rows[:-1]:
        day = row[0].isoformat()
        for hour, cell in zip(hours, row[1:-1], strict=True):
            assert cell == expected[(day, str(hour))] + turned[(day, str(hour))]
    assert table.rows[-1][-1] == sum(expected.values()) + sum(turned.values())


def test_outcomes_and_reservations_match_the_raw_events(site: Node) -> None:
    figures = _month_figures(site)
    # A close corrected by a reopen is closed again: each ticket counts with its last close.
    last_done = {ticket: p for _, p, ticket in sorted(_raw(site, "ticket.done"),
                                                      key=lambda r: r[0])}  # fmt: skip
    # Each procedure counts with its outcome: a visit of several records one per procedure,
    # at its close or when it moved on to the city counter.
    done = Counter(str(o) for p in last_done.values()
                   for o in (p.get("outcomes") or {"": p["outcome"]}).values())  # fmt: skip
    done.update(str(o) for _, p, _ in _raw(site, "ticket.transferred")
                for o in (p.get("outcomes") or {}).values())  # fmt: skip
    assert sum(1 for p in last_done.values() if p.get("outcomes")) > 0  # several procedures
    assert len(_raw(site, "ticket.reopened")) > 0  # the simulation corrects a few closes
    assert figures.count("served") == done["completed"]
    assert figures.count("revisit") == done["revisit"]
    assert figures.count("deferred") == done["deferred"]
    assert figures.count("transferred") == len(_raw(site, "ticket.transferred"))
    assert figures.count("noshow") == len(_raw(site, "ticket.noshow"))
    assert figures.count("cancelled") == len(_raw(site, "ticket.cancelled"))
    assert figures.count("turned_back") == len(_raw(site, "visit.turned_back"))
    booked = {str(p["reservation_id"]) for _, p, _ in _raw(site, "reservation.booked")}
    checked = {str(p["reservation_id"]) for _, p, _ in _raw(site, "ticket.issued")
               if p.get("reservation_id")}  # fmt: skip
    assert figures.count("reservations") == len(booked)
    assert figures.count("checked_in") == len(checked)
    assert figures.count("reservation_noshow") == len(booked - checked)
    swept = {str(p["reservation_id"]) for _, p, _ in _raw(site, "reservation.noshow")}
    assert swept == booked - checked  # the simulation sweeps no-shows as every PC does
    late = sum(1 for _, p, _ in _raw(site, "ticket.issued")
               if p.get("reservation_id") and not p.get("priority"))  # fmt: skip
    assert figures.count("late") == late > 0


def test_wait_times_match_the_raw_events(site: Node) -> None:
    issued = {t: (wall_of(h), p) for h, p, t in _raw(site, "ticket.issued")}
    called: dict[str, int] = {}
    for hlc, _, ticket in sorted(_raw(site, "ticket.called"), key=lambda r: r[0]):
        assert ticket is not None
        called.setdefault(ticket, wall_of(hlc))
    waits = []
    for ticket, at in called.items():
        start, payload = issued[ticket]
        slot = payload.get("slot_start")
        if payload.get("priority") and isinstance(slot, int):
            start = max(start, slot)  # a reserved visitor waits from the slot, not from arrival
        waits.append(max(0, at - start) / 60_000)
    waits.sort()
    stats = _month_figures(site).times("wait")
    assert stats.count == len(waits)
    assert stats.mean == pytest.approx(sum(waits) / len(waits))
    assert stats.p90 == pytest.approx(percentile(waits, 90))
    assert stats.max == pytest.approx(waits[-1])
    assert stats.within_15 == pytest.approx(sum(w <= 15 for w in waits) / len(waits))


def test_figures_never_read_the_tickets_projection(tmp_path: Path) -> None:
    node = SimNode(tmp_path / "small", start=date(2026, 10, 5))
    simulate(node, date(2026, 10, 5), date(2026, 10, 5), seed=3)
    before = figures_for(node, "2026-10-05")
    node.store.conn.execute("DELETE FROM tickets")
    after = figures_for(node, "2026-10-05")
    assert after.count("visits") == before.count("visits") > 50
    assert after.times("wait") == before.times("wait")
    node.close()


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 11)]
    assert percentile(values, 90) == 9.0
    assert percentile(values, 50) == 5.0
    assert percentile([4.0], 90) == 4.0


# -- traceability -------------------------------------------------------------------------------


def test_explain_names_the_tickets_behind_a_figure(site: Node) -> None:
    key = "2026-10-05/visits/hour=11"
    found = explain(site, key)
    assert len(found) == _month_figures(site).count("visits", day="2026-10-05", hour=11) > 0
    for fact in found:
        assert fact.ticket_id is not None and fact.number
        issued = site.store.ticket_events(fact.ticket_id)[0]
        assert issued.type == "ticket.issued" and issued.payload["day"] == "2026-10-05"
        assert to_datetime(wall_of(issued.hlc)).hour == 11
        assert {e.id for e in site.store.ticket_events(fact.ticket_id)} == set(fact.event_ids)
    turned = explain(site, f"{MONTH}/turned_back")
    assert len(turned) == len(_raw(site, "visit.turned_back"))
    assert all(f.ticket_id is None and len(f.event_ids) == 1 for f in turned)
    # A bare number after the measure is an hour.
    assert explain(site, "2026-10-05/visits/11") == found


def test_figure_keys_parse_and_refuse_nonsense() -> None:
    key = FigureKey.parse("2026-10/served/procedure=certificate/operator=city")
    assert str(key) == "2026-10/served/procedure=certificate/operator=city"
    assert Period.parse("FY2026").last == date(2027, 3, 31)
    with pytest.raises(ValueError, match="項目"):
        FigureKey.parse("2026-10/bogus")
    with pytest.raises(ValueError, match="次元"):
        FigureKey.parse("2026-10/visits/name=x")
    with pytest.raises(ValueError, match="期間"):
        FigureKey.parse("yesterday/visits")


# -- service levels ----------------------------------------------------------------------------


def test_sla_verdicts_follow_targets_plans_and_incidents(tmp_path: Path) -> None:
    node = SimNode(tmp_path / "sla", start=date(2026, 11, 2))
    simulate(node, date(2026, 11, 2), date(2026, 11, 3), seed=5)
    month = "2026-11"
    results = {r.indicator.key: r for r in evaluate(node, figures_for(node, month), month)}
    assert results["security_incidents"].actual == 0 and results["security_incidents"].met
    share = results["wait_within_15"].actual
    assert share is not None and 0 < share <= 100
    (node.data_dir / "sla.toml").write_text("[targets]\nwait_within_15 = 100.5\n", "utf-8")
    manager = Actor("sm01", "site_manager")
    record_incident(node, manager, "USBメモリの紛失（回収済み）")
    record_sla_plan(node, manager, month, "wait_within_15", "昼の交代を30分ずらす", "12月に確認")
    results = {r.indicator.key: r for r in evaluate(node, figures_for(node, month), month)}
    assert results["security_incidents"].actual == 1 and results["security_incidents"].met is False
    assert results["wait_within_15"].met is False
    assert results["wait_within_15"].plan == "昼の交代を30分ずらす"
    text = write_csv(build_report(node, "sla", month)).decode("utf-8-sig")
    assert "未達成" in text and "昼の交代を30分ずらす" in text and "12月に確認" in text
    assert "USBメモリの紛失" in text
    with pytest.raises(AuthError):
        record_incident(node, Actor("cl01", "clerk", "1"), "x")
    with pytest.raises(ValueError, match="指標"):
        record_sla_plan(node, manager, month, "happiness", "x")
    node.close()


def test_sla_bounds_and_the_override_file(tmp_path: Path) -> None:
    wait_p90 = next(i for i in SLA_DEFAULTS if i.key == "wait_p90")
    share = next(i for i in SLA_DEFAULTS if i.key == "wait_within_15")
    assert is_met(wait_p90, 30.0) is True and is_met(wait_p90, 30.1) is False
    assert is_met(share, 80.0) is True and is_met(share, 79.9) is False
    assert is_met(share, None) is None
    assert load_targets(tmp_path) == SLA_DEFAULTS
    (tmp_path / "sla.toml").write_text("[targets]\nwait_p90 = 20\n", "utf-8")
    assert next(i for i in load_targets(tmp_path) if i.key == "wait_p90").target == 20
    (tmp_path / "sla.toml").write_text("[targets]\nsmiles = 3\n", "utf-8")
    with pytest.raises(ValueError, match="smiles"):
        load_targets(tmp_path)


# -- due dates and periods ---------------------------------------------------------------------


def test_monthly_report_is_due_on_the_third_open_day_of_the_next_month(site: Node) -> None:
    # 2026-11-01 (Sun, not the Sunday after the 3rd Saturday), 11-02 (Mon) and 11-03
    # (Tue, Culture Day: holidays are open) are the first three open days of November.
    due, _ = monthly_due_date(site.calendar(), MONTH)
    assert due == date(2026, 11, 3)
    assert ("提出期限", "2026年11月03日（火）翌月の3開所日目") in build_report(
        site, "monthly", MONTH).header  # fmt: skip
    # After the contract period: the 3rd city office day (Thu 4/1, Fri 4/2, Mon 4/5).
    assert monthly_due_date(site.calendar(), "2027-03")[0] == date(2027, 4, 5)
    assert fiscal_months(site, "FY2026") == [f"2026-{m:02d}" for m in range(8, 13)] + [
        "2027-01", "2027-02", "2027-03"]  # fmt: skip


# -- exports ------------------------------------------------------------------------------------


def _texts(data: bytes, fmt: str, encoding: str) -> list[str]:
    """Every text an export carries, decoded, plus its raw bytes as Latin-1 text."""
    texts = [data.decode("latin-1")]
    if fmt == "pdf":
        texts.append("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    elif fmt == "csv":
        texts.append(data.decode(encoding))
    else:
        book = load_workbook(io.BytesIO(data))
        texts.append("\n".join(str(c.value) for s in book.worksheets for row in s.iter_rows()
                               for c in row if c.value is not None))  # fmt: skip
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    return texts


def test_no_export_carries_personal_data(
    site: Node, exports: dict[tuple[str, str, str], bytes]
) -> None:
    names = {name for *_, name in SECRETS}
    numbers = {number for number, *_ in SECRETS}
    for r in site.store.rows("SELECT reservation_id, name_kana FROM reservations"):
        numbers.add(r["reservation_id"])
        if r["name_kana"]:
            names.add(r["name_kana"])
    names |= {r["name"] for r in site.store.rows("SELECT name FROM staff")}  # staff by id only
    checked = {r["reservation_id"] for r in site.store.rows(
        "SELECT reservation_id FROM tickets WHERE reservation_id LIKE 'RZQ%'")}  # fmt: skip
    assert checked  # the distinctive reservations really were checked in and served
    assert len(exports) == len(KINDS) * len(VARIANTS)
    for (kind, fmt, encoding), data in exports.items():
        for text in _texts(data, fmt, encoding):
            leaked = [s for s in names | numbers if s in text]
            assert not leaked, (kind, fmt, encoding, leaked[:3])
            assert not BOOKING_KEY.search(text), (kind, fmt)


def test_exports_are_readable(exports: dict[tuple[str, str, str], bytes]) -> None:
    pdf = PdfReader(io.BytesIO(exports[("monthly", "pdf", "utf-8-sig")]))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "月次業務計画・実績報告書" in text and "提出期限" in text and "時間帯別" in text
    fonts = {str(f.get("/BaseFont")) for p in pdf.pages
             for f in p["/Resources"]["/Font"].values()}  # type: ignore[union-attr]  # fmt: skip
    assert any("IPAexGothic" in f for f in fonts)
    assert exports[("daily", "csv", "utf-8-sig")].startswith(b"\xef\xbb\xbf")
    sjis = exports[("monthly", "csv", "cp932")].decode("cp932")
    assert "月次業務計画・実績報告書" in sjis and "■日別の実績" in sjis


def test_cp932_replaces_what_it_cannot_encode() -> None:
    report = Report("daily", "作業日報", "2026-10-05", header=[("開庁", "10:30–18:30 𠮷野家")],
                    blocks=[Table("表", [Column("名", "text")], [["髙橋𠮷"]]), Notes("注", ["🙂"])])  # fmt: skip
    text = write_csv(report, "cp932").decode("cp932")
    assert "10:30-18:30" in text and "?野家" in text and "髙橋?" in text
    assert write_csv(report).decode("utf-8-sig").count("𠮷") == 2
    with pytest.raises(ValueError, match="文字コード"):
        write_csv(report, "latin-1")


def test_xlsx_cells_are_typed(exports: dict[tuple[str, str, str], bytes]) -> None:
    book = load_workbook(io.BytesIO(exports[("monthly", "xlsx", "utf-8-sig")]))
    sheet = book["日別の実績"]
    header = [c.value for c in sheet[2]]
    first = [c for c in sheet[3]]
    assert header[0] == "日付" and first[0].is_date and first[0].number_format == "yyyy-mm-dd"
    assert isinstance(first[2].value, int)  # reservation capacity
    wait = first[header.index("平均待ち（分）")]
    assert isinstance(wait.value, float) and wait.number_format == "0.0"
    share = first[header.index("15分以内（%）")]
    assert 0 <= share.value <= 1 and share.number_format == "0.0%"


def test_cli_writes_reports_and_explains(site: Node, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    data = str(site.data_dir)
    target = tmp_path / "m.xlsx"
    assert main(["--data-dir", data, "report", "monthly", MONTH, "--format", "xlsx",
                 "-o", str(target)]) == 0  # fmt: skip
    assert target.read_bytes().startswith(b"PK")
    capsys.readouterr()
    assert main(["--data-dir", data, "--json", "report", "explain", "2026-10-05/served"],
                ) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out["count"] == _month_figures(site).count("served", day="2026-10-05") > 0
    assert "RZQ" not in json.dumps(out)
    assert main(["--data-dir", data, "report", "daily", "2026-13-01"]) == 2


def test_facts_cover_only_the_period(site: Node) -> None:
    facts = load_facts(site, date(2026, 10, 5), date(2026, 10, 6))
    assert {t.day for t in facts.tickets} == {date(2026, 10, 5), date(2026, 10, 6)}
    assert {r.day for r in facts.reservations} == {date(2026, 10, 5), date(2026, 10, 6)}
    counters = {s.counter for s in facts.shifts}
    assert {str(n) for n in range(1, 13)} <= counters and None in counters


def test_reports_of_days_without_visits_still_render(site: Node) -> None:
    for kind, spec in (("daily", "2026-10-08"), ("monthly", "2026-12"), ("sla", "2026-12")):
        report = build_report(site, kind, spec)
        assert all(not t.rows or t.title in ("予約の状況", "業務計画と実績", "概況", "日別の実績",
                                              "待ち時間・対応時間", "時間帯別の来庁者数と待ち時間",
                                              "サービス水準の検証結果",
                                              "相談内容（問い合わせの分類）と相談件数",
                                              "ダブルチェック（シ）", "手数料の対象となった手続（ソ）",
                                              "運転モード", "優先案内（理由別）")
                   or t.title.startswith("次月")  # the plan of the month after
                   for t in report.tables())  # fmt: skip
        for fmt, encoding in VARIANTS:
            assert len(render(report, fmt, encoding)) > 100
    sla = {r[0]: r[4] for r in build_report(site, "sla", "2026-12").tables()[0].rows}
    assert sla["15分以内に呼び出した割合"] == "データなし"
    assert sla["情報セキュリティ事故の件数"] == "達成"


def test_bench_helpers_time_real_work(site: Node) -> None:
    from tests.bench import bench_reports

    raw, decoded, count = bench_reports.read_events(site, FIRST, LAST)
    assert count > 10_000 and raw > 0 and decoded > 0
    times = bench_reports.report_times(site, MONTH)
    assert set(times) == {"build", "pdf", "csv", "xlsx", "separate"}
    assert all(seconds > 0 for seconds in times.values())


def test_simulation_refuses_a_folder_with_newer_events(tmp_path: Path) -> None:
    from app.core.actor import SYSTEM
    from app.core.node import Node
    from app.core.staff import StaffService
    from app.sim.config import SimNode
    from app.sim.simulate import simulate

    node = Node(tmp_path / "sim")  # as `madoguchi init` makes it: the admin is added today
    node.initialise(site_id="simulation", name="sim", role="admin")
    StaffService(node).add(SYSTEM, "admin", "管理者", "admin", "9999")
    node.close()
    sim = SimNode(tmp_path / "sim", start=date(2026, 10, 1))
    with pytest.raises(ValueError, match="新しいフォルダ"):
        simulate(sim, date(2026, 10, 1), date(2026, 10, 2))
    sim.close()
