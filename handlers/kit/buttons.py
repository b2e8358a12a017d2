"""Taking the buttons off a message once they have been answered."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message
from telegram.error import TelegramError

log = logging.getLogger(__name__)


async def remove_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message, so it cannot be pressed twice (a message
    already changed or gone keeps what it has)."""
    message = query.message
    if isinstance(message, Message) and message.reply_markup is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        log.debug("could not remove the buttons", exc_info=True)
