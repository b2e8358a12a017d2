"""Membership decisions and everything that follows them, in one place.

Submitting, approving, rejecting, withdrawing and revoking each commit the decision with its
consequences (:mod:`bot.membership.decisions`) in one transaction; :meth:`carry_out` then
carries the consequences out through the durable outbox (:mod:`bot.outbox`): telling the
applicant, letting them into (or out of) the members' group, updating the secretariat's
copies. A handler calls it right after (or, to answer the person who acted first, right
after its reply); a crash in between loses nothing, as the outbox runs again at start.
Subscribing a new member to announcements is part of the approval's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.membership import decisions
from bot.outbox import Outbox
from bot.storage import utcnow
from bot.storage.membership import MembershipRepository
from bot.storage.membership_records import Application, Decision, Member


@dataclass(frozen=True)
class Admin:
    """Who decides: a Telegram user id and the name the log keeps."""

    id: int
    name: str


class MembershipService:
    """Applications' life cycle and what follows each decision."""

    def __init__(self, repository: MembershipRepository, outbox: Outbox) -> None:
        self.repository = repository
        self.outbox = outbox

    async def submit(
        self, user_id: int, chat_id: int, data: dict[str, Any], language: str
    ) -> Application:
        """Write a confirmed application and show it to the secretariat.

        Raises :class:`bot.storage.membership.AlreadyPending` or ``AlreadyMember``."""
        return await self.repository.submit(
            user_id, chat_id, data, language, utcnow(), effects=decisions.after_submission
        )

    async def approve(
        self,
        application_id: int,
        admin: Admin,
        reply_chat_id: int,
        card: tuple[int, int] | None = None,
    ) -> Decision:
        """Approve a pending application: member record, announcements, the group, the
        applicant told, the admins' copies (and the pressed ``card``) updated."""
        return await self.repository.approve(
            application_id,
            admin.id,
            admin.name,
            utcnow(),
            effects=decisions.after_approval(application_id, reply_chat_id, card),
        )

    async def reject(
        self, application_id: int, admin: Admin, reason: str, reply_chat_id: int
    ) -> Decision:
        """Reject a pending application with a reason; the applicant is told it."""
        return await self.repository.reject(
            application_id,
            admin.id,
            admin.name,
            reason,
            utcnow(),
            effects=decisions.after_rejection(application_id, reply_chat_id),
        )

    async def withdraw(self, application_id: int, user_id: int) -> Decision:
        """The applicant withdraws their pending application; a join request is declined."""
        return await self.repository.withdraw(
            application_id, user_id, utcnow(), effects=decisions.after_withdrawal(application_id)
        )

    async def revoke(self, number: int, admin: Admin) -> Member | None:
        """End an active membership: out of the group, the former member told. None if
        there is no active member with that number."""
        return await self.repository.revoke(
            number, admin.id, admin.name, utcnow(), effects=decisions.after_revocation(number)
        )

    async def carry_out(self) -> None:
        """Carry out the committed consequences now."""
        await self.outbox.run_pending()

