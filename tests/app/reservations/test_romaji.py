"""A katakana name is found from romaji in any usual spelling, and from hiragana."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.actor import SYSTEM
from app.reservations.bookings import ReservationService
from app.reservations.romaji import is_romaji, kana_to_romaji, romaji_matches
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import make_node


@pytest.mark.parametrize(
    ("kana", "romaji"),
    [("タナカ アヤ", "tanakaaya"), ("ショウタ", "shouta"), ("ハットリ", "hattori"),
     ("マッチャ", "matcha"), ("シンイチ", "shinichi"), ("ジュンコ", "junko"),
     ("チュウジョウ", "chuujou"), ("ユーコ", "yuuko"), ("ﾔﾏﾀﾞ", "yamada"), ("ふじ", "fuji")],
)  # fmt: skip
def test_katakana_reads_out_in_hepburn(kana: str, romaji: str) -> None:
    assert kana_to_romaji(kana) == romaji


@pytest.mark.parametrize(
    ("query", "name"),
    [("tanaka aya", "タナカ アヤ"), ("TANAKA", "タナカ アヤ"), ("ｔａｎａｋａ", "タナカ アヤ"),
     ("sato", "サトウ ジロウ"), ("satou", "サトウ ジロウ"), ("satoh", "サトウ ジロウ"),
     ("shotaro", "ヤマグチ ショウタロウ"), ("syoutarou", "ヤマグチ ショウタロウ"),
     ("homma", "ホンマ ミホ"), ("tyuuzyou", "チュウジョウ"), ("chujo", "チュウジョウ"),
     ("huzii", "フジイ"), ("ohno", "オオノ"), ("shin'ichi", "ワタナベ シンイチ"),
     ("kyoko", "キョウコ")],
)  # fmt: skip
def test_romaji_finds_the_katakana_name(query: str, name: str) -> None:
    assert romaji_matches(query, name)


def test_other_names_and_booking_numbers_are_not_romaji_names() -> None:
    assert not romaji_matches("suzuki", "タナカ アヤ")
    assert not romaji_matches("", "タナカ アヤ")
    assert is_romaji("Tanaka Aya") and not is_romaji("R202611240001") and not is_romaji("たなか")


def test_check_in_search_finds_romaji_and_hiragana(tmp_path: Path, clock: FakeClock) -> None:
    node = make_node(tmp_path / "n", clock)
    service = ReservationService(node)
    for n, name in enumerate(("タナカ アヤ", "タナカ アヤ", "サトウ ジロウ"), start=1):
        service.book(SYSTEM, f"R20261124000{n}", OPEN_DAY, "11:30", "issuance", "self", name)
    for query in ("tanaka aya", "たなか あや", "Tanaka"):
        found = [r["reservation_id"] for r in service.find(OPEN_DAY, query)]
        assert found == ["R202611240001", "R202611240002"], query
    assert [r["reservation_id"] for r in service.find(OPEN_DAY, "satoh jiro")] == ["R202611240003"]
    assert [r["reservation_id"] for r in service.find(OPEN_DAY, "r202611240003")] == [
        "R202611240003"
    ]
    node.close()
