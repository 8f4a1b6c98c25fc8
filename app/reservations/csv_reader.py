"""Reading and checking the web reservation export (予約データの CSV). No Qt.

:func:`read_export` decodes the file (UTF-8 with or without BOM, or CP932), maps its columns,
normalises the values (NFKC: full-width digits and half-width kana; ``2026/10/5``; ``9:00``;
surrounding spaces) and checks every row on its own. Every problem is collected as
``line N, column 列名: what is wrong``; :mod:`app.reservations.importer` adds the checks
against the calendar and the bookings already imported, and imports nothing from a file
with any problem.

Only the reservation number, day, slot, procedure, applicant type and the name in kana (may
be empty) are kept; the other columns are dropped and named. A status column (``予約状態``,
or a ``キャンセル`` flag column) is read when the file has one: a row it marks cancelled
cancels that booking (or books nothing); a value it does not know refuses the file, naming
it. A My Number (個人番号) anywhere in the file refuses it; the messages name the column,
never the number.

A site may change the mapping in ``<data dir>/reservation_csv.toml``; every key is optional::

    [columns]              # the header names in the file
    reservation_id = "予約番号"
    day = "予約日"
    slot = "開始時刻"
    procedure = "手続"
    applicant = "受取者区分"
    name_kana = "氏名カナ"
    status = "予約状態"        # optional column; without it every row is a booking

    [status_values]        # a value of the status column -> "cancelled" or "booked"
    "取消済" = "cancelled"

    [procedure_values]     # a value in the file -> a procedure code of the catalog
    "マイナンバーカード交付" = "issuance"

    [applicant_values]     # a value in the file -> an applicant type (self, legal, agent)
    "代理人（法定）" = "legal"

The catalog's codes, ``name_ja`` and ``name_en`` of procedures and applicant types are always
accepted as values; values are compared after NFKC, ignoring case and surrounding spaces.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.core.catalog import Catalog
from app.core.errors import InputError
from app.core.mynumber import find_my_number
from app.reservations.bookings import RESERVATION_ID

#: The site's mapping file, in the node's data folder.
MAPPING_FILE = "reservation_csv.toml"
#: The kept fields, in the order of the default header.
FIELDS = ("reservation_id", "day", "slot", "procedure", "applicant", "name_kana")
#: Headers of a status column tried in turn when the mapping names none.
STATUS_HEADERS = ("予約状態", "キャンセル")
#: Values of a status column (compared after NFKC, ignoring case) and what they mean.
STATUS_VALUES: Mapping[str, str] = MappingProxyType({
    **{v: "cancelled" for v in ("キャンセル", "キャンセル済", "キャンセル済み", "取消", "取消し",
                                "取り消し", "取消済", "取消済み", "cancelled", "canceled", "cancel",
                                "○", "◯", "1", "済", "あり", "有", "はい", "yes", "true")},
    **{v: "booked" for v in ("", "予約", "予約済", "予約済み", "確定", "予約確定", "受付", "受付済",
                             "受付済み", "来庁済", "booked", "0", "なし", "無", "いいえ", "no",
                             "false", "-")},
})  # fmt: skip
_BOM = b"\xef\xbb\xbf"
_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日")
_MIDNIGHT = re.compile(r" 0?0:00(?::00)?$")  # Excel writes dates as "2026/10/5 0:00"
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::00)?|(\d{1,2})時(?:(\d{1,2})分)?")
_DIGIT = re.compile(r"\d")
_NOT_CP932 = re.compile("[\x80-\x9f\uf8f0-\uf8f3]")
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff ]+")
_PRIVACY = "個人番号（マイナンバー）と思われる12桁の番号があります。個人番号は取り込めません（削除してください）"


def norm(text: str) -> str:
    """Returns a cell as compared and kept: NFKC, inner spaces single, outer ones removed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _key(text: str) -> str:
    return norm(text).casefold()


def _has_my_number(cell: str) -> bool:
    """Tells whether a cell holds a My Number (cells with under 12 digits are skipped fast)."""
    digits = len(_DIGIT.findall(unicodedata.normalize("NFKC", cell)))
    return digits >= 12 and find_my_number(cell) is not None


def _no_values() -> Mapping[str, str]:
    return MappingProxyType({})


_SECTIONS = ("columns", "status_values", "procedure_values", "applicant_values")


@dataclass(frozen=True)
class CsvMapping:
    """Header names of the kept columns, and extra values of procedures and applicant types."""

    reservation_id: str = "予約番号"
    day: str = "予約日"
    slot: str = "開始時刻"
    procedure: str = "手続"
    applicant: str = "受取者区分"
    name_kana: str = "氏名カナ"
    status: str = ""  # "" tries STATUS_HEADERS
    procedure_values: Mapping[str, str] = field(default_factory=_no_values, hash=False)
    status_values: Mapping[str, str] = field(default_factory=_no_values, hash=False)
    applicant_values: Mapping[str, str] = field(default_factory=_no_values, hash=False)

    @classmethod
    def from_toml(cls, path: Path) -> CsvMapping:
        """Loads a ``reservation_csv.toml`` (its keys are in the module docstring).

        Raises:
            ValueError: the file is not TOML, or a key or value is not acceptable.
        """
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"{path}: 予約CSVの設定を読めません（{exc}）") from exc
        values: dict[str, Any] = {}
        for section, table in raw.items():
            if section not in _SECTIONS:
                raise InputError(f"{path}: [{section}] は使えません（{', '.join(_SECTIONS)}）")
            for key, value in table.items() if isinstance(table, dict) else [(section, None)]:
                if not isinstance(value, str) or not norm(value):
                    raise InputError(f"{path}: [{section}] {key} は空でない文字列にしてください")
                if section == "columns" and key not in (*FIELDS, "status"):
                    raise InputError(f"{path}: [columns] {key} は使えません（{', '.join(FIELDS)}, status）")  # fmt: skip
                if section == "status_values" and value not in ("cancelled", "booked"):
                    raise InputError(f"{path}: [status_values] {key} は \"cancelled\" か \"booked\" にしてください")  # fmt: skip
            if section == "columns":
                values.update(table)
            else:
                values[section] = MappingProxyType(dict(table))
        mapping = cls(**values)
        if len({_key(mapping.header(f)) for f in FIELDS}) < len(FIELDS):
            raise InputError(f"{path}: [columns] に同じ見出しが2回指定されています")
        return mapping

    def header(self, name: str) -> str:
        """Returns the header name of a kept field (one of :data:`FIELDS`)."""
        return str(getattr(self, name))

    def statuses(self) -> dict[str, str]:
        """Returns the values of a status column (as compared) → ``cancelled`` or ``booked``."""
        values = {_key(k): v for k, v in STATUS_VALUES.items()}
        values.update({_key(k): v for k, v in self.status_values.items()})
        return values

    def aliases(self, catalog: Catalog) -> tuple[dict[str, str], dict[str, str]]:
        """Returns (procedure, applicant) maps of accepted values (as compared) to codes.

        Raises:
            ValueError: a configured value maps to a code the catalog does not have.
        """
        for value, code in [*self.procedure_values.items(), *self.applicant_values.items()]:
            if code not in catalog.procedures and code not in catalog.applicants:
                raise InputError(f"{MAPPING_FILE}: {value} = {code!r} は手続・受取者区分のコードではありません")  # fmt: skip
        procedures = {_key(t): p.code for p in catalog.procedures.values()
                      for t in (p.code, p.name_ja, p.name_en)}  # fmt: skip
        applicants = {_key(t): a.code for a in catalog.applicants.values()
                      for t in (a.code, a.name_ja, a.name_en)}  # fmt: skip
        procedures.update({_key(k): v for k, v in self.procedure_values.items()})
        applicants.update({_key(k): v for k, v in self.applicant_values.items()})
        return procedures, applicants


@dataclass(frozen=True)
class CsvRow:
    """One data row; a value is None when missing or wrong (``ok`` is then False)."""

    line: int
    reservation_id: str | None
    day: date | None
    slot: str | None
    procedure: str | None
    applicant: str | None
    name_kana: str | None
    ok: bool
    #: The status column marks the booking cancelled.
    cancelled: bool = False

    def payload(self) -> dict[str, Any]:
        """Returns the ``reservation.booked`` payload of a row that is ok."""
        assert self.ok and self.day is not None
        return {"reservation_id": self.reservation_id, "day": self.day.isoformat(),
                "slot": self.slot, "procedure": self.procedure, "applicant": self.applicant,
                "name_kana": self.name_kana}  # fmt: skip


@dataclass
class Export:
    """A read export: its rows, the columns kept and dropped, and the problems found."""

    encoding: str = ""
    rows: list[CsvRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header name in the file
    #: Where a site maps other headers and values (named in the messages).
    mapping_file: str = f"{MAPPING_FILE}（この端末のデータフォルダ）"
    dropped_columns: list[str] = field(default_factory=list)
    _problems: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, line: int, column: str | None, text: str) -> None:
        """Records a problem of a line (0: the file) and column (a field or a header name)."""
        name = self.columns.get(column, column) if column else None
        order = FIELDS.index(column) if column in FIELDS else -1
        where = f"line {line}, column {name}" if name else f"line {line}"
        self._problems.append((line, order, f"{where}: {text}" if line else text))

    @property
    def problems(self) -> list[str]:
        """Returns every problem, by line and column."""
        return [text for _, _, text in sorted(self._problems, key=lambda p: p[:2])]


def decode(data: bytes) -> tuple[str, str]:
    """Decodes an export: UTF-8 with BOM, UTF-8 or CP932, tried in this order.

    Returns:
        The text and the encoding's name (``utf-8-sig``, ``utf-8`` or ``cp932``).

    Raises:
        ValueError: none of them fits; the message names the line and byte offset.
    """

    def at(offset: int) -> str:
        line = data.count(b"\n", 0, offset) + 1
        return f"line {line}: 先頭から {offset + 1} バイト目"

    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data:
        raise InputError("line 1: UTF-16 または CSV でないファイルです。UTF-8 か CP932 で保存し直してください")  # fmt: skip
    bom = data.startswith(_BOM)
    try:
        return data[len(_BOM) if bom else 0 :].decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError as exc:
        utf8 = exc.start + (len(_BOM) if bom else 0)
    if bom or not data[:utf8].isascii():  # UTF-8 up to there: not a CP932 file
        why = "先頭に UTF-8 の BOM があります" if bom else "その前までは UTF-8 です"
        raise InputError(f"{at(utf8)}が UTF-8 として読めません（{why}が、CP932 など別の文字コードの部分があるか、"
                         "ファイルが壊れています）。UTF-8 か CP932 で保存し直してください")  # fmt: skip
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as exc:
        cp932 = exc.start
    else:
        stray = _NOT_CP932.search(text)  # bytes CP932 leaves undefined (0x80, 0xA0, 0xFD–0xFF)
        if stray is None:
            return text, "cp932"
        cp932 = len(text[: stray.start()].encode("cp932"))
    raise InputError(
        f"{at(max(utf8, cp932))}が読めません。文字コードが UTF-8 でも CP932（Shift_JIS）でもありません"
        f"（UTF-8 では {utf8 + 1} バイト目、CP932 では {cp932 + 1} バイト目で読めなくなります）"
    )


def parse_day(value: str) -> date | None:
    """Returns the day of ``2026-10-05``, ``2026/10/5``, ``2026.10.5`` or ``2026年10月5日``.

    Raises:
        ValueError: such a day does not exist (``2026-02-30``).
    """
    match = _DATE.fullmatch(_MIDNIGHT.sub("", value))
    if match is None:
        return None
    year, month, day = (int(g) for i, g in enumerate(match.groups()) if g and i != 1)
    return date(year, month, day)


def parse_slot(value: str) -> str | None:
    """Returns ``HH:MM`` of ``9:00``, ``09:00``, ``09:00:00`` or ``9時``, else None."""
    match = _TIME.fullmatch(value)
    if match is None:
        return None
    hour, minute = (int(g or 0) for g in (match.group(1) or match.group(3), match.group(2) or match.group(4)))  # fmt: skip
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


class _Rows:
    """Checks data rows one at a time against the header and the catalog."""

    def __init__(self, export: Export, names: list[str], mapping: CsvMapping, catalog: Catalog):
        self.export, self.names, self.catalog = export, names, catalog
        self.index = {f: names.index(export.columns[f]) for f in FIELDS}
        status = export.columns.get("status")
        self.status = names.index(status) if status is not None else None
        self.statuses = mapping.statuses()
        self.procedures, self.applicants = mapping.aliases(catalog)
        self.reserved = "、".join(p.name_ja for p in catalog.procedures.values() if p.reservation)
        self.line, self.ok = 0, True

    def fail(self, column: str | None, text: str) -> None:
        self.ok = False
        self.export.add(self.line, column, text)

    def check(self, line: int, cells: list[str]) -> CsvRow:
        self.line, self.ok = line, True
        hidden = {i for i, cell in enumerate(cells) if _has_my_number(cell)}
        for i in sorted(hidden):  # named by its column only: the number is never repeated
            self.fail(self.names[i] if i < len(self.names) else f"{i + 1}列目", _PRIVACY)
        if len(cells) != len(self.names):
            self.fail(None, f"列の数が {len(cells)} 個あります（見出しは {len(self.names)} 個）。"
                            "区切りのカンマや引用符（ダブルクォート）を確認してください")  # fmt: skip
            return CsvRow(line, None, None, None, None, None, None, ok=False)
        v = {f: None if self.index[f] in hidden else norm(cells[self.index[f]]) for f in FIELDS}
        for f in FIELDS[:-1]:
            if v[f] == "":
                self.fail(f, "値がありません")
                v[f] = None
        number, name = v["reservation_id"], v["name_kana"]
        if number is not None and not RESERVATION_ID.fullmatch(number):
            self.fail("reservation_id", f"予約番号 {number!r} の形式が正しくありません（英数字と - で4〜32文字）")  # fmt: skip
            number = None
        procedure = self._procedure(v["procedure"])
        applicant = self._applicant(v["applicant"], procedure)
        if name and (not _KANA.fullmatch(name) or len(name) > 64):
            self.fail("name_kana", "氏名カナはカタカナ（またはひらがな）64文字以内にしてください")
        cancelled = self._cancelled(cells)
        return CsvRow(line, number, self._day(v["day"]), self._slot(v["slot"]), procedure,
                      applicant, name or None, self.ok, cancelled)  # fmt: skip

    def _cancelled(self, cells: list[str]) -> bool:
        if self.status is None:
            return False
        value = norm(cells[self.status])
        meaning = self.statuses.get(value.casefold())
        if meaning is None:
            cancel = "、".join(k for k, v in STATUS_VALUES.items() if v == "cancelled")
            self.fail("status", f"{value!r} が予約かキャンセルか分かりません（キャンセルとみなす値: {cancel}）。"
                                f"{self.export.mapping_file} の [status_values] に \"{value}\" = \"cancelled\" "
                                "または \"booked\" と書いてください")  # fmt: skip
            return False
        return meaning == "cancelled"

    def _day(self, value: str | None) -> date | None:
        try:
            day = parse_day(value) if value else None
        except ValueError:
            self.fail("day", f"{value} は存在しない日付です")
            return None
        if value and day is None:
            self.fail("day", f"{value!r} は日付として読めません（例: 2026-10-05、2026/10/5）")
        return day

    def _slot(self, value: str | None) -> str | None:
        slot = parse_slot(value) if value else None
        if value and slot is None:
            self.fail("slot", f"{value!r} は時刻として読めません（例: 10:30、9:00）")
        return slot

    def _procedure(self, value: str | None) -> str | None:
        code = self.procedures.get(value.casefold()) if value else None
        proc = self.catalog.procedures.get(code or "")
        if value and proc is None:
            self.fail("procedure", f"手続 {value!r} は不明です（予約で取り込める手続: {self.reserved}）")  # fmt: skip
        elif proc is not None and not proc.reservation:
            self.fail("procedure", f"{proc.name_ja}は予約制の手続ではありません（予約で取り込める手続: {self.reserved}）")  # fmt: skip
            proc = None
        return proc.code if proc else None

    def _applicant(self, value: str | None, procedure: str | None) -> str | None:
        code = self.applicants.get(value.casefold()) if value else None
        kind = self.catalog.applicants.get(code or "")
        if value and kind is None:
            names = "、".join(a.name_ja for a in self.catalog.applicants.values())
            self.fail("applicant", f"受取者区分 {value!r} は不明です（{names}）")
        elif kind is not None and procedure and kind.code not in self.catalog.procedures[procedure].applicants:  # fmt: skip
            proc = self.catalog.procedures[procedure].name_ja
            self.fail("applicant", f"{proc}に受取者区分 {kind.name_ja} は選べません")
            kind = None
        return kind.code if kind else None


def _records(text: str, export: Export) -> list[tuple[int, list[str]]]:
    """Returns the non-blank CSV records with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        export.add(start, None, f"CSV の書式が誤っています（{exc}）。引用符（ダブルクォート）の閉じ忘れなどを確認してください")  # fmt: skip
    return records


def read_export(data: bytes, catalog: Catalog, mapping: CsvMapping | None = None,
                mapping_file: Path | None = None) -> Export:  # fmt: skip
    """Decodes, maps and checks every row of an export on its own.

    Args:
        data: the file's bytes.
        catalog: the procedures and applicant types of the node.
        mapping: the columns and extra values; None for the defaults.
        mapping_file: where the site's mapping is (or would be), named in the messages.

    Returns:
        The export; ``problems`` lists everything found wrong in the file itself.
    """
    mapping = mapping or CsvMapping()
    export = Export()
    if mapping_file is not None:
        export.mapping_file = str(mapping_file)
    try:
        text, export.encoding = decode(data)
    except ValueError as exc:
        export.add(0, None, str(exc))
        return export
    records = _records(text, export)
    if not records:
        export.add(0, None, "予約データがありません（ファイルが空です）")
        return export
    (head, header), body = records[0], records[1:]
    names = [norm(cell) or f"{i + 1}列目（見出しなし）" for i, cell in enumerate(header)]
    for i, cell in enumerate(header):
        if _has_my_number(cell):
            names[i] = f"{i + 1}列目"
            export.add(head, names[i], _PRIVACY)
    keys = [_key(n) for n in names]
    for name in FIELDS:
        wanted = norm(mapping.header(name))
        found = [i + 1 for i, k in enumerate(keys) if k == _key(wanted)]
        if len(found) == 1:
            export.columns[name] = names[found[0] - 1]
        elif found:
            export.add(head, wanted, f"この見出しが {len(found)} 回あります（{'、'.join(map(str, found))}列目）")  # fmt: skip
        else:
            export.add(head, wanted, f"必要な列がありません（ファイルの見出し: {'、'.join(names)}）。"
                                     f"この列の見出しが違う名前なら、{export.mapping_file} の [columns] に "
                                     f"{name} = \"ファイルでの見出し\" と書いてください")  # fmt: skip
    for wanted in (mapping.status,) if mapping.status else STATUS_HEADERS:
        found = [i for i, k in enumerate(keys) if k == _key(wanted)]
        if len(found) == 1:
            export.columns["status"] = names[found[0]]
            break
        if found:
            export.add(head, wanted, f"この見出しが {len(found)} 回あります")
        elif mapping.status:
            export.add(head, wanted, f"{export.mapping_file} の [columns] status の列がありません"
                                     f"（ファイルの見出し: {'、'.join(names)}）")  # fmt: skip
    export.dropped_columns = [n for n in names if n not in export.columns.values()]
    if export.problems:
        return export
    if not body:
        export.add(0, None, "予約データがありません（見出しの行だけで、予約の行がありません）")
        return export
    rows = _Rows(export, names, mapping, catalog)
    first: dict[str, int] = {}
    for line, cells in body:
        row = rows.check(line, cells)
        number = row.reservation_id
        if number is not None and number in first:
            export.add(line, "reservation_id", f"予約番号 {number} が line {first[number]} と重複しています")  # fmt: skip
            row = replace(row, ok=False)
        elif number is not None:
            first[number] = line
        export.rows.append(row)
    return export
