"""The membership feature's records as the code sees them (applications, members, the
decision log, join requests) and how database rows become them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.membership.applications import MemberStatus
from bot.storage import db_time, from_db_time


@dataclass(frozen=True)
class Application:
    id: int
    user_id: int
    chat_id: int
    language: str
    kind: str
    full_name: str
    organisation: str
    position: str
    province: str
    email: str
    phone: str
    representative: str
    consent_at: datetime
    consent_version: str
    consent_language: str
    status: str
    submitted_at: datetime
    decided_at: datetime | None
    decided_by: int | None
    decided_by_name: str | None
    reason: str | None
    member_number: int | None


@dataclass(frozen=True)
class Member:
    number: int
    user_id: int | None
    kind: str
    full_name: str
    status: str
    joined_at: datetime
    province: str
    application_id: int | None
    revoked_at: datetime | None
    # From the approved application, when it is still kept.
    organisation: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""
    representative: str = ""
    applicant_name: str = ""

    @property
    def active(self) -> bool:
        return self.status == MemberStatus.ACTIVE


@dataclass(frozen=True)
class LogEntry:
    at: datetime
    action: str
    application_id: int | None
    member_number: int | None
    actor_id: int | None
    actor_name: str | None
    reason: str | None


@dataclass(frozen=True)
class JoinRequest:
    chat_id: int
    user_id: int
    user_chat_id: int | None
    requested_at: datetime
    status: str
    decided_at: datetime | None


@dataclass(frozen=True)
class Decision:
    """The outcome of approving, rejecting or withdrawing: ``changed`` is False when the
    application was no longer pending (``application`` then shows who decided first)."""

    changed: bool
    application: Application
    member: Member | None = None


class AlreadyPending(Exception):
    """The person already has an application waiting for review."""

    def __init__(self, application: Application) -> None:
        super().__init__(f"application {application.id} is pending")
        self.application = application


class AlreadyMember(Exception):
    """The person is already an active member."""

    def __init__(self, member: Member) -> None:
        super().__init__(f"already member {member.number}")
        self.member = member


def application(row: Any) -> Application:
    return Application(
        id=row["id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        language=row["language"],
        kind=row["kind"],
        full_name=row["full_name"],
        organisation=row["organisation"],
        position=row["position"],
        province=row["province"],
        email=row["email"],
        phone=row["phone"],
        representative=row["representative"],
        consent_at=db_time(row["consent_at"]),
        consent_version=row["consent_version"],
        consent_language=row["consent_language"],
        status=row["status"],
        submitted_at=db_time(row["submitted_at"]),
        decided_at=from_db_time(row["decided_at"]),
        decided_by=row["decided_by"],
        decided_by_name=row["decided_by_name"],
        reason=row["reason"],
        member_number=row["member_number"],
    )


def member(row: Any) -> Member:
    return Member(
        number=row["number"],
        user_id=row["user_id"],
        kind=row["kind"],
        full_name=row["full_name"],
        status=row["status"],
        joined_at=db_time(row["joined_at"]),
        province=row["province"],
        application_id=row["application_id"],
        revoked_at=from_db_time(row["revoked_at"]),
        organisation=row["organisation"],
        position=row["position"],
        email=row["email"],
        phone=row["phone"],
        representative=row["representative"],
        applicant_name=row["applicant_name"],
    )


def member_name(kind: str, full_name: str, organisation: str) -> str:
    """The name on a member record: the organisation's for organisation members."""
    return organisation if kind == "organisation" else full_name


def log_entry(row: Any) -> LogEntry:
    return LogEntry(
        at=db_time(row["at"]),
        action=row["action"],
        application_id=row["application_id"],
        member_number=row["member_number"],
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        reason=row["reason"],
    )


def join_request(row: Any) -> JoinRequest:
    return JoinRequest(
        chat_id=row["chat_id"],
        user_id=row["user_id"],
        user_chat_id=row["user_chat_id"],
        requested_at=db_time(row["requested_at"]),
        status=row["status"],
        decided_at=from_db_time(row["decided_at"]),
    )
