"""Text measures, link checks and clean-up shared by Telegram's parse modes."""

import re
from typing import Any

Entity = dict[str, Any]

# Telegram trims these from both ends of a message after parsing its markup.
_TRIMMED = " \t\n\r\v\f"
_LINK_USER = re.compile(r"tg:(?://)?user\?id=([0-9]{1,19})", re.IGNORECASE)
_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*[a-z0-9]|[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
_CUSTOM_EMOJI_ID = re.compile(r"[1-9][0-9]{0,18}")


class ParseError(ValueError):
    """Markup that Telegram refuses; the message is worded as Telegram words it."""


def utf16_len(text: str) -> int:
    """Length of text in UTF-16 code units, the unit of Telegram's entity offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def byte_offset(text: str, index: int) -> int:
    """UTF-8 byte offset of text[index], the position Telegram's parse errors report."""
    return len(text[:index].encode("utf-8", "surrogatepass"))


def link_user_id(url: str) -> int | None:
    """The user id of a tg://user?id=N link (a text mention), or None."""
    match = _LINK_USER.fullmatch(url.strip())
    return int(match.group(1)) if match else None


def check_link(url: str) -> str | None:
    """Normalise a link the way Telegram does for text_link entities; None if it is invalid."""
    url = url.strip()
    if not url or any(c in url for c in " \n\t"):
        return None
    scheme, sep, rest = url.partition("://")
    if not sep:
        lowered = url.lower()
        if lowered.startswith(("tg:", "ton:")):
            scheme, _, rest = url.partition(":")
        else:
            scheme, rest = "http", url
    scheme = scheme.lower()
    if scheme in ("tg", "ton", "tonsite"):
        return f"{scheme}://{rest}" if rest else None
    if scheme not in ("http", "https"):
        return None
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, path = rest[:cut], rest[cut:]
    host = authority.rpartition("@")[2].lower()
    hostname, _, port = host.partition(":")
    if not _HOST.fullmatch(hostname) or (port and not port.isdigit()):
        return None
    if not path.startswith("/"):
        path = "/" + path
    return f"{scheme}://{host}{path}"


def custom_emoji_id(value: str) -> str | None:
    """A custom emoji id as Telegram accepts it (a positive 64-bit number), or None."""
    if _CUSTOM_EMOJI_ID.fullmatch(value) and int(value) < 2**63:
        return value
    return None


def sort_entities(entities: list[Entity]) -> list[Entity]:
    """Order entities as Telegram returns them: by offset, the longer first."""
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace as Telegram does, shifting and clipping the entities."""
    stripped = text.strip(_TRIMMED)
    if stripped == text:
        return text, entities
    if not stripped:
        return "", []
    lead = len(text) - len(text.lstrip(_TRIMMED))  # whitespace is one UTF-16 unit per char
    end = utf16_len(stripped)
    kept: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        stop = min(entity["offset"] + entity["length"] - lead, end)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept
