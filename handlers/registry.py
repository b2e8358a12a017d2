"""Every feature module, in the order their handlers are registered.

A feature module has ``register(application)``, optionally ``COMMANDS`` (a list of
:class:`handlers.kit.common.CommandSpec`) and ``async on_startup(application)``.
"""

from __future__ import annotations

from types import ModuleType

from bot.tg.app import AnyApplication
from handlers import (
    backups,
    charter,
    errors,
    fallback,
    guard,
    health,
    knowledge,
    language,
    mydata,
    outbox,
    privacy,
    start,
    stats,
    subscriptions,
    teach,
    tracking,
)
from handlers.announce import compose as announce
from handlers.announce import scheduled
from handlers.kit import router
from handlers.kit.common import COMMAND_SPECS_KEY, CommandSpec
from handlers.meetings import attendees, browse, feedback, registration
from handlers.membership import effects, join, joinrequests, members, review, status
from handlers.questions import answering as questions
from handlers.questions import secretariat

__all__ = ["COMMAND_SPECS_KEY", "features", "register_all", "startup_all"]


def features() -> list[ModuleType]:
    """The feature modules, in the order their handlers are registered."""
    # The outbox replays what a crash left undone before mydata's start-up purge runs it.
    # fallback must stay last: it answers the buttons no feature before it claimed.
    return [
        guard,
        tracking,
        errors,
        start,
        language,
        privacy,
        join,
        status,
        review,
        members,
        joinrequests,
        effects,
        outbox,
        mydata,
        questions,
        secretariat,
        charter,
        browse,
        registration,
        attendees,
        feedback,
        stats,
        knowledge,
        subscriptions,
        announce,
        scheduled,
        teach,
        backups,
        health,
        router,
        fallback,
    ]


def register_all(application: AnyApplication) -> list[CommandSpec]:
    """Register every feature's handlers; return all command specs, user commands first."""
    specs: list[CommandSpec] = []
    for feature in features():
        feature.register(application)
        specs.extend(getattr(feature, "COMMANDS", []))
    specs.sort(key=lambda spec: spec.admin)
    application.bot_data[COMMAND_SPECS_KEY] = specs
    return specs


async def startup_all(application: AnyApplication) -> None:
    """Run every feature's start-up hook (after the database is open)."""
    for feature in features():
        hook = getattr(feature, "on_startup", None)
        if hook is not None:
            await hook(application)
