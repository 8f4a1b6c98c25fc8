"""Tests of the procedure catalog: resources/catalog.toml and app/core/catalog.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.catalog import APPLICANTS, Catalog, CatalogError, load_catalog, parse_catalog
from app.core.paths import resources_dir

DEFAULT_TEXT = (resources_dir() / "catalog.toml").read_text(encoding="utf-8")

PROCEDURES = [
    "issuance",
    "certificate",
    "pin",
    "loss",
    "unsuspend",
    "surface",
    "face_auth",
    "express",
    "application",
    "other",
]

# 7 業務分担 of the specification: (self, legal, agent) -> lane id.
ROUTES = {
    "issuance": ("reserved", "reserved", "city"),  # イ / ウ
    "certificate": ("general", "general", "city"),  # エ / オ
    "pin": ("general", "general", "city"),  # カ / キ
    "loss": ("general", "general", "general"),  # ク
    "unsuspend": ("general", "general", "general"),  # ク (一時停止の解除)
    "surface": ("general", "general", "city"),  # ケ
    "face_auth": ("city", "city", "city"),  # コ
    "express": ("city", "city", "city"),  # セ
    "application": ("city", "city", "city"),  # ス
    "other": ("general", "general", "city"),  # ト
}

LETTERS = {
    "issuance": "イ・ウ",
    "certificate": "エ・オ",
    "pin": "カ・キ",
    "loss": "ク",
    "unsuspend": "ク",
    "surface": "ケ",
    "face_auth": "コ",
    "express": "セ",
    "application": "ス",
    "other": "ト",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _line(text: str, offset: int) -> int:
    """Returns the 1-based line of a character offset."""
    return text.count("\n", 0, offset) + 1


def _edit(text: str, old: str, new: str, *, after: str = "") -> tuple[str, int]:
    """Replaces the first ``old`` that follows ``after``.

    Returns:
        The edited text and the 1-based line where the replacement starts.
    """
    at = text.index(old, text.index(after) if after else 0)
    return text[:at] + new + text[at + len(old) :], _line(text, at)


def _header_before(text: str, header: str, marker: str) -> int:
    """Returns the 1-based line of the last ``header`` before ``marker``."""
    return _line(text, text.rindex(header, 0, text.index(marker)))


def _error(text: str) -> str:
    with pytest.raises(CatalogError) as info:
        parse_catalog(text)
    return str(info.value)


# ------------------------------------------------------------------ the default catalog


def test_default_catalog_has_the_nine_procedures_in_order(catalog: Catalog) -> None:
    assert list(catalog.procedures) == PROCEDURES
    assert {code: p.letters for code, p in catalog.procedures.items()} == LETTERS


def test_every_procedure_has_japanese_and_english_names(catalog: Catalog) -> None:
    for procedure in catalog.procedures.values():
        assert procedure.name_ja.strip() and procedure.name_en.strip()
        assert procedure.name_en.isascii()
        assert not procedure.name_ja.isascii()
    assert catalog.procedure("issuance").name_ja == "カード交付"
    assert catalog.procedure("face_auth").name_ja == "顔認証マイナンバーカードへの切替"
    assert len({p.name_ja for p in catalog.procedures.values()}) == 10
    assert len({p.name_en for p in catalog.procedures.values()}) == 10


def test_applicant_types(catalog: Catalog) -> None:
    assert tuple(catalog.applicants) == APPLICANTS == ("self", "legal", "agent")
    names = {code: (a.name_ja, a.name_en) for code, a in catalog.applicants.items()}
    assert names == {
        "self": ("本人", "Self"),
        "legal": ("法定代理人", "Legal representative"),
        "agent": ("任意代理人", "Voluntary agent"),
    }


def test_lanes(catalog: Catalog) -> None:
    table = [(lane.id, lane.prefix, lane.operator) for lane in catalog.lanes.values()]
    assert table == [
        ("reserved", "K", "contractor"),
        ("general", "A", "contractor"),
        ("city", "C", "city"),
    ]
    assert catalog.lane("reserved").name_ja == "予約交付窓口（委託）"
    assert catalog.lane("city").name_ja == "市窓口"
    prefixes = [lane.prefix for lane in catalog.lanes.values()]
    assert len(set(prefixes)) == len(prefixes)
    for lane in catalog.lanes.values():
        assert catalog.lane_by_prefix(lane.prefix) is lane


@pytest.mark.parametrize("code", PROCEDURES)
def test_routing_follows_the_division_of_work(catalog: Catalog, code: str) -> None:
    procedure = catalog.procedure(code)
    assert procedure.applicants == APPLICANTS
    lanes = tuple(catalog.lane_for(code, applicant).id for applicant in APPLICANTS)
    assert lanes == ROUTES[code]


def test_routing_examples(catalog: Catalog) -> None:
    assert catalog.lane_for("issuance", "self").prefix == "K"
    assert catalog.lane_for("issuance", "legal").id == "reserved"
    assert catalog.lane_for("issuance", "agent").id == "city"
    assert catalog.lane_for("certificate", "legal").id == "general"
    assert catalog.lane_for("face_auth", "self").id == "city"
    assert catalog.lane_for("loss", "agent").operator == "contractor"
    # 任意代理人 of イ〜キ (ウ, オ, キ) is the city's job.
    for code in ("issuance", "certificate", "pin"):
        assert catalog.lane_for(code, "agent").operator == "city"


def test_only_issuance_requires_a_reservation(catalog: Catalog) -> None:
    assert [p.code for p in catalog.procedures.values() if p.reservation] == ["issuance"]


def test_jlis_procedures_and_service_minutes(catalog: Catalog) -> None:
    jlis = [p.code for p in catalog.procedures.values() if p.jlis]
    # コ re-issues the card's certificates and lifting a suspension (ク) is done in J-LIS.
    assert jlis == ["issuance", "certificate", "pin", "unsuspend", "face_auth"]
    minutes = {p.code: p.service_minutes for p in catalog.procedures.values()}
    assert minutes == {
        "issuance": 30,
        "certificate": 25,
        "pin": 10,
        "loss": 10,
        "unsuspend": 15,
        "surface": 15,
        "face_auth": 15,
        "express": 20,
        "application": 15,
        "other": 10,
    }


def test_every_allowed_applicant_has_a_checklist(catalog: Catalog) -> None:
    for procedure in catalog.procedures.values():
        assert set(procedure.documents) == set(procedure.applicants)
        for applicant in procedure.applicants:
            documents = catalog.documents(procedure.code, applicant)
            assert isinstance(documents, tuple)
            assert 2 <= len(documents) <= 5, (procedure.code, applicant)
            assert len(set(documents)) == len(documents)
            assert all(d.strip() for d in documents)


def test_checklists_fit_the_applicant_type(catalog: Catalog) -> None:
    issuance = catalog.documents("issuance", "self")
    assert "交付通知書（はがき）" in issuance
    assert "本人確認書類（運転免許証等）" in issuance
    for code in PROCEDURES:
        legal = catalog.documents(code, "legal")
        assert "法定代理人の本人確認書類" in legal
        assert "戸籍謄本等（代理権の確認書類）" in legal
        agent = catalog.documents(code, "agent")
        assert "代理人の本人確認書類" in agent
        assert "委任状" in agent or any("委任欄" in d for d in agent)


def test_procedures_are_immutable(catalog: Catalog) -> None:
    procedure = catalog.procedure("pin")
    with pytest.raises(TypeError):
        procedure.route["agent"] = "general"  # type: ignore[index]
    assert hash(procedure) == hash(parse_catalog(DEFAULT_TEXT).procedure("pin"))
    assert procedure == parse_catalog(DEFAULT_TEXT).procedure("pin")


# ------------------------------------------------------------------------------ lookups


def test_unknown_procedure_lists_the_valid_codes(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="手続 passport はありません") as info:
        catalog.procedure("passport")
    assert "issuance, certificate, pin" in str(info.value)
    with pytest.raises(CatalogError, match="手続 passport はありません"):
        catalog.lane_for("passport", "self")
    with pytest.raises(CatalogError, match="手続 passport はありません"):
        catalog.documents("passport", "self")


def test_unknown_lane_and_prefix(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="窓口 citi はありません") as info:
        catalog.lane("citi")
    assert "reserved, general, city" in str(info.value)
    with pytest.raises(CatalogError, match="頭文字 Z の窓口はありません") as info:
        catalog.lane_by_prefix("Z")
    assert "K, A, C" in str(info.value)
    with pytest.raises(CatalogError):
        catalog.lane_by_prefix("k")


def test_applicant_not_allowed(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="手続 issuance に 受取者区分 xxx は選べません"):
        catalog.lane_for("issuance", "xxx")
    with pytest.raises(CatalogError, match="手続 pin に 受取者区分 xxx は選べません"):
        catalog.documents("pin", "xxx")


def test_a_procedure_may_allow_fewer_applicant_types() -> None:
    text, _ = _edit(
        DEFAULT_TEXT,
        'applicants = ["self", "legal", "agent"]\n'
        'route = { self = "city", legal = "city", agent = "city" }',
        'applicants = ["legal", "self"]\nroute = { self = "city", legal = "city" }',
        after='code = "face_auth"',
    )
    start = text.index('code = "face_auth"')
    at = text.index("agent = [", start)
    text = text[:at] + text[text.index("]\n", at) + 2 :]
    catalog = parse_catalog(text)
    assert catalog.procedure("face_auth").applicants == ("self", "legal")
    assert catalog.lane_for("face_auth", "legal").id == "city"
    with pytest.raises(CatalogError, match="手続 face_auth に 受取者区分 agent は選べません"):
        catalog.lane_for("face_auth", "agent")


# -------------------------------------------------------------------- loading from files


def test_load_default_equals_parse_of_the_bundled_text(catalog: Catalog) -> None:
    parsed = parse_catalog(DEFAULT_TEXT)
    assert parsed.procedures == catalog.procedures
    assert parsed.lanes == catalog.lanes
    assert parsed.applicants == catalog.applicants


def test_load_from_a_file_names_the_file(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text("\ufeff" + DEFAULT_TEXT, encoding="utf-8")  # with a BOM (Notepad)
    assert list(load_catalog(good).procedures) == PROCEDURES
    bad = tmp_path / "site" / "catalog.toml"
    bad.parent.mkdir()
    text, line = _edit(DEFAULT_TEXT, 'prefix = "C"', 'prefix = "c"')
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(bad)
    assert str(info.value).startswith(f"{bad} 行 {line}: 窓口 city の prefix = 'c' は")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="手続カタログを読めません"):
        load_catalog(tmp_path / "none.toml")


def test_source_name_is_used() -> None:
    text, line = _edit(DEFAULT_TEXT, "service_minutes = 30", "service_minutes = 0")
    with pytest.raises(CatalogError) as info:
        parse_catalog(text, source="site/catalog.toml")
    assert str(info.value).startswith(f"site/catalog.toml 行 {line}: 手続 issuance の")


# ------------------------------------------------------------------------- validation


def test_toml_syntax_error_reports_tomllibs_line() -> None:
    text, line = _edit(DEFAULT_TEXT, "service_minutes = 10", "service_minutes = ", after="pin")
    message = _error(text)
    assert message.startswith(f"catalog.toml 行 {line}: TOML の書式が誤っています")
    assert f"at line {line}" in message


def test_toml_error_at_end_of_document() -> None:
    text = DEFAULT_TEXT + "extra = [\n"
    message = _error(text)
    assert message.startswith(f"catalog.toml 行 {len(text.splitlines())}: TOML")


def test_route_to_a_missing_lane() -> None:
    text, line = _edit(DEFAULT_TEXT, 'agent = "city"', 'agent = "citi"', after='code = "pin"')
    message = _error(text)
    assert message.startswith(
        f"catalog.toml 行 {line}: 手続 pin の route.agent が存在しない窓口 citi を指しています"
    )
    assert "reserved, general, city" in message


def test_missing_required_key_points_at_the_block() -> None:
    text, _ = _edit(DEFAULT_TEXT, "jlis = false\n", "", after='code = "loss"')
    line = _header_before(text, "[[procedures]]", 'code = "loss"')
    assert _error(text) == f"catalog.toml 行 {line}: 手続 loss に jlis がありません"


def test_missing_lane_key_points_at_the_lane() -> None:
    text, _ = _edit(DEFAULT_TEXT, 'operator = "city"\n', "")
    line = _header_before(text, "[[lanes]]", 'id = "city"')
    assert _error(text) == f"catalog.toml 行 {line}: 窓口 city に operator がありません"


def test_duplicate_lane_prefix() -> None:
    text, line = _edit(DEFAULT_TEXT, 'prefix = "A"', 'prefix = "K"')
    assert _error(text) == (
        f"catalog.toml 行 {line}: 窓口 general の prefix K は窓口 reserved と重複しています"
    )


def test_duplicate_lane_id() -> None:
    text, line = _edit(DEFAULT_TEXT, 'id = "city"', 'id = "general"')
    assert _error(text) == f"catalog.toml 行 {line}: 窓口 id general が重複しています"


def test_duplicate_procedure_code() -> None:
    text, line = _edit(DEFAULT_TEXT, 'code = "other"', 'code = "pin"')
    assert _error(text) == f"catalog.toml 行 {line}: 手続 code pin が重複しています"


def test_unknown_applicant_in_a_procedure() -> None:
    text, line = _edit(
        DEFAULT_TEXT, '"legal", "agent"]', '"legal", "agnet"]', after='code = "surface"'
    )
    message = _error(text)
    assert message.startswith(f"catalog.toml 行 {line}: 手続 surface の applicants に")
    assert "'agnet'" in message and "self, legal, agent" in message


def test_duplicate_applicant_in_a_procedure() -> None:
    text, line = _edit(DEFAULT_TEXT, '"legal", "agent"]', '"self", "agent"]', after="express")
    assert _error(text).startswith(f"catalog.toml 行 {line}: 手続 express の applicants が")


def test_unknown_applicant_type_table() -> None:
    text, line = _edit(DEFAULT_TEXT, "[applicants.agent]", "[applicants.proxy]")
    message = _error(text)
    assert message.startswith(f"catalog.toml 行 {line}: 不明な受取者区分 proxy があります")


def test_missing_applicant_type_points_at_the_applicants() -> None:
    text, _ = _edit(DEFAULT_TEXT, '[applicants.legal]\nname_ja = "法定代理人"\n', "")
    text, _ = _edit(text, 'name_en = "Legal representative"\n', "")
    line = _line(text, text.index("[applicants.self]"))
    assert _error(text) == f"catalog.toml 行 {line}: [applicants] に legal がありません"


def test_allowed_applicant_without_a_route() -> None:
    text, line = _edit(
        DEFAULT_TEXT, 'legal = "general", agent = "city" }', 'legal = "general" }', after="pin"
    )
    assert (
        _error(text) == f"catalog.toml 行 {line}: 手続 pin の route に受取者区分 agent がありません"
    )


def test_allowed_applicant_without_documents() -> None:
    legal = (
        'legal = [\n    "申請者本人のマイナンバーカード",\n    "法定代理人の本人確認書類",\n'
        '    "戸籍謄本等（代理権の確認書類）",\n]\n'
    )
    text, _ = _edit(DEFAULT_TEXT, legal, "", after='code = "certificate"')
    line = _header_before(text, "[procedures.documents]", 'code = "pin"')
    assert _error(text) == (
        f"catalog.toml 行 {line}: 手続 certificate の documents に受取者区分 legal がありません"
    )


def test_route_for_an_applicant_not_allowed() -> None:
    text, _ = _edit(
        DEFAULT_TEXT, '["self", "legal", "agent"]', '["self", "legal"]', after="face_auth"
    )
    line = _line(text, text.index("route = {", text.index('code = "face_auth"')))
    assert _error(text).startswith(
        f"catalog.toml 行 {line}: 手続 face_auth の route.agent は applicants にない受取者区分"
    )


def test_documents_for_an_applicant_not_allowed() -> None:
    text, _ = _edit(
        DEFAULT_TEXT,
        '["self", "legal", "agent"]\nroute = { self = "city", legal = "city", agent = "city" }',
        '["self", "legal"]\nroute = { self = "city", legal = "city" }',
        after="face_auth",
    )
    line = _line(text, text.index("agent = [", text.index('code = "face_auth"')))
    assert _error(text).startswith(
        f"catalog.toml 行 {line}: 手続 face_auth の documents.agent は applicants にない"
    )


def test_empty_checklist() -> None:
    start = DEFAULT_TEXT.index('code = "other"')
    at = DEFAULT_TEXT.index("agent = [", start)
    text = DEFAULT_TEXT[:at] + "agent = []\n"
    assert _error(text) == (
        f"catalog.toml 行 {_line(text, at)}: 手続 other の documents.agent "
        "は空でない書類名の一覧にしてください"
    )


@pytest.mark.parametrize("value", ["0", "-5", '"10"', "1.5", "true"])
def test_service_minutes_must_be_a_positive_int(value: str) -> None:
    text, line = _edit(DEFAULT_TEXT, "service_minutes = 20", f"service_minutes = {value}")
    message = _error(text)
    assert message.startswith(f"catalog.toml 行 {line}: 手続 express の service_minutes = ")
    assert "1以上の整数" in message


@pytest.mark.parametrize("value", ['"a"', '"ABC"', '"1"', '""', '"Ａ"', "1"])
def test_lane_prefix_format(value: str) -> None:
    text, line = _edit(DEFAULT_TEXT, 'prefix = "A"', f"prefix = {value}")
    assert _error(text).startswith(f"catalog.toml 行 {line}: 窓口 general の prefix = ")


def test_two_letter_prefix_is_accepted() -> None:
    text, _ = _edit(DEFAULT_TEXT, 'prefix = "A"', 'prefix = "AB"')
    assert parse_catalog(text).lane_by_prefix("AB").id == "general"


def test_lane_operator() -> None:
    text, line = _edit(DEFAULT_TEXT, 'operator = "city"', 'operator = "vendor"')
    message = _error(text)
    assert message.startswith(f"catalog.toml 行 {line}: 窓口 city の operator = 'vendor' は")
    assert "contractor" in message


def test_codes_must_be_ascii_ids() -> None:
    text, line = _edit(DEFAULT_TEXT, 'id = "general"', 'id = "一般"')
    assert _error(text).startswith(f"catalog.toml 行 {line}: 2番目の窓口 の id = '一般'")
    text, line = _edit(DEFAULT_TEXT, 'code = "loss"', 'code = "Loss"')
    assert _error(text).startswith(f"catalog.toml 行 {line}: 4番目の手続 の code = 'Loss'")


def test_bool_fields_must_be_bools() -> None:
    text, line = _edit(DEFAULT_TEXT, "reservation = true", 'reservation = "yes"')
    assert _error(text).startswith(f"catalog.toml 行 {line}: 手続 issuance の reservation =")


def test_no_lanes() -> None:
    start, end = DEFAULT_TEXT.index("\n[[lanes]]"), DEFAULT_TEXT.index("\n[[procedures]]")
    text = DEFAULT_TEXT[:start] + DEFAULT_TEXT[end:]
    assert _error(text) == "catalog.toml 行 1: 窓口 [[lanes]] が1つもありません"
    text = "lanes = []\n" + text
    assert _error(text) == "catalog.toml 行 1: 窓口 [[lanes]] が1つもありません"
    text = "# catalog\n\n" + text
    assert _error(text) == "catalog.toml 行 3: 窓口 [[lanes]] が1つもありません"


def test_no_procedures() -> None:
    text = DEFAULT_TEXT[: DEFAULT_TEXT.index("\n[[procedures]]")]
    assert _error(text) == "catalog.toml 行 1: 手続 [[procedures]] が1つもありません"


def test_locator_handles_sub_tables_and_dotted_keys() -> None:
    head = (
        '[applicants.self]\nname_ja = "本人"\nname_en = "Self"\n'  # 1-3
        '[applicants.legal]\nname_ja = "法定代理人"\nname_en = "Legal"\n'  # 4-6
        '[applicants.agent]\nname_ja = "任意代理人"\nname_en = "Agent"\n'  # 7-9
        '[[lanes]]\nid = "city"\nprefix = "C"\nname_ja = "市窓口"\n'  # 10-13
        'name_en = "City"\noperator = "city"\n'  # 14-15
        '[[procedures]]\ncode = "pin"\nletters = "カ"\nname_ja = "暗証番号"\n'  # 16-19
        'name_en = "PIN"\nreservation = false\njlis = true\nservice_minutes = 10\n'  # 20-23
        'applicants = ["self", "agent"]\n'  # 24
    )
    documents = '[procedures.documents]\nself = ["マイナンバーカード"]\nagent = ["委任状"]\n'
    sub_table = head + '[procedures.route]\nself = "city"\nagent = "citi"\n' + documents
    assert _error(sub_table).startswith("catalog.toml 行 27: 手続 pin の route.agent が存在しない")
    dotted = head + 'route.self = "city"\n"route" . "agent" = "citi"\n' + documents
    assert _error(dotted).startswith("catalog.toml 行 26: 手続 pin の route.agent が存在しない")
    fixed = sub_table.replace('"citi"', '"city"')
    assert parse_catalog(fixed).documents("pin", "agent") == ("委任状",)
    empty = fixed.replace('agent = ["委任状"]', 'agent = [""]')
    assert _error(empty).startswith("catalog.toml 行 30: 手続 pin の documents.agent は空でない")


def test_every_document_of_the_bundled_catalog_has_an_english_name() -> None:
    catalog = load_catalog()
    names = {d for p in catalog.procedures.values() for docs in p.documents.values() for d in docs}
    assert names and all(catalog.document_name(d, "en") != d for d in names)
    assert catalog.document_name("マイナンバーカード", "ja") == "マイナンバーカード"
    assert catalog.document_name("マイナンバーカード", "en") == "My Number card"
