"""One folding and one length for the whole bot: the search, the member lookup and the form
read "dak lak" as "Đắk Lắk", and a long message is measured as Telegram measures it."""

from __future__ import annotations

import unicodedata

from bot.kb.normalize import tokens
from bot.membership.provinces import match_province
from bot.membership.validation import kind, looks_like_question
from bot.text import fold, fold_compact, utf16_len


def test_a_name_folds_the_same_way_for_the_search_and_for_the_register() -> None:
    typed = unicodedata.normalize("NFD", "Đắk-Lắk, TP. Hồ Chí Minh")
    assert fold(typed) == "dak lak tp ho chi minh"
    assert tokens(typed)[:2] == ["dak", "lak"]
    assert fold_compact(typed) == "daklaktphochiminh"


def test_the_form_reads_answers_through_the_same_folding() -> None:
    assert kind("Cá nhân.") == kind("ca nhan") == "individual"
    assert looks_like_question("Hội phí bao nhiêu")
    assert match_province("dak lak") is not None


def test_telegram_counts_an_emoji_outside_the_bmp_twice() -> None:
    assert utf16_len("Hội") == 3
    assert utf16_len("📚") == 2
