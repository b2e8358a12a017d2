"""Sending to the secretariat: the admin chat if configured, else each admin privately."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Message
from telegram.error import TelegramError

from bot.services import HasBotData, get_services
from handlers.kit.common import ContextOrApp

log = logging.getLogger(__name__)


def admin_destinations(source: HasBotData) -> list[int]:
    """Where admin notifications go."""
    config = get_services(source).config
    if config.admin_chat_id is not None:
        return [config.admin_chat_id]
    return list(config.admins)


async def notify_admins(
    context: ContextOrApp,
    key: str,
    /,
    reply_markup: InlineKeyboardMarkup | Callable[[str], InlineKeyboardMarkup] | None = None,
    **params: Any,
) -> list[Message]:
    """Send a catalog text to the secretariat; each admin reads it in their own language.

    ``reply_markup`` may be a function of the language, for buttons labelled in it too.

    An admin who cannot be reached (never started the bot, blocked it) is logged and skipped,
    so one unreachable admin never stops the others from being told.
    """
    svc = get_services(context)
    sent = []
    for chat_id in admin_destinations(context):
        lang = svc.texts.language(await svc.users.language_of(chat_id))
        markup = reply_markup(lang) if callable(reply_markup) else reply_markup
        try:
            sent.append(
                await context.bot.send_message(
                    chat_id, svc.texts.get(key, lang, **params), reply_markup=markup
                )
            )
        except TelegramError:
            log.warning("could not notify admin chat %s", chat_id, exc_info=True)
    return sent
