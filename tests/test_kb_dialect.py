"""The Centre's "chi" for "gì", read by its place (bot.kb.dialect)."""

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
])
def test_chi_asking_what_is_read_as_gi(asked: str, meant: str) -> None:
    assert central_what(asked) == meant


@pytest.mark.parametrize("kept", [
    "có mấy chi hội?", "là chi hội nào", "chi phí bao nhiêu", "tiền được chi vào việc gì",
    "lập chi hội ở Huế",
])
def test_the_chi_of_a_branch_a_cost_or_spending_stays(kept: str) -> None:
    assert central_what(kept) == kept


def test_a_question_of_the_centre_is_answered(kb: KnowledgeBase) -> None:
    result = kb.ask("văn phòng hội ở mô, số điện thoại là chi rứa")
    assert (result.status, result.entry_id) == ("answered", "contact")
