"""Years written out in words are read as their figures before a question is searched."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import KnowledgeBase
from bot.kb.spoken_years import years_in_figures

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(ROOT / "knowledge")


@pytest.mark.parametrize(("said", "read"), [
    ("năm hai nghìn mười chín", "năm 2019"),
    ("nam hai ngan le sau o dau", "nam 2006 o dau"),
    ("hội nghị năm hai nghìn không trăm mười bốn ấy", "hội nghị năm 2014 ấy"),
    ("năm hai nghìn hai mươi mốt?", "năm 2021"),
    ("năm hai nghìn", "năm 2000"),
])
def test_a_year_after_nam_is_read_as_its_figures(said: str, read: str) -> None:
    assert years_in_figures(said) == read


@pytest.mark.parametrize("amount", [
    "hội phí một năm hai nghìn đồng à",  # an amount a year, not the year 2000
    "nam hai nghin mot tram dong",
    "hai nghìn người",  # no "năm": no year
])
def test_an_amount_is_no_year(amount: str) -> None:
    assert years_in_figures(amount) == amount


def test_a_conference_named_by_a_year_in_words_answers(kb: KnowledgeBase) -> None:
    """Dictated, the 2014 conference's year comes as words; it is the same conference."""
    question = ("cho em hoi la cai hoi nghi ban chap hanh mo rong nam hai nghin khong tram "
                "muoi bon ay thi co nhung ai tham du")
    assert kb.ask(question).entry_id == "bch-2-4"
