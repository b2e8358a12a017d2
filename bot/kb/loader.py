"""Reading and checking the knowledge folder: YAML files become the model, mistakes become
:class:`Problem` objects that name the file and line, so the secretariat can fix them.

The files are composed (not constructed) with PyYAML so every value keeps its line, and so
dates are parsed here (an impossible date is a problem to report, not a crash).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import TypeVar

import yaml

from bot.announcements.schedule import cron_problem
from bot.kb.model import (
    AUDIENCES,
    MEETING_KINDS,
    SCHEDULE_KINDS,
    WEEKDAYS,
    Announcement,
    Article,
    Chapter,
    Charter,
    Entry,
    Location,
    Meeting,
    Phrases,
    Schedule,
    Subjects,
    Term,
    Text,
    Topic,
)
from bot.kb.normalize import fold
from bot.kb.registration import MEETING_EXTRAS, read_meeting_extras

T = TypeVar("T")

PLACEHOLDERS = ("name", "name_en", "website", "email", "phone", "address")
LABEL_KEYS = ("date", "place", "term", "attendance", "decisions", "visits", "article", "chapter")
SECTIONS = (
    "entries", "charter", "charter_facts", "chapters", "terms", "meetings", "synonyms",
    "labels", "contact", "announcements", "topics", "subjects",
    "more_questions",
)
# Sections that describe one thing, so they may appear in one file only.
SINGLE_SECTIONS = ("charter", "chapters", "labels", "contact", "subjects")
# The id an answered charter article has ("article-5"): no item may use this form.
ARTICLE_ID = re.compile(r"^article-\d+$")
REQUIRED_SECTIONS = ("charter", "labels", "contact")

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"


@dataclass(frozen=True)
class Problem:
    """A mistake in the knowledge folder; ``str()`` gives ``file:line: message``.

    ``file`` is the file's name in the folder ("" for the folder as a whole), ``line`` is
    1-based (None when the whole file is concerned).
    """

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return self.located(None)

    def located(self, directory: Path | str | None) -> str:
        """The problem with the file's path in ``directory``, as editors and CI read it."""
        where = str(Path(directory) / self.file) if directory is not None else self.file
        if not where:
            return self.message
        return f"{where}: {self.message}" if self.line is None else \
            f"{where}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge folder has problems; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class Contents:
    """Everything read from a knowledge folder, before indexing."""

    entries: list[Entry] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    charter: Charter | None = None
    synonyms: list[tuple[str, ...]] = field(default_factory=list)
    labels: dict[str, Text] = field(default_factory=dict)
    contact: Text | None = None
    announcements: list[Announcement] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    subjects: Subjects = field(default_factory=Subjects)


@dataclass
class _Reference:
    source_id: str
    target: str
    kind: str  # "see" (any answerable id), "term" or "topic"
    where: Location


class _Reader:
    """Turns the composed YAML of the files of one folder into model objects."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.contents = Contents()
        self.file = ""
        self.ids: dict[str, tuple[str, Location]] = {}  # id -> (what, where first defined)
        self.questions: dict[str, tuple[str, Location]] = {}
        self.references: list[_Reference] = []
        self.section_files: dict[str, str] = {}
        self.synonym_phrases: dict[str, tuple[Location, Location]] = {}  # group, phrase
        self.articles: dict[int, Location] = {}
        self.more_questions: list[tuple[str, Phrases, Location]] = []

    # -- reporting and primitives ------------------------------------------------------------

    def where(self, node: yaml.Node) -> Location:
        return Location(self.file, node.start_mark.line + 1)

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, message))

    def checked(self, build: Callable[[], T | None]) -> T | None:
        """Run ``build``; give None if it reported any problem (so nothing half-read is kept)."""
        before = len(self.problems)
        value = build()
        return value if len(self.problems) == before else None

    def mapping(
        self, node: yaml.Node, what: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        items: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problem(key_node, f"{what}: keys must be plain words")
            elif key in items:
                self.problem(key_node, f"{what}: key '{key}' is written twice")
            elif key not in allowed:
                self.problem(
                    key_node,
                    f"{what}: unknown key '{key}' (expected one of: {', '.join(sorted(allowed))})",
                )
            else:
                items[key] = value_node
        for key in required:
            if key not in items:
                self.problem(node, f"{what}: missing key '{key}'")
        return items

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list")
            return None
        return list(node.value)

    def string(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL or not node.value.strip():
            self.problem(node, f"{what} must be a non-empty text")
            return None
        return node.value.strip()

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...] | None:
        items = self.sequence(node, what)
        if items is None:
            return None
        values = [self.string(item, f"each of {what}") for item in items]
        return None if None in values else tuple(v for v in values if v is not None)

    def integer(self, node: yaml.Node, what: str, low: int = 0, high: int = 10**6) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _INT:
            try:
                value = int(node.value.replace("_", ""), 0)
            except ValueError:
                value = None
            if value is not None and low <= value <= high:
                return value
        self.problem(node, f"{what} must be a whole number from {low} to {high}, got "
                           f"{_shown(node)}")
        return None

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in {"true", "yes", "on", "y"}
        self.problem(node, f"{what} must be true or false, got {_shown(node)}")
        return None

    def text(self, node: yaml.Node, what: str, *, placeholders: bool = False) -> Text | None:
        """A ``{vi: ..., en: ...}`` mapping; a missing language is a missing translation."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must have a 'vi' and an 'en' text")
            return None
        items = self.mapping(node, what, (), ("vi", "en"))
        if items is None:
            return None
        values: dict[str, str] = {}
        for lang in ("vi", "en"):
            value_node = items.get(lang)
            if value_node is None:
                self.problem(node, f"missing translation: {what} has no '{lang}' text")
                continue
            value = self.string(value_node, f"{what} ({lang})")
            if value is not None:
                self.check_placeholders(value_node, what, value, placeholders)
                values[lang] = value
        if len(values) < 2:
            return None
        return Text(vi=values["vi"], en=values["en"])

    def check_placeholders(self, node: yaml.Node, what: str, value: str, allowed: bool) -> None:
        for name in _PLACEHOLDER.findall(value):
            if not allowed:
                self.problem(node, f"{what}: placeholders such as {{{name}}} are only filled "
                                   "in answers, contact, full_text and announcements")
            elif name not in PLACEHOLDERS:
                known = " ".join(f"{{{p}}}" for p in PLACEHOLDERS)
                self.problem(node, f"{what}: unknown placeholder {{{name}}} (use {known})")

    def phrases(self, node: yaml.Node, what: str, owner: str) -> Phrases | None:
        items = self.mapping(node, what, (), ("vi", "en"))
        if items is None:
            return None
        values: dict[str, tuple[str, ...]] = {}
        for lang in ("vi", "en"):
            value_node = items.get(lang)
            if value_node is None:
                self.problem(node, f"missing translation: {what} has no '{lang}' phrasings")
                continue
            phrasings = self.strings(value_node, f"{what} ({lang})")
            if phrasings is not None and not phrasings:
                self.problem(value_node, f"{what} ({lang}) needs at least one phrasing")
            elif phrasings is not None:
                for item, phrasing in zip(value_node.value, phrasings, strict=True):
                    self.note_question(item, owner, phrasing)
                values[lang] = phrasings
        if len(values) < 2:
            return None
        return Phrases(vi=values["vi"], en=values["en"])

    def note_question(self, node: yaml.Node, owner: str, phrasing: str) -> None:
        key = fold(phrasing)
        first = self.questions.get(key)
        if first is not None and first[0] != owner:
            self.problem(node, f"question '{phrasing}' is also a question of '{first[0]}' "
                               f"({first[1]}): the search could not tell them apart")
        elif first is None:
            self.questions[key] = (owner, self.where(node))

    def ident(self, node: yaml.Node, what: str) -> str | None:
        value = self.string(node, f"{what} id")
        if value is None:
            return None
        if not _ID.match(value):
            self.problem(node, f"id '{value}' must be 1-40 lowercase ASCII letters, digits, "
                               "'-', '_' or '.' (it goes into Telegram button data)")
            return None
        if ARTICLE_ID.match(value) and what != "article":
            self.problem(node, f"id '{value}' is reserved for charter articles")
            return None
        first = self.ids.get(value)
        if first is not None:
            self.problem(node, f"duplicate id '{value}' (first defined at {first[1]})")
            return None
        self.ids[value] = (what, self.where(node))
        return value

    def refs(self, node: yaml.Node, owner: str, what: str) -> tuple[str, ...] | None:
        items = self.sequence(node, what)
        if items is None:
            return None
        targets: list[str] = []
        for item in items:
            target = self.string(item, f"each of {what}")
            if target is not None:
                self.references.append(_Reference(owner, target, "see", self.where(item)))
                targets.append(target)
        return tuple(targets)

    def when(self, node: yaml.Node, what: str) -> date | datetime | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
            self.problem(node, f"{what} must be a date such as 2014-05-22")
            return None
        try:
            return parse_when(node.value)
        except ValueError as exc:
            self.problem(node, f"bad date '{node.value}' in {what}: {exc}")
            return None

    def clock(self, node: yaml.Node, what: str) -> time | None:
        raw = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
        match = _CLOCK.match(raw)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return time(int(match[1]), int(match[2]))
        self.problem(node, f"{what} must be a time of day written \"HH:MM\", got {_shown(node)}")
        return None

    # -- sections ----------------------------------------------------------------------------

    def read_file(self, path: Path, name: str) -> None:
        self.file = name
        try:
            root = yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            self.problems.append(Problem(name, line, f"not valid YAML: {exc.problem}"))
            return
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(name, None, f"cannot read the file: {exc}"))
            return
        if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL):
            return
        sections = self.mapping(root, "file", (), SECTIONS)
        if sections is None:
            return
        for section, node in sections.items():
            if section in SINGLE_SECTIONS:
                first = self.section_files.get(section)
                if first is not None:
                    self.problem(node, f"section '{section}' is already written in {first}")
                    continue
                self.section_files[section] = name
            getattr(self, f"section_{section}")(node)

    def each(self, node: yaml.Node, what: str, read: Callable[[yaml.Node], T | None]) -> list[T]:
        items = self.sequence(node, what)
        results = [self.checked(lambda item=item: read(item)) for item in items or ()]
        return [result for result in results if result is not None]

    def section_entries(self, node: yaml.Node) -> None:
        self.contents.entries += self.each(node, "entries", lambda n: self.entry(n, False))

    def section_charter_facts(self, node: yaml.Node) -> None:
        self.contents.entries += self.each(node, "charter_facts", lambda n: self.entry(n, True))

    def entry(self, node: yaml.Node, charter: bool) -> Entry | None:
        items = self.mapping(
            node, "entry", ("id", "title", "questions", "answer", "source"),
            ("keywords", "see", "contact", "stands_in_for"),
        )
        if items is None or "id" not in items:
            return None
        entry_id = self.ident(items["id"], "entry")
        owner = entry_id or "?"
        what = f"entry '{owner}'"
        title = self.text(items["title"], f"{what} title") if "title" in items else None
        questions = (self.phrases(items["questions"], f"{what} questions", owner)
                     if "questions" in items else None)
        answer = (self.text(items["answer"], f"{what} answer", placeholders=True)
                  if "answer" in items else None)
        source = self.text(items["source"], f"{what} source") if "source" in items else None
        keywords = self.strings(items["keywords"], f"{what} keywords") if "keywords" in items \
            else ()
        see = self.refs(items["see"], owner, f"{what} see") if "see" in items else ()
        contact = self.boolean(items["contact"], f"{what} contact") if "contact" in items \
            else False
        stands_in_for = self.stand_in(items["stands_in_for"], owner) \
            if "stands_in_for" in items else ()
        if None in (entry_id, title, questions, answer, source, keywords, see, contact,
                    stands_in_for):
            return None
        return Entry(
            id=entry_id, title=title, answer=answer, source=source, questions=questions,
            where=self.where(node), keywords=keywords, see=see, contact=bool(contact),
            charter=charter, stands_in_for=stands_in_for,
        )

    def stand_in(self, node: yaml.Node, owner: str) -> tuple[str, ...] | None:
        """The charter topics an entry stands in for: one id or a list of ids."""
        what = f"entry '{owner}' stands_in_for"
        topics = (self.strings(node, what) if isinstance(node, yaml.SequenceNode)
                  else (lambda one: None if one is None else (one,))(self.string(node, what)))
        for topic in topics or ():
            self.references.append(_Reference(owner, topic, "topic", self.where(node)))
        return topics

    def section_topics(self, node: yaml.Node) -> None:
        self.contents.topics += self.each(node, "topics", self.topic)

    def topic(self, node: yaml.Node) -> Topic | None:
        items = self.mapping(node, "topic", ("id", "title", "keywords"))
        if items is None or "id" not in items:
            return None
        topic_id = self.string(items["id"], "topic id")
        if topic_id is not None and not _ID.match(topic_id):
            self.problem(items["id"], f"topic id '{topic_id}' must be lowercase ASCII letters, "
                                      "digits, '-', '_' or '.'")
            topic_id = None
        what = f"topic '{topic_id or '?'}'"
        title = self.text(items["title"], f"{what} title") if "title" in items else None
        keywords = self.strings(items["keywords"], f"{what} keywords") \
            if "keywords" in items else None
        if None in (topic_id, title, keywords):
            return None
        first = next((t for t in self.contents.topics if t.id == topic_id), None)
        if first is not None:
            self.problem(items["id"], f"duplicate topic id '{topic_id}' (first defined at "
                                      f"{first.where})")
            return None
        return Topic(id=topic_id, title=title, keywords=keywords, where=self.where(node))

    def section_subjects(self, node: yaml.Node) -> None:
        items = self.mapping(node, "subjects", ("association", "others"))
        if items is None:
            return
        association = self.strings(items["association"], "subjects association") \
            if "association" in items else ()
        others = [self.strings(item, "subjects others: a body's names")
                  for item in self.sequence(items.get("others"), "subjects others") or ()] \
            if "others" in items else []
        self.contents.subjects = Subjects(
            association or (), tuple(names for names in others if names),
        )

    def section_terms(self, node: yaml.Node) -> None:
        self.contents.terms += self.each(node, "terms", self.term)

    def term(self, node: yaml.Node) -> Term | None:
        items = self.mapping(node, "term", ("id", "number", "start_year", "end_year", "name"),
                             ("president",))
        if items is None or "id" not in items:
            return None
        term_id = self.ident(items["id"], "term")
        what = f"term '{term_id or '?'}'"
        number = self.integer(items["number"], f"{what} number", 1, 99) \
            if "number" in items else None
        start = self.integer(items["start_year"], f"{what} start_year", 1900, 2200) \
            if "start_year" in items else None
        end = self.integer(items["end_year"], f"{what} end_year", 1900, 2200) \
            if "end_year" in items else None
        name = self.text(items["name"], f"{what} name") if "name" in items else None
        president = self.string(items["president"], f"{what} president") \
            if "president" in items else ""
        if start is not None and end is not None and end < start:
            self.problem(items["end_year"], f"{what}: end_year {end} is before start_year {start}")
        if None in (term_id, number, start, end, name, president):
            return None
        return Term(id=term_id, number=number, start_year=start, end_year=end, name=name,
                    where=self.where(node), president=president)

    def section_meetings(self, node: yaml.Node) -> None:
        self.contents.meetings += self.each(node, "meetings", self.meeting)

    def meeting(self, node: yaml.Node) -> Meeting | None:
        items = self.mapping(
            node, "meeting", ("id", "kind", "title", "date", "summary", "source"),
            ("number", "term", "place", "attendance", "decisions", "visits", "questions",
             "keywords", "see", *MEETING_EXTRAS),
        )
        if items is None or "id" not in items:
            return None
        meeting_id = self.ident(items["id"], "meeting")
        owner = meeting_id or "?"
        what = f"meeting '{owner}'"
        kind = self.string(items["kind"], f"{what} kind") if "kind" in items else None
        if kind is not None and kind not in MEETING_KINDS:
            self.problem(items["kind"], f"{what}: kind '{kind}' is not one of "
                                        f"{', '.join(MEETING_KINDS)}")
        dates = self.meeting_dates(items["date"], what) if "date" in items else None
        optional_texts = {
            key: self.text(items[key], f"{what} {key}") if key in items else None
            for key in ("title", "summary", "source", "place", "attendance", "visits")
        }
        number = self.integer(items["number"], f"{what} number", 1, 999) \
            if "number" in items else None
        term = None
        if "term" in items:
            term = self.string(items["term"], f"{what} term")
            if term is not None:
                self.references.append(_Reference(owner, term, "term", self.where(items["term"])))
        decisions = self.each(items["decisions"], f"{what} decisions",
                              lambda n: self.text(n, f"{what} decision")) \
            if "decisions" in items else []
        questions = self.phrases(items["questions"], f"{what} questions", owner) \
            if "questions" in items else Phrases()
        keywords = self.strings(items["keywords"], f"{what} keywords") \
            if "keywords" in items else ()
        see = self.refs(items["see"], owner, f"{what} see") if "see" in items else ()
        if None in (meeting_id, kind, dates, questions, keywords, see) or any(
            optional_texts[key] is None for key in ("title", "summary", "source")
        ):
            return None
        start, end = dates
        extras = self.checked(lambda: read_meeting_extras(self, items, what, start))
        if extras is None:
            return None
        return Meeting(
            id=meeting_id, kind=kind, title=optional_texts["title"], start=start, end=end,
            summary=optional_texts["summary"], source=optional_texts["source"],
            where=self.where(node), number=number, term=term, place=optional_texts["place"],
            attendance=optional_texts["attendance"], decisions=tuple(decisions),
            visits=optional_texts["visits"], questions=questions, keywords=keywords, see=see,
            **extras,
        )

    def meeting_dates(
        self, node: yaml.Node, what: str
    ) -> tuple[date | datetime, date | datetime | None] | None:
        if not isinstance(node, yaml.MappingNode):
            start = self.when(node, f"{what} date")
            return None if start is None else (start, None)
        items = self.mapping(node, f"{what} date", ("start",), ("end",))
        if items is None or "start" not in items:
            return None
        start = self.when(items["start"], f"{what} date start")
        end = self.when(items["end"], f"{what} date end") if "end" in items else None
        if start is None or ("end" in items and end is None):
            return None
        if end is not None and (_day(end) < _day(start) or (
            isinstance(start, datetime) and isinstance(end, datetime) and end < start
        )):
            self.problem(items["end"], f"{what}: end {_shown(items['end'])} is before start "
                                       f"{_shown(items['start'])}")
            return None
        return start, end

    def section_charter(self, node: yaml.Node) -> None:
        items = self.mapping(node, "charter", ("title", "source", "full_text"))
        if items is None or len(items) < 3:
            return
        title = self.text(items["title"], "charter title")
        source = self.text(items["source"], "charter source")
        full_text = self.text(items["full_text"], "charter full_text", placeholders=True)
        if title and source and full_text:
            chapters = self.contents.charter.chapters if self.contents.charter else ()
            self.contents.charter = Charter(title, source, full_text, chapters)

    def section_chapters(self, node: yaml.Node) -> None:
        chapters = tuple(self.each(node, "chapters", self.chapter))
        charter = self.contents.charter or Charter(Text("", ""), Text("", ""), Text("", ""))
        self.contents.charter = Charter(charter.title, charter.source, charter.full_text, chapters)

    def chapter(self, node: yaml.Node) -> Chapter | None:
        items = self.mapping(node, "chapter", ("id", "title", "articles"), ("number",))
        if items is None or "id" not in items:
            return None
        chapter_id = self.ident(items["id"], "chapter")
        what = f"chapter '{chapter_id or '?'}'"
        number = self.integer(items["number"], f"{what} number", 1, 99) \
            if "number" in items else None
        title = self.text(items["title"], f"{what} title") if "title" in items else None
        articles = self.each(items["articles"], f"{what} articles",
                             lambda n: self.article(n, number)) if "articles" in items else None
        if None in (chapter_id, title, articles) or ("number" in items and number is None):
            return None
        return Chapter(id=chapter_id, number=number, title=title, articles=tuple(articles),
                       where=self.where(node))

    def article(self, node: yaml.Node, chapter: int | None) -> Article | None:
        items = self.mapping(node, "article", ("number", "title", "text"), ("id",))
        if items is None:
            return None
        # An article is answered as "article-<number>", whatever id its file gives it.
        article_id = self.ident(items["id"], "article") if "id" in items else "?"
        what = f"article '{article_id or '?'}'"
        number = self.integer(items["number"], f"{what} number", 1, 999) \
            if "number" in items else None
        if number is not None:
            first = self.articles.get(number)
            if first is not None:
                self.problem(items["number"], f"article number {number} is used twice "
                                              f"(first at {first})")
            else:
                self.articles[number] = self.where(items["number"])
        title = self.text(items["title"], f"{what} title") if "title" in items else None
        text = self.text(items["text"], f"{what} text") if "text" in items else None
        if None in (article_id, number, title, text):
            return None
        if f"article-{number}" != article_id:
            self.ids.setdefault(f"article-{number}", ("article", self.where(node)))
        return Article(id=f"article-{number}", number=number, title=title, text=text,
                       where=self.where(node), chapter=chapter)

    def section_synonyms(self, node: yaml.Node) -> None:
        for group_node in self.sequence(node, "synonyms") or ():
            group = self.strings(group_node, "a synonyms group")
            if group is None:
                continue
            if len(group) < 2:
                self.problem(group_node, "a synonyms group needs at least two words or phrases")
                continue
            group_start = self.where(group_node)
            for item, phrase in zip(group_node.value, group, strict=True):
                key = fold(phrase)
                first = self.synonym_phrases.get(key)
                if first is None:
                    self.synonym_phrases[key] = (group_start, self.where(item))
                elif first[0] != group_start:
                    self.problem(item, f"synonym '{phrase}' is already in the group at {first[1]}")
            self.contents.synonyms.append(group)

    def section_labels(self, node: yaml.Node) -> None:
        items = self.mapping(node, "labels", LABEL_KEYS)
        for key, value in (items or {}).items():
            label = self.text(value, f"label '{key}'")
            if label is not None:
                self.contents.labels[key] = label

    def section_contact(self, node: yaml.Node) -> None:
        self.contents.contact = self.text(node, "contact", placeholders=True)

    def section_announcements(self, node: yaml.Node) -> None:
        self.contents.announcements += self.each(node, "announcements", self.announcement)

    def announcement(self, node: yaml.Node) -> Announcement | None:
        items = self.mapping(node, "announcement", ("id", "text", "schedule", "audience"),
                             ("enabled",))
        if items is None or "id" not in items:
            return None
        announcement_id = self.ident(items["id"], "announcement")
        what = f"announcement '{announcement_id or '?'}'"
        text = self.text(items["text"], f"{what} text", placeholders=True) \
            if "text" in items else None
        schedule = self.schedule(items["schedule"], what) if "schedule" in items else None
        audience = self.string(items["audience"], f"{what} audience") \
            if "audience" in items else None
        if audience is not None and audience not in AUDIENCES:
            self.problem(items["audience"], f"{what}: audience '{audience}' is not one of "
                                            f"{', '.join(AUDIENCES)}")
        enabled = self.boolean(items["enabled"], f"{what} enabled") if "enabled" in items \
            else True
        if None in (announcement_id, text, schedule, audience, enabled):
            return None
        return Announcement(id=announcement_id, text=text, schedule=schedule, audience=audience,
                            where=self.where(node), enabled=enabled)

    def schedule(self, node: yaml.Node, what: str) -> Schedule | None:
        items = self.mapping(node, f"{what} schedule", (), SCHEDULE_KINDS)
        if items is None:
            return None
        if len(items) != 1:
            self.problem(node, f"{what} schedule needs exactly one of: {', '.join(SCHEDULE_KINDS)}")
            return None
        (kind, value), = items.items()
        where = f"{what} schedule {kind}"
        if kind == "once":
            at = self.when(value, where)
            if at is not None and not isinstance(at, datetime):
                self.problem(value, f"{where} needs a date and a time, e.g. \"2026-01-05 08:00\"")
                return None
            return Schedule(kind, at=at) if at is not None else None
        if kind == "daily":
            clock = self.clock(value, where)
            return Schedule(kind, time=clock) if clock is not None else None
        if kind == "cron":
            expression = self.string(value, where)
            if expression is None:
                return None
            error = cron_problem(expression)  # the scheduler's own parser
            if error:
                self.problem(value, f"{where}: {error}")
                return None
            return Schedule(kind, cron=" ".join(expression.split()))
        parts = self.mapping(value, where, ("day", "time"))
        if parts is None or len(parts) < 2:
            return None
        clock = self.clock(parts["time"], f"{where} time")
        if kind == "weekly":
            day_name = self.string(parts["day"], f"{where} day")
            if day_name is not None and day_name.lower()[:3] not in WEEKDAYS:
                self.problem(parts["day"], f"{where} day must be one of {', '.join(WEEKDAYS)}")
                return None
            if day_name is None or clock is None:
                return None
            return Schedule(kind, time=clock, weekday=WEEKDAYS.index(day_name.lower()[:3]))
        day = self.integer(parts["day"], f"{where} day", 1, 31)
        if day is None or clock is None:
            return None
        return Schedule(kind, time=clock, day=day)

    def section_more_questions(self, node: yaml.Node) -> None:
        """Phrasings for an entry or meeting written elsewhere (what `hoibot kb export-learned`
        writes for the questions the secretariat linked to an answer in Telegram)."""
        for item in self.sequence(node, "more_questions") or ():
            items = self.mapping(item, "more_questions item", ("id", "questions"))
            if items is None or len(items) < 2:
                continue
            target = self.string(items["id"], "more_questions id")
            found = self.mapping(items["questions"], "more_questions questions", (), ("vi", "en"))
            if target is None or found is None:
                continue
            values = {lang: self.strings(value, f"more_questions questions ({lang})")
                      for lang, value in found.items()}
            if not any(values.values()):
                self.problem(items["questions"], "more_questions questions needs a phrasing")
                continue
            for lang, phrasings in values.items():
                for value_node, phrasing in zip(found[lang].value, phrasings or (), strict=False):
                    self.note_question(value_node, target, phrasing)
            phrases = Phrases(vi=values.get("vi") or (), en=values.get("en") or ())
            self.more_questions.append((target, phrases, self.where(items["id"])))

    def add_more_questions(self) -> None:
        entries = {entry.id: n for n, entry in enumerate(self.contents.entries)}
        meetings = {meeting.id: n for n, meeting in enumerate(self.contents.meetings)}
        for target, phrases, where in self.more_questions:
            items = self.contents.entries if target in entries else self.contents.meetings
            index = entries.get(target, meetings.get(target))
            if index is None:
                self.problems.append(Problem(where.file, where.line, "more_questions: no entry "
                                             f"or meeting has the id '{target}'"))
                continue
            item = items[index]
            items[index] = replace(item, questions=Phrases(
                vi=item.questions.vi + phrases.vi, en=item.questions.en + phrases.en))

    # -- checks across files -----------------------------------------------------------------

    def finish(self) -> None:
        self.add_more_questions()
        for section in REQUIRED_SECTIONS:
            if section not in self.section_files:
                self.problems.append(Problem("", None, f"no file has the '{section}' section"))
        answerable = {
            key for key, (what, _) in self.ids.items()
            if what in {"entry", "meeting", "article", "chapter"}
        }
        terms = {key for key, (what, _) in self.ids.items() if what == "term"}
        topics = {topic.id for topic in self.contents.topics}
        for ref in self.references:
            targets, label = {"see": (answerable, "answer"), "term": (terms, "term"),
                              "topic": (topics, "charter topic")}[ref.kind]
            if ref.target not in targets:
                self.problems.append(Problem(
                    ref.where.file, ref.where.line,
                    f"'{ref.source_id}' refers to unknown {label} id '{ref.target}'",
                ))


# The C loader when PyYAML has it: loading stays fast for big folders.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _shown(node: yaml.Node) -> str:
    return repr(node.value) if isinstance(node, yaml.ScalarNode) else "a list or mapping"


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def parse_when(raw: str) -> date | datetime:
    """Read ``YYYY-MM-DD``, ``DD/MM/YYYY``, optionally followed by ``HH:MM`` (local time)."""
    raw = raw.strip()
    iso = _ISO_DATE.match(raw)
    vn = _VN_DATE.match(raw)
    if iso:
        year, month, day, hour, minute = iso[1], iso[2], iso[3], iso[4], iso[5]
    elif vn:
        day, month, year, hour, minute = vn[1], vn[2], vn[3], vn[4], vn[5]
    else:
        raise ValueError("write YYYY-MM-DD (or DD/MM/YYYY), optionally followed by HH:MM")
    try:
        if hour is None:
            return date(int(year), int(month), int(day))
        return datetime(int(year), int(month), int(day), int(hour), int(minute))
    except ValueError:
        raise ValueError("no such date or time") from None


def read_knowledge(directory: Path | str) -> tuple[Contents, list[Problem]]:
    """Read every ``*.yaml`` file of a knowledge folder; give what was read and the problems."""
    directory = Path(directory)
    reader = _Reader()
    if not directory.is_dir():
        return reader.contents, [Problem("", None, "knowledge folder not found")]
    for path in sorted(directory.glob("*.yaml")):
        reader.read_file(path, path.name)
    reader.finish()
    return reader.contents, reader.problems


def check_knowledge(directory: Path | str) -> list[Problem]:
    """Every problem of a knowledge folder (an empty list when it is fine)."""
    return read_knowledge(directory)[1]
