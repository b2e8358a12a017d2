"""Reminders to the registrants of a meeting open for registration: by default 1 day and
2 hours before it, in each registrant's language, with the time, the venue and a map link.

They are knowledge-base announcements like the others (stable keys
``meeting:<id>:reg<hours>h:<lang>``, audience ``reg:<id>:<lang>``), so the durable sender
delivers them once each, across restarts and /reload.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import clock
from bot.announcements.schedule import Once
from bot.announcements.service import Definition
from bot.config import LANGUAGES, Config
from bot.kb import KnowledgeBase
from bot.kb.model import Meeting
from bot.texts import Catalog


def map_link(meeting: Meeting) -> str:
    """The meeting's map link: its map_url, else one built from its coordinates, else ""."""
    if meeting.map_url:
        return meeting.map_url
    if meeting.coordinates is not None:
        latitude, longitude = meeting.coordinates
        return f"https://www.google.com/maps?q={latitude},{longitude}"
    return ""


def reminder_text(texts: Catalog, lang: str, meeting: Meeting, config: Config) -> str:
    """A registrant's reminder, as plain text (the catalog text has no markup)."""
    start = meeting.starts_at(config.tz)
    when = clock.moment(start) if meeting.has_time else clock.day(start)
    place = meeting.place.get(lang) if meeting.place is not None else "—"
    link = map_link(meeting)
    text = texts.raw("registration.reminder", lang).format(
        title=meeting.title.get(lang), when=when, place=place
    )
    if link:
        text += "\n" + texts.raw("registration.reminder_map", lang).format(link=link)
    return text


def registration_hint(texts: Catalog, lang: str, meeting: Meeting) -> str:
    """For a meeting open for registration, the line telling subscribers where to register."""
    if meeting.registration is None:
        return ""
    return "\n" + texts.raw("registration.reminder_register", lang)


def subscriber_reminder_wanted(meeting: Meeting, days: int, config: Config) -> bool:
    """With registration, subscribers keep only the notices earlier than the registrants'
    reminders (the general 7-day notice); the later ones go to the registrants instead."""
    if meeting.registration is None:
        return True
    hours = config.announcements.registrant_reminder_hours
    return not hours or days * 24 > max(hours)


def registrant_reminders(
    kb: KnowledgeBase, config: Config, texts: Catalog, now: datetime
) -> list[Definition]:
    """The reminders every upcoming meeting with registration asks for now."""
    found = []
    for meeting in kb.meetings_sorted(now).upcoming:
        if meeting.registration is None:
            continue
        start = meeting.starts_at(config.tz)
        for hours in config.announcements.registrant_reminder_hours:
            if hours < 24 and not meeting.has_time:
                continue  # "2 hours before" a meeting whose hour is unknown means nothing
            at = start - timedelta(hours=hours)
            for lang in LANGUAGES:
                found.append(
                    Definition(
                        key=f"meeting:{meeting.id}:reg{hours:g}h:{lang}",
                        text=reminder_text(texts, lang, meeting, config),
                        rule=Once(at),
                        audience=f"reg:{meeting.id}:{lang}",
                    )
                )
    return found
