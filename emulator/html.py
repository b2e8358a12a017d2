"""Telegram's HTML parse mode: the tag subset, entity references and error messages of TDLib."""

import re
from dataclasses import dataclass

from emulator.entities import (
    Entity,
    ParseError,
    byte_offset,
    check_link,
    custom_emoji_id,
    link_user_id,
    sort_entities,
    utf16_len,
)

__all__ = ["ParseError", "parse_html"]

_SPACES = frozenset(" \t\r\n\v\f\0")
_ATTRIBUTE_NAME_END = _SPACES | frozenset("=>/\"'")
_NAME_TOKEN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "tg-time", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler",
}  # fmt: skip
_NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<&]")
_NUMERIC = re.compile(r"&#(?:x([0-9a-fA-F]*)|([0-9]*))")
_NAMED = re.compile(r"&([a-zA-Z]*)")
_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(slots=True)
class _OpenTag:
    name: str
    argument: str
    unix_time: int
    offset: int  # UTF-16 offset where the tag's content starts
    chunk: int  # index in the output chunks where the content starts


def _decode_reference(src: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at src[pos] ('&'), as TDLib does: (char, next pos) or None."""
    numeric = _NUMERIC.match(src, pos)
    if numeric:
        digits_hex, digits_dec = numeric.groups()
        digits = digits_hex if digits_hex is not None else digits_dec
        end = numeric.end()
        if not digits or end - pos >= 10:
            return None
        code = int(digits, 16 if digits_hex is not None else 10)
        if code == 0 or code >= 0x10FFFF:
            return None
        char = chr(code)
    else:
        named = _NAMED.match(src, pos)
        end = named.end() if named else pos + 1
        char = _NAMED_REFERENCES.get(named.group(1), "") if named else ""
        if not char:
            return None
    return char, end + 1 if src[end] == ";" else end


def _tag_argument(tag: str, attribute: str, value: str) -> str | None:
    """The argument an attribute gives its tag, or None when the tag ignores the attribute."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if (tag, attribute) in (("tg-emoji", "emoji-id"), ("tg-time", "format")):
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return None


def _read_attribute_value(text: str, src: str, i: int) -> tuple[str, int]:
    """Read an attribute value (a quoted string or a bare name token) starting at src[i]."""
    if src[i] not in "'\"":
        token_begin = i
        while src[i] in _NAME_TOKEN:
            i += 1
        if src[i] not in _SPACES and src[i] != ">":
            raise ParseError(
                f"Unexpected end of name token at byte offset {byte_offset(text, token_begin)}"
            )
        return text[token_begin:i].lower(), i
    quote = src[i]
    i += 1
    chars: list[str] = []
    while src[i] != quote and src[i] != "\0":
        if src[i] == "&":
            decoded = _decode_reference(src, i)
            if decoded is not None:
                chars.append(decoded[0])
                i = decoded[1]
                continue
        chars.append(src[i])
        i += 1
    if src[i] == quote:
        i += 1
    return "".join(chars), i


def _read_start_tag(text: str, src: str, begin: int) -> tuple[str, str, int, int]:
    """Read the start tag at src[begin] ('<'): (name, argument, unix time, index after '>')."""
    at = byte_offset(text, begin)
    i = begin + 1
    while src[i] not in _SPACES and src[i] != ">":
        i += 1
    if src[i] == "\0":
        raise ParseError(f"Unclosed start tag at byte offset {at}")
    name = text[begin + 1 : i].lower()
    if name not in _TAGS:
        raise ParseError(f'Unsupported start tag "{name}" at byte offset {at}')
    argument = ""
    unix_time = 0
    while src[i] != ">":
        while src[i] != "\0" and src[i] in _SPACES:
            i += 1
        if src[i] == ">":
            break
        attribute_begin = i
        while src[i] not in _ATTRIBUTE_NAME_END:
            i += 1
        attribute = text[attribute_begin:i]
        if not attribute:
            raise ParseError(f'Empty attribute name in the tag "{name}" at byte offset {at}')
        while src[i] != "\0" and src[i] in _SPACES:
            i += 1
        if src[i] != "=":
            if src[i] == "\0":
                raise ParseError(f'Unclosed start tag "{name}" at byte offset {at}')
            if name == "blockquote" and attribute == "expandable":
                argument = "1"
            continue
        i += 1
        while src[i] != "\0" and src[i] in _SPACES:
            i += 1
        if src[i] == "\0":
            raise ParseError(f'Unclosed start tag "{name}" at byte offset {at}')
        value, i = _read_attribute_value(text, src, i)
        if src[i] == "\0":
            raise ParseError(f"Unclosed start tag at byte offset {at}")
        if name == "tg-time" and attribute == "unix":
            digits = re.match(r"-?[0-9]+", value)
            unix_time = int(digits.group()) if digits else 0
        given = _tag_argument(name, attribute, value)
        if given is not None:
            argument = given
    if name == "span" and argument != "spoiler":
        raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    return name, argument, unix_time, i + 1


def _close(
    tag: _OpenTag, length: int, entities: list[Entity], langs: list[str], chunks: list[str]
) -> None:
    """Append the entity a closed, non-empty tag produces (a tag may produce none)."""
    offset = tag.offset
    simple = _SIMPLE.get(tag.name)
    if simple:
        entities.append({"type": simple, "offset": offset, "length": length})
        langs.append("")
        return
    last = entities[-1] if entities else None
    # The entity just closed inside this one over exactly the same text (<pre><code>...).
    same_span = last is not None and (last["offset"], last["length"]) == (offset, length)
    twin = last if same_span else None
    entity: Entity | None = None
    lang = ""
    if tag.name == "tg-emoji":
        emoji_id = custom_emoji_id(tag.argument)
        if emoji_id is None:
            raise ParseError("Invalid custom emoji identifier specified")
        entity = {"type": "custom_emoji", "offset": offset, "length": length}
        entity["custom_emoji_id"] = emoji_id
    elif tag.name == "tg-time":
        if not _TIME_FORMAT.fullmatch(tag.argument):
            raise ParseError("Invalid date format used")
        if tag.unix_time > 0:
            entity = {"type": "date_time", "offset": offset, "length": length}
            entity["unix_time"] = tag.unix_time
            if tag.argument:
                entity["date_time_format"] = tag.argument
    elif tag.name == "a":
        target = tag.argument or "".join(chunks[tag.chunk :])  # <a> without href: its text
        user_id = link_user_id(target)
        link = None if user_id else check_link(target)
        if user_id:
            user = {"id": user_id, "is_bot": False, "first_name": ""}
            entity = {"type": "text_mention", "offset": offset, "length": length, "user": user}
        elif link:
            entity = {"type": "text_link", "offset": offset, "length": length, "url": link}
    elif tag.name == "pre":
        if twin is not None and twin["type"] == "code" and langs[-1]:
            entities[-1] = {"type": "pre", "offset": offset, "length": length}
            entities[-1]["language"] = langs[-1]
            return
        entity = {"type": "pre", "offset": offset, "length": length}
    elif tag.name == "code":
        if twin is not None and twin["type"] == "pre" and "language" not in twin and tag.argument:
            twin["language"] = tag.argument
            return
        entity = {"type": "code", "offset": offset, "length": length}
        lang = tag.argument
    else:  # blockquote
        kind = "expandable_blockquote" if tag.argument else "blockquote"
        entity = {"type": kind, "offset": offset, "length": length}
    if entity is not None:
        entities.append(entity)
        langs.append(lang)


def parse_html(text: str, *, strict_ampersand: bool = False) -> tuple[str, list[Entity]]:
    """Parse text in Telegram's HTML parse mode into (plain text, entities with UTF-16 offsets).

    Raises ParseError with Telegram's wording. Like Telegram, an '&' that starts no known
    reference stays literal; with strict_ampersand it is an error instead, which catches text
    that was never escaped before a '<' in it breaks a message in production.
    """
    src = text + "\0"  # a sentinel spares bounds checks, as TDLib's C strings do
    size = len(text)
    chunks: list[str] = []
    entities: list[Entity] = []
    langs: list[str] = []  # the language a code entity offers to an enclosing pre
    stack: list[_OpenTag] = []
    utf16 = 0
    i = 0
    while i < size:
        special = _SPECIAL.search(text, i)
        j = special.start() if special else size
        if j > i:
            chunk = text[i:j]
            chunks.append(chunk)
            utf16 += utf16_len(chunk)
            i = j
            if i >= size:
                break
        begin = i
        if src[i] == "&":
            decoded = _decode_reference(src, i)
            if decoded is None:
                if strict_ampersand:
                    raise ParseError(
                        f'Character "&" at byte offset {byte_offset(text, i)} starts no entity;'
                        " escape it as &amp;"
                    )
                chunks.append("&")
                utf16 += 1
                i += 1
            else:
                char, i = decoded
                chunks.append(char)
                utf16 += 2 if ord(char) > 0xFFFF else 1
            continue
        i += 1
        if src[i] != "/":
            name, argument, unix_time, i = _read_start_tag(text, src, begin)
            stack.append(_OpenTag(name, argument, unix_time, utf16, len(chunks)))
            continue
        if not stack:
            raise ParseError(f"Unexpected end tag at byte offset {byte_offset(text, begin)}")
        i += 1
        name_begin = i
        while src[i] not in _SPACES and src[i] != ">":
            i += 1
        end_name = text[name_begin:i].lower()
        while src[i] != "\0" and src[i] in _SPACES:
            i += 1
        if src[i] != ">":
            raise ParseError(f"Unclosed end tag at byte offset {byte_offset(text, begin)}")
        tag = stack[-1]
        if end_name and end_name != tag.name:
            raise ParseError(
                f"Unmatched end tag at byte offset {byte_offset(text, begin)}, "
                f'expected "</{tag.name}>", found "</{end_name}>"'
            )
        if utf16 > tag.offset:
            _close(tag, utf16 - tag.offset, entities, langs, chunks)
        stack.pop()
        i += 1
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    plain = "".join(chunks)
    if _SURROGATES.search(plain):
        raise ParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    return plain, sort_entities(entities)
