"""Message text as Telegram stores it: markup parsed, whitespace trimmed, length checked."""

from typing import Any

from emulator.entities import Entity, ParseError, trim, utf16_len
from emulator.errors import bad_request
from emulator.html import parse_html

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


def _explicit_entities(entities: Any) -> list[Entity]:
    if not isinstance(entities, list) or not all(
        isinstance(e, dict)
        and isinstance(e.get("type"), str)
        and isinstance(e.get("offset"), int)
        and isinstance(e.get("length"), int)
        for e in entities
    ):
        raise bad_request("can't parse entities JSON object")
    return entities


def parse_text(
    text: str, parse_mode: str | None, entities: Any, *, strict_html: bool
) -> tuple[str, list[Entity]]:
    """(plain text, entities) for a text or caption; explicit entities win over parse_mode."""
    if entities is not None:
        plain, found = text, _explicit_entities(entities)
    elif not parse_mode:
        plain, found = text, []
    else:
        if parse_mode.lower() != "html":
            # HoiBot sends HTML or plain text; Telegram's Markdown modes are not emulated.
            raise bad_request(f"unsupported parse_mode {parse_mode!r} (the emulator knows HTML)")
        try:
            plain, found = parse_html(text, strict_ampersand=strict_html)
        except ParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    return trim(plain, found)


def message_text(params: dict[str, Any], *, strict_html: bool) -> tuple[str, list[Entity]]:
    """The text of a sendMessage or editMessageText request, checked as Telegram checks it."""
    text = params.get("text")
    if not text:
        raise bad_request("message text is empty")
    plain, entities = parse_text(
        str(text), params.get("parse_mode"), params.get("entities"), strict_html=strict_html
    )
    if not plain:
        raise bad_request("message text is empty")
    if utf16_len(plain) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return plain, entities


def caption_text(params: dict[str, Any], *, strict_html: bool) -> tuple[str, list[Entity]]:
    """The caption of a media request ('' without one), checked against the caption limit."""
    caption = params.get("caption")
    if not caption:
        return "", []
    plain, entities = parse_text(
        str(caption),
        params.get("parse_mode"),
        params.get("caption_entities"),
        strict_html=strict_html,
    )
    if utf16_len(plain) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return plain, entities
