"""The rules of registering for a meeting, without Telegram: when it is open, who may
register, what happens on cancellation. Seats are decided by the repository in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.kb import KnowledgeBase, Meeting
from bot.storage.membership_records import Member, member_name
from bot.storage.registrations import (
    Cancellation,
    Expiry,
    Registrant,
    Registration,
    RegistrationRepository,
)

# Why a meeting cannot be registered for now; each is a catalog key "registration.<reason>".
UNKNOWN, NO_REGISTRATION, PAST, NOT_YET, CLOSED, MEMBERS_ONLY = (
    "unknown",
    "not_open_for_registration",
    "past",
    "not_yet",
    "closed",
    "members_only",
)


def opens_at(meeting: Meeting, tz: tzinfo) -> datetime | None:
    """When registration opens (None: it is open from the start)."""
    registration = meeting.registration
    if registration is None or registration.opens is None:
        return None
    return registration.opens.replace(tzinfo=tz)


def closes_at(meeting: Meeting, tz: tzinfo) -> datetime:
    """When registration closes: as written, else when the meeting starts."""
    registration = meeting.registration
    if registration is not None and registration.closes is not None:
        return registration.closes.replace(tzinfo=tz)
    return meeting.starts_at(tz)


def refusal(meeting: Meeting | None, now: datetime, member: Member | None) -> str | None:
    """Why this person cannot register for this meeting now, or None if they can."""
    if meeting is None:
        return UNKNOWN
    tz = now.tzinfo
    assert tz is not None
    if meeting.ends_at(tz) <= now:
        return PAST
    if meeting.registration is None:
        return NO_REGISTRATION
    opens = opens_at(meeting, tz)
    if opens is not None and now < opens:
        return NOT_YET
    if now >= closes_at(meeting, tz):
        return CLOSED
    if meeting.registration.members_only and (member is None or not member.active):
        return MEMBERS_ONLY
    return None


def open_meetings(kb: KnowledgeBase, now: datetime) -> list[Meeting]:
    """Upcoming meetings open for registration now, soonest first."""
    return [
        meeting
        for meeting in kb.meetings_sorted(now).upcoming
        if refusal(meeting, now, None) in (None, MEMBERS_ONLY)
    ]


@dataclass(frozen=True)
class Known:
    """What the member record already says about a registrant."""

    full_name: str = ""
    organisation: str = ""
    province: str = ""
    member_number: int | None = None


def known_from(member: Member | None) -> Known:
    """Name, organisation and province from an active member record (else nothing)."""
    if member is None or not member.active or not member.full_name:
        return Known()
    name = member.applicant_name or member_name(member.kind, member.full_name, "")
    return Known(
        full_name=name,
        organisation=member.organisation or (member.full_name if member.kind == "organisation"
                                             else ""),
        province=member.province,
        member_number=member.number,
    )


class RegistrationService:
    """Registers, cancels, accepts offers and lets offers expire, over the repository."""

    def __init__(self, repo: RegistrationRepository) -> None:
        self.repo = repo

    async def register(
        self, meeting: Meeting, person: Registrant, now: datetime
    ) -> tuple[Registration, bool]:
        """Take a seat or a place on the waiting list (atomically); (row, is it new)."""
        assert meeting.registration is not None
        return await self.repo.register(meeting.id, person, meeting.registration.capacity, now)

    async def cancel(
        self, meeting: Meeting | None, meeting_id: str, user_id: int, now: datetime
    ) -> Cancellation:
        """Cancel; a freed seat is offered to the next in line for the meeting's offer time,
        unless the meeting has begun."""
        hours = meeting.registration.offer_hours if meeting and meeting.registration else 24.0
        tz = now.tzinfo
        assert tz is not None
        begun = meeting is None or meeting.starts_at(tz) <= now
        return await self.repo.cancel(meeting_id, user_id, hours, now, offer_seat=not begun)

    async def fill_free_seats(self, kb: KnowledgeBase, now: datetime) -> list[Registration]:
        """Offer the seats freed outside a cancellation (a larger capacity in the knowledge
        base, a registrant who used /forget) to the waiting lists of meetings still to come."""
        offers = []
        for meeting in kb.meetings_sorted(now).upcoming:
            registration = meeting.registration
            tz = now.tzinfo
            assert tz is not None
            if registration is None or meeting.starts_at(tz) <= now:
                continue
            offers += await self.repo.fill_free_seats(
                meeting.id, registration.capacity, registration.offer_hours, now
            )
        return offers

    async def expire(self, kb: KnowledgeBase, now: datetime) -> Expiry:
        """Offers past their time pass to the next on each waiting list."""
        hours = {
            meeting.id: meeting.registration.offer_hours
            for meeting in kb.meetings
            if meeting.registration is not None
        }
        return await self.repo.expire_offers(hours, now)
