"""The procedure catalog: applicant types, lanes and procedures (7 業務分担).

The default catalog is ``resources/catalog.toml``. It says which procedures reception offers,
which applicant types (受取者区分) may ask for each, which lane (queue) serves each pair, and
which documents reception checks (持参書類). A catalog is checked completely when it is loaded;
an inconsistent one is refused with a message naming the file and line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, NoReturn

from app.core.errors import InputError
from app.core.paths import resources_dir

APPLICANTS: tuple[str, ...] = ("self", "legal", "agent")  # 本人, 法定代理人, 任意代理人 (fixed)
OPERATORS: tuple[str, ...] = ("contractor", "city")  # who staffs a lane: 委託 or 市

_CODE = re.compile(r"[a-z][a-z0-9_]*")
_PREFIX = re.compile(r"[A-Z]{1,2}")
_HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_\-.\"' ]+?)\s*\]\]?\s*(?:#.*)?")
_KEY = re.compile(r"\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")
_TOML_LINE = re.compile(r"at line (\d+)")
_TEXT = re.compile(r".*\S.*", re.DOTALL)

_At = tuple[str | None, int, tuple[str, ...]]  # [[array]] (None: the root), its index, key path


class CatalogError(InputError):
    """A catalog that cannot be used, or a lookup of a code the catalog does not have."""


@dataclass(frozen=True)
class Applicant:
    """An applicant type (受取者区分)."""

    code: str
    name_ja: str
    name_en: str


@dataclass(frozen=True)
class Lane:
    """A queue; ``prefix`` starts the display numbers of its tickets (K012)."""

    id: str
    prefix: str
    name_ja: str
    name_en: str
    operator: str


@dataclass(frozen=True)
class Procedure:
    """A procedure; ``applicants`` (in :data:`APPLICANTS` order) are the keys of both maps."""

    code: str
    letters: str
    name_ja: str
    name_en: str
    reservation: bool
    jlis: bool
    service_minutes: int
    applicants: tuple[str, ...]
    route: Mapping[str, str] = field(hash=False)
    documents: Mapping[str, tuple[str, ...]] = field(hash=False)


def _codes(codes: Sequence[str] | Mapping[str, object]) -> str:
    return ", ".join(codes)


@dataclass(frozen=True, eq=False)
class Catalog:
    """A checked catalog; the dicts keep the order of the file.

    Every lookup raises :class:`CatalogError` for a code the catalog does not have, and
    :meth:`lane_for` / :meth:`documents` also for an applicant type the procedure does not allow.
    """

    applicants: dict[str, Applicant]
    lanes: dict[str, Lane]
    procedures: dict[str, Procedure]
    #: English names of the documents (``[document_names_en]``), by their Japanese name.
    document_names_en: Mapping[str, str] = field(default_factory=dict)

    def document_name(self, name_ja: str, lang: str) -> str:
        """Returns a document's name in ``ja`` or ``en`` (Japanese when it has no English)."""
        return self.document_names_en.get(name_ja, name_ja) if lang == "en" else name_ja

    def procedure(self, code: str) -> Procedure:
        """Returns the procedure ``code``."""
        if code not in self.procedures:
            raise CatalogError(f"手続 {code} はありません（手続: {_codes(self.procedures)}）")
        return self.procedures[code]

    def lane(self, lane_id: str) -> Lane:
        """Returns the lane ``lane_id``."""
        if lane_id not in self.lanes:
            raise CatalogError(f"窓口 {lane_id} はありません（窓口: {_codes(self.lanes)}）")
        return self.lanes[lane_id]

    def lane_by_prefix(self, prefix: str) -> Lane:
        """Returns the lane whose ticket numbers start with ``prefix`` (case-sensitive)."""
        for lane in self.lanes.values():
            if lane.prefix == prefix:
                return lane
        known = _codes([lane.prefix for lane in self.lanes.values()])
        raise CatalogError(f"番号の頭文字 {prefix} の窓口はありません（頭文字: {known}）")

    def _allowed(self, procedure_code: str, applicant_code: str) -> Procedure:
        procedure = self.procedure(procedure_code)
        if applicant_code not in procedure.applicants:
            raise CatalogError(
                f"手続 {procedure.code} に 受取者区分 {applicant_code} は選べません"
                f"（選べるのは {_codes(procedure.applicants)}）"
            )
        return procedure

    def lane_for(self, procedure_code: str, applicant_code: str) -> Lane:
        """Returns the lane that serves this procedure for this applicant type."""
        return self.lane(self._allowed(procedure_code, applicant_code).route[applicant_code])

    def documents(self, procedure_code: str, applicant_code: str) -> tuple[str, ...]:
        """Returns the reception checklist (持参書類) of this procedure and applicant type."""
        return self._allowed(procedure_code, applicant_code).documents[applicant_code]


class _Header(NamedTuple):
    line: int  # 0-based
    path: tuple[str, ...]  # [procedures.documents] -> ("procedures", "documents")
    array: bool


def _path(dotted: str) -> tuple[str, ...]:
    return tuple(re.sub(r"[\s\"']", "", dotted).split("."))


class _Source:
    """The catalog text, to find the line of a key that tomllib does not report."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.lines = text.splitlines()
        self.headers: dict[int, _Header] = {}
        for number, line in enumerate(self.lines):
            if match := _HEADER.fullmatch(line):
                array = match.group(1) == "[["
                self.headers[number] = _Header(number, _path(match.group(2)), array)

    def fail(self, line: int, message: str) -> NoReturn:
        raise CatalogError(f"{self.name} 行 {max(line, 0) + 1}: {message}")

    def find(self, array: str | None, index: int, keys: Sequence[str]) -> int:
        """Returns the 0-based line of ``keys`` in the ``index``-th ``[[array]]`` (or the root).

        The header or ``key =`` line sharing the longest key path with ``keys`` wins, the first
        one on ties; without any, the ``[[array]]`` header (or -1 for the root).
        """
        start, end, base = -1, len(self.lines), 0
        blocks = [h.line for h in self.headers.values() if h.array and h.path == (array,)]
        if array is not None and index < len(blocks):
            start, base = blocks[index], 1
            outside = [
                h.line for h in self.headers.values() if h.line > start and h.path[0] != array
            ]
            end = min([*outside, *blocks[index + 1 : index + 2], end])
        elif array is not None:
            keys = (array, *keys)
        best, best_score = start, 0
        path: tuple[str, ...] = ()
        for number in range(start + 1, end):
            if number in self.headers:
                path = found = self.headers[number].path[base:]
            elif match := _KEY.match(self.lines[number]):
                found = path + _path(match.group(1))
            else:
                continue
            score = 0
            while score < min(len(found), len(keys)) and found[score] == keys[score]:
                score += 1
            if score > best_score:
                best, best_score = number, score
        return best


class _Table:
    """One TOML table of the catalog, checked key by key; errors name the key's line."""

    def __init__(self, src: _Source, raw: Any, label: str, at: _At) -> None:
        self.src, self.label, self.at = src, label, at
        if not isinstance(raw, dict):
            self.fail(f"{label} が表になっていません")
        self.raw: dict[str, Any] = raw

    def fail(self, message: str, *keys: str) -> NoReturn:
        array, index, base = self.at
        self.src.fail(self.src.find(array, index, (*base, *keys)), message)

    def get(self, key: str) -> Any:
        if key not in self.raw:
            self.fail(f"{self.label} に {key} がありません")
        return self.raw[key]

    def check(self, key: str, ok: Callable[[Any], object], hint: str) -> Any:
        value = self.get(key)
        if not ok(value):
            self.fail(f"{self.label} の {key} = {value!r} は{hint}にしてください", key)
        return value

    def text(self, key: str, pattern: re.Pattern[str] = _TEXT, hint: str = "空でない文字列") -> str:
        return str(self.check(key, lambda v: isinstance(v, str) and pattern.fullmatch(v), hint))

    def flag(self, key: str) -> bool:
        return bool(self.check(key, lambda v: isinstance(v, bool), "「true」か「false」"))

    def per_applicant(
        self, key: str, allowed: Sequence[str], ok: Callable[[Any], object], bad: str
    ) -> dict[str, Any]:
        """Checks a table keyed by exactly ``allowed``; ``bad`` reports a value ``ok`` refuses."""
        value = self.check(key, lambda v: isinstance(v, dict), "受取者区分ごとの表")
        for code in value:
            if code not in allowed:
                self.fail(
                    f"{self.label} の {key}.{code} は applicants にない受取者区分です"
                    f"（applicants: {_codes(allowed)}）",
                    key,
                    code,
                )
        for code in allowed:
            if code not in value:
                self.fail(f"{self.label} の {key} に受取者区分 {code} がありません", key)
            if not ok(value[code]):
                self.fail(
                    f"{self.label} の {key}.{code} {bad.format(value=value[code])}", key, code
                )
        return dict(value)


def _applicants(src: _Source, raw: dict[str, Any]) -> dict[str, Applicant]:
    table = _Table(src, raw.get("applicants"), "[applicants]", (None, 0, ("applicants",)))
    for code in table.raw:
        if code not in APPLICANTS:
            table.fail(f"不明な受取者区分 {code} があります（区分: {_codes(APPLICANTS)}）", code)
    result: dict[str, Applicant] = {}
    for code in APPLICANTS:
        entry = _Table(src, table.get(code), f"受取者区分 {code}", (None, 0, ("applicants", code)))
        result[code] = Applicant(code, entry.text("name_ja"), entry.text("name_en"))
    return result


def _tables(src: _Source, raw: dict[str, Any], key: str, what: str) -> list[_Table]:
    items = raw.get(key)
    if not isinstance(items, list) or not items:
        src.fail(src.find(None, 0, (key,)), f"{what} [[{key}]] が1つもありません")
    return [_Table(src, it, f"{n + 1}番目の{what}", (key, n, ())) for n, it in enumerate(items)]


def _lanes(src: _Source, raw: dict[str, Any]) -> dict[str, Lane]:
    lanes: dict[str, Lane] = {}
    for table in _tables(src, raw, "lanes", "窓口"):
        lane_id = table.text("id", _CODE, "英小文字・数字・_ の ID")
        table.label = f"窓口 {lane_id}"
        if lane_id in lanes:
            table.fail(f"窓口 id {lane_id} が重複しています", "id")
        prefix = table.text("prefix", _PREFIX, "英大文字1〜2文字")
        for other in lanes.values():
            if other.prefix == prefix:
                table.fail(
                    f"{table.label} の prefix {prefix} は窓口 {other.id} と重複しています", "prefix"
                )
        operator = table.check(
            "operator", OPERATORS.__contains__, "「contractor」（委託）か「city」（市）"
        )
        name_ja, name_en = table.text("name_ja"), table.text("name_en")
        lanes[lane_id] = Lane(lane_id, prefix, name_ja, name_en, operator)
    return lanes


def _procedure(table: _Table, lanes: Mapping[str, Lane]) -> Procedure:
    label = table.label
    allowed = table.get("applicants")
    unknown = [a for a in allowed if a not in APPLICANTS] if isinstance(allowed, list) else []
    if not isinstance(allowed, list) or not allowed or unknown or len(set(allowed)) < len(allowed):
        what = f"に不明な受取者区分 {unknown[0]!r} があります" if unknown else "が誤っています"
        table.fail(
            f"{label} の applicants {what}（{_codes(APPLICANTS)} から重複なく選んでください）",
            "applicants",
        )
    applicants = tuple(a for a in APPLICANTS if a in allowed)
    route = table.per_applicant(
        "route",
        applicants,
        lambda lane_id: isinstance(lane_id, str) and lane_id in lanes,
        f"が存在しない窓口 {{value}} を指しています（窓口: {_codes(lanes)}）",
    )
    documents = table.per_applicant(
        "documents",
        applicants,
        lambda docs: (
            docs
            and isinstance(docs, list)
            and all(isinstance(d, str) and _TEXT.fullmatch(d) for d in docs)
        ),
        "は空でない書類名の一覧にしてください",
    )
    return Procedure(
        code=table.text("code"),
        letters=table.text("letters"),
        name_ja=table.text("name_ja"),
        name_en=table.text("name_en"),
        reservation=table.flag("reservation"),
        jlis=table.flag("jlis"),
        service_minutes=table.check(
            "service_minutes", lambda v: type(v) is int and v > 0, "1以上の整数（分）"
        ),
        applicants=applicants,
        route=MappingProxyType({a: route[a] for a in applicants}),
        documents=MappingProxyType({a: tuple(documents[a]) for a in applicants}),
    )


def parse_catalog(text: str, source: str = "catalog.toml") -> Catalog:
    """Parses and checks a catalog.

    Args:
        text: the TOML text.
        source: the file name used in error messages.

    Raises:
        CatalogError: the text is not TOML or the catalog is inconsistent; the message
            reads ``"<source> 行 <line>: <what is wrong>"``.
    """
    src = _Source(text, source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) - 1 if match else len(src.lines) - 1
        src.fail(line, f"TOML の書式が誤っています（{exc}）")
    applicants = _applicants(src, raw)
    lanes = _lanes(src, raw)
    procedures: dict[str, Procedure] = {}
    for table in _tables(src, raw, "procedures", "手続"):
        code = table.text("code", _CODE, "英小文字・数字・_ のコード")
        table.label = f"手続 {code}"
        if code in procedures:
            table.fail(f"手続 code {code} が重複しています", "code")
        procedures[code] = _procedure(table, lanes)
    names_en = raw.get("document_names_en", {})
    if not isinstance(names_en, dict) or not all(
        isinstance(v, str) and v.strip() for v in names_en.values()
    ):
        src.fail(
            len(src.lines) - 1, 'document_names_en は 書類名 = "English name" の表にしてください'
        )
    return Catalog(applicants, lanes, procedures, MappingProxyType(dict(names_en)))


def load_catalog(path: Path | None = None) -> Catalog:
    """Loads and checks a catalog file.

    Args:
        path: a catalog file; ``None`` loads the bundled ``resources/catalog.toml``.

    Raises:
        CatalogError: the file cannot be read, is not TOML or is inconsistent.
    """
    file = resources_dir() / "catalog.toml" if path is None else path
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError) as exc:
        raise CatalogError(f"{file}: 手続カタログを読めません（{exc}）") from exc
    return parse_catalog(text, str(file))
