"""The knowledge base's typed model: what the YAML files in ``knowledge/`` become once loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from bot.config import LANGUAGES


@dataclass(frozen=True)
class Location:
    """Where something was written: a file of the knowledge folder and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Text:
    """A user-visible text in both languages."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("vi" or "en")."""
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class Phrases:
    """Ways members ask for something, per language (what the search matches against)."""

    vi: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        """Every phrasing, both languages."""
        return self.vi + self.en


@dataclass(frozen=True)
class Entry:
    """A question-and-answer item (``entries`` and ``charter_facts`` sections)."""

    id: str
    title: Text
    answer: Text
    source: Text
    questions: Phrases
    where: Location
    keywords: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    contact: bool = False
    charter: bool = False
    # Charter topics (ids of :class:`Topic`) this entry answers until the official text
    # is imported: once articles cover one of them, they answer instead.
    stands_in_for: tuple[str, ...] = ()
    # Kinds of meetings (MEETING_KINDS, or "any") whose coming ones this entry tells where
    # to look for: it answers "the next congress" while no such meeting is listed.
    upcoming_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """A term of office (khóa) of the association's elected bodies."""

    id: str
    number: int
    start_year: int
    end_year: int
    name: Text
    where: Location
    president: str = ""


MEETING_KINDS = ("congress", "executive-committee", "standing-committee", "other")


@dataclass(frozen=True)
class Registration:
    """A meeting's ``registration:`` block: who may register, from when to when, how many.

    ``opens`` and ``closes`` are naive local date-times (None: open now, closes when the
    meeting starts); ``capacity`` None means no limit; a seat freed by a cancellation is
    offered to the first on the waiting list for ``offer_hours``.
    """

    opens: datetime | None = None
    closes: datetime | None = None
    capacity: int | None = None
    members_only: bool = False
    question: Text | None = None
    offer_hours: float = 24.0
    feedback: bool = False


@dataclass(frozen=True)
class Meeting:
    """A congress, a BCH or BTV conference, or another meeting of the association.

    ``start`` and ``end`` are the association's local dates (or naive local date-times when
    the hour is known); :meth:`starts_at` and :meth:`ends_at` place them in a time zone.
    """

    id: str
    kind: str
    title: Text
    start: date | datetime
    summary: Text
    source: Text
    where: Location
    end: date | datetime | None = None
    number: int | None = None
    term: str | None = None
    place: Text | None = None
    attendance: Text | None = None
    decisions: tuple[Text, ...] = ()
    visits: Text | None = None
    questions: Phrases = field(default_factory=Phrases)
    keywords: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    registration: Registration | None = None
    coordinates: tuple[float, float] | None = None
    map_url: str | None = None

    @property
    def has_time(self) -> bool:
        """Whether the start hour is known (otherwise the meeting is a whole-day event)."""
        return isinstance(self.start, datetime)

    def starts_at(self, tz: tzinfo) -> datetime:
        """The start as an aware date-time (midnight when only the date is known)."""
        return _local(self.start, tz)

    def ends_at(self, tz: tzinfo) -> datetime:
        """When the meeting is over: its end, or else the end of its (last) day."""
        last = self.end if self.end is not None else self.start
        if isinstance(last, datetime) and self.end is not None:
            return _local(last, tz)
        day = last.date() if isinstance(last, datetime) else last
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)


def _local(moment: date | datetime, tz: tzinfo) -> datetime:
    if isinstance(moment, datetime):
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)
    return datetime.combine(moment, time(0), tzinfo=tz)


@dataclass(frozen=True)
class MeetingSchedule:
    """Meetings relative to a moment: ``upcoming`` soonest first, ``past`` newest first."""

    upcoming: tuple[Meeting, ...]
    past: tuple[Meeting, ...]


@dataclass(frozen=True)
class Article:
    """An article (Điều) of the charter."""

    id: str
    number: int
    title: Text
    text: Text
    where: Location
    chapter: int | None = None


@dataclass(frozen=True)
class Chapter:
    """A chapter (Chương) of the charter and its articles."""

    id: str
    number: int | None
    title: Text
    articles: tuple[Article, ...]
    where: Location


@dataclass(frozen=True)
class Charter:
    """The charter (Điều lệ): where its full text is, and its chapters once imported."""

    title: Text
    source: Text
    full_text: Text
    chapters: tuple[Chapter, ...] = ()

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article, in the order of the text."""
        return tuple(article for chapter in self.chapters for article in chapter.articles)


@dataclass(frozen=True)
class Topic:
    """A charter topic (fee, rights, admission, ...): the articles whose title holds one of
    its ``keywords`` cover it, and stand-in entries yield to them."""

    id: str
    title: Text
    keywords: tuple[str, ...]
    where: Location
    # An aspect of whatever it is said of ("nhiệm vụ", tasks): named beside another topic
    # ("nhiệm vụ của ban chấp hành"), the other is what is asked.
    aspect: bool = False


@dataclass(frozen=True)
class Subjects:
    """Who a question can be about: words that make it about the association
    (``association``), and other bodies, each by its names (``others``), whose own facts
    the knowledge base does not hold."""

    association: tuple[str, ...] = ()
    others: tuple[tuple[str, ...], ...] = ()


SCHEDULE_KINDS = ("once", "daily", "weekly", "monthly", "cron")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AUDIENCES = ("all", "members", "group", "channel")


@dataclass(frozen=True)
class Schedule:
    """When an announcement is sent, in the association's time zone.

    ``kind`` is one of :data:`SCHEDULE_KINDS`. ``once`` sets ``at`` (a naive local
    date-time); ``daily`` sets ``time``; ``weekly`` sets ``weekday`` (0 = Monday) and
    ``time``; ``monthly`` sets ``day`` (1-31; months without that day are skipped) and
    ``time``; ``cron`` sets ``cron`` (five fields: minute hour day month weekday).
    """

    kind: str
    at: datetime | None = None
    time: time | None = None
    weekday: int | None = None
    day: int | None = None
    cron: str | None = None


@dataclass(frozen=True)
class Announcement:
    """A scheduled announcement for the scheduler.

    ``audience`` is one of :data:`AUDIENCES`: everyone who started the bot, approved
    members, the members' group, or the configured announcements channel.
    """

    id: str
    text: Text
    schedule: Schedule
    audience: str
    where: Location
    enabled: bool = True
