"""Reading the association's terms and meetings (``terms:``, ``meetings:``)."""

from __future__ import annotations

from datetime import date, datetime

import yaml

from bot.kb.model import MEETING_KINDS, Meeting, Phrases, Term
from bot.kb.nodes import NodeReader, Reference, day_of, shown
from bot.kb.registration import MEETING_EXTRAS, read_meeting_extras


class MeetingReader(NodeReader):
    """The sections ``terms`` and ``meetings``."""

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
        if (term_id is None or number is None or start is None or end is None or name is None
                or president is None):
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
                self.references.append(Reference(owner, term, "term", self.where(items["term"])))
        decisions = self.each(items["decisions"], f"{what} decisions",
                              lambda n: self.text(n, f"{what} decision")) \
            if "decisions" in items else []
        questions = self.phrases(items["questions"], f"{what} questions", owner) \
            if "questions" in items else Phrases()
        keywords = self.strings(items["keywords"], f"{what} keywords") \
            if "keywords" in items else ()
        see = self.refs(items["see"], owner, f"{what} see") if "see" in items else ()
        title, summary, source = (optional_texts[key] for key in ("title", "summary", "source"))
        if (meeting_id is None or kind is None or dates is None or questions is None
                or keywords is None or see is None
                or title is None or summary is None or source is None):
            return None
        start, end = dates
        extras = self.checked(lambda: read_meeting_extras(self, items, what, start))
        if extras is None:
            return None
        return Meeting(
            id=meeting_id, kind=kind, title=title, start=start, end=end,
            summary=summary, source=source,
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
        if end is not None and (day_of(end) < day_of(start) or (
            isinstance(start, datetime) and isinstance(end, datetime) and end < start
        )):
            self.problem(items["end"], f"{what}: end {shown(items['end'])} is before start "
                                       f"{shown(items['start'])}")
            return None
        return start, end

