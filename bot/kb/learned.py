"""What the secretariat taught the bot from Telegram, laid over the knowledge files.

A :class:`Lesson` either links a phrasing (a member's question) to an existing entry or
meeting, or adds a new entry. :func:`overlay` applies lessons to the model read from the
folder (:class:`~bot.kb.loader.Contents`): extra phrasings on existing items, new entries for
new answers; :func:`knowledge_base` then builds the :class:`KnowledgeBase` through its normal
constructor. :func:`export_yaml` writes lessons as a knowledge file (``more_questions`` and
``entries``) that ``hoibot kb check`` accepts, so the secretariat can merge them into
``knowledge/``; once merged, the lessons are found in the files and change nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from bot.kb.knowledge import KnowledgeBase, garbage_collector_paused
from bot.kb.loader import read_knowledge
from bot.kb.model import Entry, Location, Meeting, Phrases, Text
from bot.kb.nodes import Contents, KnowledgeError
from bot.text import fold

LINK = "link"
ENTRY = "entry"

# What a lesson is once laid over the files (``Overlaid.status``).
ACTIVE = "active"  # in use
MERGED = "merged"  # the files already say the same (the export was merged): nothing to add
MISSING = "missing"  # a link whose target is no longer in the files
CONFLICT = "conflict"  # the phrasing already leads to another item in the files

# Where taught items say they come from, in place of a file name (``Entry.where``).
TAUGHT_FILE = "(taught in Telegram)"
TITLE_LIMIT = 80
_ID_LIMIT = 40
_NOT_ID = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Lesson:
    """One thing the secretariat taught: ``kind`` is :data:`LINK` or :data:`ENTRY`.

    A link makes ``phrasing`` lead to the existing item ``target_id``; an entry adds the
    item ``target_id`` with ``title``, ``answer`` and ``source``, asked with ``phrasing``.
    """

    id: int
    kind: str
    phrasing: str
    language: str
    target_id: str
    taught_by: int
    taught_at: datetime
    title: Text | None = None
    answer: Text | None = None
    source: Text | None = None


@dataclass(frozen=True)
class Overlaid:
    """The files' contents with the lessons applied, and what became of each lesson."""

    contents: Contents
    status: dict[int, str]


def phrasing_owners(entries: Iterable[Entry], meetings: Iterable[Meeting]) -> dict[str, str]:
    """Each folded phrasing -> the id of the item it leads to (as the checker sees them)."""
    owners: dict[str, str] = {}
    items: tuple[Entry | Meeting, ...] = (*entries, *meetings)
    for item in items:
        for phrasing in item.questions.all():
            owners.setdefault(fold(phrasing), item.id)
    return owners


def owner_in(kb: KnowledgeBase, phrasing: str) -> str | None:
    """The item of a knowledge base that already has this phrasing, or None."""
    key = fold(phrasing)
    items: tuple[Entry | Meeting, ...] = (*kb.entries.values(), *kb.meetings)
    for item in items:
        if any(fold(question) == key for question in item.questions.all()):
            return item.id
    return None


def linkable(kb: KnowledgeBase, item_id: str) -> bool:
    """Whether phrasings can lead to this item: entries and meetings have ``questions``
    (charter articles and chapters are found by their titles and numbers only)."""
    return item_id in kb.entries or kb.meeting(item_id) is not None


def entry_questions(lesson: Lesson) -> Phrases:
    """A new entry's phrasings: the question as asked, and its title in the other language
    (the checker wants at least one phrasing in each)."""
    assert lesson.title is not None
    if lesson.language == "en":
        return Phrases(vi=(lesson.title.vi,), en=(lesson.phrasing,))
    return Phrases(vi=(lesson.phrasing,), en=(lesson.title.en,))


def lesson_entry(lesson: Lesson) -> Entry:
    """The entry a new-answer lesson adds."""
    assert lesson.title is not None and lesson.answer is not None and lesson.source is not None
    return Entry(
        id=lesson.target_id,
        title=lesson.title,
        answer=lesson.answer,
        source=lesson.source,
        questions=entry_questions(lesson),
        where=Location(TAUGHT_FILE, lesson.id),
    )


def _with_phrasing(phrases: Phrases, phrasing: str, language: str) -> Phrases:
    if language == "en":
        return Phrases(vi=phrases.vi, en=(*phrases.en, phrasing))
    return Phrases(vi=(*phrases.vi, phrasing), en=phrases.en)


def overlay(contents: Contents, lessons: Sequence[Lesson]) -> Overlaid:
    """Apply lessons, oldest first, to what was read from the files (which is not changed)."""
    entries = {entry.id: entry for entry in contents.entries}
    meetings = {meeting.id: meeting for meeting in contents.meetings}
    owners = phrasing_owners(entries.values(), meetings.values())
    in_files = dict(owners)
    taken = set(entries) | set(meetings)
    if contents.charter is not None:
        taken |= {article.id for article in contents.charter.articles}
        taken |= {chapter.id for chapter in contents.charter.chapters}
    status: dict[int, str] = {}
    for lesson in sorted(lessons, key=lambda item: item.id):
        key = fold(lesson.phrasing)
        owner = owners.get(key)
        if lesson.kind == ENTRY:
            if lesson.target_id in taken:
                status[lesson.id] = MERGED
            elif owner is not None:
                status[lesson.id] = CONFLICT
            else:
                entries[lesson.target_id] = lesson_entry(lesson)
                taken.add(lesson.target_id)
                owners[key] = lesson.target_id
                status[lesson.id] = ACTIVE
            continue
        target = entries.get(lesson.target_id) or meetings.get(lesson.target_id)
        if target is None:
            status[lesson.id] = MISSING
        elif owner == target.id:  # said already: by the files, or by an earlier lesson
            status[lesson.id] = MERGED if in_files.get(key) == owner else ACTIVE
        elif owner is not None:
            status[lesson.id] = CONFLICT
        else:
            changed = dataclasses.replace(
                target, questions=_with_phrasing(target.questions, lesson.phrasing,
                                                 lesson.language)
            )
            if isinstance(changed, Entry):
                entries[changed.id] = changed
            else:
                meetings[changed.id] = changed
            owners[key] = target.id
            status[lesson.id] = ACTIVE
    return Overlaid(
        dataclasses.replace(contents, entries=list(entries.values()),
                            meetings=list(meetings.values())),
        status,
    )


def read_contents(directory: Path | str) -> Contents:
    """The knowledge folder's contents; raise :class:`KnowledgeError` if it has problems."""
    with garbage_collector_paused():
        contents, problems = read_knowledge(directory)
    if problems:
        raise KnowledgeError(problems)
    return contents


def knowledge_base(contents: Contents) -> KnowledgeBase:
    """Build the knowledge base from (overlaid) contents, as :meth:`KnowledgeBase.load` does."""
    assert contents.charter is not None and contents.contact is not None
    with garbage_collector_paused():
        return KnowledgeBase(
            contents.entries, contents.terms, contents.meetings, contents.charter,
            contents.labels, contents.contact, contents.announcements, contents.synonyms,
            contents.topics, contents.subjects,
        )


# -- teaching helpers --------------------------------------------------------------------------


def derive_title(phrasing: str) -> str:
    """A new entry's title from the question as asked: one line, capitalised, not too long."""
    text = " ".join(phrasing.split())
    if len(text) > TITLE_LIMIT:
        text = text[: TITLE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text[:1].upper() + text[1:]


def new_entry_id(phrasing: str, taken: Container[str]) -> str:
    """A stable, readable id for a new entry (ASCII, at most 40), not in ``taken``."""
    base = _NOT_ID.sub("-", fold(phrasing)).strip("-") or "answer"
    if len(base) > _ID_LIMIT - 4:
        base = base[: _ID_LIMIT - 4].rsplit("-", 1)[0] or base[: _ID_LIMIT - 4]
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


# -- export ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Multi-line texts as ``|`` blocks, as the knowledge files write them."""


def _text_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text_representer)

EXPORT_HEADER = """\
# Taught to the bot in Telegram by the secretariat (hoibot kb export-learned).
# Put this file in the knowledge folder (e.g. knowledge/learned.yaml), check it with
# `hoibot kb check`, edit what you like (titles, English texts), then /reload.
# more_questions: phrasings that lead to an existing entry or meeting (id).
# entries: the new answers, complete.
# Lessons found in the files are left out of later exports (/learned marks them merged).
"""


def _text(value: Text) -> dict[str, str]:
    return {"vi": value.vi, "en": value.en}


def export_yaml(lessons: Sequence[Lesson], status: dict[int, str]) -> str:
    """The active lessons as a knowledge file ready to merge into ``knowledge/``."""
    active = [lesson for lesson in sorted(lessons, key=lambda item: item.id)
              if status.get(lesson.id) == ACTIVE]
    added: dict[str, dict[str, list[str]]] = {}
    for lesson in active:
        if lesson.kind == LINK:
            phrases = added.setdefault(lesson.target_id, {})
            phrases.setdefault(lesson.language, []).append(lesson.phrasing)
    document: dict[str, object] = {}
    if added:
        document["more_questions"] = [
            {"id": target, "questions": phrases} for target, phrases in added.items()
        ]
    entries = []
    for lesson in active:
        if lesson.kind != ENTRY:
            continue
        entry = lesson_entry(lesson)
        entries.append({
            "id": entry.id,
            "title": _text(entry.title),
            "questions": {"vi": list(entry.questions.vi), "en": list(entry.questions.en)},
            "answer": _text(entry.answer),
            "source": _text(entry.source),
        })
    if entries:
        document["entries"] = entries
    body = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=100) if document else ""
    return EXPORT_HEADER + body
