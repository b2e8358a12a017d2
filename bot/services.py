"""The services one running bot shares between its handlers (kept in ``bot_data``)."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol

from bot.clock import Clock
from bot.config import Config
from bot.kb.knowledge import KnowledgeBase
from bot.kb.service import KnowledgeService, snapshot_beside
from bot.membership.service import MembershipService
from bot.outbox import Outbox
from bot.privacy import PrivacyService, Repositories
from bot.storage import Database
from bot.storage.announcements import AnnouncementRepository
from bot.storage.approvals import ApprovalRepository
from bot.storage.errors import ReportedErrorRepository
from bot.storage.forms import FormRepository
from bot.storage.learned import LearnedRepository
from bot.storage.membership import MembershipRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.personal_data import PersonalDataRepository
from bot.storage.personal_messages import PersonalMessageRepository
from bot.storage.questions import QuestionRepository
from bot.storage.registrations import RegistrationRepository
from bot.storage.retention import RetentionRepository
from bot.storage.stats import StatsRepository
from bot.storage.users import UserRepository
from bot.texts import Catalog

SERVICES_KEY = "services"


class HasBotData(Protocol):
    """PTB's ``Application`` or a handler's ``CallbackContext``: both carry ``bot_data``."""

    @property
    def bot_data(self) -> MutableMapping[Any, Any]: ...


@dataclass
class Services:
    config: Config
    db: Database
    texts: Catalog
    users: UserRepository
    forms: FormRepository
    announcements: AnnouncementRepository
    reported_errors: ReportedErrorRepository
    membership: MembershipRepository
    personal_data: PersonalDataRepository
    knowledge: KnowledgeService
    questions: QuestionRepository
    learned: LearnedRepository
    personal_messages: PersonalMessageRepository
    retention: RetentionRepository
    outbox: Outbox
    registrations: RegistrationRepository
    approvals: ApprovalRepository
    stats: StatsRepository
    clock: Clock
    decisions: MembershipService
    privacy: PrivacyService

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base in service now (a /reload may replace it between two updates)."""
        return self.knowledge.kb

    @classmethod
    def create(
        cls,
        config: Config,
        db: Database,
        texts: Catalog | None = None,
        knowledge: KnowledgeService | None = None,
        clock: Clock | None = None,
    ) -> Services:
        """Wire the repositories over one database and load the knowledge base.

        Raises :class:`bot.kb.KnowledgeError` if the configured knowledge folder is invalid.
        """
        knowledge = knowledge or KnowledgeService.load(
            config.knowledge_dir, snapshot=snapshot_beside(config.database))
        learned = LearnedRepository(db)
        # What the secretariat taught is laid over the files at every build (bot/kb/learned.py).
        knowledge.use_lessons(learned.lessons)
        membership = MembershipRepository(db)
        personal_data = PersonalDataRepository(db)
        personal_messages = PersonalMessageRepository(db)
        questions = QuestionRepository(db)
        retention = RetentionRepository(db)
        outbox = Outbox(OutboxRepository(db))
        repositories = Repositories(
            db, membership, personal_data, personal_messages, questions, retention
        )
        return cls(
            config=config,
            db=db,
            texts=texts or Catalog.load(default_language=config.default_language),
            users=UserRepository(db),
            forms=FormRepository(db),
            announcements=AnnouncementRepository(db, config.default_language),
            reported_errors=ReportedErrorRepository(db),
            membership=membership,
            personal_data=personal_data,
            knowledge=knowledge,
            questions=questions,
            learned=learned,
            personal_messages=personal_messages,
            retention=retention,
            outbox=outbox,
            registrations=RegistrationRepository(db),
            approvals=ApprovalRepository(db),
            stats=StatsRepository(db),
            clock=clock or Clock(config.tz),
            decisions=MembershipService(membership, outbox),
            privacy=PrivacyService(config, repositories, outbox),
        )


def get_services(source: HasBotData) -> Services:
    """The services of the application a handler or job runs in."""
    services: Services = source.bot_data[SERVICES_KEY]
    return services
