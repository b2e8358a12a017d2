"""Telegram's MarkdownV2 and legacy Markdown parse modes, after TDLib's parsers."""

from dataclasses import dataclass

from emulator.entities import (
    Entity,
    ParseError,
    byte_offset,
    check_link,
    custom_emoji_id,
    link_user_id,
    sort_entities,
)

_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_CODE_RESERVED = frozenset("`")
_SPACES = frozenset(" \t\r\n\v\f\0")
_TYPE_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough":
    "Strikethrough", "spoiler": "Spoiler", "code": "Code", "pre": "Pre", "pre_code": "PreCode",
    "text_link": "TextUrl", "custom_emoji": "CustomEmoji",
}  # fmt: skip


@dataclass(slots=True)
class _Open:
    kind: str
    argument: str
    offset: int  # UTF-16 offset of the content
    byte: int  # where the markup started, for error messages
    chunk: int  # index in the output chunks where the content starts


def _reserved(char: str) -> ParseError:
    return ParseError(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")


def _read_url(src: str, i: int, what: str, text: str) -> tuple[str, int]:
    """Read a '(url)' whose '(' is at src[i]: (url, index of ')')."""
    i += 1
    begin = i
    url: list[str] = []
    while src[i] != ")" and src[i] != "\0":
        if src[i] == "\\" and "\0" < src[i + 1] <= "~":
            url.append(src[i + 1])
            i += 2
            continue
        url.append(src[i])
        i += 1
    if src[i] != ")":
        raise ParseError(f"Can't find end of {what} at byte offset {byte_offset(text, begin)}")
    return "".join(url), i


def _ends(kind: str, src: str, i: int) -> bool:
    """Whether src[i] closes the innermost open entity of this kind."""
    c = src[i]
    if kind == "bold":
        return c == "*"
    if kind == "italic":
        return c == "_" and src[i + 1] != "_"
    if kind == "code":
        return c == "`"
    if kind in ("pre", "pre_code"):
        return src.startswith("```", i)
    if kind in ("text_link", "custom_emoji"):
        return c == "]"
    if kind == "underline":
        return src.startswith("__", i)
    if kind == "strikethrough":
        return c == "~"
    return src.startswith("||", i)  # spoiler


def _pre_start(src: str, i: int) -> tuple[str, str, int]:
    """At the content after '```': (kind, language, index of the first content char)."""
    end = i
    while src[end] not in _SPACES and src[end] != "`":
        end += 1
    kind, language = "pre", ""
    if end != i and src[end] not in "\0`":
        kind, language, i = "pre_code", src[i:end], end
    if src[i] in "\r\n":  # one line break after the language is not content
        i += 2 if src[i + 1] in "\r\n" and src[i + 1] != src[i] else 1
    return kind, language, i


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    """Parse MarkdownV2 into (plain text, entities); raises ParseError with Telegram's wording."""
    src = text + "\0"
    size = len(text)
    chunks: list[str] = []
    entities: list[Entity] = []
    stack: list[_Open] = []
    quote: _Open | None = None
    quote_expandable = False
    utf16 = 0
    i = 0
    while i < size:
        c = src[i]
        in_code = bool(stack) and stack[-1].kind in ("code", "pre", "pre_code")
        if not in_code and (i == 0 or src[i - 1] in "\r\n"):
            if quote is not None and c != ">" and not src.startswith("**>", i):
                if any(entity.chunk >= quote.chunk for entity in stack):
                    inner = next(entity for entity in stack if entity.chunk >= quote.chunk)
                    raise ParseError(
                        f"Can't find end of {_TYPE_NAMES[inner.kind]} entity at byte offset "
                        f"{inner.byte}"
                    )
                _add_quote(entities, quote, utf16, quote_expandable)
                quote = None
            if c == ">" or src.startswith("**>", i):
                restart = c == "*"  # '**>' starts a new quote right after another
                if quote is None or restart:
                    if quote is not None:
                        _add_quote(entities, quote, utf16, quote_expandable)
                    quote = _Open("blockquote", "", utf16, byte_offset(text, i), len(chunks))
                    quote_expandable = False  # only a closing '||' makes a quote expandable
                i += 3 if restart else 1
                continue
        if quote is not None and src.startswith("||", i) and src[i + 2] in "\r\n\0":
            if not (stack and stack[-1].kind == "spoiler"):
                quote_expandable = True
                i += 2
                continue
        if c == "\\" and "\0" < src[i + 1] <= "~":
            chunks.append(src[i + 1])
            utf16 += 1
            i += 2
            continue
        reserved = _CODE_RESERVED if in_code else _RESERVED
        if c not in reserved:
            chunks.append(c)
            utf16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        if stack and _ends(stack[-1].kind, src, i):
            i = _close_v2(stack.pop(), src, i, text, chunks, entities, utf16)
            continue
        begin = byte_offset(text, i)
        argument = ""
        if c == "_":
            kind = "underline" if src[i + 1] == "_" else "italic"
            i += 2 if kind == "underline" else 1
        elif c in "*~[":
            kind = {"*": "bold", "~": "strikethrough", "[": "text_link"}[c]
            i += 1
        elif c == "|" and src[i + 1] == "|":
            kind = "spoiler"
            i += 2
        elif c == "!" and src[i + 1] == "[":
            kind = "custom_emoji"
            i += 2
        elif c == "`" and src.startswith("```", i):
            kind, argument, i = _pre_start(src, i + 3)
        elif c == "`":
            kind = "code"
            i += 1
        else:
            raise _reserved(c)
        stack.append(_Open(kind, argument, utf16, begin, len(chunks)))
    if stack:
        raise ParseError(
            f"Can't find end of {_TYPE_NAMES[stack[-1].kind]} entity at byte offset "
            f"{stack[-1].byte}"
        )
    if quote is not None:
        _add_quote(entities, quote, utf16, quote_expandable)
    return "".join(chunks), sort_entities(entities)


def _add_quote(entities: list[Entity], quote: _Open, utf16: int, expandable: bool) -> None:
    if utf16 > quote.offset:
        kind = "expandable_blockquote" if expandable else "blockquote"
        entities.append({"type": kind, "offset": quote.offset, "length": utf16 - quote.offset})


def _close_v2(
    tag: _Open, src: str, i: int, text: str, chunks: list[str], entities: list[Entity], utf16: int
) -> int:
    """Close the entity whose end markup is at src[i]; returns the index after the markup."""
    entity: Entity = {"type": tag.kind, "offset": tag.offset, "length": utf16 - tag.offset}
    keep = utf16 > tag.offset
    if tag.kind in ("underline", "spoiler"):
        i += 2
    elif tag.kind in ("pre", "pre_code"):
        i += 3
        entity["type"] = "pre"
        if tag.argument:
            entity["language"] = tag.argument
    elif tag.kind == "text_link":
        if src[i + 1] == "(":
            url, i = _read_url(src, i + 1, "a URL", text)
        else:
            url = "".join(chunks[tag.chunk :])
        i += 1
        user_id = link_user_id(url)
        link = None if user_id else check_link(url)
        if user_id:
            entity["type"] = "text_mention"
            entity["user"] = {"id": user_id, "is_bot": False, "first_name": ""}
        elif link:
            entity["url"] = link
        else:
            keep = False
    elif tag.kind == "custom_emoji":
        if src[i + 1] != "(":
            raise ParseError("Custom emoji entity must contain a tg://emoji URL")
        url, i = _read_url(src, i + 1, "a custom emoji URL", text)
        i += 1
        scheme, _, rest = url.partition("#")[0].partition(":")
        if scheme.lower() != "tg":
            raise ParseError("Custom emoji URL must have scheme tg")
        host, _, query = rest.lstrip("/").partition("?")
        if host.rstrip("/").lower() != "emoji":
            raise ParseError('Custom emoji URL must have host "emoji"')
        params = dict(p.partition("=")[::2] for p in query.partition("#")[0].split("&"))
        if "id" not in params:
            raise ParseError("Custom emoji URL must have an emoji identifier")
        emoji_id = custom_emoji_id(params["id"])
        if emoji_id is None:
            raise ParseError("Invalid custom emoji identifier specified")
        entity["custom_emoji_id"] = emoji_id
    else:
        i += 1
    if keep:
        entities.append(entity)
    return i


def parse_markdown(text: str) -> tuple[str, list[Entity]]:
    """Parse legacy Markdown (*bold*, _italic_, `code`, ```pre```, [text](url))."""
    src = text + "\0"
    size = len(text)
    chunks: list[str] = []
    entities: list[Entity] = []
    utf16 = 0
    i = 0
    while i < size:
        c = src[i]
        if c == "\\" and src[i + 1] in "_*`[":
            chunks.append(src[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in "_*`[":
            chunks.append(c)
            utf16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        end_char = "]" if c == "[" else c
        is_pre = c == "`" and src.startswith("```", i)
        language = ""
        i += 1
        if is_pre:
            _, language, i = _pre_start(src, i + 2)
        offset = utf16
        content_start = len(chunks)
        while i < size and (src[i] != end_char or (is_pre and not src.startswith("```", i))):
            chunks.append(src[i])
            utf16 += 2 if ord(src[i]) > 0xFFFF else 1
            i += 1
        if i >= size:
            raise ParseError(
                f"Can't find end of the entity starting at byte offset {byte_offset(text, begin)}"
            )
        entity: Entity = {"offset": offset, "length": utf16 - offset}
        if c == "[":
            content = "".join(chunks[content_start:])
            url = content
            if src[i + 1] == "(":
                url, i = _read_url(src, i + 1, "a URL", text)
            link = check_link(url)
            entity.update(type="text_link", url=link)
            if not link:
                entity["length"] = 0
        elif is_pre:
            entity["type"] = "pre"
            if language:
                entity["language"] = language
            i += 2
        else:
            entity["type"] = {"_": "italic", "*": "bold", "`": "code"}[c]
        if entity["length"] > 0:
            entities.append(entity)
        i += 1
    return "".join(chunks), sort_entities(entities)
