"""A My Number typed into any field — the counter number, a setting, a reservation number to
look up — is refused, never stored anywhere (database, WAL, share, log) and never echoed."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.mynumber import check_digit
from tests.helpers.nodes import KEY

FIRST = "12345678901"
MY_NUMBER = FIRST + str(check_digit(FIRST))
WIDE = unicodedata.normalize("NFKC", MY_NUMBER).translate(
    {ord(d): ord(d) + 0xFEE0 for d in "0123456789"}
)
FORMS = {
    "plain": MY_NUMBER,
    "full-width": WIDE,
    "hyphens": f"{MY_NUMBER[:4]}-{MY_NUMBER[4:8]}-{MY_NUMBER[8:]}",
    "spaces": f"{MY_NUMBER[:4]} {MY_NUMBER[4:8]} {MY_NUMBER[8:]}",
    "full-width grouped": f"{WIDE[:4]}－{WIDE[4:8]}－{WIDE[8:]}",
    "in a sentence": f"窓口{MY_NUMBER}番",
}


def digits_anywhere(folder: Path) -> list[str]:
    """Returns the files under ``folder`` whose bytes hold the number in any encoding."""
    needles = [MY_NUMBER.encode(), WIDE.encode("utf-8"), WIDE.encode("utf-16-le"),
               MY_NUMBER[8:].encode() + b"\n"]  # fmt: skip
    grouped = re.compile(rb"1234[^0-9]{0,3}5678[^0-9]{0,3}" + MY_NUMBER[8:].encode())
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles[:3]) or grouped.search(data):
                found.append(str(path.relative_to(folder)))
    return found


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "share").mkdir()
    data = tmp_path / "counter"
    monkeypatch.setenv("MADOGUCHI_PIN", "9999")
    assert main(["--data-dir", str(data), "init", "--site", "s", "--name", "counter-1",
                 "--role", "counter", "--counter", "1", "--share", str(tmp_path / "share"),
                 "--site-key", KEY]) == 0  # fmt: skip
    for staff_id, role, pin in (("cl", "clerk", "2222"), ("sm", "site_manager", "4444"),
                                ("fm", "floor_manager", "1111")):  # fmt: skip
        monkeypatch.setenv("MADOGUCHI_NEW_PIN", pin)
        assert main(["--data-dir", str(data), "--staff", "admin", "staff", "add", staff_id,
                     "--name", f"職員 {staff_id}", "--role", role]) == 0  # fmt: skip
    return data


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_field_refuses_a_my_number_and_nothing_keeps_or_echoes_it(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], form: str,
) -> None:  # fmt: skip
    value = FORMS[form]
    data = ["--data-dir", str(site)]
    attempts = [
        ("cl", "2222", [*data, "--staff", "cl", "--counter", value, "call"]),
        ("cl", "2222", [*data, "--staff", "cl", "--counter", value, "counter", "pause",
                        "--reason", "break"]),
        ("sm", "4444", [*data, "--staff", "sm", "mode", "start", "jlis", "--reason", value]),
        ("cl", "2222", [*data, "--staff", "cl", "--counter", value, "inquiry", "add",
                        "--category", "other", "--question", "窓口の場所", "--answer", "3階"]),
        ("sm", "4444", [*data, "--staff", "sm", "counter-set", "--number", value]),
        ("fm", "1111", [*data, "--staff", "fm", "ticket", "issue", "--procedure", "issuance",
                        "--reservation", value]),
        ("fm", "1111", [*data, "--staff", "fm", "reservations", "checkin", value]),
        ("fm", "1111", [*data, "--staff", "fm", "ticket", "issue", "--procedure", "pin",
                        "--applicant", value]),
    ]  # fmt: skip
    for _staff, pin, argv in attempts:
        monkeypatch.setenv("MADOGUCHI_PIN", pin)
        capsys.readouterr()
        assert main(argv) == 2, argv
        out, err = capsys.readouterr()
        assert err.strip() and not digits_in(out + err), (argv, err)
    (site / "site.toml").write_text(f'[site]\nname_ja = "センター {value}"\n', encoding="utf-8")
    capsys.readouterr()
    assert main([*data, "sync", "--once"]) == 2
    err = capsys.readouterr().err
    assert "個人番号" in err and not digits_in(err)
    (site / "site.toml").unlink()
    monkeypatch.setenv("MADOGUCHI_PIN", "2222")
    assert main([*data, "--staff", "cl", "call"]) == 0  # the counter works as before
    assert main([*data, "sync", "--once"]) == 0
    assert digits_anywhere(tmp_path) == []


def digits_in(text: str) -> bool:
    normal = unicodedata.normalize("NFKC", text)
    return re.sub(r"[^0-9]", "", normal).find(MY_NUMBER) >= 0
