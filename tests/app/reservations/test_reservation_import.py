"""Importing the web reservation export: hostile files are refused whole, good ones imported."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.actor import Actor, AuthError
from app.core.catalog import load_catalog
from app.core.mynumber import check_digit, find_my_number
from app.core.node import Node
from app.queue.closures import ClosureService
from app.queue.tickets import TicketService
from app.reservations.csv_reader import CsvMapping, decode, parse_day, parse_slot, read_export
from app.reservations.importer import CancellationsToConfirm, ImportRefused, import_reservations
from tests.bench import bench_import

#: The city's sample export (a day of card-issuance bookings, fictitious names).
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "reservations-sample.csv"
HEADER = ["予約番号", "予約日", "開始時刻", "手続", "受取者区分", "氏名カナ"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp932"]
MY_NUMBER = "12345678901" + str(check_digit("12345678901"))  # a valid My Number
DAY = "2026-11-24"  # the fixtures' today: a Tuesday, open 10:30–18:30


def row(number: str, day: str = DAY, slot: str = "10:30", procedure: str = "カード交付",
        applicant: str = "本人", name: str = "タナカ タロウ") -> list[str]:  # fmt: skip
    return [number, day, slot, procedure, applicant, name]


def write(folder: Path, rows: list[list[str]], encoding: str = "utf-8",
          header: list[str] | None = None, name: str = "export.csv") -> Path:  # fmt: skip
    lines = [header or HEADER, *rows]
    text = "".join(",".join(cells) + "\r\n" for cells in lines)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def booked(node: Node) -> dict[str, dict[str, str]]:
    return {r["reservation_id"]: r for r in node.store.rows("SELECT * FROM reservations")}


def refused(node: Node, floor: Actor, path: Path) -> list[str]:
    events = node.store.event_count()
    with pytest.raises(ImportRefused) as caught:
        import_reservations(node, floor, path)
    assert node.store.event_count() == events, "a refused import must record nothing"
    assert str(caught.value).splitlines() == caught.value.problems
    return caught.value.problems


# -- good files ----------------------------------------------------------------------------


def test_the_sample_export_imports_and_again_changes_nothing(node: Node, floor: Actor) -> None:
    assert node.calendar().status(date(2026, 10, 5)).open
    summary = import_reservations(node, floor, SAMPLE)
    assert (summary.rows, summary.added, summary.updated, summary.cancelled) == (48, 48, 0, 0)
    assert summary.days == ["2026-10-05"] and summary.encoding == "utf-8"
    rows = booked(node)
    assert rows["R202610050001"]["name_kana"] == "タナカ ショウタ"
    assert rows["R202610050004"]["applicant"] == "legal"
    assert {r["procedure"] for r in rows.values()} == {"issuance"}
    events = node.store.event_count()
    again = import_reservations(node, floor, SAMPLE)
    assert (again.added, again.updated, again.unchanged, again.cancelled) == (0, 0, 48, 0)
    assert node.store.event_count() == events
    assert json.loads(json.dumps(again.to_json()))["unchanged"] == 48


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_each_encoding_is_read_as_such(node: Node, floor: Actor, tmp_path: Path,
                                       encoding: str) -> None:  # fmt: skip
    path = write(tmp_path, [row("R0001", name="ヤマモト ハナコ"),
                            row("R0002", applicant="任意代理人", name="ワタナベ ケンジ")],
                 encoding)  # fmt: skip
    summary = import_reservations(node, floor, path)
    assert summary.encoding == encoding and summary.added == 2
    rows = booked(node)
    assert rows["R0001"]["name_kana"] == "ヤマモト ハナコ"
    assert rows["R0002"]["applicant"] == "agent"


def test_full_width_digits_slash_dates_and_short_times_are_normalised(
    node: Node, floor: Actor, tmp_path: Path
) -> None:
    path = write(tmp_path, [
        row("Ｒ２０２６１１２８０００１", "２０２６／１１／２８", "９:００", name="ﾀﾅｶ ﾀﾛｳ"),
        row("R202611280002", "2026/11/28 0:00", "9:30:00", " カード交付 ", " 法定代理人 "),
        row("R202611270001", "2026年11月27日", "10時30分", "issuance", "self", "　スズキ　ハナコ　"),
    ], "cp932")  # fmt: skip
    import_reservations(node, floor, path)
    rows = booked(node)
    first = rows["R202611280001"]
    assert (first["day"], first["slot"], first["name_kana"]) == (
        "2026-11-28",
        "09:00",
        "タナカ タロウ",
    )
    assert (rows["R202611280002"]["slot"], rows["R202611280002"]["applicant"]) == ("09:30", "legal")
    assert rows["R202611270001"]["day"] == "2026-11-27"
    assert rows["R202611270001"]["slot"] == "10:30"
    assert rows["R202611270001"]["name_kana"] == "スズキ ハナコ"


def test_other_columns_are_dropped_and_named(node: Node, floor: Actor, tmp_path: Path) -> None:
    header = ["電話番号", *HEADER, "住所"]
    path = write(tmp_path, [["090-1111-2222", *row("R0001"), "横須賀市本町3-27"]],
                 header=header)  # fmt: skip
    summary = import_reservations(node, floor, path)
    assert summary.dropped_columns == ["電話番号", "住所"]
    payloads = [json.dumps(e.payload, ensure_ascii=False) for e in node.store.events()]
    assert not any("090-1111-2222" in p or "本町" in p for p in payloads)
    assert set(booked(node)["R0001"]) >= {"reservation_id", "day", "slot", "name_kana"}


def test_reimport_updates_cancels_and_keeps_other_days(node: Node, floor: Actor,
                                                       tmp_path: Path) -> None:  # fmt: skip
    other = write(tmp_path, [row("R9001", "2026-11-27")], name="friday.csv")
    import_reservations(node, floor, other)
    first = [row("R0001"), row("R0002"), row("R0003", slot="11:00")]
    import_reservations(node, floor, write(tmp_path, first))
    second = [row("R0001"), row("R0002", slot="12:00"), row("R0004", name="イトウ アヤ")]
    events = node.store.event_count()
    with pytest.raises(CancellationsToConfirm) as asked:  # R0003 is no longer in the file
        import_reservations(node, floor, write(tmp_path, second))
    assert node.store.event_count() == events, "nothing is imported before the confirmation"
    assert asked.value.bookings == [{"reservation_id": "R0003", "day": DAY, "slot": "11:00",
                                     "procedure": "issuance", "applicant": "self"}]  # fmt: skip
    assert "1 件" in str(asked.value) and DAY in str(asked.value)
    progress: list[tuple[int, int]] = []
    summary = import_reservations(node, floor, write(tmp_path, second), progress=lambda d, t: progress.append((d, t)), confirm_cancel=True)  # fmt: skip
    assert (summary.added, summary.updated, summary.unchanged, summary.cancelled) == (1, 1, 1, 1)
    rows = booked(node)
    assert rows["R0002"]["slot"] == "12:00"
    assert rows["R0003"]["state"] == "cancelled", "cancelled, never deleted"
    assert rows["R9001"]["state"] == "booked", "a day the file does not cover is left alone"
    assert progress[-1] == (4, 4) and progress == sorted(progress)
    again = import_reservations(node, floor, write(tmp_path, second))
    assert (again.added, again.updated, again.unchanged, again.cancelled) == (0, 0, 3, 0)


def test_the_site_mapping_file_renames_columns_and_values(node: Node, floor: Actor,
                                                          tmp_path: Path) -> None:  # fmt: skip
    (node.data_dir / "reservation_csv.toml").write_text(
        '[columns]\nreservation_id = "受付番号"\nname_kana = "フリガナ"\n'
        '[procedure_values]\n"マイナカード受取" = "issuance"\n'
        '[applicant_values]\n"ご本人" = "self"\n', encoding="utf-8")  # fmt: skip
    header = ["受付番号", "予約日", "開始時刻", "手続", "受取者区分", "フリガナ"]
    path = write(tmp_path, [row("R0001", procedure="マイナカード受取", applicant="ご本人")],
                 header=header)  # fmt: skip
    assert import_reservations(node, floor, path).added == 1
    assert booked(node)["R0001"]["applicant"] == "self"
    bad = tmp_path / "bad.toml"
    bad.write_text('[columns]\nphone = "電話"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="phone"):
        CsvMapping.from_toml(bad)


def test_ten_thousand_rows_import(node: Node, floor: Actor, tmp_path: Path) -> None:
    rows = bench_import.make_rows(10_000, node.calendar())
    path = tmp_path / "big.csv"
    path.write_bytes(bench_import.to_csv(rows, "cp932"))
    summary = import_reservations(node, floor, path)
    assert (summary.rows, summary.added) == (10_000, 10_000)
    assert summary.dropped_columns == ["電話番号"]
    count = node.store.row("SELECT count(*) AS n FROM reservations WHERE state = 'booked'")
    assert count == {"n": 10_000}


# -- hostile files -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_bad_row_is_reported_and_nothing_is_imported(
    node: Node, floor: Actor, tmp_path: Path, encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    issuance = node.catalog.procedures["issuance"]
    monkeypatch.setitem(node.catalog.procedures, "issuance", replace(issuance, applicants=("self", "legal")))  # fmt: skip
    ClosureService(node).add(Actor("sm", "site_manager"), date(2026, 11, 27), "システム保守")
    rows = [
        row("R0001"),                                         # line 2: good
        row("R0002", "2026-11-25"),                           # 3: Wednesday
        row("R0003", "2026-02-30"),                           # 4: no such day
        row("R0004", slot="19:00"),                           # 5: no such slot
        row("R0005", procedure="カード再発行"),               # 6: unknown procedure
        row("R0006", procedure="電子証明書の新規発行・更新"), # 7: walk-in only
        row("R0007", applicant="家族"),                       # 8: unknown applicant
        row("R0008", applicant="任意代理人"),                 # 9: not allowed here
        row("R#8"),                                           # 10: bad number
        row("R0001", slot="11:00"),                           # 11: duplicate of line 2
        [*row("R0010"), "余分"],                              # 12: a field too many
        row("R0011", name=f"タナカ {MY_NUMBER}"),            # 13: My Number
        row("R0012", "2026-11-27"),                           # 14: ad-hoc closure
        row("R0013", "soon", "10時半", "", "本人", "Tanaka"), # 15: four at once
        row("R0014"),                                         # 16: good
    ]  # fmt: skip
    problems = refused(node, floor, write(tmp_path, rows, encoding))
    assert problems == [
        "line 3, column 予約日: 2026-11-25 は閉庁日です（水曜日は定休日）",
        "line 4, column 予約日: 2026-02-30 は存在しない日付です",
        "line 5, column 開始時刻: 2026-11-24 に 19:00 の予約枠はありません（予約枠は 10:30〜18:00）",
        "line 6, column 手続: 手続 'カード再発行' は不明です（予約で取り込める手続: カード交付）",
        "line 7, column 手続: 電子証明書の新規発行・更新は予約制の手続ではありません（予約で取り込める手続: カード交付）",
        "line 8, column 受取者区分: 受取者区分 '家族' は不明です（本人、法定代理人、任意代理人）",
        "line 9, column 受取者区分: カード交付に受取者区分 任意代理人 は選べません",
        "line 10, column 予約番号: 予約番号 'R#8' の形式が正しくありません（英数字と - で4〜32文字）",
        "line 11, column 予約番号: 予約番号 R0001 が line 2 と重複しています",
        "line 12: 列の数が 7 個あります（見出しは 6 個）。区切りのカンマや引用符（ダブルクォート）を確認してください",
        "line 13, column 氏名カナ: 個人番号（マイナンバー）と思われる12桁の番号があります。個人番号は取り込めません（削除してください）",
        "line 14, column 予約日: 2026-11-27 は閉庁日です（臨時閉庁: システム保守）",
        "line 15, column 予約日: 'soon' は日付として読めません（例: 2026-10-05、2026/10/5）",
        "line 15, column 開始時刻: '10時半' は時刻として読めません（例: 10:30、9:00）",
        "line 15, column 手続: 値がありません",
        "line 15, column 氏名カナ: 氏名カナはカタカナ（またはひらがな）64文字以内にしてください",
    ]  # fmt: skip
    assert booked(node) == {}


@pytest.mark.parametrize("where", ["name", "dropped", "number"])
def test_a_my_number_is_refused_without_repeating_it(node: Node, floor: Actor, tmp_path: Path,
                                                     where: str) -> None:  # fmt: skip
    grouped = "１２３４－５６７８－９０１８"  # the same number, full-width and grouped
    assert find_my_number(grouped) is not None
    cells = row(MY_NUMBER if where == "number" else "R0001",
                name=f"タナカ {grouped}" if where == "name" else "タナカ")  # fmt: skip
    header = [*HEADER, "備考"]
    note = f"個人番号 {MY_NUMBER}" if where == "dropped" else ""
    problems = refused(node, floor, write(tmp_path, [[*cells, note]], "cp932", header))
    column = {"name": "氏名カナ", "dropped": "備考", "number": "予約番号"}[where]
    assert len(problems) == 1 and problems[0].startswith(f"line 2, column {column}: 個人番号")
    assert not any(d in problems[0] for d in (MY_NUMBER, "1234", "１２３４", "9018"))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_missing_column_is_named_on_line_1(node: Node, floor: Actor, tmp_path: Path,
                                             encoding: str) -> None:  # fmt: skip
    header = [*HEADER[:-1], "氏名"]
    problems = refused(node, floor, write(tmp_path, [row("R0001")], encoding, header))
    mapping = node.data_dir / "reservation_csv.toml"
    assert problems == ["line 1, column 氏名カナ: 必要な列がありません"
                        "（ファイルの見出し: 予約番号、予約日、開始時刻、手続、受取者区分、氏名）。"
                        f"この列の見出しが違う名前なら、{mapping} の [columns] に "
                        'name_kana = "ファイルでの見出し" と書いてください']  # fmt: skip


@pytest.mark.parametrize("content", [b"", b"\r\n \r\n", b"\xef\xbb\xbf", b",,,\r\n"])
def test_an_empty_file_has_no_data(node: Node, floor: Actor, tmp_path: Path,
                                   content: bytes) -> None:  # fmt: skip
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert refused(node, floor, path) == ["予約データがありません（ファイルが空です）"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_header_only_file_has_no_data(node: Node, floor: Actor, tmp_path: Path,
                                        encoding: str) -> None:  # fmt: skip
    problems = refused(node, floor, write(tmp_path, [], encoding))
    assert problems == ["予約データがありません（見出しの行だけで、予約の行がありません）"]


def test_cp932_behind_a_utf8_bom_is_refused_naming_the_byte(node: Node, floor: Actor,
                                                            tmp_path: Path) -> None:  # fmt: skip
    path = write(tmp_path, [row("R0001")], "cp932")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    problems = refused(node, floor, path)
    assert problems[0].startswith("line 1: 先頭から 4 バイト目が UTF-8 として読めません")
    assert "BOM" in problems[0]


def test_cp932_bytes_that_are_not_utf8_are_read_as_cp932(tmp_path: Path) -> None:
    data = "予約番号,氏名カナ\r\nR0001,ソウマ\r\n".encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data) == ("予約番号,氏名カナ\r\nR0001,ソウマ\r\n", "cp932")


@pytest.mark.parametrize(
    ("data", "line", "offset"),
    [
        ("予約番号\r\nR0001\r\n".encode() + b"R\x80\r\n", 3, 23),  # broken UTF-8, 23rd byte
        (b"abc\r\nde\xfd\r\n", 2, 8),  # a byte neither UTF-8 nor CP932 defines
        (b"\xff\xfea\x00b\x00", 1, None),  # UTF-16
    ],
)
def test_unreadable_bytes_name_line_and_offset(data: bytes, line: int, offset: int | None) -> None:
    with pytest.raises(ValueError) as caught:
        decode(data)
    assert str(caught.value).startswith(f"line {line}: ")
    if offset is not None:
        assert f"{offset} バイト目" in str(caught.value)


def test_utf8_rows_glued_to_a_cp932_file_are_refused_on_their_line(
    node: Node, floor: Actor, tmp_path: Path
) -> None:
    head = ",".join(HEADER) + "\r\n" + ",".join(row("R0001", name="タナカ")) + "\r\n"
    tail = ",".join(row("R0002", name="スズキ")) + "\r\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(head.encode("cp932") + tail.encode("utf-8"))
    problems = refused(node, floor, path)
    assert problems and all(p.startswith("line 3") for p in problems)


def test_quoted_newlines_keep_line_numbers_right(node: Node, floor: Actor, tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    text = (",".join([*HEADER, "備考"]) + "\r\n" + ",".join(row("R0001")) + ',"二行の\r\n備考"\r\n'
            + ",".join(row("R0002", slot="25:00")) + ",\r\n")  # fmt: skip
    path.write_text(text, encoding="utf-8")
    assert refused(node, floor, path) == [
        "line 4, column 開始時刻: '25:00' は時刻として読めません（例: 10:30、9:00）"
    ]
    path.write_text(text.replace("25:00", "10:30") + 'R0003,"unterminated\r\n', encoding="utf-8")
    problems = refused(node, floor, path)
    assert problems[0].startswith("line 5: CSV の書式が誤っています")


def test_capacity_counts_the_file_and_bookings_that_stay(node: Node, floor: Actor,
                                                         tmp_path: Path) -> None:  # fmt: skip
    nine = [row(f"R{n:04d}", slot="11:00") for n in range(1, 10)]
    problems = refused(node, floor, write(tmp_path, nine))
    assert problems == ["line 10, column 開始時刻: 2026-11-24 11:00 の予約枠は満席です"
                        "（定員 8 人に、このファイルの 9 件と受付済み 0 件）"]  # fmt: skip
    import_reservations(node, floor, write(tmp_path, nine[:8]))
    TicketService(node).issue(floor, "issuance", "self", reservation_id="R0001")
    others = [row(f"R{n:04d}", slot="11:00") for n in range(101, 109)]
    problems = refused(node, floor, write(tmp_path, others))
    assert problems == ["line 9, column 開始時刻: 2026-11-24 11:00 の予約枠は満席です"
                        "（定員 8 人に、このファイルの 8 件と受付済み 1 件）"]  # fmt: skip
    summary = import_reservations(node, floor, write(tmp_path, others[:7]), confirm_cancel=True)
    assert (summary.added, summary.cancelled) == (7, 7), "R0002–R0008 make room; R0001 stays"
    assert booked(node)["R0001"]["state"] == "checked_in"


def test_a_checked_in_booking_cannot_be_changed_by_an_import(node: Node, floor: Actor,
                                                             tmp_path: Path) -> None:  # fmt: skip
    import_reservations(node, floor, write(tmp_path, [row("R0001", slot="11:00")]))
    TicketService(node).issue(floor, "issuance", "self", reservation_id="R0001")
    problems = refused(node, floor, write(tmp_path, [row("R0001", "2026-11-27", "11:00")]))
    assert problems == ["line 2, column 予約番号: 予約番号 R0001 は 2026-11-24 11:00 の予約として"
                        "受付済み（整理券発行済み）のため、内容を変えて取り込めません"]  # fmt: skip
    summary = import_reservations(node, floor, write(tmp_path, [row("R0001", slot="11:00")]))
    assert summary.unchanged == 1


def test_only_reservation_managers_may_import(node: Node, tmp_path: Path) -> None:
    with pytest.raises(AuthError):
        import_reservations(node, Actor("cl", "clerk", "1"), write(tmp_path, [row("R0001")]))
    assert booked(node) == {}


def test_a_booking_cancelled_by_one_export_comes_back_with_the_next(
    node: Node, floor: Actor, tmp_path: Path
) -> None:
    import_reservations(node, floor, write(tmp_path, [row("R0001"), row("R0002")]))
    import_reservations(node, floor, write(tmp_path, [row("R0001")]), confirm_cancel=True)
    import_reservations(node, floor, write(tmp_path, [row("R0001"), row("R0002")]))
    assert booked(node)["R0002"]["state"] == "booked"


STATUS_HEADER = [*HEADER, "予約状態"]


@pytest.mark.parametrize("header", ["予約状態", "キャンセル"])
def test_a_status_column_cancels_its_rows(node: Node, floor: Actor, tmp_path: Path,
                                          header: str) -> None:  # fmt: skip
    cancel, keep = ("キャンセル", "予約済") if header == "予約状態" else ("○", "")
    first = [[*row("R0001"), keep], [*row("R0002"), keep], [*row("R0003"), cancel]]
    summary = import_reservations(node, floor, write(tmp_path, first, header=[*HEADER, header]))
    assert (summary.added, summary.cancelled) == (2, 0), "a cancelled row books nothing"
    assert summary.dropped_columns == [] and "R0003" not in booked(node)
    second = [[*row("R0001"), keep], [*row("R0002"), cancel]]
    summary = import_reservations(node, floor, write(tmp_path, second, header=[*HEADER, header]))
    assert (summary.added, summary.updated, summary.unchanged, summary.cancelled) == (0, 0, 1, 1)
    assert booked(node)["R0002"]["state"] == "cancelled", "cancelled, so never a no-show later"


def test_a_full_slot_takes_cancelled_rows_as_free(node: Node, floor: Actor, tmp_path: Path) -> None:
    rows = [[*row(f"R{n:04d}", slot="11:00"), "予約済"] for n in range(1, 9)]
    rows.append([*row("R0009", slot="11:00"), "キャンセル"])
    summary = import_reservations(node, floor, write(tmp_path, rows, header=STATUS_HEADER))
    assert summary.added == 8


def test_an_unknown_status_names_the_mapping_file(node: Node, floor: Actor, tmp_path: Path) -> None:
    rows = [[*row("R0001"), "仮押さえ"]]
    problems = refused(node, floor, write(tmp_path, rows, header=STATUS_HEADER))
    assert len(problems) == 1 and problems[0].startswith("line 2, column 予約状態: '仮押さえ'")
    assert (
        str(node.data_dir / "reservation_csv.toml") in problems[0]
        and "[status_values]" in problems[0]
    )
    (node.data_dir / "reservation_csv.toml").write_text(
        '[status_values]\n"仮押さえ" = "cancelled"\n', encoding="utf-8"
    )
    assert import_reservations(node, floor, write(tmp_path, rows, header=STATUS_HEADER)).added == 0


def test_parsers_accept_the_documented_forms() -> None:
    assert parse_day("2026/10/5") == parse_day("2026-10-05") == date(2026, 10, 5)
    assert parse_day("2026-10/05") is None
    assert parse_slot("9:00") == parse_slot("09:00") == parse_slot("9時") == "09:00"
    assert parse_slot("24:00") is None
    export = read_export(SAMPLE.read_bytes(), load_catalog())
    assert len(export.rows) == 48 and export.problems == [] and export.dropped_columns == []


# -- command line --------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "site"
    monkeypatch.setenv("MADOGUCHI_PIN", "9999")
    assert main(["--data-dir", str(data), "init", "--site", "s", "--name", "rec",
                 "--role", "reception"]) == 0  # fmt: skip
    monkeypatch.setenv("MADOGUCHI_STAFF", "admin")
    return data


def test_cli_imports_lists_and_refuses(site: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    capsys.readouterr()
    assert main(["--data-dir", str(site), "reservations", "import", str(SAMPLE)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "48 行" in out and "追加 48" in out
    assert main(["--data-dir", str(site), "--json", "reservations", "list", "--day", "2026/10/05"]) == 0  # fmt: skip
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 48 and "name_kana" not in listed[0]
    assert main(["--data-dir", str(site), "reservations", "list"]) == 0
    text = capsys.readouterr().out.splitlines()
    assert len(text) == 48 and "カード交付  本人  予約" in text[0] and "タナカ" not in text[0]
    assert listed[0] == {"reservation_id": "R202610050001", "day": "2026-10-05", "slot": "10:30",
                         "procedure": "issuance", "applicant": "self", "state": "booked"}  # fmt: skip
    bad = write(tmp_path, [row("R0001", "2026-11-25"), row("R#2")])
    assert main(["--data-dir", str(site), "reservations", "import", str(bad)]) == 2  # fmt: skip
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert "2 件の問題" in err[0] and captured.out == ""
    assert err[1].strip().startswith("line 2, column 予約日:")
    assert err[2].strip().startswith("line 3, column 予約番号:")
    assert main(["--data-dir", str(site), "--json", "reservations", "import", str(SAMPLE)]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["unchanged"] == 48
    one = write(tmp_path, [row("R202610050001", "2026-10-05")])  # the other 47 are missing
    assert main(["--data-dir", str(site), "reservations", "import", str(one)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert "予約 47 件" in err[0] and "--confirm-cancel" in err[0]
    assert len(err) == 48 and err[1].split() == ["R202610050002", "2026-10-05", "10:30",
                                                  "issuance/self"]  # fmt: skip
    assert main(["--data-dir", str(site), "--json", "reservations", "import", str(one),
                 "--confirm-cancel"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["cancelled"] == 47


def test_the_bench_helpers_measure_a_real_import(tmp_path: Path, node: Node) -> None:
    rows = bench_import.make_rows(300, node.calendar())
    assert len({r[0] for r in rows}) == 300 and rows[-1][1] == "2026-08-03"  # 128 + 128 + 44
    data = bench_import.to_csv(rows, "cp932")
    assert bench_import.baseline(data, "cp932") > 0
    first, again, imported = bench_import.import_time(tmp_path / "bench", data)
    assert imported == 300 and first > 0 and again > 0
