"""Showing knowledge-base items in Telegram: HTML parts, buttons, and texts over 4096
characters split at paragraph boundaries into several messages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import unescape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.kb import KnowledgeBase
from bot.text import utf16_len
from bot.texts import Html, escape
from handlers.kit import callbacks, common, given
from handlers.kit.common import Context

# Telegram's limit, counted in UTF-16 code units of the text parsed out of the HTML: "&amp;"
# counts one, a tag nothing. Measuring the HTML itself would cut "&" * 3500 into 5 messages.
TEXT_LIMIT = 4096
# Inline buttons show one line; longer labels are cut (Telegram would cut them anyway).
BUTTON_LABEL_LIMIT = 60
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TAG = re.compile(r"<[^>]*>")


def shown_length(html: str) -> int:
    """The length Telegram counts for an HTML message: tags dropped, entities as the
    characters they stand for, in UTF-16 code units."""
    return utf16_len(unescape(_TAG.sub("", html)))


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def excerpt(text: str, limit: int) -> str:
    """``text`` (lines kept) cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _split_plain(text: str, limit: int) -> list[str]:
    """Cut plain text so each piece fits ``limit`` as Telegram counts it: at lines, then
    spaces."""
    if utf16_len(text) <= limit:
        return [text]
    for separator in ("\n", " "):
        pieces = text.split(separator)
        if len(pieces) > 1:
            chunks: list[str] = []
            current = ""
            for piece in pieces:
                candidate = f"{current}{separator}{piece}" if current else piece
                if current and utf16_len(candidate) > limit:
                    chunks.append(current)
                    current = piece
                else:
                    current = candidate
            chunks.append(current)
            return [part for chunk in chunks for part in _split_plain(chunk, limit)]
    # One unbroken word longer than a message: cut it, never between a surrogate pair's halves.
    cuts: list[str] = []
    start, length = 0, 0
    for index, char in enumerate(text):
        width = utf16_len(char)
        if length + width > limit:
            cuts.append(text[start:index])
            start, length = index, 0
        length += width
    return [*cuts, text[start:]]


def paragraphs(text: str, limit: int = TEXT_LIMIT) -> list[Html]:
    """Plain text as escaped HTML paragraphs, each short enough for one message."""
    found = [p.strip("\n") for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    return [Html(escape(piece)) for p in found for piece in _split_plain(p, limit)]


def pack(parts: Iterable[str], limit: int = TEXT_LIMIT, separator: str = "\n\n") -> list[Html]:
    """Join HTML parts (each complete, each within ``limit``) into as few messages as fit."""
    messages: list[str] = []
    current = ""
    for part in parts:
        if not part:
            continue
        candidate = f"{current}{separator}{part}" if current else part
        if current and shown_length(candidate) > limit:
            messages.append(current)
            current = part
        else:
            current = candidate
    if current:
        messages.append(current)
    return [Html(message) for message in messages]


async def send_parts(
    bot: ExtBot[Any],
    chat_id: int,
    parts: Sequence[str],
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
    separator: str = "\n\n",
) -> list[Message]:
    """Send HTML parts as one message, or several when over the limit; buttons go on the last.

    With ``reply_to`` every message quotes that message (the member's question), so the
    buttons under the last one still know which question they are about.
    """
    messages = pack(parts, separator=separator)
    sent = []
    for index, text in enumerate(messages):
        last = index == len(messages) - 1
        sent.append(
            await bot.send_message(
                chat_id,
                text,
                reply_markup=reply_markup if last else None,
                reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
                if reply_to is not None
                else None,
            )
        )
    return sent


async def show_in_place(
    update: Update,
    context: Context,
    parts: Sequence[str],
    rows: list[list[InlineKeyboardButton]],
) -> None:
    """Replace the message whose button was pressed (browsing); a view too long for one
    message is sent below it instead."""
    markup = InlineKeyboardMarkup(rows) if rows else None
    messages = pack(parts)
    if len(messages) > 1:
        await send_parts(context.bot, given.chat(update).id, parts, reply_markup=markup)
        return
    try:
        await given.query(update).edit_message_text(messages[0], reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):  # the same button pressed twice: nothing to do
            raise


def button_label(context: Context, key: str, lang: str, /, **params: Any) -> str:
    """A catalog text for a button: plain text (buttons are not HTML), cut to one line."""
    raw = common.services(context).texts.raw(key, lang)
    return shorten(raw.format(**params), BUTTON_LABEL_LIMIT)


def button(
    context: Context, key: str, lang: str, data: str, /, **params: Any
) -> list[InlineKeyboardButton]:
    """A keyboard row of one button."""
    return [InlineKeyboardButton(button_label(context, key, lang, **params), callback_data=data)]


def item_view(
    context: Context, kb: KnowledgeBase, item_id: str, lang: str
) -> tuple[list[Html], list[list[InlineKeyboardButton]]]:
    """An answerable item as HTML parts (title, paragraphs, source) and "see also" buttons."""
    answer = kb.render_answer(item_id, lang, common.services(context).config.association)
    body = answer.text
    # Articles, chapters and meetings start with their title: show it once, in bold.
    if body.startswith(answer.title):
        body = body[len(answer.title) :]
    parts = [
        common.text(context, "answers.title", lang, title=answer.title),
        *paragraphs(body),
        common.text(context, "answers.source", lang, source=answer.source),
    ]
    see = [
        button(
            context,
            "answers.see",
            lang,
            callbacks.data(callbacks.FAQ, callbacks.FAQ_ENTRY, see_id),
            title=kb.title(see_id, lang),
        )
        for see_id in answer.see
    ]
    return parts, see
