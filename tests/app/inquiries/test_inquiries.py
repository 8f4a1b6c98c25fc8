"""Inquiries and the Q&A collection: no personal data, history, search, permissions, two PCs.

The reports and the command line: :mod:`tests.app.test_inquiry_reports`.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, time
from pathlib import Path

import pytest

from app.core.actor import Actor, AuthError
from app.core.mynumber import check_digit
from app.core.node import Node
from app.core.privacy import PrivacyError, find_contact_data
from app.inquiries.categories import CATEGORIES
from app.inquiries.inquiry_log import InquiryService
from app.inquiries.qa import QaService, normalise, seed_default_qa
from app.inquiries.qa_seed import DEFAULT_QA
from app.model.qa_projection import fold_qa
from app.sync.service import SyncService
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import site_node

SM = Actor("sm", "site_manager")
ADMIN = Actor("boss", "admin")
MY_NUMBER = "12345678901" + str(check_digit("12345678901"))
#: Personal data of every kind the guard knows, as a visitor might say it.
PERSONAL = {
    "個人番号": f"番号は{MY_NUMBER}です",
    "個人番号（全角・区切り）": "１２３４ ５６７８ ９０１" + str(check_digit("12345678901")),
    "電話番号": "折り返しは090-1234-5678へ",
    "電話番号（固定）": "046(822)4321 に連絡",
    "メールアドレス": "yamada.taro@example.jp に送付",
    "生年月日（和暦）": "昭和60年4月1日生まれの方",
    "生年月日（西暦）": "1985/04/01 生まれ",
    "照会番号": "交付通知書の AB1-234567 を確認",
}


def _events(node: Node, prefix: str) -> int:
    row = node.store.row("SELECT count(*) AS n FROM events WHERE type LIKE ?", (prefix + "%",))
    return int((row or {"n": 0})["n"])


# -- inquiries --------------------------------------------------------------------------------


def test_an_inquiry_is_logged_and_listed_by_day_and_category(
    node: Node, clock: FakeClock, clerk: Actor, floor: Actor
) -> None:
    service = InquiryService(node)
    first = service.log(clerk, "予約", " 予約の変更方法 ", "WEB予約の確認画面から変更できると案内")
    clock.advance(minutes=40)
    second = service.log(floor, "visit", "駐車場はあるか", "専用駐車場はないと案内")
    clock.set(date(2026, 11, 27), time(15, 0))
    service.log(clerk, "fee", "再交付の手数料", "1,000円と案内")
    rows = service.list(OPEN_DAY)
    assert [r["inquiry_id"] for r in rows] == [first, second]
    assert rows[0]["question"] == "予約の変更方法"  # stripped
    assert (rows[0]["category"], rows[0]["category_ja"]) == ("reservation", "予約")
    assert (rows[0]["staff_id"], rows[0]["counter"], rows[1]["staff_id"]) == ("cl", "1", "fm")
    assert rows[1]["at"] - rows[0]["at"] == 40 * 60_000
    assert [r["question"] for r in service.list(OPEN_DAY, "来庁案内")] == ["駐車場はあるか"]
    assert [r["category"] for r in service.list()] == ["fee"]  # today by default
    event = next(node.store.events("type = 'inquiry.logged'"))
    assert set(event.payload) == {"inquiry_id", "category", "question", "answer", "qa_id"}
    node.store.rebuild()
    assert service.list(OPEN_DAY) == rows


def test_an_inquiry_answered_from_the_collection_takes_its_texts(node: Node, clerk: Actor) -> None:
    qa_id = QaService(node).add(SM, "pin", "暗証番号を忘れた", "窓口で再設定できます")
    inquiry = InquiryService(node).log(clerk, "pin", "", "", qa_id=qa_id[:-1])  # a unique beginning
    row = InquiryService(node).list()[0]
    assert (row["inquiry_id"], row["qa_id"]) == (inquiry, qa_id)
    assert (row["question"], row["answer"]) == ("暗証番号を忘れた", "窓口で再設定できます")
    with pytest.raises(ValueError, match="ありません"):
        InquiryService(node).log(clerk, "pin", "q", "a", qa_id="nope")
    with pytest.raises(ValueError, match="分類"):
        InquiryService(node).log(clerk, "天気", "q", "a")
    with pytest.raises(ValueError, match="問い合わせ内容を入力"):
        InquiryService(node).log(clerk, "other", "  ", "a")
    assert len(CATEGORIES) == 9 and CATEGORIES[0].name_ja == "カード交付"


@pytest.mark.parametrize("kind", sorted(PERSONAL))
@pytest.mark.parametrize("where", ["question", "answer"])
def test_personal_data_is_refused_and_nothing_recorded(
    node: Node, clerk: Actor, kind: str, where: str
) -> None:
    text = PERSONAL[kind]
    assert find_contact_data(text) is not None
    before = node.store.event_count()
    texts = {"question": "ご本人の件", "answer": "案内した", where: text}
    with pytest.raises(PrivacyError, match="直してください"):
        InquiryService(node).log(clerk, "other", texts["question"], texts["answer"])
    with pytest.raises(PrivacyError, match="個人情報"):
        QaService(node).add(SM, "other", texts["question"], texts["answer"])
    qa_id = QaService(node).add(SM, "other", "安全な質問", "安全な回答")
    with pytest.raises(PrivacyError):
        QaService(node).edit(SM, qa_id, **{where: text})
    assert node.store.event_count() == before + 1
    assert text not in json.dumps([e.to_json() for e in node.store.events()], ensure_ascii=False)


# -- the Q&A collection -----------------------------------------------------------------------


def test_add_edit_retire_with_history_and_authors(node: Node, clock: FakeClock) -> None:
    service = QaService(node)
    qa_id = service.add(SM, "certificate", "電子証明書の有効期限は？", "5回目の誕生日までです")
    clock.advance(minutes=3)
    row = service.edit(ADMIN, qa_id, answer="発行から5回目の誕生日までです", category="certificate")
    assert (row["version"], row["updated_by"], row["created_by"]) == (2, "boss", "sm")
    assert row["category"] == "certificate" and row["updated_at"] - row["created_at"] == 180_000
    with pytest.raises(ValueError, match="変更がありません"):
        service.edit(SM, qa_id, answer="発行から5回目の誕生日までです")
    with pytest.raises(ValueError, match="同じ質問"):
        service.add(SM, "other", "電子証明書の有効期限は?", "重複")  # half-width ? is the same
    clock.advance(minutes=1)
    service.retire(SM, qa_id)
    assert service.all() == [] and service.get(qa_id)["active"] == 0
    assert service.all(include_retired=True)[0]["version"] == 3
    with pytest.raises(ValueError, match="削除されています"):
        service.edit(SM, qa_id, question="新しい質問")
    history = service.history(qa_id)
    assert [(h["action"], h["staff_id"], h["version"]) for h in history] == [
        ("added", "sm", 1), ("edited", "boss", 2), ("retired", "sm", 3)]  # fmt: skip
    assert history[1]["changes"] == {"answer": "発行から5回目の誕生日までです"}
    assert history[1]["summary"] == "修正（回答）"
    assert history[2]["at"] - history[0]["at"] == 240_000
    assert history[0]["at_text"] == "2026-11-24T11:00:00+09:00"


def test_search_ignores_width_kana_case_and_spaces(node: Node) -> None:
    service = QaService(node)
    card = service.add(SM, "issuance", "マイナンバーカードの受け取りに必要なもの",
                       "交付通知書と本人確認書類をお持ちください")  # fmt: skip
    cert = service.add(SM, "certificate", "J-LISが止まっているとき", "電子証明書の更新はできません")
    other = service.add(SM, "fee", "手数料", "再交付は1,000円です。カードの再交付は市の窓口です")
    assert normalise("ﾏｲﾅﾝﾊﾞｰ　カード") == normalise("まいなんばーかーど") == "マイナンバーカード"

    def ids(text: str, category: str | None = None) -> list[str]:
        return [r["qa_id"] for r in service.search(text, category)]

    assert ids("まいなんばー") == [card]  # hiragana finds katakana
    assert ids("ﾏｲﾅﾝﾊﾞｰ") == [card]  # half-width katakana
    assert ids("ｊ－ｌｉｓ") == ids("J-LIS") == [cert]  # full-width, any case
    assert ids("本人 確認") == [card] and ids("本人確認　交付") == [card]  # every word
    assert ids("交付 J-LIS") == [] and ids("交付 手数料") == [other]  # 再交付
    assert ids("カード") == [card, other]  # in the question ranks first
    assert ids("再交付") == [other] and ids("再交付", "券面変更") == []
    assert len(ids("")) == 3 and service.search("更新")[0]["score"] == 1


def test_only_site_managers_and_admins_change_the_collection(
    node: Node, clerk: Actor, floor: Actor
) -> None:
    service = QaService(node)
    qa_id = service.add(SM, "other", "質問", "回答")
    before = node.store.event_count()
    for actor in (clerk, floor, Actor("city", "city_staff")):
        with pytest.raises(AuthError, match="質疑応答集の編集"):
            service.add(actor, "other", "別の質問", "回答")
        with pytest.raises(AuthError):
            service.edit(actor, qa_id, answer="書き換え")
        with pytest.raises(AuthError):
            service.retire(actor, qa_id)
    with pytest.raises(AuthError, match="問い合わせの記録"):
        InquiryService(node).log(ADMIN, "other", "q", "a")
    assert node.store.event_count() == before
    InquiryService(node).log(clerk, "other", "質問", "回答", qa_id=qa_id)  # clerks log


def test_the_default_collection_is_seeded_once_and_is_fit_for_the_city(node: Node) -> None:
    ids = seed_default_qa(node, SM)
    assert len(ids) == len(DEFAULT_QA) >= 12
    assert seed_default_qa(node, SM) == []
    rows = QaService(node).all()
    assert {r["category"] for r in rows} >= {"issuance", "pin", "certificate", "fee", "visit"}
    assert (
        QaService(node).search("暗証番号 忘れ")[0]["question"] == "暗証番号を忘れてしまいました。"
    )
    assert QaService(node).search("駐車場")


# -- two PCs ----------------------------------------------------------------------------------


def _qa(node: Node) -> list[tuple[object, ...]]:
    return node.store.projection_dump()["qa"]


def _sync(*services: SyncService) -> None:
    for _ in range(2):
        for service in services:
            assert not service.once().offline


def test_an_edit_on_one_pc_and_an_add_on_another_converge(tmp_path: Path, clock: FakeClock) -> None:
    a = site_node(tmp_path, "admin-pc", clock, block=0, role="admin")
    b = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    sa, sb = SyncService(a), SyncService(b)
    first = QaService(a).add(SM, "visit", "駐車場はありますか", "ありません")
    _sync(sa, sb)
    clock.advance(seconds=5)
    QaService(b).edit(ADMIN, first, answer="近くの有料駐車場をご利用ください")
    second = QaService(a).add(SM, "fee", "手数料は", "無料です")  # meanwhile, not synced
    clock.advance(seconds=5)
    QaService(a).edit(SM, first, question="駐車場はありますか？")  # concurrent edit
    _sync(sa, sb)
    assert _qa(a) == _qa(b) and len(_qa(a)) == 2
    row = QaService(b).get(first)
    assert (row["question"], row["answer"], row["version"]) == (
        "駐車場はありますか？", "近くの有料駐車場をご利用ください", 3)  # fmt: skip
    assert QaService(b).get(second)["answer"] == "無料です"
    assert a.store.projection_dump() == b.store.projection_dump()


def test_an_edit_arriving_before_its_add_is_applied_when_the_add_comes(
    tmp_path: Path, clock: FakeClock
) -> None:
    a = site_node(tmp_path, "admin-pc", clock, block=0, role="admin")
    b = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    c = site_node(tmp_path, "counter-2", clock, block=2, counter="2")
    sa, sb, sc = SyncService(a), SyncService(b), SyncService(c)
    qa_id = QaService(a).add(SM, "pin", "暗証番号を忘れた", "窓口で初期化できます")
    _sync(sa, sb)
    clock.advance(seconds=10)
    QaService(b).edit(ADMIN, qa_id, answer="予約なしで窓口で初期化できます")
    _sync(sb)
    # c sees b's segment (with the edit) while a's (with the add) is out of reach.
    folder = next((tmp_path / "share").rglob(f"nodes/{a.identity.node_id}"))
    hidden = tmp_path / "hidden"
    shutil.move(str(folder), hidden)
    _sync(sc)
    assert _qa(c) == [] and _events(c, "qa.edited") == 1
    shutil.move(str(hidden), folder)
    _sync(sc, sa, sb)
    assert _qa(a) == _qa(b) == _qa(c)
    row = QaService(c).get(qa_id)
    assert (row["answer"], row["version"], row["updated_by"]) == (
        "予約なしで窓口で初期化できます", 2, "boss")  # fmt: skip
    assert [h["staff_id"] for h in QaService(c).history(qa_id)] == ["sm", "boss"]
    c.store.rebuild()
    assert _qa(c) == _qa(a)
    folded = fold_qa(c.store.events("type LIKE 'qa.%'"))
    assert folded[qa_id]["answer"] == row["answer"] and folded[qa_id]["version"] == 2
