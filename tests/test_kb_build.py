"""The build of the knowledge base reads its own texts as the search reads a member's
question: each word is read once per build (bot.kb.word_reader.WordReader), and what it
remembers never changes how a text reads."""

from __future__ import annotations

from bot.kb.normalize import words
from bot.kb.word_reader import WordReader
from bot.text import fold

# Texts where a word reads differently by its neighbours: numbers in context, shorthand,
# dates, punctuation between words.
TRICKY = (
    "Đại hội lần thứ IV khóa II",
    "Hội nghị đầu tiên của nhiệm kỳ 2",
    "the 2nd term, the first congress",
    "dki sv ở tp hcm ntn?",
    "Hội nghị ngày 22/5/2014, tháng 5/2014 và May 2014",
    "Chương IV Điều 5: hội viên_danh dự…",
    "lần thứ tư hay thứ tư?",
    "Vì sao? Hội i, hội VI.",
)


def folded(text: str, reader: WordReader | None = None) -> list[str]:
    return [word.folded for word in (reader.words(text) if reader else words(text))]


def test_the_build_reads_a_text_as_a_question_is_read() -> None:
    build = WordReader()
    for text in TRICKY + TRICKY:  # the second time from what the build remembers
        assert build.words(text) == words(text), text
    many = [f"{text} từ{n} số {n}" for n in range(40) for text in TRICKY]
    assert [build.words(text) for text in many] == [words(text) for text in many]
    assert folded("Đại hội lần thứ IV khóa II", build) == ["dai", "hoi", "lan", "4", "khoa",
                                                          "k2"]
    assert folded("Hội nghị đầu tiên của nhiệm kỳ 2", build)[2:] == ["1", "cua", "nhiem",
                                                                       "ky", "k2"]
    assert folded("the 2nd term, the first congress", build) == ["the", "k2", "term", "the",
                                                                  "1", "congress"]
    assert folded("dki sv ở tp hcm ntn?", build)[:4] == ["dang", "ky", "sinh", "vien"]


def test_folding_treats_any_mark_between_words_as_a_space() -> None:
    assert fold("Hội phí, năm 2024?") == "hoi phi nam 2024"
    assert fold("a__b  c!?") == "a b c"
    assert fold("Đ_đ…e\u0300") == "d d e"
    long_word = "đ" * 45
    assert fold(f"{long_word}?") == "d" * 45
