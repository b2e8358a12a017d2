"""Personal data rights in the core: erasing a person (/forget) and data retention.

What the bot showed in chats about the person (cards, lists, notices), their pending request
to join the members' group, their place in it, the secretariat's copies of their
applications: all of it is taken back through the durable outbox (:mod:`bot.outbox`), whose
effects are carried out over Telegram by the privacy feature's glue (``handlers/mydata.py``)
and the membership feature's (``handlers/membership/effects.py``, the group).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.config import Config
from bot.membership.applications import (
    ABANDONED_FORM_RETENTION_DAYS,
    CLOSED_APPLICATION_RETENTION_DAYS,
)
from bot.outbox import Outbox
from bot.storage import Database, utcnow
from bot.storage.membership import MembershipRepository
from bot.storage.outbox import Effect
from bot.storage.personal_data import Erasure, PersonalDataRepository
from bot.storage.personal_messages import PersonalMessageRepository
from bot.storage.questions import QuestionRepository
from bot.storage.retention import RetentionRepository

log = logging.getLogger(__name__)

# Repeatable effects (doing them twice changes nothing).
BLANK = "messages.blank"  # delete (else blank) the bot's messages: {"messages": [[chat, id]]}
DECLINE = "person.decline"  # decline their join requests: {"user_id", "chats": [chat ids]}
REMOVE = "person.remove"  # take them out of the members' group: {"user_id"}
ERASED_NOTICES = "application.erased"  # the admins' copies: {"notices": [[app, chat, id]]}
# Not repeatable: a message sent twice is a duplicate.
ERASED = "person.erased"  # tell the secretariat: {"member", "applications", "number"}
# Effects whose payload names the person: their finished rows are dropped at once.
NAMING_THE_PERSON = (DECLINE, REMOVE)

OUTBOX_KEPT_DAYS = 30  # finished outbox entries, kept for a look after an incident


@dataclass(frozen=True)
class Repositories:
    """What the privacy service reads and erases."""

    db: Database
    membership: MembershipRepository
    personal_data: PersonalDataRepository
    personal_messages: PersonalMessageRepository
    questions: QuestionRepository
    retention: RetentionRepository


class PrivacyService:
    """/forget and the daily retention purge."""

    def __init__(self, config: Config, repositories: Repositories, outbox: Outbox) -> None:
        self.config = config
        self.repos = repositories
        self.outbox = outbox

    async def forget(self, user_id: int) -> Erasure:
        """Erase everything about the person, then take back what the bot showed of it (a
        crash in between loses nothing: the outbox runs again at start)."""
        repos = self.repos
        member = await repos.membership.member_of(user_id)
        was_member = member is not None and member.active
        chats = sorted({r.chat_id for r in await repos.membership.pending_join_requests(user_id)})
        # Their questions, with the secretariat's copies of them, go first.
        await self.forget_questions(user_id)
        # Cards, lists, prompts and notices that showed the person.
        shown = await repos.personal_messages.of_subject(user_id)
        before: list[Effect] = []
        if chats:
            before.append((DECLINE, {"user_id": user_id, "chats": chats}))
        if was_member:
            before.append((REMOVE, {"user_id": user_id}))
        if shown:
            before.append((BLANK, {"messages": [list(message) for message in shown]}))

        def effects(erasure: Erasure) -> list[Effect]:
            after = list(before)
            if erasure.notices:
                after.append((ERASED_NOTICES, {"notices": [list(n) for n in erasure.notices]}))
            if was_member or erasure.applications:
                after.append(
                    (
                        ERASED,
                        {
                            "member": was_member,
                            "applications": erasure.applications,
                            "number": erasure.member_number,
                        },
                    )
                )
            return after

        erasure = await repos.personal_data.erase(user_id, utcnow(), effects=effects)
        log.info(
            "personal data of a user erased on request: %s applications, member %s",
            erasure.applications,
            erasure.member_number,
        )
        await self.outbox.run_pending()
        await self.outbox.repository.drop_done(NAMING_THE_PERSON)
        await repos.db.checkpoint()
        return erasure

    async def forget_questions(self, user_id: int) -> int:
        """Erase a person's questions with the replies, and take back the secretariat's
        copies of them; how many questions were erased."""
        notices = await self.repos.questions.notices_of_user(user_id)
        erased = await self.repos.questions.erase_user(user_id)
        await self.take_back(notices)
        return erased

    async def take_back(self, messages: list[tuple[int, int]]) -> None:
        """Delete (or blank) these messages of the bot, through the outbox."""
        if messages:
            await self.outbox.repository.add([(BLANK, {"messages": [list(m) for m in messages]})])
            await self.outbox.run_pending()

    async def purge_expired(self) -> dict[str, int]:
        """Erase closed applications, abandoned forms, old join requests, silent visitors,
        old questions and delivery records past their time (``retention`` in the config)."""
        repos = self.repos
        now = utcnow()
        purged = await repos.membership.purge_expired(
            now,
            closed_after_days=CLOSED_APPLICATION_RETENTION_DAYS,
            forms_after_days=ABANDONED_FORM_RETENTION_DAYS,
        )
        days = self.config.retention
        admins = self.config.admins
        # Messages that showed what is about to go are taken back first (deleted or blanked).
        visitors, notices = await repos.retention.expiring(
            now, visitor_days=days.visitor_days, question_days=days.question_days, keep=admins
        )
        shown = list(notices)
        for user_id in visitors:
            shown += await repos.personal_messages.of_subject(user_id)
        await self.take_back(shown)
        others = await repos.retention.purge(
            now,
            visitor_days=days.visitor_days,
            question_days=days.question_days,
            delivery_days=days.delivery_days,
            keep=admins,
        )
        purged.update(
            visitors=others.visitors, questions=others.questions, deliveries=others.deliveries
        )
        purged["outbox"] = await self.outbox.repository.purge_finished(
            now - timedelta(days=OUTBOX_KEPT_DAYS)
        )
        if any(purged.values()):
            log.info("data retention: erased %s", purged)
            await repos.db.checkpoint()
        return purged
