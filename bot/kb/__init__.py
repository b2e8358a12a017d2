"""HoiBot's knowledge base: the association's facts, loaded from ``knowledge/*.yaml``.

The API the handlers use::

    kb = KnowledgeBase.load(config.knowledge_dir)      # KnowledgeError lists file:line problems
    result = kb.ask("hoi phi bao nhieu")               # AnswerResult
    kb.ask("hội nghị sắp tới", now=aware_datetime)     # "next"/"last" relative to now
    if result.status == "answered":
        answer = kb.render_answer(result.entry_id, lang, config.association)
        # answer.text (plain text: escape it for HTML), answer.source, answer.see (ids)
    elif result.status == "suggest":
        buttons = [kb.title(item_id, lang) for item_id in result.suggestions]
    # "unknown": nothing relevant; "not_found": result.reference names a missing article

    lang = detect_language(question) or config.default_language  # when the user chose none
    kb.charter.chapters, kb.article(5), kb.chapter(1)  # the charter, once imported
    kb.meetings_sorted(now)                            # .upcoming / .past
    meeting_ics(meeting, config.tz, lang)              # .ics bytes for a calendar
    kb.announcements                                   # scheduled announcements

Tools: :func:`check_knowledge` (the checker) and :func:`import_charter`; the command line
is in :mod:`bot.kb.cli`. :mod:`bot.kb.snapshot` saves and reads the built knowledge base so
that an unchanged folder is not indexed again at each start. Charter topics
(``kb.topics``) and stand-ins: ``kb.covering`` (topic -> article ids) and ``kb.superseded``
(stand-in entry id -> the article ids that now answer for it).
"""

from bot.kb.charter_import import CharterImportError, ImportReport, import_charter
from bot.kb.ics import meeting_ics
from bot.kb.knowledge import AnswerResult, KnowledgeBase, RenderedAnswer, fill_placeholders
from bot.kb.loader import check_knowledge
from bot.kb.model import (
    Announcement,
    Article,
    Chapter,
    Charter,
    Entry,
    Meeting,
    MeetingSchedule,
    Schedule,
    Term,
    Text,
)
from bot.kb.nodes import KnowledgeError, Problem
from bot.kb.normalize import detect_language
from bot.kb.references import CharterReference

__all__ = [
    "Announcement",
    "AnswerResult",
    "Article",
    "Chapter",
    "Charter",
    "CharterImportError",
    "CharterReference",
    "Entry",
    "ImportReport",
    "KnowledgeBase",
    "KnowledgeError",
    "Meeting",
    "MeetingSchedule",
    "Problem",
    "RenderedAnswer",
    "Schedule",
    "Term",
    "Text",
    "check_knowledge",
    "detect_language",
    "fill_placeholders",
    "import_charter",
    "meeting_ics",
]
