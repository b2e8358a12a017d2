"""The Bot API client the bot talks through: PTB's ``ExtBot``, with the answers to button
presses made safe for the real Telegram (the emulator checks the same rules)."""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.texts import Html

log = logging.getLogger(__name__)

# Telegram takes an answer to a press for a few seconds only; a press made while the bot was
# down reaches it, after the restart, already too old. Then the toast is lost, not the press.
_EXPIRED = ("query is too old", "query id is invalid")
# answerCallbackQuery's text: plain text (no parse mode), 0-200 characters.
ANSWER_LIMIT = 200
_TAG = re.compile(r"<[^>]*>")


def answer_text(text: str) -> str:
    """A text for a toast or alert: catalog HTML made plain, cut to Telegram's 200."""
    if isinstance(text, Html):
        text = html.unescape(_TAG.sub("", text))
    return text if len(text) <= ANSWER_LIMIT else text[: ANSWER_LIMIT - 1] + "…"


class HoiBotApi(ExtBot[Any]):
    """``ExtBot`` whose answers to button presses never break the handler that gives them."""

    __slots__ = ()

    async def answer_callback_query(
        self,
        callback_query_id: str,
        text: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        """Answer a press; one too old to answer is logged and False, the handler goes on."""
        try:
            return await super().answer_callback_query(
                callback_query_id, None if text is None else answer_text(text), *args, **kwargs
            )
        except BadRequest as error:
            if not any(part in error.message.lower() for part in _EXPIRED):
                raise
            log.info("a button press was too old to answer; what it asked for is still done")
            return False
