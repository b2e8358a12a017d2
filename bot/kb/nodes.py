"""Reading typed values out of composed YAML: every value keeps its file and line, and every
mistake becomes a :class:`Problem` naming them (the primitives of :mod:`bot.kb.loader`).

Dates are parsed here (an impossible date is a problem to report, not a crash).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from pathlib import Path
from typing import TypeVar

import yaml

from bot.kb.model import (
    Announcement,
    Charter,
    Entry,
    Location,
    Meeting,
    Phrases,
    Subjects,
    Term,
    Text,
    Topic,
)
from bot.kb.present import all_present
from bot.text import fold

T = TypeVar("T")

PLACEHOLDERS = ("name", "name_en", "website", "email", "phone", "address")
# The id an answered charter article has ("article-5"): no item may use this form.
ARTICLE_ID = re.compile(r"^article-\d+$")

ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_STR = "tag:yaml.org,2002:str"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The C loader when PyYAML has it: loading stays fast for big folders. A text that
    cannot be of another type (quoted, a block, or a plain one whose first character starts
    no other type, as keys do) is a string at once, without trying the types' patterns."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and (
            not implicit[0] or (value and value[0] not in _TYPED_STARTS)
        ):
            return _STR
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]


# The first characters of the plain texts that may be of another type (null, bool, ...).
_TYPED_STARTS = frozenset(_Loader.yaml_implicit_resolvers)
assert None not in _TYPED_STARTS and not _Loader.yaml_path_resolvers
YAML_LOADER = _Loader


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
class Reference:
    source_id: str
    target: str
    kind: str  # "see" (any answerable id), "term" or "topic"
    where: Location



class NodeReader:
    """The state of reading one folder and the primitives that read typed values."""
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.contents = Contents()
        self.file = ""
        self.ids: dict[str, tuple[str, Location]] = {}  # id -> (what, where first defined)
        # A question folded -> whose it is, and where (file and 0-based line).
        self.questions: dict[str, tuple[str, str, int]] = {}
        self.references: list[Reference] = []
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
        required, allowed = _keys(required, optional)
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
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list")
            return None
        return list(node.value)

    def string(self, node: yaml.Node, what: str) -> str | None:
        value = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
        if not value or node.tag == NULL:
            self.problem(node, f"{what} must be a non-empty text")
            return None
        return value

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...] | None:
        items = self.sequence(node, what)
        if items is None:
            return None
        each = f"each of {what}"
        values = [self.string(item, each) for item in items]
        return tuple(values) if all_present(values) else None

    def integer(self, node: yaml.Node, what: str, low: int = 0, high: int = 10**6) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _INT:
            try:
                value = int(node.value.replace("_", ""), 0)
            except ValueError:
                value = None
            if value is not None and low <= value <= high:
                return value
        self.problem(node, f"{what} must be a whole number from {low} to {high}, got "
                           f"{shown(node)}")
        return None

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in {"true", "yes", "on", "y"}
        self.problem(node, f"{what} must be true or false, got {shown(node)}")
        return None

    def text(self, node: yaml.Node, what: str, *, placeholders: bool = False) -> Text | None:
        """A ``{vi: ..., en: ...}`` mapping; a missing language is a missing translation."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must have a 'vi' and an 'en' text")
            return None
        plain = _plain_text(node)
        if plain is not None:
            return plain
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
        if "{" not in value:  # most texts
            return
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
            where = Location(first[1], first[2] + 1)
            self.problem(node, f"question '{phrasing}' is also a question of '{first[0]}' "
                               f"({where}): the search could not tell them apart")
        elif first is None:
            self.questions[key] = (owner, self.file, node.start_mark.line)

    def ident(self, node: yaml.Node, what: str) -> str | None:
        value = self.string(node, f"{what} id")
        if value is None:
            return None
        if not ID.match(value):
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
                self.references.append(Reference(owner, target, "see", self.where(item)))
                targets.append(target)
        return tuple(targets)

    def when(self, node: yaml.Node, what: str) -> date | datetime | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag == NULL:
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
        self.problem(node, f"{what} must be a time of day written \"HH:MM\", got {shown(node)}")
        return None

    def each(self, node: yaml.Node, what: str, read: Callable[[yaml.Node], T | None]) -> list[T]:
        items = self.sequence(node, what)
        results = [self.checked(partial(read, item)) for item in items or ()]
        return [result for result in results if result is not None]



def _plain_text(node: yaml.MappingNode) -> Text | None:
    """Most texts at once: the keys 'vi' and 'en', each a non-empty text without
    placeholders; None for anything else (read with all the checks)."""
    if len(node.value) != 2:
        return None
    values: dict[str, str] = {}
    for key_node, value_node in node.value:
        if (not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node, yaml.ScalarNode)
                or value_node.tag == NULL):
            return None
        values[key_node.value] = value_node.value.strip()
    vi, en = values.get("vi"), values.get("en")
    if not vi or not en or "{" in vi or "{" in en:
        return None
    return Text(vi=vi, en=en)


_KEYS: dict[tuple[object, object], tuple[tuple[str, ...], frozenset[str]]] = {}


def _keys(required: Iterable[str], optional: Iterable[str]) -> tuple[tuple[str, ...],
                                                                      frozenset[str]]:
    """A mapping's required keys and all its allowed ones (the same few, read for every
    entry: made once for each pair of key lists given as tuples)."""
    if isinstance(required, tuple) and isinstance(optional, tuple):
        known = _KEYS.get((required, optional))
        if known is None:
            known = _KEYS[(required, optional)] = (required,
                                                   frozenset(required) | frozenset(optional))
        return known
    required = tuple(required)
    return required, frozenset(required) | frozenset(optional)


def shown(node: yaml.Node) -> str:
    return repr(node.value) if isinstance(node, yaml.ScalarNode) else "a list or mapping"


def day_of(moment: date | datetime) -> date:
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


