"""What the handler sends: plain text in the member's language, its source, no empty contacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import AssociationConfig
from bot.kb import KnowledgeBase, fill_placeholders

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(SHIPPED)


def test_unset_contact_details_are_left_out_of_the_answer(kb: KnowledgeBase) -> None:
    answer = kb.render_answer("contact", "vi", AssociationConfig())
    assert "Trang web: vla.org.vn" in answer.text
    assert "Điện thoại" not in answer.text and "E-mail" not in answer.text
    assert "{" not in answer.text


def test_configured_contact_details_appear(kb: KnowledgeBase) -> None:
    association = AssociationConfig(phone="024 3826 0000", email="vanphong@example.org")
    answer = kb.render_answer("contact", "en", association)
    assert "Phone: 024 3826 0000" in answer.text
    assert "E-mail: vanphong@example.org" in answer.text
    assert "Address" not in answer.text


def test_a_line_whose_placeholder_is_empty_is_dropped_entirely() -> None:
    text = "Văn phòng {name}:\nĐiện thoại: {phone}\nTrang web: {website}"
    filled = fill_placeholders(text, AssociationConfig(website=""))
    assert filled == "Văn phòng Hội Thư viện Việt Nam:"


def test_the_fee_answer_says_whom_to_ask_and_where_it_comes_from(kb: KnowledgeBase) -> None:
    answer = kb.render_answer("fee", "vi", AssociationConfig())
    assert "xin hỏi Văn phòng Hội" in answer.text
    assert answer.source.startswith("Điều lệ Hội")
    assert answer.title == "Hội phí"
    assert "join" in answer.see


def test_only_the_answer_about_the_charter_points_to_its_full_text(kb: KnowledgeBase) -> None:
    for lang, note in (("vi", "Toàn văn Điều lệ"), ("en", "full text of the charter")):
        assert note in kb.render_answer("charter", lang, AssociationConfig()).text
        # "When was the association founded" is answered and done: no tail under it.
        founding = kb.render_answer("founding", lang, AssociationConfig()).text
        assert note not in founding and "vla.org.vn" not in founding


def test_the_contact_block_follows_answers_whose_next_step_is_the_office(kb: KnowledgeBase) -> None:
    assert "Trang web: vla.org.vn" in kb.render_answer("fee", "vi", AssociationConfig()).text
    assert "Website: vla.org.vn" not in kb.render_answer("organs", "en", AssociationConfig()).text


def test_a_meeting_answer_lists_its_facts_under_labels(kb: KnowledgeBase) -> None:
    answer = kb.render_answer("bch-2-4", "vi", AssociationConfig())
    lines = answer.text.splitlines()
    assert lines[0] == "Hội nghị Ban Chấp hành mở rộng lần thứ 4, khóa II"
    assert "Thời gian: 22/05/2014" in lines
    assert "Địa điểm: Viện Thông tin Khoa học xã hội, Hà Nội" in lines
    assert "Khóa: Khóa II (2011–2016)" in lines
    assert "Tham quan:" in answer.text
    assert answer.source == (
        "Tin hoạt động (2014): Hội nghị BCH mở rộng lần thứ 4, khóa II, 22/05/2014"
    )


def test_a_meeting_of_several_days_shows_both_in_english(kb: KnowledgeBase) -> None:
    answer = kb.render_answer("congress-4", "en", AssociationConfig())
    assert "Date: 21/06/2022 – 22/06/2022" in answer.text


def test_titles_of_entries_and_meetings(kb: KnowledgeBase) -> None:
    assert kb.title("fee", "en") == "Membership fee"
    assert kb.title("congress-3", "vi") == "Đại hội lần thứ III"
    with pytest.raises(KeyError):
        kb.title("no-such-entry", "vi")


def test_an_unknown_language_is_a_programming_error(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError):
        kb.render_answer("fee", "fr", AssociationConfig())


def test_every_answerable_item_renders_in_both_languages(kb: KnowledgeBase) -> None:
    for item_id in [*kb.entries, *(meeting.id for meeting in kb.meetings)]:
        for lang in ("vi", "en"):
            answer = kb.render_answer(item_id, lang, AssociationConfig())
            assert answer.text.strip() and answer.source.strip(), (item_id, lang)
            assert "{" not in answer.text, (item_id, lang)
