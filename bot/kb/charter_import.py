"""Importing the official charter text (plain text, Markdown or .docx) into ``charter.yaml``.

Headings read "Chương I …" / "CHƯƠNG I" (the title may be on the next line) and
"Điều 1. …"; an article's text is everything up to the next heading. The official text is
Vietnamese: it goes into ``vi``; ``en`` says so and repeats the Vietnamese text, since no
translation is invented. Everything of the target file before its ``chapters:`` section
(the charter's title, full_text note and charter_facts) is kept as it is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from bot.kb.charter_parse import Chapter, parse
from bot.kb.charter_reader import CharterReadError, read_lines
from bot.kb.loader import check_knowledge, read_knowledge
from bot.kb.nodes import YAML_LOADER, Contents
from bot.kb.normalize import roman
from bot.kb.subjects import covering_articles

_HEADING_LIKE = re.compile(r"^\W*(?:đ|d)i(?:ề|e)u\s+(\d+\b|th(?:ứ|u)\s+\w+)", re.IGNORECASE)
_LONG_ARTICLE = 4000  # characters; the longest article of a real charter is about 2500
_IMPORT_COMMENTS = ("# Imported by `hoibot kb import-charter`", "# Everything from `chapters:`")
ENGLISH_NOTE = (
    "The official text of the charter is Vietnamese; no English translation is available. "
    "The Vietnamese text follows."
)
_NEW_FILE_HEAD = """\
# Điều lệ Hội (the charter), imported by `hoibot kb import-charter`.
# Texts: {vi, en}. See association.yaml for how the knowledge files are written.

charter:
  title: {vi: "Điều lệ Hội", en: "The association's charter"}
  source: {vi: "Điều lệ Hội", en: "The association's charter"}
  full_text:
    vi: "Toàn văn Điều lệ: xin hỏi Văn phòng Hội."
    en: "For the full text of the charter, please ask the Association's Office."
"""


class CharterImportError(Exception):
    """The file cannot be imported; nothing was written."""


@dataclass(frozen=True)
class ImportReport:
    """What an import found and wrote."""

    chapters: int
    articles: int
    warnings: tuple[str, ...] = ()
    # Stand-in entries that the imported articles now replace: entry id -> article ids.
    superseded: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # One line per chapter: "Chương II. HỘI VIÊN: Điều 3–5 (3 articles)".
    outline: tuple[str, ...] = ()


def _read(source: Path) -> tuple[list[Chapter], list[str]]:
    try:
        lines, warnings = read_lines(source)
    except CharterReadError as exc:
        raise CharterImportError(str(exc)) from None
    parsed = parse(lines)
    return parsed.chapters, warnings + parsed.warnings


def _check(chapters: list[Chapter], warnings: list[str]) -> None:
    seen: dict[int, int] = {}
    previous = 0
    lengths = sorted(len(a.text) for chapter in chapters for a in chapter.articles)
    long_text = max(_LONG_ARTICLE, 4 * lengths[len(lengths) // 2]) if lengths else 0
    for chapter in chapters:
        if chapter.number is not None and not chapter.title:
            warnings.append(f"chapter {chapter.number} (line {chapter.line}) has no title")
        for article in chapter.articles:
            if article.number in seen:
                raise CharterImportError(
                    f"article {article.number} appears twice (lines {seen[article.number]} "
                    f"and {article.line}): fix the source file"
                )
            seen[article.number] = article.line
            if not article.text and article.title:
                # "Điều 12. (Bãi bỏ)": the heading says all there is; the title is its text.
                warnings.append(f"article {article.number} (line {article.line}) has no text: "
                                f"its title \"{article.title}\" is its text")
                article.body = [article.title]
            if not article.text:
                raise CharterImportError(
                    f"article {article.number} (line {article.line}) has no text: is its "
                    "heading followed by the text?"
                )
            if article.number != previous + 1:
                warnings.append(f"article {article.number} (line {article.line}) follows "
                                f"article {previous}")
            if not article.title:
                warnings.append(f"article {article.number} (line {article.line}) has no title")
            if len(article.text) > long_text:
                warnings.append(
                    f"article {article.number} (line {article.line}) is long "
                    f"({len(article.text)} characters): does it hold the next article(s)? "
                    "check their headings"
                )
            previous = article.number
    if not seen:
        raise CharterImportError(
            "no article found: article headings must read \"Điều 1. …\" at the start of a line"
        )
    for chapter in chapters:
        for article in chapter.articles:
            for line in article.body:
                match = _HEADING_LIKE.match(line)
                if match and not (match[1].isdigit() and int(match[1]) in seen):
                    warnings.append(
                        f"article {article.number} has a line that starts like the heading of "
                        f"article {match[1]}, which was not found: \"{line[:60]}\""
                    )


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: str) -> str:
    return "|-\n" + "\n".join(f"{indent}{line}" if line else "" for line in text.splitlines())


def _chapters_yaml(chapters: list[Chapter], source_name: str) -> str:
    out = [
        f"{_IMPORT_COMMENTS[0]} from {source_name} on {date.today().isoformat()}.",
        f"{_IMPORT_COMMENTS[1]} to the end of this file is rewritten by the next import.",
        "chapters:",
    ]
    for chapter in chapters:
        heading = f"Chương {chapter.number}" if chapter.number is not None else "Điều lệ"
        title = chapter.title or heading
        out += [
            f"  - id: chuong-{chapter.number or 0}",
            *([f"    number: {chapter.number}"] if chapter.number is not None else []),
            f"    title: {{vi: {_quoted(title)}, en: {_quoted(title)}}}",
            "    articles:",
        ]
        for article in chapter.articles:
            body = article.text
            title = article.title or f"Điều {article.number}"
            out += [
                f"      - id: article-{article.number}",
                f"        number: {article.number}",
                f"        title: {{vi: {_quoted(title)}, en: {_quoted(title)}}}",
                "        text:",
                f"          vi: {_block(body, ' ' * 12)}",
                f"          en: {_block(f'{ENGLISH_NOTE}{chr(10) * 2}{body}', ' ' * 12)}",
            ]
    return "\n".join(out) + "\n"


def _kept_head(target: Path) -> str:
    """The part of the existing file before its ``chapters:`` section (or a new head)."""
    if not target.is_file():
        return _NEW_FILE_HEAD
    text = target.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise CharterImportError(f"{target}: not valid YAML, fix it first ({exc})") from None
    if not isinstance(root, yaml.MappingNode):
        return text
    for key, _ in root.value:
        if key.value == "chapters":
            head = text.splitlines(keepends=True)[: key.start_mark.line]
            # The comment lines just above `chapters:` were written by the previous import.
            while head and head[-1].startswith(_IMPORT_COMMENTS):
                head.pop()
            return "".join(head)
    return text


def import_charter(source_path: Path | str, target_yaml_path: Path | str) -> ImportReport:
    """Import the charter from ``source_path`` into the knowledge file ``target_yaml_path``.

    Raises :class:`CharterImportError` (writing nothing) when the file has no article, an
    article twice, an article without text, or when the result would not pass
    :func:`~bot.kb.loader.check_knowledge`.
    """
    source, target = Path(source_path), Path(target_yaml_path)
    chapters, warnings = _read(source)
    _check(chapters, warnings)
    text = _kept_head(target).rstrip("\n") + "\n\n" + _chapters_yaml(chapters, source.name)
    with tempfile.TemporaryDirectory() as scratch:
        # Check the knowledge folder as it would be, so an import never breaks it.
        folder = Path(scratch) / "knowledge"
        if target.parent.is_dir():
            shutil.copytree(target.parent, folder, ignore=shutil.ignore_patterns("*.tmp"))
        else:
            folder.mkdir()
        before = {str(problem) for problem in check_knowledge(folder)}
        (folder / target.name).write_text(text, encoding="utf-8")
        problems = [p for p in check_knowledge(folder) if str(p) not in before]
        if problems:
            raise CharterImportError(
                "the imported charter would not pass the check:\n"
                + "\n".join(str(problem) for problem in problems)
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)
    contents, _ = read_knowledge(target.parent)
    return ImportReport(
        chapters=sum(1 for chapter in chapters if chapter.number is not None),
        articles=sum(len(chapter.articles) for chapter in chapters),
        warnings=tuple(warnings),
        superseded=superseded(contents),
        outline=tuple(_outline(chapters)),
    )


def _outline(chapters: list[Chapter]) -> list[str]:
    lines = []
    for chapter in chapters:
        numbers = [article.number for article in chapter.articles]
        name = (f"Chương {roman(chapter.number)}. {chapter.title}".rstrip(". ")
                if chapter.number is not None else "(no chapter)")
        span = (f"Điều {numbers[0]}–{numbers[-1]} ({len(numbers)} articles)"
                if len(numbers) > 1 else f"Điều {numbers[0]}" if numbers else "no article")
        lines.append(f"{name}: {span}")
    return lines


def superseded(contents: Contents) -> dict[str, tuple[str, ...]]:
    """The stand-in entries whose every topic the charter's articles now cover."""
    articles = contents.charter.articles if contents.charter else ()
    covering = covering_articles(contents.topics, articles, by_text=True)
    return {
        entry.id: tuple(dict.fromkeys(a for t in entry.stands_in_for for a in covering[t]))
        for entry in contents.entries
        if entry.stands_in_for and all(covering.get(t) for t in entry.stands_in_for)
    }


def stand_in_warnings(contents: Contents) -> list[str]:
    """Once a charter is imported: each stand-in whose topic no article covers."""
    articles = contents.charter.articles if contents.charter else ()
    if not articles:
        return []
    covering = covering_articles(contents.topics, articles, by_text=True)
    return [
        f"{entry.where}: '{entry.id}' stands in for charter topic '{topic}', which no "
        "imported article covers (add the article's words to the topic's keywords in "
        "topics.yaml, or keep the stand-in on purpose)"
        for entry in contents.entries for topic in entry.stands_in_for
        if not covering.get(topic)
    ]
