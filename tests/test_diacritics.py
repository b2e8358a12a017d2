"""Marks put back on an unmarked question from the knowledge base's own texts
(bot/kb/diacritics.py), for the sentence encoder."""

from __future__ import annotations

from bot.kb.diacritics import Restorer, unmarked

TEXTS = [
    "Hội viên có nghĩa vụ đóng hội phí đầy đủ và đúng hạn.",
    "Hội viên được miễn, giảm hội phí khi gặp thiên tai, hoả hoạn.",
    "Ban Chấp hành xét kết nạp hội viên mới.",
    "Hỏi đáp: hỏi Văn phòng Hội khi cần.",
]


def test_an_unmarked_question_gets_the_marks_the_texts_write():
    restorer = Restorer(TEXTS)
    assert restorer.restore("hoi vien dong hoi phi khi nao") == "hội viên đóng hội phí khi nao"


def test_the_pairs_the_texts_write_choose_between_forms_of_one_syllable():
    # "hoi" is written "hội" most often, but "hỏi đáp" is a pair the texts hold.
    restorer = Restorer(TEXTS)
    assert restorer.restore("hoi dap") == "hỏi đáp"


def test_a_question_with_any_mark_is_left_as_the_member_wrote_it():
    restorer = Restorer(TEXTS)
    assert restorer.restore("hội vien dong phi") == "hội vien dong phi"


def test_numbers_punctuation_and_unknown_words_stay_as_typed():
    restorer = Restorer(TEXTS)
    assert restorer.restore("Mien 50% hoi phi, dc ko?") == "miễn 50% hội phí, dc ko?"


def test_unmarked():
    assert unmarked("Dai hoi 2026")
    assert not unmarked("đai hoi")
