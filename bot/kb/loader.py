"""Reading and checking the knowledge folder: YAML files become the model, mistakes become
:class:`Problem` objects that name the file and line, so the secretariat can fix them.

The files are composed (not constructed) with PyYAML so every value keeps its line, and so
dates are parsed here (an impossible date is a problem to report, not a crash).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import yaml

from bot.kb.meeting_reader import MeetingReader
from bot.kb.model import (
    MEETING_KINDS,
    Article,
    Chapter,
    Charter,
    Entry,
    Meeting,
    Phrases,
    Subjects,
    Text,
    Topic,
)
from bot.kb.nodes import (  # noqa: F401 (also imported from here by charter_import, tests)
    ARTICLE_ID,
    ID,
    NULL,
    PLACEHOLDERS,
    YAML_LOADER,
    Contents,
    KnowledgeError,
    Problem,
    Reference,
    parse_when,
)
from bot.kb.schedule_reader import ScheduleReader
from bot.text import fold

LABEL_KEYS = ("date", "place", "term", "attendance", "decisions", "visits", "article", "chapter")
SECTIONS = (
    "entries", "charter", "charter_facts", "chapters", "terms", "meetings", "synonyms",
    "labels", "contact", "announcements", "topics", "subjects",
    "more_questions",
)
# Sections that describe one thing, so they may appear in one file only.
SINGLE_SECTIONS = ("charter", "chapters", "labels", "contact", "subjects")
REQUIRED_SECTIONS = ("charter", "labels", "contact")


class _Reader(MeetingReader, ScheduleReader):
    """Turns the composed YAML of the files of one folder into model objects."""

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
        if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == NULL):
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

    def section_entries(self, node: yaml.Node) -> None:
        self.contents.entries += self.each(node, "entries", lambda n: self.entry(n, False))

    def section_charter_facts(self, node: yaml.Node) -> None:
        self.contents.entries += self.each(node, "charter_facts", lambda n: self.entry(n, True))

    def entry(self, node: yaml.Node, charter: bool) -> Entry | None:
        items = self.mapping(
            node, "entry", ("id", "title", "questions", "answer", "source"),
            ("keywords", "see", "contact", "stands_in_for", "upcoming_for"),
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
        upcoming_for = self.upcoming_for(items["upcoming_for"], what) \
            if "upcoming_for" in items else ()
        if (entry_id is None or title is None or questions is None or answer is None
                or source is None or keywords is None or see is None or contact is None
                or stands_in_for is None or upcoming_for is None):
            return None
        return Entry(
            id=entry_id, title=title, answer=answer, source=source, questions=questions,
            where=self.where(node), keywords=keywords, see=see, contact=bool(contact),
            charter=charter, stands_in_for=stands_in_for, upcoming_for=upcoming_for,
        )

    def upcoming_for(self, node: yaml.Node, what: str) -> tuple[str, ...] | None:
        """The kinds of meetings whose coming ones an entry stands for: a list."""
        kinds = self.strings(node, f"{what} upcoming_for")
        allowed = (*MEETING_KINDS, "any")
        wrong = [kind for kind in kinds or () if kind not in allowed]
        if wrong:
            self.problem(node, f"{what} upcoming_for: '{wrong[0]}' is not one of "
                               f"{', '.join(allowed)}")
            return None
        return kinds

    def stand_in(self, node: yaml.Node, owner: str) -> tuple[str, ...] | None:
        """The charter topics an entry stands in for: one id or a list of ids."""
        what = f"entry '{owner}' stands_in_for"
        topics = (self.strings(node, what) if isinstance(node, yaml.SequenceNode)
                  else (lambda one: None if one is None else (one,))(self.string(node, what)))
        for topic in topics or ():
            self.references.append(Reference(owner, topic, "topic", self.where(node)))
        return topics

    def section_topics(self, node: yaml.Node) -> None:
        self.contents.topics += self.each(node, "topics", self.topic)

    def topic(self, node: yaml.Node) -> Topic | None:
        items = self.mapping(node, "topic", ("id", "title", "keywords"), ("aspect",))
        if items is None or "id" not in items:
            return None
        topic_id = self.string(items["id"], "topic id")
        if topic_id is not None and not ID.match(topic_id):
            self.problem(items["id"], f"topic id '{topic_id}' must be lowercase ASCII letters, "
                                      "digits, '-', '_' or '.'")
            topic_id = None
        what = f"topic '{topic_id or '?'}'"
        title = self.text(items["title"], f"{what} title") if "title" in items else None
        keywords = self.strings(items["keywords"], f"{what} keywords") \
            if "keywords" in items else None
        if topic_id is None or title is None or keywords is None:
            return None
        first = next((t for t in self.contents.topics if t.id == topic_id), None)
        if first is not None:
            self.problem(items["id"], f"duplicate topic id '{topic_id}' (first defined at "
                                      f"{first.where})")
            return None
        aspect = self.boolean(items["aspect"], f"{what} aspect") if "aspect" in items else False
        return Topic(id=topic_id, title=title, keywords=keywords, where=self.where(node),
                     aspect=bool(aspect))

    def section_subjects(self, node: yaml.Node) -> None:
        items = self.mapping(node, "subjects", ("association", "others"))
        if items is None:
            return
        association = self.strings(items["association"], "subjects association") \
            if "association" in items else ()
        others = [self.strings(item, "subjects others: a body's names")
                  for item in self.sequence(items["others"], "subjects others") or ()] \
            if "others" in items else []
        self.contents.subjects = Subjects(
            association or (), tuple(names for names in others if names),
        )

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
        if (chapter_id is None or title is None or articles is None
                or ("number" in items and number is None)):
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
        if article_id is None or number is None or title is None or text is None:
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
            if target in entries:
                _add_questions(self.contents.entries, entries[target], phrases)
            elif target in meetings:
                _add_questions(self.contents.meetings, meetings[target], phrases)
            else:
                self.problems.append(Problem(where.file, where.line, "more_questions: no entry "
                                             f"or meeting has the id '{target}'"))

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


# What has questions: entries and meetings.
_Asked = TypeVar("_Asked", Entry, Meeting)


def _add_questions(items: list[_Asked], index: int, phrases: Phrases) -> None:
    """Add phrasings (``more_questions``) to the questions of ``items[index]``."""
    item = items[index]
    items[index] = replace(item, questions=Phrases(
        vi=item.questions.vi + phrases.vi, en=item.questions.en + phrases.en))


# The C loader when PyYAML has it: loading stays fast for big folders.

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
