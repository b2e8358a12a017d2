"""Telegram's parse modes as the emulator reads them, checked against TDLib's own test cases."""

import pytest

from emulator.entities import ParseError, check_link, trim, utf16_len
from emulator.html import parse_html


def test_bold_vietnamese_text_gets_utf16_offsets() -> None:
    text, entities = parse_html("🎉 <b>Chào mừng</b> hội viên")
    assert text == "🎉 Chào mừng hội viên"
    # The emoji takes two UTF-16 units, so "Chào mừng" starts at 3, not 2.
    assert entities == [{"type": "bold", "offset": 3, "length": 9}]


def test_references_are_decoded_and_unknown_ones_kept_literally() -> None:
    text, _ = parse_html("&ge;&lt;&gt;&amp;&quot;&laquo;&#12345678;&#x41;&#66")
    assert text == '&ge;<>&"&laquo;&#12345678;AB'


def test_every_supported_tag_maps_to_its_entity() -> None:
    html = (
        "<b>b</b><strong>b</strong><i>i</i><em>i</em><u>u</u><ins>u</ins><s>s</s>"
        "<strike>s</strike><del>s</del><tg-spoiler>x</tg-spoiler>"
        '<span class="tg-spoiler">x</span><code>c</code><pre>p</pre>'
        "<blockquote>q</blockquote><blockquote expandable>e</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><a href="https://hoithuvien.vn">a</a>'
    )
    _, entities = parse_html(html)
    assert [e["type"] for e in entities] == [
        "bold", "bold", "italic", "italic", "underline", "underline", "strikethrough",
        "strikethrough", "strikethrough", "spoiler", "spoiler", "code", "pre", "blockquote",
        "expandable_blockquote", "custom_emoji", "text_link",
    ]  # fmt: skip
    assert entities[-1]["url"] == "https://hoithuvien.vn/"


def test_pre_with_code_language_becomes_one_pre_entity() -> None:
    text, entities = parse_html('<pre><code class="language-python">print(1)</code></pre>')
    assert text == "print(1)"
    assert entities == [{"type": "pre", "offset": 0, "length": 8, "language": "python"}]


def test_nested_tags_and_mention_links() -> None:
    text, entities = parse_html('<b>a <i>b</i></b> <a href="tg://user?id=42">An</a>')
    assert text == "a b An"
    assert entities[0] == {"type": "bold", "offset": 0, "length": 3}
    assert entities[1] == {"type": "italic", "offset": 2, "length": 1}
    assert entities[2]["type"] == "text_mention" and entities[2]["user"]["id"] == 42


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba>", 'Can\'t find end tag corresponding to start tag "i"'),
        ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        (
            "🏟 🏟&lt;<i>a</em   >",
            'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
        ),
        ("Giá < 100", 'Unsupported start tag "" at byte offset 5'),  # 'á' takes 2 bytes
        ("<b>đậm", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<span class="x">a</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=https://x.org>a</a>", "Unexpected end of name token at byte offset 8"),
        ("&#xDFDF;", "Text contains invalid Unicode characters after decoding HTML entities"),
    ],
)
def test_bad_markup_is_refused_with_telegrams_words(html: str, message: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_html(html)
    assert str(error.value).startswith(message)


def test_bare_ampersand_is_literal_unless_strict() -> None:
    assert parse_html("Hỏi & đáp")[0] == "Hỏi & đáp"
    with pytest.raises(ParseError, match="escape it as &amp;"):
        parse_html("Hỏi & đáp", strict_ampersand=True)
    assert parse_html("Hỏi &amp; đáp &lt;3", strict_ampersand=True)[0] == "Hỏi & đáp <3"


def test_links_are_normalised_or_dropped_like_telegram() -> None:
    assert check_link("telegram.org") == "http://telegram.org/"
    assert check_link("https://telegram.dog?") == "https://telegram.dog/?"
    assert check_link("asdasd") is None
    assert check_link("javascript:alert(1)") is None
    assert parse_html("<a>hoithuvien.vn</a>")[1][0]["url"] == "http://hoithuvien.vn/"
    assert parse_html('<a href="nowhere">x</a>')[1] == []


def test_trim_shifts_and_clips_entities() -> None:
    text, entities = parse_html("\n  <b> Xin chào </b>\n")
    assert trim(text, entities) == ("Xin chào", [{"type": "bold", "offset": 0, "length": 8}])


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_len("Việt Nam") == 8
    assert utf16_len("📚📚") == 4
