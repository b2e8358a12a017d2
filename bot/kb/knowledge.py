"""The knowledge base the handlers use: ask a question, render an answer, browse the data."""

from __future__ import annotations

import gc
import itertools
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from bot.config import AssociationConfig
from bot.kb import reranker, semantic
from bot.kb.authority import CharterAuthority, likest_first
from bot.kb.dictation import asked_parts
from bot.kb.lexicon import QUESTION_INTENTS
from bot.kb.loader import read_knowledge
from bot.kb.meeting_names import NamedMeetings
from bot.kb.model import (
    Announcement,
    Article,
    Chapter,
    Charter,
    Entry,
    Meeting,
    MeetingSchedule,
    Subjects,
    Term,
    Text,
    Topic,
)
from bot.kb.nodes import PLACEHOLDERS, KnowledgeError
from bot.kb.normalize import MAX_QUESTION_CHARS, roman
from bot.kb.ranking import SUGGEST_THRESHOLD, Decision, Match, decide, suggested
from bot.kb.references import CharterReference, charter_reference
from bot.kb.search import Document, SearchIndex
from bot.kb.semantic import Meanings, item_readings, readings
from bot.kb.subjects import (
    Bodies,
    RelativeMeeting,
    as_meant,
    asks_next,
    covering_articles,
    folded_phrase,
    next_numbered,
    relative_meeting,
)
from bot.texts import formats

# " và " / " and " joining two questions (each half is asked alone).
_TWO_QUESTIONS = re.compile(r"\s+(?:và|va|and|với lại|voi lai|với|voi)\s+", re.IGNORECASE)
# ...and only "và" / "and", for an answer to the whole (where "với" is more often "with").
_AND = re.compile(r"\s+(?:và|va|and)\s+", re.IGNORECASE)
# A message this long (in words) may tell who asks before what is asked...
_LONG_QUESTION = 12
# ...in clauses ending at a comma, a stop, a question or an exclamation mark.
_CLAUSE_END = re.compile(r"[,.;?!]+\s+")
# ...and in sentences, ending at a stop, a question or an exclamation mark.
_SENTENCE_END = re.compile(r"[.?!]+\s+")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
# Items ranked for a question (the decision looks at the first few after stand-ins yield).
# How many items' words the reranker keeps read (a 10k-item base would keep ~200 MB).
_TEXTS_KEPT = 2048
# The items closest in meaning offered to the reranker when the search left them out.
MEANT_CANDIDATES = 2
_SEARCHED = 10
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


# What an item's text alone must hold to answer, when the curated phrasings do not: this
# share of the question (IDF-weighted) and this many of its words and pairs, with no other
# item within this many points (on the development sets: 5 more right, none wrong).
_SAID_COVERAGE = 0.8
_SAID_HELD = 3
_SAID_LEAD = 20.0


def _said_alone(matches: list[Match]) -> bool:
    """Whether the best item's text says what is asked and no other item comes close:
    "báo cáo năm 2013 nhấn mạnh điều gì" is answered by the conference whose summary says
    it, though no title or curated question of it names the report."""
    best = matches[0] if matches else None
    if best is None or best.said is None:
        return False
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    return (best.said.coverage >= _SAID_COVERAGE and best.said.held >= _SAID_HELD
            and best.score - runner_up >= _SAID_LEAD)


def _with_meant(matches: list[Match], closeness: dict[str, float]) -> list[Match]:
    """The search's candidates for the reranker, the last of them giving way to the
    :data:`MEANT_CANDIDATES` items closest in meaning that the search left out (with no
    score of its own: only what the encoder reads speaks for them)."""
    candidates = matches[:reranker.CANDIDATES]
    present = {match.id for match in candidates}
    closest = sorted(closeness, key=closeness.__getitem__, reverse=True)
    missing = [article for article in closest[:MEANT_CANDIDATES] if article not in present]
    if not missing:
        return matches
    kept = candidates[:reranker.CANDIDATES - len(missing)]
    return [*kept, *(Match(article, 0.0, 0.0) for article in missing)]


def _asking_sentence(question: str) -> str:
    """The sentence of a long message that asks: its last ("... a joint event with your
    association next spring. What is the best way to contact your office?" asks for the
    office, not the next meeting); a short message whole."""
    if len(question.split()) < _LONG_QUESTION:
        return question
    sentences = [part for part in _SENTENCE_END.split(question.strip()) if part.strip()]
    return sentences[-1] if len(sentences) >= 2 else question


def _only_numbers(words: list[str]) -> bool:
    """Whether a question's words (as read) are figures only ("5", "khóa 2")."""
    return bool(words) and all(
        word.isdigit() or (word[:1] == "k" and word[1:].isdigit()) for word in words)


@dataclass(frozen=True)
class AnswerResult:
    """What the knowledge base makes of a question.

    ``status`` is ``answered`` (``entry_id`` answers it), ``suggest`` (not sure: offer
    ``suggestions``, up to 3 ids), ``unknown`` (nothing relevant), or ``not_found`` (the
    question names a charter article or chapter, ``reference``, that the charter lacks).
    ``score`` (0-100) is the best match's, whatever the status.
    """

    status: str
    entry_id: str | None = None
    score: float = 0.0
    suggestions: tuple[str, ...] = ()
    reference: CharterReference | None = None


@dataclass(frozen=True)
class RenderedAnswer:
    """An answer ready to send: plain text (the handler escapes it for HTML).

    ``text`` is the whole answer, ``source`` where it comes from (show it under the answer),
    ``title`` the item's short title, ``see`` ids of related items (for buttons).
    """

    title: str
    text: str
    source: str
    see: tuple[str, ...] = ()


def fill_placeholders(text: str, association: AssociationConfig) -> str:
    """Fill ``{website}``-style placeholders; a line whose placeholder is empty is left out."""
    values = {
        "name": association.name, "name_en": association.name_en,
        "website": association.website, "email": association.email,
        "phone": association.phone, "address": association.address,
    }
    lines = []
    for line in text.splitlines():
        names = _PLACEHOLDER.findall(line)
        if any(not values[name].strip() for name in names):
            continue
        lines.append(_PLACEHOLDER.sub(lambda match: values[match[1]].strip(), line))
    return "\n".join(lines).strip()


def format_day(moment: date | datetime, lang: str) -> str:
    """A date (and hour, when known) as every display writes it: dd/mm/yyyy [HH:MM]."""
    if isinstance(moment, datetime):
        return formats.moment(moment)
    return formats.day(moment)


def _texts(text: Text) -> tuple[str, ...]:
    """Both languages of a text, once when one holds the other (an imported article's
    English is a note followed by the Vietnamese text)."""
    return (text.en,) if text.vi in text.en else (text.vi, text.en)


@contextmanager
def garbage_collector_paused() -> Iterator[None]:
    """Loading creates hundreds of thousands of objects, none of them in reference cycles;
    the cyclic collector would rescan them all again and again (two thirds of the load time
    of 10,000 entries). Afterwards they are moved to the oldest generation at once (frozen
    and unfrozen): else the first collection would scan them all as young objects (0.1 s
    at 10,000 entries); unreachable ones are still collected by the next full collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


class KnowledgeBase:
    """The loaded knowledge folder with its search index.

    Build it with :meth:`load`. Answerable ids are those of entries, charter facts,
    meetings, charter articles and chapters.
    """

    def __init__(
        self,
        entries: list[Entry],
        terms: list[Term],
        meetings: list[Meeting],
        charter: Charter,
        labels: dict[str, Text],
        contact: Text,
        announcements: list[Announcement],
        synonyms: list[tuple[str, ...]],
        topics: Iterable[Topic] = (),
        subjects: Subjects | None = None,
    ) -> None:
        self.entries = {entry.id: entry for entry in entries}
        self.terms = {term.id: term for term in terms}
        self.meetings = tuple(meetings)
        self.charter = charter
        self.labels = labels
        self.contact = contact
        self.announcements = tuple(announcements)
        self._meetings = {meeting.id: meeting for meeting in meetings}
        self._articles = {article.number: article for article in charter.articles}
        self._article_ids = {article.id: article for article in charter.articles}
        self._titles_read: dict[str, frozenset[str]] = {}
        self._texts_read: dict[str, frozenset[str]] = {}
        self._chapters = {chapter.id: chapter for chapter in charter.chapters}
        self.topics = {topic.id: topic for topic in topics}
        self.subjects = subjects or Subjects()
        self.covering = covering_articles(self.topics.values(), charter.articles)
        yielding = covering_articles(self.topics.values(), charter.articles, by_text=True)
        self._article_terms = reranker.article_terms(charter.articles, yielding)
        self.superseded = {
            entry.id: likest_first(entry, tuple(dict.fromkeys(
                article for topic in entry.stands_in_for for article in yielding[topic]
            )), self._article_ids)
            for entry in entries
            if entry.stands_in_for and all(yielding.get(t) for t in entry.stands_in_for)
        }
        self._bodies = Bodies(self.subjects, self._named, self._scores)
        self._named_meetings = NamedMeetings(self._meetings, self.terms, frozenset(self.entries))
        self.index = SearchIndex(self._documents(), synonyms)
        self._meanings = self._built_meanings()
        self._meanings_deferred = semantic.deferred()  # read later (read_meanings_later)
        self._authority = CharterAuthority(self.topics, self.covering, self.superseded,
                                           self.entries, self._topic_words,
                                           frozenset(self._chapters),
                                           {article.id: (article.title.vi, article.title.en)
                                            for article in charter.articles},
                                           self.index.idf, yielding)

    @classmethod
    def load(cls, directory: Path | str) -> KnowledgeBase:
        """Load and index a knowledge folder; raise :class:`KnowledgeError` on any problem."""
        with garbage_collector_paused():
            contents, problems = read_knowledge(directory)
            if problems:
                raise KnowledgeError(problems)
            assert contents.charter is not None and contents.contact is not None
            return cls(
                contents.entries, contents.terms, contents.meetings, contents.charter,
                contents.labels, contents.contact, contents.announcements, contents.synonyms,
                contents.topics, contents.subjects,
            )

    def _documents(self) -> list[Document]:
        documents = [
            Document(entry.id, (entry.title.vi, entry.title.en, *entry.questions.all()),
                     entry.keywords, (entry.answer.vi, entry.answer.en))
            for entry in self.entries.values()
        ]
        documents += [self._meeting_document(meeting) for meeting in self.meetings]
        topic_words = self._article_keywords()
        for chapter in self.charter.chapters:
            documents.append(Document(chapter.id, (chapter.title.vi, chapter.title.en)))
            documents += [
                Document(article.id, (article.title.vi, article.title.en),
                         topic_words.get(article.id, ()), _texts(article.text), authority=True)
                for article in chapter.articles
            ]
        return documents

    def _article_keywords(self) -> dict[str, tuple[str, ...]]:
        """An article is found by the keywords of the topics it covers too, in both
        languages ("sanctions" finds "Điều 9. Kỷ luật"), but for a keyword that another
        article covering the topic has in its title: "ban kiểm tra" is a keyword of the
        organisation, and of "Điều 16. Ban Kiểm tra" only, not of "Điều 15. Ban Thường vụ"."""
        titles = {article.id: folded_phrase(article.title.vi) for article in self.charter.articles}
        words: dict[str, tuple[str, ...]] = {}
        for topic_id, articles in self.covering.items():
            for article in articles:
                others = [titles[other] for other in articles if other != article]
                words[article] = words.get(article, ()) + tuple(
                    keyword for keyword in self.topics[topic_id].keywords
                    if not any(folded_phrase(keyword) in title for title in others)
                )
        return words

    def _meeting_document(self, meeting: Meeting) -> Document:
        """A meeting is found by its title and by the kinds of facts it holds: each field is
        indexed under its label, so "when", "where", "who attended" lead to it."""
        phrases = [meeting.title.vi, meeting.title.en, *meeting.questions.all()]
        # The date numeric in both languages ("May" would read as "mấy", how many); the
        # term's number only (its years, "2006–2011", would match other meetings).
        facts = {"date": format_day(meeting.start, "vi")}
        if meeting.term is not None:
            facts["term"] = roman(self.terms[meeting.term].number)
        held = {"attendance": meeting.attendance, "visits": meeting.visits,
                "decisions": meeting.decisions}
        for lang in ("vi", "en"):
            label = {key: text.get(lang) for key, text in self.labels.items()}
            phrases += [f"{label[key]} {value}" for key, value in facts.items()]
            if meeting.place is not None:
                phrases.append(f"{label['place']} {meeting.place.get(lang)}")
            phrases += [label[key] for key, value in held.items() if value]
        said = [meeting.summary, *meeting.decisions]
        said += [text for text in (meeting.place, meeting.attendance, meeting.visits) if text]
        return Document(meeting.id, tuple(phrases), meeting.keywords,
                        tuple(part for text in said for part in _texts(text)))

    # -- questions ---------------------------------------------------------------------------

    def ask(self, question: str, now: datetime | None = None) -> AnswerResult:
        """Find what answers a member's question (any language, with or without diacritics).

        ``now`` (aware; default: the current time) places "the next meeting" and "the last
        one". A question is read up to :data:`MAX_QUESTION_CHARS` characters.
        """
        question = as_meant(question[:MAX_QUESTION_CHARS], self.index.question_words)
        result, learned = self._ask(question, now)
        if result.status == "answered" and not learned:
            return self._with_the_rest(question, now, result)
        # An answer only the learned model gives to the whole may be one half's of two
        # questions ("hội phí và quyền lợi hội viên"): then both halves' answers are given.
        return (self._first_of_two(question, now) or self._last_clause(question, now, result)
                or result)

    def _last_clause(self, question: str, now: datetime | None,
                     result: AnswerResult) -> AnswerResult | None:
        """A long message not answered whole, whose last clause asks what the whole's best
        match answers ("Em là nhân viên thư viện huyện miền núi ở Hà Giang, chưa có bằng
        chính quy, em có được vào Hội không ạ?"): the clause's answer. (The clause alone
        may lack what the rest says: its item must be the whole's best match too, and a
        message naming another body is never answered so.) A message dictated without
        stops is cut where the question starts (:func:`asked_parts`)."""
        if (result.status == "answered" or len(question.split()) < _LONG_QUESTION
                or self._bodies.names_other(question)):
            return None
        clauses = [part for part in _CLAUSE_END.split(question) if len(part.split()) >= 3]
        parts = asked_parts(clauses[-1]) if clauses else []
        if len(clauses) >= 2:
            parts.append(clauses[-1])
        best: list[Match] | None = None
        for part in dict.fromkeys(parts):
            answer = self._ask(part, now)[0]
            if answer.status != "answered":
                continue
            if best is None:
                best = self.index.search(question, limit=1)
            if best and answer.entry_id == best[0].id:
                return answer
        return None

    def _with_the_rest(self, question: str, now: datetime | None,
                       result: AnswerResult) -> AnswerResult:
        """An answer to the whole of two questions in one ("when was the association founded
        and who was the first president") that is one half's answer, with the other half's
        offered beside it."""
        if result.suggestions or result.entry_id is None:
            return result
        halves = self._halves(question, _AND)
        if halves is None:
            return result
        # Each half answered by the search itself: an offer beside a sure answer is sure too.
        answered = [answer.entry_id for answer, learned in (self._ask(half, now)
                                                             for half in halves)
                    if answer.status == "answered" and not learned
                    and answer.entry_id is not None]
        if len(answered) != 2 or answered[0] == answered[1] or result.entry_id not in answered:
            return result
        rest = next(item for item in answered if item != result.entry_id)
        return replace(result, suggestions=(rest,))

    @staticmethod
    def _halves(question: str, joined: re.Pattern[str] = _TWO_QUESTIONS) -> list[str] | None:
        """The two halves of a question joined by "và", "and"... (each of two words at
        least), or None."""
        halves = joined.split(question, maxsplit=1)
        if len(halves) != 2 or min(len(half.split()) for half in halves) < 2:
            return None
        return halves

    def _first_of_two(self, question: str, now: datetime | None) -> AnswerResult | None:
        """Two questions in one ("hội thành lập năm nào và chủ tịch đầu tiên là ai"): when
        each half alone is answered, and by different items, the first half's answer, the
        second's offered beside it."""
        halves = self._halves(question)
        if halves is None:
            return None
        first, second = (self._ask(half, now)[0] for half in halves)
        if (first.status != "answered" or second.status != "answered"
                or first.entry_id == second.entry_id or second.entry_id is None):
            return None
        return replace(first, suggestions=(second.entry_id,))

    def _ask(self, question: str, now: datetime | None) -> tuple[AnswerResult, bool]:
        """:meth:`ask` for one question, and whether the answer is the learned model's
        (:meth:`_second_opinion`) rather than the search's own."""
        reference = charter_reference(question)
        if reference is not None:
            target = (self.article(reference.number) if reference.kind == "article"
                      else self.chapter(reference.number))
            if target is None:
                return AnswerResult("not_found", reference=reference), False
            return AnswerResult("answered", target.id, 100.0, reference=reference), False
        when = relative_meeting(_asking_sentence(question)) or next_numbered(
            question, (m.number for m in self.meetings if m.kind == "congress" and m.number))
        if when is not None and self.meetings and not self._bodies.names_other(question):
            return self._relative_meeting(when, now), False
        matches, read = self.index.search_read(question, limit=_SEARCHED)
        matches = self._authority.apply(question, read, matches)
        matches = self._bodies.restrict(question, matches)
        matches = self._named_meetings.first(question, read, matches)
        decision = decide(matches)
        answer = decision.answer
        other_body = self._bodies.names_other(question)
        if answer is not None and (when.next if when is not None
                                   else other_body and asks_next(question)):
            # Another body's next meeting ("CONSAL lần tới họp ở đâu", "consal lan toi to
            # chuc o dau"): the knowledge base lists the association's own meetings only;
            # what it says of the body's past ones is at most a suggestion.
            decision = Decision("suggest", answer, (answer.id,))
        if (decision.status == "suggest" and not other_body
                and (self._authority.sure(read, matches)
                     or self._named_meetings.answers(question, read, matches)
                     or _said_alone(matches))):
            decision = Decision("answered", matches[0], ())
        searched = decision
        if when is None or not when.next:
            decision = self._second_opinion(question, matches, decision, other_body)
        if (decision.status == "answered" and decision.best is not None
                and self._bodies.asks_reaching_another(question, decision.best.id)):
            # ("số điện thoại công ty Tinh Vân": the item naming the company is no answer.)
            decision = Decision("suggest", decision.best, (decision.best.id,))
        answer = decision.answer
        learned = answer is not None and answer != searched.answer
        return AnswerResult(
            status=decision.status,
            entry_id=answer.id if answer is not None else None,
            score=decision.best.score if decision.best else 0.0,
            suggestions=decision.suggestions,
        ), learned

    def _second_opinion(self, question: str, matches: list[Match], decision: Decision,
                        other_body: bool) -> Decision:
        """The learned reranker's choice, if it is sure (:mod:`bot.kb.reranker`): another
        candidate, the same, or none of them (then the answer is only suggested). Its
        ``articles`` model judges when the best match is an article, ``entries`` when the
        knowledge base has no charter imported; with the sentence encoder's reading of the
        items (:mod:`bot.kb.semantic`), ``meanings`` and ``entry-meanings`` instead."""
        if not matches:
            return decision
        on_charter = matches[0].id in self._article_ids
        if self._article_ids and not on_charter:
            # "entries" learned on the knowledge base without a charter: once one is
            # imported, its items compete with articles it never saw (on the development
            # charters it added 3 wrong answers and no right one).
            return decision
        closeness = self._closeness(question)
        model = reranker.trained(self._meanings_model if closeness else
                                 "articles" if on_charter else "entries")
        if model is None:
            return decision
        if closeness:
            matches = _with_meant(matches, closeness)
        titles = self._article_terms if on_charter else self._title_terms(matches)
        verdict = model.judge(question, matches, titles, self._text_terms(matches), closeness)
        if not verdict.sure:
            return decision
        if verdict.choice is None:
            if decision.status != "answered":
                return decision
            return Decision("suggest", decision.best, suggested(matches))
        chosen = next(match for match in matches if match.id == verdict.choice)
        if chosen.held == "content" and _only_numbers(self.index.question_words(question)):
            # A bare number ("5") asks nothing: a text that merely holds it is no answer.
            return decision
        if chosen.held in ("number", "body") or (
                other_body and chosen.score < SUGGEST_THRESHOLD) or (
                chosen.held and chosen is not matches[0] and matches[0].score >= 100.0):
            # The model reads words, not what a rule knows: another meeting than the one
            # named is never its answer, nor a few words in a text over a phrasing that
            # is the question itself ("hội tên gì").
            return decision
        if decision.status == "suggest":
            # The search hesitated: the next item it would have offered is offered beside
            # the answer ("hội viên": how many they are, and their rights and duties).
            offered = [item for item in suggested(matches) if item != chosen.id]
            return Decision("answered", chosen, tuple(offered[:1]))
        return Decision("answered", chosen, ())

    @property
    def _meanings_model(self) -> str:
        """The reranker's model that reads :attr:`_meanings`: with a charter imported the
        articles are read by meaning, otherwise the entries and meetings."""
        return "meanings" if self._article_ids else "entry-meanings"

    def _built_meanings(self) -> Meanings | None:
        """The charter's articles read by meaning or, without a charter, the entries and
        meetings; marks are put back on unmarked questions as the entries' titles and
        answers (and the articles) write their words."""
        # Lazily: read only when the items are (not for a base too big to be read).
        texts = itertools.chain(
            (text for entry in self.entries.values()
             for text in (entry.title.vi, entry.answer.vi)),
            (f"{article.title.vi}. {article.text.vi}" for article in self.charter.articles))
        return Meanings.build(self.read_by_meaning(), texts)

    def read_by_meaning(self) -> Iterator[tuple[str, list[str]]]:
        """Each item the encoder reads, with its readings: the charter's articles once one
        is imported, otherwise the entries and meetings."""
        if self._article_ids:
            yield from ((article.id, readings(article)) for article in self.charter.articles)
            return
        for entry in self.entries.values():
            yield entry.id, item_readings((entry.title.vi, entry.title.en),
                                          entry.questions.all(), (entry.answer.vi,))
        for meeting in self.meetings:
            said = [meeting.summary, *meeting.decisions]
            said += [text for text in (meeting.place, meeting.attendance, meeting.visits)
                     if text]
            yield meeting.id, item_readings((meeting.title.vi, meeting.title.en),
                                            meeting.questions.all(),
                                            (text.vi for text in said))

    def read_meanings_later(self) -> threading.Thread | None:
        """Read the items by meaning in a thread, if this build did not
        (:func:`bot.kb.semantic.kept_only`: a start serves at once, with the words-only
        model until then); the thread, or None when there is nothing to read."""
        if not self._meanings_deferred or semantic.encoder() is None:
            return None
        reading = threading.Thread(target=self._read_meanings, name="meanings", daemon=True)
        reading.start()
        return reading

    def _read_meanings(self) -> None:
        # One assignment: a question sees the model of words, then that of meanings.
        self._meanings = self._built_meanings()
        self._meanings_deferred = False

    def _closeness(self, question: str) -> dict[str, float] | None:
        """Each item's closeness in meaning to ``question`` (:mod:`bot.kb.semantic`), or
        None without the sentence encoder or its model."""
        if self._meanings is None or reranker.trained(self._meanings_model) is None:
            return None
        return dict(self._meanings.ranked(question)) or None

    def _title_terms(self, matches: list[Match]) -> dict[str, frozenset[str]]:
        """The reranker's words of each match's title, both languages (read once)."""
        read = self._titles_read
        for match in matches[:reranker.CANDIDATES]:
            if match.id not in read:
                read[match.id] = reranker.terms(
                    f"{self.title(match.id, 'vi')} {self.title(match.id, 'en')}")
        return read

    def _text_terms(self, matches: list[Match]) -> dict[str, frozenset[str]]:
        """The reranker's words of each match's whole text (read once, the latest
        :data:`_TEXTS_KEPT` items' kept)."""
        read = self._texts_read
        if len(read) > _TEXTS_KEPT:
            read.clear()
        for match in matches[:reranker.CANDIDATES]:
            if match.id not in read:
                read[match.id] = reranker.terms(" ".join(self._texts(match.id)))
        return read

    def __getstate__(self) -> dict[str, object]:
        """For a snapshot: without the words read for the reranker (caches, which questions
        may fill while the snapshot is written in another thread)."""
        return {**self.__dict__, "_titles_read": {}, "_texts_read": {}}

    def _texts(self, item_id: str) -> list[str]:
        """An item's own text in Vietnamese: an article's, an entry's answer, a meeting's
        summary and details."""
        if item_id in self._article_ids:
            return [self._article_ids[item_id].text.vi]
        if item_id in self.entries:
            return [self.entries[item_id].answer.vi]
        if item_id in self._meetings:
            meeting = self._meetings[item_id]
            return [meeting.summary.vi, *(text.vi for text in meeting.decisions),
                    *(text.vi for text in (meeting.place, meeting.attendance, meeting.visits)
                      if text is not None)]
        return []

    def _relative_meeting(self, when: RelativeMeeting, now: datetime | None) -> AnswerResult:
        """The next or the last meeting (of the kind asked) relative to ``now``."""
        moment = now if now is not None else datetime.now().astimezone()
        if moment.tzinfo is None:
            moment = moment.astimezone()
        schedule = self.meetings_sorted(moment)
        upcoming = [m for m in schedule.upcoming if when.kind in (None, m.kind)]
        past = [m for m in schedule.past if when.kind in (None, m.kind)]
        wanted, other = (upcoming, past) if when.next else (past, upcoming)
        if wanted:
            return AnswerResult("answered", wanted[0].id, 100.0)
        announced = self._upcoming_entry(when.kind) if when.next else None
        if announced is not None:
            # None listed: the entry that says where coming ones are announced.
            return AnswerResult("answered", announced, 100.0)
        if other:
            return AnswerResult("suggest", score=50.0, suggestions=(other[0].id,))
        return AnswerResult("unknown")

    def _upcoming_entry(self, kind: str | None) -> str | None:
        """The entry that tells where coming meetings of ``kind`` (any: None) are announced:
        one for the kind, else one for any meeting."""
        for wanted in (kind, "any"):
            for entry in self.entries.values():
                if wanted in entry.upcoming_for:
                    return entry.id
        return None

    def _topic_words(self, text: str) -> list[str]:
        """A topic keyword's words as the search reads them, a negation included."""
        return self.index.question_words(text, negation=True)

    def _scores(self, question: str) -> dict[str, float] | None:
        """Item id -> score for a question (the few best items), or None when the question
        has no topic, only question words ("ở đâu")."""
        if all(word in QUESTION_INTENTS for word in self.index.question_words(question)):
            return None
        return {match.id: match.score for match in self.index.search(question, limit=_SEARCHED)}

    def _named(self, item_id: str) -> list[str]:
        """What an item is about, by its titles and questions (not its keywords)."""
        if item_id in self.entries:
            entry = self.entries[item_id]
            return [entry.title.vi, entry.title.en, *entry.questions.all()]
        if item_id in self._meetings:
            meeting = self._meetings[item_id]
            return [meeting.title.vi, meeting.title.en, *meeting.questions.all()]
        return self._curated(item_id)

    def _curated(self, item_id: str) -> list[str]:
        """An item's curated texts (titles, questions, keywords): what it is about."""
        if item_id in self.entries:
            entry = self.entries[item_id]
            return [entry.title.vi, entry.title.en, *entry.questions.all(), *entry.keywords]
        if item_id in self._meetings:
            meeting = self._meetings[item_id]
            return [meeting.title.vi, meeting.title.en, *meeting.questions.all(),
                    *meeting.keywords]
        if item_id in self._article_ids:
            article = self._article_ids[item_id]
            return [article.title.vi, article.title.en]
        return []

    # -- rendering ---------------------------------------------------------------------------

    def title(self, item_id: str, lang: str) -> str:
        """The short title of any answerable item (for buttons and lists)."""
        if item_id in self.entries:
            return self.entries[item_id].title.get(lang)
        if item_id in self._meetings:
            return self._meetings[item_id].title.get(lang)
        if item_id in self._article_ids:
            article = self._article_ids[item_id]
            return f"{self.labels['article'].get(lang)} {article.number}. " \
                   f"{article.title.get(lang)}"
        if item_id in self._chapters:
            chapter = self._chapters[item_id]
            if chapter.number is None:
                return chapter.title.get(lang)
            return f"{self.labels['chapter'].get(lang)} {roman(chapter.number)}. " \
                   f"{chapter.title.get(lang)}"
        raise KeyError(f"no item {item_id!r} in the knowledge base")

    def render_answer(
        self, item_id: str, lang: str, association: AssociationConfig
    ) -> RenderedAnswer:
        """The answer to show for an item, in ``lang``, with contact details from config.

        A stand-in entry the charter now covers (a "see also" button kept from before the
        import) shows the article that answers instead, the other covering ones as buttons.
        """
        articles = self.superseded.get(item_id)
        if articles:
            shown = self.render_answer(articles[0], lang, association)
            return replace(shown, see=articles[1:] + shown.see)
        title = self.title(item_id, lang)
        if item_id in self.entries:
            entry = self.entries[item_id]
            parts = [entry.answer.get(lang)]
            # Only where the member's next step is to contact the office (docs/voice.md).
            if entry.contact:
                parts.append(self.contact.get(lang))
            text = "\n\n".join(filter(None, (fill_placeholders(p, association) for p in parts)))
            return RenderedAnswer(title, text, entry.source.get(lang), entry.see)
        if item_id in self._meetings:
            meeting = self._meetings[item_id]
            return RenderedAnswer(title, self._meeting_text(meeting, lang),
                                  meeting.source.get(lang), meeting.see)
        source = self.charter.source.get(lang)
        if item_id in self._article_ids:
            article = self._article_ids[item_id]
            cited = f"{self.labels['article'].get(lang)} {article.number}"
            if article.chapter is not None:
                cited = f"{self.labels['chapter'].get(lang)} {roman(article.chapter)}, {cited}"
            return RenderedAnswer(title, f"{title}\n\n{article.text.get(lang)}",
                                  f"{source}, {cited}")
        chapter = self._chapters[item_id]
        lines = [title, *(f"- {self.title(article.id, lang)}" for article in chapter.articles)]
        see = tuple(article.id for article in chapter.articles)
        return RenderedAnswer(title, "\n".join(lines), source, see)

    def _meeting_text(self, meeting: Meeting, lang: str) -> str:
        label = {key: text.get(lang) for key, text in self.labels.items()}
        when = format_day(meeting.start, lang)
        if meeting.end is not None:
            when = f"{when} – {format_day(meeting.end, lang)}"
        head = [meeting.title.get(lang), f"{label['date']}: {when}"]
        if meeting.place is not None:
            head.append(f"{label['place']}: {meeting.place.get(lang)}")
        if meeting.term is not None:
            head.append(f"{label['term']}: {self.terms[meeting.term].name.get(lang)}")
        if meeting.attendance is not None:
            head.append(f"{label['attendance']}: {meeting.attendance.get(lang)}")
        parts = ["\n".join(head), meeting.summary.get(lang)]
        if meeting.decisions:
            parts.append("\n".join([f"{label['decisions']}:",
                                    *(f"- {item.get(lang)}" for item in meeting.decisions)]))
        if meeting.visits is not None:
            parts.append(f"{label['visits']}: {meeting.visits.get(lang)}")
        return "\n\n".join(parts)

    # -- browsing ----------------------------------------------------------------------------

    def article(self, number: int) -> Article | None:
        """Charter article ``number``, or None (also while the charter is not imported)."""
        return self._articles.get(number)

    def chapter(self, number: int) -> Chapter | None:
        """Charter chapter ``number``, or None."""
        return next((c for c in self.charter.chapters if c.number == number), None)

    def meeting(self, meeting_id: str) -> Meeting | None:
        """The meeting with this id, or None."""
        return self._meetings.get(meeting_id)

    def meetings_sorted(self, now: datetime) -> MeetingSchedule:
        """Meetings split at ``now`` (aware; its zone is the association's): upcoming
        soonest first, past newest first. A meeting is upcoming until its last day ends."""
        if now.tzinfo is None:
            raise ValueError("meetings_sorted needs a timezone-aware datetime")
        tz = now.tzinfo
        upcoming = sorted((m for m in self.meetings if m.ends_at(tz) > now),
                          key=lambda m: m.starts_at(tz))
        past = sorted((m for m in self.meetings if m.ends_at(tz) <= now),
                      key=lambda m: m.starts_at(tz), reverse=True)
        return MeetingSchedule(tuple(upcoming), tuple(past))
