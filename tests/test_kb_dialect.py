"""The Centre's "chi", "mô", "dị" and "răng", read by their place (bot.kb.dialect)."""

from pathlib import Path

import pytest

from bot.kb import KnowledgeBase
from bot.kb.dialect import central_what


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(Path(__file__).resolve().parents[1] / "knowledge")


@pytest.mark.parametrize(("asked", "meant"), [
    ("bot ni làm được chi", "bot ni làm được gì"),
    ("trang web của hội là chi rứa", "trang web của hội là gì rứa"),
    ("hội đó là hội chi rứa o", "hội đó là hội gì rứa o"),
    ("thuong truc la cai chi", "thuong truc la cai gì"),
    ("văn phòng hội ở mô", "văn phòng hội ở đâu"),
    ("đại hội hai họp năm mô", "đại hội hai họp năm nào"),
    ("muốn vô hội thì làm sao dị", "muốn vô hội thì làm sao vậy"),
    ("muốn vô hội thì làm răng", "muốn vô hội thì làm sao"),
])
def test_chi_asking_what_is_read_as_gi(asked: str, meant: str) -> None:
    assert central_what(asked) == meant


@pytest.mark.parametrize("kept", [
    "có mấy chi hội?", "là chi hội nào", "chi phí bao nhiêu", "tiền được chi vào việc gì",
    "lập chi hội ở Huế", "mô hình thư viện xã", "quy mô của hội", "tiêm xong bị dị ứng",
    "bác sĩ răng hàm mặt có vào hội được không",
])
def test_words_that_only_look_like_the_centres_stay(kept: str) -> None:
    assert central_what(kept) == kept


def test_a_question_of_the_centre_is_answered(kb: KnowledgeBase) -> None:
    result = kb.ask("văn phòng hội ở mô, số điện thoại là chi rứa")
    assert (result.status, result.entry_id) == ("answered", "contact")
