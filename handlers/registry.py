"""Every feature module, in the order their handlers are registered.

A feature module has ``register(application)``, optionally ``COMMANDS`` (a list of
:class:`handlers.common.CommandSpec`) and ``async on_startup(application)``.
"""

from __future__ import annotations

from types import ModuleType

from telegram.ext import Application

from handlers.common import CommandSpec

COMMAND_SPECS_KEY = "command_specs"


def features() -> list[ModuleType]:
    """The feature modules (imported here so a feature is one line to add)."""
    from handlers import (
        announce,
        attendees,
        backups,
        charter,
        decisions,
        errors,
        fallback,
        feedback,
        guard,
        health,
        join,
        joinrequests,
        knowledge,
        language,
        meetings,
        members,
        mydata,
        privacy,
        questions,
        registration,
        review,
        router,
        start,
        stats,
        subscriptions,
        teach,
        tracking,
    )

    # fallback must stay last: it answers the buttons no feature before it claimed.
    return [
        guard,
        tracking,
        errors,
        start,
        language,
        privacy,
        join,
        review,
        members,
        joinrequests,
        decisions,
        mydata,
        questions,
        charter,
        meetings,
        registration,
        attendees,
        feedback,
        stats,
        knowledge,
        subscriptions,
        announce,
        teach,
        backups,
        health,
        router,
        fallback,
    ]


def register_all(application: Application) -> list[CommandSpec]:
    """Register every feature's handlers; return all command specs, user commands first."""
    specs: list[CommandSpec] = []
    for feature in features():
        feature.register(application)
        specs.extend(getattr(feature, "COMMANDS", []))
    specs.sort(key=lambda spec: spec.admin)
    application.bot_data[COMMAND_SPECS_KEY] = specs
    return specs


async def startup_all(application: Application) -> None:
    """Run every feature's start-up hook (after the database is open)."""
    for feature in features():
        hook = getattr(feature, "on_startup", None)
        if hook is not None:
            await hook(application)
