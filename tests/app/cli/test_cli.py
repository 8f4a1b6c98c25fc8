"""The command line: output, JSON, exit codes, one readable line on bad input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from app.cli.main import COMMANDS, build_parser, main
from tests.helpers.nodes import on_an_open_day


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "node"
    monkeypatch.setenv("MADOGUCHI_PIN", "9999")
    assert main(["--data-dir", str(data), "init", "--site", "s", "--name", "rec",
                 "--role", "reception"]) == 0  # fmt: skip
    for staff_id, role, pin in (("fm", "floor_manager", "1111"), ("cl", "clerk", "2222"),
                                ("sm", "site_manager", "4444")):  # fmt: skip
        monkeypatch.setenv("MADOGUCHI_NEW_PIN", pin)
        assert main(["--data-dir", str(data), "--staff", "admin", "staff", "add", staff_id,
                     "--name", f"職員 {staff_id}", "--role", role]) == 0  # fmt: skip
    on_an_open_day(data)
    return data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def as_staff(monkeypatch: pytest.MonkeyPatch, staff: str, pin: str) -> None:
    monkeypatch.setenv("MADOGUCHI_STAFF", staff)
    monkeypatch.setenv("MADOGUCHI_PIN", pin)


def test_calendar_reproduces_the_specification_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "calendar", "2026-08", "2027-03")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split() == ["2026-08", "22", "2,816"]
    assert lines[-1].split() == ["合計", "162", "20,736"]
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--json", "calendar",
                       "2026-08", "2027-03")  # fmt: skip
    data = json.loads(out)
    assert [m["capacity"] for m in data["months"]] == [2816, 2560, 2688, 2688, 2432, 2432,
                                                        2432, 2688]  # fmt: skip
    assert data["total"] == {"open_days": 162, "capacity": 20736}


def test_calendar_says_why_a_day_is_closed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "calendar", "2026-09-20")
    assert code == 0 and "閉庁" in out and "第3土曜日の翌日曜日" in out
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "calendar", "2026-09-20", "--json")
    assert json.loads(out)["open"] is False


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["calendar", "2026-13-01"], "日付"),
        (["calendar", "soon"], "calendar には"),
        (["calendar", "2027-03", "2026-08"], "より後"),
        (["ticket", "list"], "初期設定されていません"),
    ],
)
def test_bad_input_gives_one_line_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "x"), *argv)
    assert code == 2
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_ticket_flow_and_json_fields(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    d = ["--data-dir", str(site)]
    as_staff(monkeypatch, "fm", "1111")
    code, out, _ = run(capsys, *d, "--json", "ticket", "issue", "--procedure", "certificate")
    ticket = json.loads(out)
    assert code == 0
    for key in ("ticket_id", "number", "lane", "procedure", "applicant", "state", "issued_at"):
        assert key in ticket
    assert ticket["number"] == "A-001" and ticket["state"] == "waiting"
    as_staff(monkeypatch, "cl", "2222")
    assert run(capsys, *d, "--counter", "2", "call")[0] == 0
    assert run(capsys, *d, "--counter", "2", "start", "A-001")[0] == 0
    code, _, err = run(capsys, *d, "--counter", "3", "done", "A-001")
    assert code == 2 and "2番窓口が対応中" in err
    code, out, _ = run(capsys, *d, "--counter", "2", "--json", "done", "A-001",
                       "--outcome", "deferred")  # fmt: skip
    assert json.loads(out)["outcome"] == "deferred"
    code, out, _ = run(capsys, *d, "events", "--ticket", "A-001")
    types = [json.loads(line)["type"] for line in out.splitlines()]
    assert types == ["ticket.issued", "ticket.called", "ticket.started", "ticket.done"]
    code, out, _ = run(capsys, *d, "--json", "rebuild")
    assert json.loads(out)["unchanged"] is True


def test_a_ticket_line_names_the_visits_procedures_and_its_priority(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    d = ["--data-dir", str(site)]
    as_staff(monkeypatch, "fm", "1111")
    code, out, _ = run(capsys, *d, "ticket", "issue", "--procedure", "certificate",
                       "--also", "pin", "--priority", "elderly")  # fmt: skip
    assert code == 0 and "certificate+pin/self  優先(elderly)" in out
    code, out, _ = run(capsys, *d, "ticket", "list")
    assert "certificate+pin/self  優先(elderly)" in out


def test_roles_and_pins_are_checked(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    d = ["--data-dir", str(site)]
    as_staff(monkeypatch, "cl", "2222")
    code, _, err = run(capsys, *d, "closure", "add", "2026-12-07", "--reason", "保守")
    assert code == 2 and "権限" in err
    as_staff(monkeypatch, "sm", "0000")
    code, _, err = run(capsys, *d, "closure", "add", "2026-12-07", "--reason", "保守")
    assert code == 2 and "暗証番号が違います" in err
    as_staff(monkeypatch, "sm", "4444")
    assert run(capsys, *d, "closure", "add", "2026-12-07", "--reason", "システム保守")[0] == 0
    code, out, _ = run(capsys, *d, "calendar", "2026-12-07")
    assert "臨時閉庁: システム保守" in out
    assert run(capsys, *d, "closure", "remove", "2026-12-07")[0] == 0
    code, out, _ = run(capsys, *d, "calendar", "2026-12-07")
    assert "開庁" in out and "閉庁 —" not in out
    code, _, err = run(capsys, *d, "closure", "remove", "2026-12-07")
    assert code == 2 and "登録されていません" in err


def test_missing_staff_or_pin_is_explained(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MADOGUCHI_STAFF", raising=False)
    code, _, err = run(capsys, "--data-dir", str(site), "call")
    assert code == 2 and "--staff" in err
    monkeypatch.delenv("MADOGUCHI_PIN")
    monkeypatch.setattr("sys.stdin", None)
    code, _, err = run(capsys, "--data-dir", str(site), "--staff", "cl", "call")
    assert code == 2 and "MADOGUCHI_PIN" in err


def test_init_twice_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data-dir", str(site), "init", "--site", "s", "--name", "x",
                       "--role", "counter")  # fmt: skip
    assert code == 2 and "初期設定済み" in err


def test_a_my_number_in_a_reason_is_refused(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    as_staff(monkeypatch, "fm", "1111")
    run(capsys, "--data-dir", str(site), "ticket", "issue", "--procedure", "pin")
    code, _, err = run(capsys, "--data-dir", str(site), "cancel", "A-001",
                       "--reason", "１２３４ ５６７８ ９０１８ の件")  # fmt: skip
    assert code == 2 and "個人番号" in err


def test_demo_creates_a_site_with_staff_and_reservations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "demo", "--data-dir", str(tmp_path / "demo"), "--date",
                       "2026-11-24", "--json")  # fmt: skip
    summary = json.loads(out)
    assert code == 0 and summary["reservations"] == 80
    assert summary["nodes"] == ["reception", "counter-1", "counter-2", "display", "admin"]
    assert (tmp_path / "demo" / "share").is_dir()
    assert (tmp_path / "demo" / "tickets").is_dir()  # the PDF printer's folder exists
    code, _, err = run(capsys, "demo", "--data-dir", str(tmp_path / "demo"))
    assert code == 2 and "--keep" in err
    assert run(capsys, "demo", "--data-dir", str(tmp_path / "demo"), "--keep")[0] == 0


def test_demo_windows_are_separate_nodes_signed_in(tmp_path: Path) -> None:
    from app.sim.demo import window_commands

    commands = window_commands(tmp_path)
    folders = [argv[argv.index("--data-dir") + 1] for argv, _ in commands]
    assert [Path(f).name for f in folders] == ["reception", "counter-1", "counter-2", "display"]
    assert [argv[argv.index("run") :] for argv, _ in commands] == [["run"]] * 3 + [
        ["run", "--windowed"]  # the board beside the others, not full screen
    ]
    assert commands[1][1] == {"MADOGUCHI_STAFF": "cl01", "MADOGUCHI_PIN": "2222"}
    assert commands[3][1] == {}  # the display board needs nobody signed in


def test_render_print_and_pause_from_the_command_line(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    d = ["--data-dir", str(site)]
    as_staff(monkeypatch, "fm", "1111")
    code, out, _ = run(capsys, *d, "--json", "ticket", "issue", "--procedure", "pin", "--print")
    assert code == 0 and json.loads(out)["printed"] is True  # no printer set: nothing to do
    for name in ("t.pdf", "t.png"):
        code, _, _ = run(capsys, *d, "ticket", "render", "A-001", "-o", str(tmp_path / name))
        assert code == 0
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")
    code, _, err = run(capsys, *d, "ticket", "render", "A-001", "-o", str(tmp_path / "t.txt"))
    assert code == 2 and ".pdf か .png" in err
    as_staff(monkeypatch, "sm", "4444")
    assert run(capsys, *d, "procedure", "pause", "jlis", "--reason", "J-LIS 障害")[0] == 0
    as_staff(monkeypatch, "fm", "1111")
    code, _, err = run(capsys, *d, "ticket", "issue", "--procedure", "certificate")
    assert code == 2 and "受付を停止しています" in err
    as_staff(monkeypatch, "sm", "4444")
    assert run(capsys, *d, "procedure", "resume", "jlis")[0] == 0


def test_a_printer_that_fails_still_issues_and_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "node"
    monkeypatch.setenv("MADOGUCHI_PIN", "9999")
    assert main(["--data-dir", str(data), "init", "--site", "s", "--name", "rec", "--role",
                 "reception", "--printer", f"pdf:{tmp_path / 'missing-folder'}"]) == 0  # fmt: skip
    monkeypatch.setenv("MADOGUCHI_NEW_PIN", "1111")
    main(["--data-dir", str(data), "--staff", "admin", "staff", "add", "fm", "--name", "受付",
          "--role", "floor_manager"])  # fmt: skip
    on_an_open_day(data)
    as_staff(monkeypatch, "fm", "1111")
    code, out, _ = run(capsys, "--data-dir", str(data), "ticket", "issue", "--procedure", "pin",
                       "--print")  # fmt: skip
    assert code == 3 and "A-001" in out and "手書き" in out
    code, out, _ = run(capsys, "--data-dir", str(data), "ticket", "list")
    assert "A-001" in out


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_the_command_table_names_every_command_of_every_module() -> None:
    full = build_parser()
    assert _commands(full) == set(COMMANDS)
    for command, module in COMMANDS.items():
        only = build_parser(argv=[command, "--help"])
        mine = {c for c, m in COMMANDS.items() if m == module}
        assert _commands(only) == mine, command


def test_a_run_loads_only_the_modules_of_its_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _commands(build_parser(argv=["--version"])) == set()
    # A data folder that happens to be called like a command loads one module too many.
    words = ["--data-dir", "sync", "ticket", "list"]
    assert _commands(build_parser(argv=words)) >= {"ticket", "sync"}
    # Help and a bare call still list every command.
    assert _commands(build_parser(argv=["--help"])) == set(COMMANDS)
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "calendar"), "calendar", "2026-12")
    assert code == 0 and "2026-12" in out
    code, out, _ = run(capsys, "--data-dir", str(tmp_path))
    assert code == 2
    assert "report" in out and "ticket" in out and "qa" in out
