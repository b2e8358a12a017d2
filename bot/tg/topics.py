"""Forum topics: what the bot sends into the chat of the update it is handling goes into
that update's topic.

In a supergroup with topics (a forum), Telegram puts a message sent without
``message_thread_id`` into the General topic. A member who typed /help in the topic
"Hỏi đáp" must find the answer there, as must everything else the handling of that update
sends into that chat (a refusal, a list, the message after a button press). So the update
processor marks the topic of each update while it is handled (:func:`handling`), and the
Bot API client (``bot/tg/botapi.py``) adds it to every send into that chat that names no
thread itself. Only a message with ``is_topic_message`` is in a topic: a reply in General
also carries a ``message_thread_id`` (its reply chain's), which Telegram refuses as a topic.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from telegram import Message, Update

# (chat id, message_thread_id) of the update being handled in this task, if in a topic.
_current: contextvars.ContextVar[tuple[int, int] | None] = contextvars.ContextVar(
    "hoibot_topic", default=None
)


def topic_of(update: object) -> tuple[int, int] | None:
    """The chat and forum topic an update happened in (a message, or the message under a
    pressed button), or None outside topics."""
    if not isinstance(update, Update):
        return None
    message = update.effective_message
    if not isinstance(message, Message) or not message.is_topic_message:
        return None
    if message.message_thread_id is None:
        return None
    return message.chat_id, message.message_thread_id


@contextmanager
def handling(update: object) -> Iterator[None]:
    """Within the block (the update's handling), sends into its chat go to its topic."""
    token = _current.set(topic_of(update))
    try:
        yield
    finally:
        _current.reset(token)


def thread_for(chat_id: object) -> int | None:
    """The topic a send into ``chat_id`` goes to: the handled update's, if it is that chat."""
    current = _current.get()
    if current is None or chat_id != current[0]:
        return None
    return current[1]
