"""Announcements the knowledge base defines: its scheduled notices and meeting reminders.

Each gets a stable key (``kb:<id>``, ``meeting:<id>:<days>``) so that restarts and /reload
update the same schedule instead of adding another. Texts are sent as plain text in the
association's default language, so a ``<`` or ``&`` in them is just a character.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from bot.announcements.schedule import Cron, Daily, Once, Rule, Weekly, at_local
from bot.announcements.service import Definition
from bot.config import Config
from bot.kb import KnowledgeBase, fill_placeholders
from bot.kb.model import Meeting, Schedule
from bot.meetings.reminders import (
    registrant_reminders,
    registration_hint,
    subscriber_reminder_wanted,
)
from bot.storage.announcements import MEMBERS, SUBSCRIBERS
from bot.texts import Catalog, formats

# The knowledge base's "all" is everyone who wants announcements: the subscribers (consent
# to receive them is recorded by /subscribe; anyone may leave with /unsubscribe).
_AUDIENCES = {"all": SUBSCRIBERS, "members": MEMBERS, "group": "group", "channel": "channel"}
# Meeting reminders go out at this local time, the given number of days before the meeting.
REMINDER_TIME = time(8, 0)


def rule_for(schedule: Schedule, tz: tzinfo) -> Rule:
    """The knowledge base's schedule as a rule in the association's zone."""
    if schedule.kind == "once":
        assert schedule.at is not None
        return Once(at_local(schedule.at.date(), schedule.at.time(), tz))
    if schedule.kind == "daily":
        assert schedule.time is not None
        return Daily(schedule.time, tz)
    if schedule.kind == "weekly":
        assert schedule.weekday is not None and schedule.time is not None
        return Weekly(schedule.weekday, schedule.time, tz)
    if schedule.kind == "monthly":
        # The knowledge base skips months without that day, as cron does.
        assert schedule.day is not None and schedule.time is not None
        at = schedule.time
        return Cron(f"{at.minute} {at.hour} {schedule.day} * *", tz)
    assert schedule.cron is not None
    return Cron(schedule.cron, tz)


def reminder_text(texts: Catalog, lang: str, meeting: Meeting, days: int, tz: tzinfo) -> str:
    """A meeting reminder, as plain text (the catalog text has no markup)."""
    start = meeting.starts_at(tz)
    when = formats.moment(start) if meeting.has_time else formats.day(start)
    place = f", {meeting.place.get(lang)}" if meeting.place is not None else ""
    return texts.raw("announce.meeting_reminder", lang).format(
        title=meeting.title.get(lang), when=when, days=days, place=place
    )


def definitions(
    kb: KnowledgeBase, config: Config, texts: Catalog, now: datetime
) -> list[Definition]:
    """Every announcement the knowledge base asks for now."""
    tz = config.tz
    lang = config.default_language
    found = [
        Definition(
            key=f"kb:{announcement.id}",
            text=fill_placeholders(announcement.text.get(lang), config.association),
            rule=rule_for(announcement.schedule, tz),
            audience=_AUDIENCES[announcement.audience],
        )
        for announcement in kb.announcements
        if announcement.enabled
    ]
    for meeting in kb.meetings_sorted(now).upcoming:
        for days in config.announcements.meeting_reminder_days:
            if not subscriber_reminder_wanted(meeting, days, config):
                continue
            day = meeting.starts_at(tz).date() - timedelta(days=days)
            found.append(
                Definition(
                    key=f"meeting:{meeting.id}:{days}",
                    text=reminder_text(texts, lang, meeting, days, tz)
                    + registration_hint(texts, lang, meeting),
                    rule=Once(at_local(day, REMINDER_TIME, tz)),
                )
            )
    return found + registrant_reminders(kb, config, texts, now)
