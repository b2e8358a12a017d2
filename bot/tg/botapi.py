"""The Bot API client the bot talks through: PTB's ``ExtBot``, with the answers to button
presses made safe for the real Telegram (the emulator checks the same rules), and sends kept
in the forum topic of the update being handled (``bot/tg/topics.py``)."""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.texts import Html
from bot.tg import topics

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


def _in_topic(chat_id: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The send's arguments, with the handled update's topic when it names no thread."""
    if kwargs.get("message_thread_id") is None:
        thread = topics.thread_for(chat_id)
        if thread is not None:
            kwargs["message_thread_id"] = thread
    return kwargs


class HoiBotApi(ExtBot[Any]):
    """``ExtBot`` whose answers to button presses never break the handler that gives them,
    and whose sends stay in the topic they answer."""

    __slots__ = ()

    async def send_message(self, chat_id: Any, *args: Any, **kwargs: Any) -> Any:
        """Send a text, into the handled update's topic when it is in this chat."""
        return await super().send_message(chat_id, *args, **_in_topic(chat_id, kwargs))

    async def send_document(self, chat_id: Any, *args: Any, **kwargs: Any) -> Any:
        """Send a file, into the handled update's topic when it is in this chat."""
        return await super().send_document(chat_id, *args, **_in_topic(chat_id, kwargs))

    async def send_photo(self, chat_id: Any, *args: Any, **kwargs: Any) -> Any:
        """Send a photo, into the handled update's topic when it is in this chat."""
        return await super().send_photo(chat_id, *args, **_in_topic(chat_id, kwargs))

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
