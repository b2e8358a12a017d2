"""Reading a charter file into clean lines, whatever shape the text came in.

The official charter reaches the secretariat as a Word file (.docx) or as text pasted from
a PDF or a web page (.txt, .md). This module gives :mod:`bot.kb.charter_import` the same
lines for all of them:

- Unicode in NFC (text pasted from a Mac or a PDF is often NFD), non-breaking, thin and
  zero-width spaces made plain spaces (or removed), a byte-order mark removed, Windows line
  endings read as line ends;
- a .docx read in document order, tables included (a row is one line, its cells joined by
  " | "), Heading styles and bold paragraphs alike (only the text counts);
- a table of contents dropped ("Điều 1. Tên gọi ........ 3");
- the page furniture of a PDF dropped: page numbers alone on a line ("3", "- 3 -",
  "Trang 3", "Trang 3/12", "3/12") and running headers or footers (a short line repeated on
  three pages or more, digits aside).

Each line keeps its number in the source file (for a .docx: the paragraph's or table row's
position), so a warning can say where to look.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path


class CharterReadError(Exception):
    """The file cannot be read as a charter text."""


@dataclass(frozen=True)
class Line:
    """One line of the source: its number, its text, and whether it is a table row."""

    number: int
    text: str
    table: bool = False


_OTHER_FORMATS = {".pdf": "PDF", ".doc": "old Word (.doc)", ".odt": "OpenDocument",
                  ".rtf": "RTF"}
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d{1,3}\s*[-–—]|\d{1,3}(?:\s*/\s*\d{1,3})?|"
    r"(?:trang|page)\s+\d{1,3}(?:\s*(?:/|trên|of)\s*\d{1,3})?)$",
    re.IGNORECASE,
)
_CONTENTS_LINE = re.compile(r"(?:\.{4,}|…{2,}|\t)\s*\d{1,3}\s*$")  # "Điều 1. Tên gọi ..... 3"
_HEADING_START = re.compile(r"^[#>*_\s]*(?:đi[ềe]u|dieu|ch[ưu][ơo]ng)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"^(?:\d{1,2}[.)]|[a-zđ][.)]|[-–—•+*])\s")
_RUNNING_MIN_PAGES = 3
_RUNNING_MAX_LENGTH = 90
_RUNNING_MIN_GAP = 8  # lines between two pages' headers, at the least


def normalized(text: str) -> str:
    """NFC text with odd spaces made plain and invisible characters removed."""
    text = unicodedata.normalize("NFC", text)
    return _INVISIBLE.sub("", _SPACES.sub(" ", text))


def read_lines(source: Path) -> tuple[list[Line], list[str]]:
    """The clean lines of ``source`` (.docx, or UTF-8 text) and warnings on what was odd."""
    if not source.is_file():
        raise CharterReadError(f"{source}: file not found")
    warnings: list[str] = []
    if source.suffix.lower() in _OTHER_FORMATS:
        raise CharterReadError(
            f"{source}: {_OTHER_FORMATS[source.suffix.lower()]} files cannot be read: save it "
            "as .docx (Word: Save As) or copy its text into a .txt file, then import that"
        )
    if source.suffix.lower() == ".docx":
        lines = _docx_lines(source, warnings)
    else:
        try:
            text = source.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CharterReadError(f"{source}: not UTF-8 text (save it as UTF-8)") from None
        lines = [Line(number, normalized(raw).rstrip())
                 for number, raw in enumerate(text.splitlines(), start=1)]
    return _without_page_furniture(lines, warnings), warnings


def _docx_lines(source: Path, warnings: list[str]) -> list[Line]:
    import docx  # python-docx: only needed for this format
    from docx.table import Table

    from bot.kb.docx_numbering import Numbering

    try:
        document = docx.Document(str(source))
    except Exception as exc:  # python-docx raises several unrelated types
        raise CharterReadError(f"{source}: not a readable .docx file ({exc})") from None
    lines: list[Line] = []
    numbering = Numbering(document)
    numbered: list[str] = []
    position = 0
    for block in document.iter_inner_content():
        position += 1
        if isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(  # a merged cell repeats in every row it spans
                    normalized(cell.text).strip() for cell in row.cells))
                text = " | ".join(cell.replace("\n", " ") for cell in cells if cell)
                lines.append(Line(position, text, table=True))
            continue
        label = numbering.label(block)
        paragraph = block.text
        if label and paragraph.strip():
            numbered.append(label)
            paragraph = f"{label} {paragraph.lstrip()}"
        lines += [Line(position, normalized(text).rstrip())
                  for text in paragraph.splitlines() or [""]]
    if numbered:
        warnings.append(
            f"{len(numbered)} paragraph(s) use Word's automatic numbering; their numbers were "
            f"counted as Word shows them (\"{numbered[0]}\" first): check them, or convert the "
            "numbering to text in Word and import again"
        )
    return lines


def _without_page_furniture(lines: list[Line], warnings: list[str]) -> list[Line]:
    """The lines without page numbers and running headers, nor the blank lines around them
    (a sentence cut by a page break goes on across it)."""
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.strip().casefold())

    where: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if line.text.strip() and not line.table and _could_be_running(line.text):
            where.setdefault(key(line.text), []).append(index)
    running = {  # repeated on pages apart, not a line a text repeats in a row
        text for text, places in where.items() if len(places) >= _RUNNING_MIN_PAGES
        and min(b - a for a, b in pairwise(places)) >= _RUNNING_MIN_GAP
    }
    furniture = [
        not line.table and bool(line.text.strip()) and bool(
            _PAGE_NUMBER.match(line.text.strip()) or key(line.text) in running)
        for line in lines
    ]
    contents = [not line.table and bool(_CONTENTS_LINE.search(line.text)) for line in lines]
    if any(contents):
        warnings.append(f"dropped {sum(contents)} line(s) of a table of contents "
                        "(a title, dots and a page number)")
    drop = list(furniture)
    for index, is_furniture in enumerate(furniture):
        if not is_furniture:
            continue
        for step in (-1, 1):
            other = index + step
            while 0 <= other < len(lines) and (furniture[other] or not lines[other].text.strip()):
                drop[other] = True
                other += step
    if any(furniture):
        headers = sorted({lines[i].text.strip() for i, f in enumerate(furniture)
                          if f and key(lines[i].text) in running})
        warnings.append(
            f"dropped {sum(furniture)} line(s) of page numbers and running headers"
            + (" (" + "; ".join(f"\"{text}\"" for text in headers[:3]) + ")" if headers else "")
        )
    return [line for line, dropped, listed in zip(lines, drop, contents, strict=True)
            if not dropped and not listed]


def _could_be_running(text: str) -> bool:
    """A line that may be a page's header or footer: a few words that end no sentence,
    neither a heading nor a clause."""
    text = text.strip()
    return (len(text) <= _RUNNING_MAX_LENGTH and len(text.split()) >= 2
            and not text.endswith((".", ";", ":", ",", "!", "?"))
            and not _HEADING_START.match(text) and not _CLAUSE_START.match(text))
