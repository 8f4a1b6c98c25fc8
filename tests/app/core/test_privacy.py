"""The privacy guard recognises every valid My Number and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.mynumber import check_digit, find_my_number
from app.core.privacy import PrivacyError, check_payload, check_text

eleven = st.text(alphabet="0123456789", min_size=11, max_size=11)


def valid(first11: str) -> str:
    return first11 + str(check_digit(first11))


def wrong(first11: str) -> str:
    return first11 + str((check_digit(first11) + 1) % 10)


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def test_known_check_digit() -> None:
    # P = 1 2 3 4 5 6 7 8 9 0 1; from the right P(n)·Q(n) sums to 212; 212 mod 11 = 3 → 11 - 3 = 8
    assert check_digit("12345678901") == 8
    assert check_digit("00000000000") == 0
    assert check_digit("00000000001") == 9  # 1·2 = 2 → 11 - 2
    assert check_digit("00000000006") == 0  # 6·2 = 12, remainder 1 → 0
    assert check_digit("00000000040") == 0  # 4·3 = 12, remainder 1 → 0
    assert check_digit("10000000000") == 5  # 1·6 = 6 → 11 - 6


@given(eleven)
def test_every_valid_number_is_found(first11: str) -> None:
    number = valid(first11)
    assert find_my_number(number) == number
    assert find_my_number(f"お客様の番号は{number}です") == number
    grouped = f"{number[:4]} {number[4:8]} {number[8:]}"
    assert find_my_number(f"番号: {grouped}。") == grouped
    assert find_my_number(to_fullwidth(f"{number[:4]}-{number[4:8]}-{number[8:]}")) is not None


@given(eleven)
def test_a_wrong_check_digit_is_not_a_my_number(first11: str) -> None:
    assert find_my_number(wrong(first11)) is None


@given(eleven)
def test_digits_inside_a_longer_code_are_not_a_my_number(first11: str) -> None:
    number = valid(first11)
    assert find_my_number(f"R{number}") is None  # reservation numbers
    assert find_my_number(f"{number}5") is None  # 13 digits
    assert find_my_number(f"9{number}") is None


@given(st.text(alphabet="0123456789", min_size=0, max_size=11))
def test_short_numbers_pass(digits: str) -> None:
    assert find_my_number(digits) is None


def test_phone_numbers_and_dates_pass() -> None:
    assert find_my_number("046-822-4000 に電話") is None
    assert find_my_number("2026-11-24 10:30") is None


def test_check_text_refuses_with_a_message_and_payload_is_searched() -> None:
    number = valid("98765432101")
    with pytest.raises(PrivacyError, match="個人番号"):
        check_text(f"メモ {number}", "メモ")
    with pytest.raises(PrivacyError, match="reason"):
        check_payload({"a": 1, "nested": {"list": ["ok", {"reason": number}]}})
    check_payload({"reason": "書類不備", "n": 123456789012})  # numbers are not text


def test_node_and_ticket_ids_never_read_as_a_my_number(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secrets
    from pathlib import Path

    from app.core.node import Node

    digits = "12345678901" + str(check_digit("12345678901"))
    real = secrets.token_hex
    monkeypatch.setattr(secrets, "token_hex", lambda n=32: digits if n == 6 else real(n))
    node = Node(Path(str(tmp_path)) / "n")
    identity = node.initialise(site_id="s", name="pc", role="reception")
    assert identity.node_id == "n" + digits
    assert find_my_number(f"{identity.node_id}-17") is None
    node.close()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("折り返しは 090-1234-5678 まで", "電話番号"),
        ("０４６（８２２）４０００に連絡", "電話番号"),
        ("連絡先 taro.yamada@example.jp", "メールアドレス"),
        ("照会番号 AB1-234567 のはがき", "交付通知書の照会番号"),
        ("生年月日 昭和60年3月12日", "生年月日"),
        ("1985/03/12 生まれの方", "生年月日"),
    ],
)
def test_contact_data_is_found_in_text_for_the_city(text: str, kind: str) -> None:
    from app.core.privacy import check_city_text, find_contact_data

    assert find_contact_data(text) == kind
    with pytest.raises(PrivacyError, match=kind):
        check_city_text(text, "回答")


@pytest.mark.parametrize(
    "text",
    ["2026/11/24 14:00 にプリンタが停止、10分で復旧", "受付番号 A-012 の方を再案内",
     "電子証明書の更新は有効期限の3か月前から", "予約枠 128件、来庁 131件"],
)  # fmt: skip
def test_ordinary_work_text_passes(text: str) -> None:
    from app.core.privacy import find_contact_data

    assert find_contact_data(text) is None
