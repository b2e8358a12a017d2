"""The services one running bot shares between its handlers (kept in ``bot_data``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.config import Config
from bot.storage import Database
from bot.storage.forms import FormRepository
from bot.storage.membership import MembershipRepository
from bot.storage.personal_data import PersonalDataRepository
from bot.storage.users import UserRepository
from bot.texts import Catalog

if TYPE_CHECKING:
    from telegram.ext import Application, CallbackContext

SERVICES_KEY = "services"


@dataclass
class Services:
    config: Config
    db: Database
    texts: Catalog
    users: UserRepository
    forms: FormRepository
    membership: MembershipRepository
    personal_data: PersonalDataRepository

    @classmethod
    def create(cls, config: Config, db: Database, texts: Catalog | None = None) -> Services:
        """Wire the repositories over one database."""
        return cls(
            config=config,
            db=db,
            texts=texts or Catalog.load(default_language=config.default_language),
            users=UserRepository(db),
            forms=FormRepository(db),
            membership=MembershipRepository(db),
            personal_data=PersonalDataRepository(db),
        )


def get_services(
    source: CallbackContext[Any, Any, Any, Any] | Application[Any, Any, Any, Any, Any, Any],
) -> Services:
    """The services of the application a handler or job runs in."""
    application = getattr(source, "application", source)
    return application.bot_data[SERVICES_KEY]
