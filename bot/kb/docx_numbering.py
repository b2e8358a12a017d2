"""Word's automatic numbering, written out as Word shows it ("Điều 3.", "2.", "a)").

A Word list number is not part of a paragraph's text: python-docx gives "Tên gọi" for a
paragraph Word shows as "Điều 1. Tên gọi" when its list level reads ``Điều %1.``. This
module counts the numbered paragraphs of each list in document order, from the list
definitions in ``numbering.xml`` (a level's start, format and text; a deeper level starts
again under each item of the level above), so the charter importer reads the numbers the
secretariat sees. Overrides of a list's start (``w:lvlOverride``) and numbering restarted
by hand are not followed: the importer warns that the numbers were computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from bot.kb.normalize import roman


@dataclass(frozen=True)
class _Level:
    start: int
    format: str
    text: str


def _value(element: Any, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    value = child.get(qn("w:val")) if child is not None else None
    return value if value is not None else default


def _formatted(number: int, format_name: str) -> str:
    if format_name == "upperRoman":
        return roman(number)
    if format_name == "lowerRoman":
        return roman(number).lower()
    if format_name in ("lowerLetter", "upperLetter") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return letter.upper() if format_name == "upperLetter" else letter
    if format_name == "decimalZero":
        return f"{number:02d}"
    return str(number)


class Numbering:
    """The numbers of a document's numbered paragraphs, asked for in document order."""

    def __init__(self, document: Any) -> None:
        self._lists: dict[str, dict[int, _Level]] = {}
        self._counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for definition in root.findall(qn("w:abstractNum")):
            abstract[definition.get(qn("w:abstractNumId"))] = {
                int(level.get(qn("w:ilvl"), "0")): _Level(
                    int(_value(level, "w:start", "1")) if _value(level, "w:start", "1")
                    .isdigit() else 1,
                    _value(level, "w:numFmt", "decimal"),
                    _value(level, "w:lvlText", ""),
                )
                for level in definition.findall(qn("w:lvl"))
            }
        for instance in root.findall(qn("w:num")):
            reference = _value(instance, "w:abstractNumId", "")
            if reference in abstract:
                self._lists[instance.get(qn("w:numId"))] = abstract[reference]

    def label(self, paragraph: Any) -> str | None:
        """The number Word shows before ``paragraph`` ("Điều 3.", "-" for a bullet), or
        None when it is not numbered."""
        numbering = _numbering_of(paragraph)
        if numbering is None:
            return None
        list_id, level = numbering
        levels = self._lists.get(list_id)
        if not levels or level not in levels:
            return None
        counts = self._counts.setdefault(list_id, {})
        counts[level] = counts.get(level, levels[level].start - 1) + 1
        for deeper in [key for key in counts if key > level]:
            del counts[deeper]
        if levels[level].format == "bullet":
            return "-"
        if levels[level].format == "none":
            return levels[level].text.strip() or None

        def number(match: re.Match[str]) -> str:
            index = int(match[1]) - 1
            shown = levels.get(index)
            if shown is None:
                return match[0]
            return _formatted(counts.get(index, shown.start), shown.format)

        return re.sub(r"%(\d)", number, levels[level].text).strip() or None


def _numbering_of(paragraph: Any) -> tuple[str, int] | None:
    """The list (numId) and level of a paragraph, its own or its style's."""
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    style = paragraph.style
    while numbering is None and style is not None:
        style_properties = style.element.pPr
        numbering = style_properties.numPr if style_properties is not None else None
        style = style.base_style
    if numbering is None or numbering.numId is None:
        return None
    list_id = str(numbering.numId.val)
    level = numbering.ilvl.val if numbering.ilvl is not None else 0
    return (None if list_id == "0" else (list_id, int(level)))
