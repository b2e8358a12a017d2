"""Splitting a long announcement into Telegram-sized messages, keeping its formatting.

An announcement is its text plus Telegram's message entities (bold, links, ...) exactly as
the admin typed them, sent back without a parse mode: a ``<`` or ``&`` in it is just a
character. Entity offsets and lengths count UTF-16 code units (an emoji outside the Basic
Multilingual Plane is two), and so does Telegram's 4096 limit.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGE_LENGTH = 4096
# Where to cut, best first: between paragraphs, between lines, between words.
_SEPARATORS = ("\n\n", "\n", " ")

Entity = dict[str, Any]


@dataclass(frozen=True)
class Part:
    """One message of an announcement."""

    text: str
    entities: list[Entity] = field(default_factory=list)


def _utf16_offsets(text: str) -> list[int]:
    """For each index 0..len(text), the UTF-16 offset of that position."""
    units = (2 if ord(char) > 0xFFFF else 1 for char in text)
    return list(itertools.accumulate(units, initial=0))


def _cut(text: str, start: int, hard_end: int) -> int:
    """Where the part starting at ``start`` should end, at most at ``hard_end``."""
    for separator in _SEPARATORS:
        found = text.rfind(separator, start, hard_end)
        if found > start:
            return found + len(separator)
    return hard_end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clip(entities: list[Entity], low: int, high: int) -> list[Entity]:
    """The entities inside UTF-16 range [low, high), cut to it and re-based at ``low``."""
    clipped = []
    for entity in entities:
        begin = max(entity["offset"], low)
        finish = min(entity["offset"] + entity["length"], high)
        if finish > begin:
            clipped.append({**entity, "offset": begin - low, "length": finish - begin})
    return clipped


def split_message(
    text: str, entities: list[Entity] | None = None, limit: int = MAX_MESSAGE_LENGTH
) -> list[Part]:
    """Cut ``text`` into parts of at most ``limit`` UTF-16 units, at paragraph boundaries
    where possible (else lines, else words), each part with its share of the entities.
    """
    entities = list(entities or [])
    offsets = _utf16_offsets(text)
    if offsets[-1] <= limit:
        return [Part(text, entities)]
    parts: list[Part] = []
    start = 0
    while start < len(text):
        # The furthest index whose UTF-16 offset still fits in this part.
        hard_end = bisect.bisect_right(offsets, offsets[start] + limit) - 1
        end = len(text) if hard_end >= len(text) else _cut(text, start, hard_end)
        low, high = _strip(text, start, end)
        if high > low:
            parts.append(
                Part(text[low:high], _clip(entities, offsets[low], offsets[high]))
            )
        start = end
    return parts
