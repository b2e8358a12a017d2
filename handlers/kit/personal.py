"""The bot's messages that show a person's data: recorded when sent, taken back on /forget.

A handler that sends a card, a list, a prompt or a notice naming someone calls
:func:`shown` with the message(s) and the people shown. On /forget (:mod:`bot.privacy`), the
outbox's "messages.blank" effect calls :func:`blank` on each: the message is deleted, or, when
Telegram refuses (a bot may delete its messages only for 48 hours), edited to a neutral
"(erased)" line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from telegram import Message
from telegram.error import TelegramError

from bot.services import get_services
from handlers.kit.common import ContextOrApp

log = logging.getLogger(__name__)


async def shown(
    context: ContextOrApp,
    messages: Message | Sequence[Message] | None,
    subjects: Iterable[int | None],
) -> None:
    """Record that these messages show the data of these people (Telegram user ids)."""
    if messages is None:
        return
    if isinstance(messages, Message):
        messages = [messages]
    people = [subject for subject in subjects if subject]
    if not people:
        return
    repository = get_services(context).personal_messages
    for message in messages:
        await repository.record(message.chat_id, message.message_id, people)


async def blank(context: ContextOrApp, chat_id: int, message_id: int) -> bool:
    """Delete one of the bot's messages, else replace its text (or caption) by "(erased)"."""
    bot = context.bot
    try:
        return bool(await bot.delete_message(chat_id, message_id))
    except TelegramError as exc:
        log.info(
            "could not delete message %s in chat %s (%s); blanking it", message_id, chat_id, exc
        )
    svc = get_services(context)
    lang = svc.texts.language(await svc.users.language_of(chat_id))
    erased = svc.texts.get("privacy.erased_message", lang)
    try:
        await bot.edit_message_text(erased, chat_id=chat_id, message_id=message_id)
        return True
    except TelegramError:
        pass
    try:
        await bot.edit_message_caption(chat_id=chat_id, message_id=message_id, caption=erased)
        return True
    except TelegramError:
        log.warning(
            "message %s in chat %s could be neither deleted nor blanked", message_id, chat_id
        )
        return False
