"""The training log and 要員育成報告書, the dated 業務体制表 and the roster behind next
month's staffing plan: events guarded against personal data, converging across PCs, with
every version of the structure reproducible."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.actor import SYSTEM, Actor, AuthError
from app.core.errors import InputError
from app.core.node import Node
from app.core.privacy import PrivacyError
from app.core.staff import StaffService
from app.reports.files import render
from app.reports.inquiry_reports import build_report
from app.reports.structure import Structure
from app.reports.training import TrainingLog
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import assert_converged, site_node, sync_rounds

SM = Actor("sm", "site_manager")


def _tables(report: object) -> dict[str, list[list[object]]]:
    return {t.title: t.rows for t in report.tables()}  # type: ignore[attr-defined]


def test_training_log_and_report(node: Node) -> None:
    log = TrainingLog(node)
    log.record(SM, "cl", date(2026, 11, 2), "個人情報保護と番号法", "sm", 2, "要点を確認した")
    log.record(SM, "cl2", date(2026, 11, 2), "個人情報保護と番号法", "sm", 2)
    wrong = log.record(SM, "fm", date(2026, 11, 9), "受付案内の手順", "市民課", 1.5)
    log.record(SM, "fm", date(2026, 11, 9), "受付案内と書類確認", "市民課", 1.5, "書類の不足に気づく",
               training_id=wrong)  # fmt: skip
    log.record(SM, "cl", date(2026, 12, 4), "電子証明書の更新（J-LIS停止時）", "市民課", 1)
    gone = log.record(SM, "city", date(2026, 11, 20), "誤記録", "sm", 1)
    log.remove(SM, gone)
    report = build_report(node, "training", "2026-11")
    tables = _tables(report)
    done = tables["研修の実施記録（研修内容・指導記録）"]
    assert [r[1] for r in done] == ["cl", "cl2", "fm"]
    assert done[2][3:] == ["受付案内と書類確認", "市民課", 1.5, "書類の不足に気づく"]
    roles = {r[0]: r[1:] for r in tables["役割別の育成状況（この月）"]}
    assert roles["窓口担当（委託）"] == [2, 2, 4.0, 2.0]
    assert roles["フロアマネージャー"] == [1, 1, 1.5, 1.5]
    assert roles["市職員"] == [1, 0, 0.0, None]
    plan = tables["研修計画（2026年12月）"]
    assert [r[1:4] for r in plan] == [["cl", "窓口担当（委託）", "電子証明書の更新（J-LIS停止時）"]]
    staff = {r[0]: r[2:] for r in tables["職員別の研修時間"]}
    assert staff["cl"] == [2.0, 2.0] and staff["sm"] == [0.0, 0.0]
    for fmt in ("pdf", "csv", "xlsx"):
        assert b"\xe8\x81\xb7\xe5\x93\xa1 cl" not in render(report, fmt)  # 職員 cl: no names
    before = node.store.projection_dump()
    node.store.rebuild()
    assert node.store.projection_dump() == before


def test_training_refusals(node: Node) -> None:
    log = TrainingLog(node)
    with pytest.raises(PrivacyError):
        log.record(SM, "cl", date(2026, 11, 2), "研修", "講師 090-1234-5678", 1)
    with pytest.raises(InputError):
        log.record(SM, "nobody", date(2026, 11, 2), "研修", "sm", 1)
    with pytest.raises(InputError):
        log.record(SM, "cl", date(2026, 11, 2), "研修", "sm", 0)
    with pytest.raises(AuthError):
        log.record(Actor("cl", "clerk", "1"), "cl", date(2026, 11, 2), "研修", "sm", 1)


def test_every_version_of_the_structure_is_kept(node: Node) -> None:
    structure = Structure(node)
    structure.assign(SM, "sm", "supervisor", date(2026, 7, 20))
    structure.assign(SM, "fm", "site_manager", date(2026, 7, 20))
    structure.assign(SM, "cl", "worker", date(2026, 7, 20))
    structure.assign(SM, "cl2", "deputy", date(2026, 10, 1), "現地管理者の不在時")
    structure.assign(SM, "cl", "none", date(2026, 11, 1), "契約満了")
    assert [(a.staff_id, a.position) for a in structure.in_force(date(2026, 9, 30))] == [
        ("sm", "supervisor"),
        ("fm", "site_manager"),
        ("cl", "worker"),
    ]
    assert [(a.staff_id, a.position) for a in structure.in_force(date(2026, 11, 24))] == [
        ("sm", "supervisor"),
        ("fm", "site_manager"),
        ("cl2", "deputy"),
    ]
    september = build_report(node, "structure", "2026-09-30")
    november = build_report(node, "structure", "2026-11-24")
    assert dict(september.header)["版"] == "2026年07月20日 からの体制（第1版）"
    assert dict(november.header)["版"] == "2026年11月01日 からの体制（第3版）"
    history = _tables(november)["変更の履歴（版）"]
    assert history[-1][1:4] == ["cl", "業務従事者", "体制から外れる"]
    assert len(_tables(september)["変更の履歴（版）"]) == 3  # later changes not shown
    with pytest.raises(InputError):
        structure.assign(SM, "cl", "boss", date(2026, 11, 1))
    with pytest.raises(AuthError):
        structure.assign(Actor("cl", "clerk", "1"), "cl", "worker", date(2026, 11, 1))


def test_roster_plans_next_month(node: Node) -> None:
    structure = Structure(node)
    days = structure.plan(SM, date(2026, 12, 1), date(2026, 12, 31), ["cl", "cl2", "fm"])
    assert days == 19  # the open days of December
    assert structure.plan(SM, date(2026, 12, 1), date(2026, 12, 31), ["cl", "fm", "sm", "city"],
                          weekdays={6, 7}) == 7  # 12/20 is the Sunday after the 3rd Saturday  # fmt: skip
    rows = _tables(build_report(node, "monthly", "2026-11"))[
        "次月（2026年12月）の業務計画・要員計画"
    ]
    assert rows[3:] == [["勤務予定を組んだ開所日", 19, "日（開所日 19 日）"],
                        ["延べ従事予定（人日）", 12 * 3 + 7 * 4, "人日"],
                        ["1日の従事予定（最少〜最多）", "3〜4", "人"]]  # fmt: skip
    with pytest.raises(InputError):
        structure.plan(SM, date(2026, 12, 1), date(2027, 3, 31), ["cl"])


def test_staffing_records_converge(tmp_path: Path, clock: FakeClock) -> None:
    a = site_node(tmp_path, "admin", clock, block=0, role="admin")
    b = site_node(tmp_path, "admin-2", clock, block=1, role="admin")
    sync_rounds(a, b)
    Structure(a).assign(SM, "cl", "worker", date(2026, 11, 1))
    clock.advance(seconds=2)
    Structure(b).assign(SM, "cl", "deputy", date(2026, 11, 1))  # later: it is in force
    Structure(a).plan(SM, date(2026, 12, 1), date(2026, 12, 1), ["cl"])
    clock.advance(seconds=2)
    Structure(b).plan(SM, date(2026, 12, 1), date(2026, 12, 1), ["cl", "fm"])
    TrainingLog(b).record(SM, "fm", date(2026, 11, 5), "受付案内", "sm", 1)
    sync_rounds(a, b)
    assert_converged(a, b)
    assert [x.position for x in Structure(a).in_force(date(2026, 11, 2))] == ["deputy"]
    assert Structure(a).roster(date(2026, 12, 1), date(2026, 12, 1)) == {
        date(2026, 12, 1): ["cl", "fm"]
    }
    a.close()
    b.close()


def test_cli_records_training_structure_and_roster(node: Node, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    StaffService(node).add(SYSTEM, "boss", "統括", "site_manager", "5555")
    folder = str(node.data_dir)
    node.close()
    monkeypatch.setenv("MADOGUCHI_PIN", "4444")
    base = ["--data-dir", folder, "--staff", "sm"]
    assert main([*base, "training", "add", "--trainee", "cl", "--day", "2026-11-02", "--course",
                 "番号法", "--trainer", "sm", "--hours", "1.5"]) == 0  # fmt: skip
    assert main([*base, "--json", "training", "list", "--month", "2026-11"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])[0]["hours"] == 1.5
    assert main([*base, "structure", "assign", "boss", "supervisor", "--from", "2026-08-01"]) == 0
    assert main([*base, "--json", "structure", "show", "2026-09-01"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])[0]["position"] == "supervisor"
    assert main([*base, "roster", "set", "2026-12-01", "2026-12-31", "--staff-ids", "cl,fm",
                 "--weekdays", "6,7"]) == 0  # fmt: skip
    assert "7 日" in capsys.readouterr().out
    assert main([*base, "report", "training", "2026-11", "--format", "csv", "-o",
                 str(Path(folder) / "t.csv")]) == 0  # fmt: skip
    assert main([*base, "report", "structure", "2026-09-01", "--format", "pdf", "-o",
                 str(Path(folder) / "s.pdf")]) == 0  # fmt: skip
    assert main([*base, "roster", "show", "2026-13"]) == 2
