"""Long announcements are split at paragraph boundaries and keep their formatting."""

from __future__ import annotations

from bot.announcements.split import MAX_MESSAGE_LENGTH, split_message
from bot.text import utf16_len


def entity_text(text: str, entity: dict) -> str:
    """The text an entity covers, counting in UTF-16 as Telegram does."""
    units = text.encode("utf-16-le")
    start, end = entity["offset"] * 2, (entity["offset"] + entity["length"]) * 2
    return units[start:end].decode("utf-16-le")


def test_a_short_text_is_one_message_unchanged() -> None:
    entities = [{"type": "bold", "offset": 0, "length": 4}]
    parts = split_message("Họp <ngay> & nhé", entities)
    assert len(parts) == 1
    assert parts[0].text == "Họp <ngay> & nhé" and parts[0].entities == entities


def test_a_long_text_is_cut_between_paragraphs() -> None:
    paragraphs = [f"Đoạn {i}: " + "chữ " * 300 for i in range(10)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = split_message(text)
    assert len(parts) > 1
    assert all(utf16_len(p.text) <= MAX_MESSAGE_LENGTH for p in parts)
    # Every part starts at a paragraph start, and nothing is lost.
    assert all(p.text.startswith("Đoạn ") for p in parts)
    assert "\n\n".join(p.text for p in parts) == text


def test_a_paragraph_longer_than_a_message_is_cut_between_lines_then_words() -> None:
    text = "x" * 10 + " " + "word " * 2000
    parts = split_message(text.strip(), limit=100)
    assert all(utf16_len(p.text) <= 100 for p in parts)
    assert " ".join(p.text for p in parts) == text.strip()
    assert all(not p.text.startswith(" ") and not p.text.endswith(" ") for p in parts)


def test_entities_are_kept_and_a_bold_span_across_the_cut_is_bold_in_both_parts() -> None:
    first = "A" * 50
    second = "B" * 50
    text = f"{first}\n\n{second}"
    # Bold from the middle of the first paragraph to the middle of the second; a link at the end.
    bold = {"type": "bold", "offset": 40, "length": 30}
    link = {"type": "text_link", "offset": 95, "length": 5, "url": "https://vla.org.vn/?a=1&b=<2>"}
    parts = split_message(text, [bold, link], limit=60)
    assert [p.text for p in parts] == [first, second]
    assert parts[0].entities == [{"type": "bold", "offset": 40, "length": 10}]
    assert parts[1].entities[0] == {"type": "bold", "offset": 0, "length": 18}
    assert parts[1].entities[1] == {**link, "offset": 43}
    assert entity_text(parts[1].text, parts[1].entities[1]) == "BBBBB"


def test_offsets_count_utf16_units_so_emoji_do_not_shift_formatting() -> None:
    # 🎉 is outside the BMP: two UTF-16 units but one Python character.
    paragraph = "🎉 Chúc mừng năm mới " * 3
    text = "\n\n".join([paragraph.strip()] * 4)
    word = "Chúc mừng"
    entities = []
    units = 0
    for index, char in enumerate(text):
        if text.startswith(word, index):
            entities.append({"type": "bold", "offset": units, "length": utf16_len(word)})
        units += utf16_len(char)
    parts = split_message(text, entities, limit=140)
    assert len(parts) == 2
    for part in parts:
        assert utf16_len(part.text) <= 140
        assert part.entities
        assert all(entity_text(part.text, e) == word for e in part.entities)
    assert sum(len(p.entities) for p in parts) == len(entities)


def test_limit_is_in_utf16_units() -> None:
    text = "🎉" * 3000  # 6000 units, no separators: a hard cut, never inside a surrogate pair
    parts = split_message(text)
    assert [utf16_len(p.text) for p in parts] == [4096, 1904]
    assert "".join(p.text for p in parts) == text
