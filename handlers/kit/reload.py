"""Reload listeners: features that derive state from the knowledge base (scheduled
announcements, seat offers, feedback questions) register one here; the /reload feature
(``handlers/knowledge.py``) runs them after every successful reload."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.tg.app import AnyApplication

log = logging.getLogger(__name__)

LISTENERS_KEY = "knowledge_reload_listeners"

ReloadListener = Callable[[AnyApplication], Awaitable[None]]


def on_reload(application: AnyApplication, callback: ReloadListener) -> None:
    """Call ``await callback(application)`` after each successful /reload; the new knowledge
    base is then ``get_services(application).kb``. Register it in the feature's
    ``register(application)``."""
    application.bot_data.setdefault(LISTENERS_KEY, []).append(callback)


async def notify_listeners(application: AnyApplication) -> int:
    """Run every reload listener; one failing does not stop the others. How many failed."""
    failed = 0
    for callback in application.bot_data.get(LISTENERS_KEY, []):
        try:
            await callback(application)
        except Exception:
            log.exception("knowledge reload listener %r failed", callback)
            failed += 1
    return failed
