"""A meeting as an iCalendar file (RFC 5545), so members can add it to their phone's calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.kb.model import Meeting

_MAX_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\n").replace("\n", "\\n")
    )


def _fold(line: str) -> bytes:
    """Fold a content line into chunks of at most 75 octets, never splitting a character."""
    out = bytearray()
    limit = _MAX_OCTETS
    chunk = bytearray()
    for char in line:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > limit:
            out += chunk + b"\r\n "
            chunk = bytearray()
            limit = _MAX_OCTETS - 1  # the leading space of a continuation line counts
        chunk += encoded
    return bytes(out + chunk + b"\r\n")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day_after(moment: date | datetime) -> str:
    day = moment.date() if isinstance(moment, datetime) else moment
    return (day + timedelta(days=1)).strftime("%Y%m%d")


def meeting_ics(
    meeting: Meeting, tz: tzinfo, lang: str = "vi", *, now: datetime | None = None
) -> bytes:
    """The meeting as a ``.ics`` calendar file in ``lang``.

    ``tz`` is the association's time zone, in which the meeting's dates are written. A
    meeting without an hour is an all-day event. The UID comes from the meeting's id, so a
    calendar that imports the file twice updates the event instead of duplicating it.
    """
    if meeting.has_time:
        start = f"DTSTART:{_utc(meeting.starts_at(tz))}"
        end = None
        if isinstance(meeting.end, datetime):
            end = f"DTEND:{_utc(meeting.ends_at(tz))}"
        elif isinstance(meeting.end, date):
            end = f"DTEND:{_utc(datetime.combine(meeting.end + timedelta(days=1), time(0), tz))}"
    else:
        start = f"DTSTART;VALUE=DATE:{meeting.starts_at(tz):%Y%m%d}"
        end = f"DTEND;VALUE=DATE:{_day_after(meeting.end or meeting.start)}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//HoiBot//Knowledge base//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{meeting.id}@hoibot",
        f"DTSTAMP:{_utc(now or datetime.now(UTC))}",
        start,
        *([end] if end else []),
        f"SUMMARY:{_escape(meeting.title.get(lang))}",
        *([f"LOCATION:{_escape(meeting.place.get(lang))}"] if meeting.place else []),
        f"DESCRIPTION:{_escape(meeting.summary.get(lang))}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return b"".join(_fold(line) for line in lines)
