"""What a handler's update surely carries, typed as present: ``given.user(update)``.

python-telegram-bot types every part of an ``Update`` as optional, since one update carries
one kind of thing. A handler still knows what it gets: a button's handler always gets a
callback query, a command or a private message always has a user and a chat. These accessors
say so once, where the handler reads the part, instead of a check at every use.

Should that promise ever break, they raise :class:`MissingPart`, an ``AttributeError`` like the
plain attribute access they stand for, so the error handler logs and reports it as before.
A handler that must quietly ignore an update without some part checks ``update.<part> is
None`` and returns, as it always did.
"""

from __future__ import annotations

from typing import TypeVar

from telegram import CallbackQuery, Chat, ChatMemberUpdated, Message, Update, User

_Part = TypeVar("_Part")


class MissingPart(AttributeError):
    """An update lacks a part its handler was registered for."""

    def __init__(self, update: Update, part: str) -> None:
        super().__init__(f"update {update.update_id} has no {part}")


def user(update: Update) -> User:
    """The user the update comes from (``update.effective_user``)."""
    return _present(update, update.effective_user, "user")


def chat(update: Update) -> Chat:
    """The chat the update happened in (``update.effective_chat``)."""
    return _present(update, update.effective_chat, "chat")


def message(update: Update) -> Message:
    """The update's message: new, edited, or the one under a pressed button
    (``update.effective_message``)."""
    return _present(update, update.effective_message, "message")


def text(update: Update) -> str:
    """The text of the update's message (a text message or a command; not a caption)."""
    return _present(update, message(update).text, "text")


def query(update: Update) -> CallbackQuery:
    """The pressed button's callback query (``update.callback_query``)."""
    return _present(update, update.callback_query, "callback query")


def bot_status(update: Update) -> ChatMemberUpdated:
    """The change of the bot's own status in a chat (``update.my_chat_member``)."""
    return _present(update, update.my_chat_member, "change of the bot's status")


def _present(update: Update, found: _Part | None, part: str) -> _Part:
    """``found``, or :class:`MissingPart` naming ``part`` if the update lacks it."""
    if found is None:
        raise MissingPart(update, part)
    return found
