"""Texts longer than a Telegram message are split at paragraphs, never inside an HTML entity."""

from __future__ import annotations

import html

from bot.text import utf16_len
from handlers.kit.answers import TEXT_LIMIT, pack, paragraphs, shown_length


def test_short_paragraphs_stay_in_one_message() -> None:
    parts = paragraphs("Đoạn một.\n\nĐoạn hai,\ndòng hai.\n\n\nĐoạn ba.")
    assert parts == ["Đoạn một.", "Đoạn hai,\ndòng hai.", "Đoạn ba."]
    assert pack(parts) == ["Đoạn một.\n\nĐoạn hai,\ndòng hai.\n\nĐoạn ba."]


def test_long_text_is_split_at_paragraph_boundaries() -> None:
    paragraph = "Thư viện " * 300  # 2,700 characters
    messages = pack(paragraphs(f"1 {paragraph}\n\n2 {paragraph}\n\n3 {paragraph}"))
    assert len(messages) == 3
    assert [m.split()[0] for m in messages] == ["1", "2", "3"]


def test_escaping_counts_as_telegram_counts_it_and_is_never_cut_through() -> None:
    # 1,500 "&" and their spaces: 2,999 characters for Telegram, 8,999 as "&amp;" HTML.
    text = " ".join(["&"] * 1500)
    assert len(pack(paragraphs(text))) == 1
    # 3,000 of them (5,999 characters) are one paragraph over the limit.
    messages = pack(paragraphs(" ".join(["&"] * 3000)))
    assert len(messages) == 2
    assert all(shown_length(m) <= TEXT_LIMIT for m in messages)
    assert all(html.unescape(m).replace("&", "").strip() == "" for m in messages)
    assert sum(html.unescape(m).count("&") for m in messages) == 3000


def test_a_word_longer_than_a_message_is_cut_safely() -> None:
    word = "<" * 10_000
    messages = pack(paragraphs(word))
    assert len(messages) == 3
    assert all(shown_length(m) <= TEXT_LIMIT for m in messages)
    # Pieces of one word are separate parts: only the paragraph breaks between them are new.
    assert "".join(html.unescape(m).replace("\n\n", "") for m in messages) == word


def test_emoji_count_twice_as_telegram_counts_them() -> None:
    messages = pack(paragraphs("📚" * 3000))
    assert len(messages) == 2
    assert all(utf16_len(m) <= TEXT_LIMIT for m in messages)


def test_tags_count_nothing_and_entities_one() -> None:
    assert shown_length("<b>Hội</b> &amp; <i>“Thư viện”</i>") == len("Hội & “Thư viện”")
