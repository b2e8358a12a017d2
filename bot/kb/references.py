"""A question that names a charter article or chapter by its number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.kb.normalize import words

# "kỷ niệm chương", "huy chương" (a medal) name no chapter, typed without marks either.
_REFERENCE = re.compile(
    r"(?<!niem )(?<!huy )\b(dieu|article|art|chuong|chapter)\s+(\d{1,3})\b")


@dataclass(frozen=True)
class CharterReference:
    """A question that names a charter article or chapter by number ("Điều 5", "chương II")."""

    kind: str  # "article" or "chapter"
    number: int


def charter_reference(question: str) -> CharterReference | None:
    """The article or chapter a question names, if it names one."""
    match = _REFERENCE.search(" ".join(word.folded for word in words(question)))
    if match is None:
        return None
    kind = "article" if match[1] in {"dieu", "article", "art"} else "chapter"
    return CharterReference(kind, int(match[2]))
