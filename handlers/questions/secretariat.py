"""The secretariat's side of members' questions: an admin's Telegram reply to a question
notice goes back to the member who asked; /unanswered lists what waits for a reply."""

from __future__ import annotations

import logging
from collections import deque
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.kb.knowledge import format_day
from bot.services import get_services
from bot.storage import utcnow
from bot.storage.questions import Question
from bot.tg.app import AnyApplication
from handlers.kit import answers, callbacks, common, given, personal
from handlers.kit.common import CommandSpec, Context
from handlers.questions.answering import EXCERPT, UNANSWERED_SHOWN

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("unanswered", admin=True)]

# The /unanswered lists sent since the start, (chat id, message id) of every part, newest kept.
LISTS_KEY = "unanswered_lists"
LISTS_KEPT = 200


def _moment(context: Context, moment: datetime, lang: str) -> str:
    return format_day(moment.astimezone(common.services(context).config.tz), lang)


async def _confirm(
    update: Update, context: Context, key: str, subject: int | None = None, **params: object
) -> None:
    message = given.message(update)
    lang = await common.language(update, context)
    sent = await message.reply_text(common.text(context, key, lang, **params))
    await personal.shown(context, sent, [subject])


async def admin_replied(update: Update, context: Context) -> None:
    """An admin's Telegram reply to a question notice goes to the member who asked."""
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    svc = common.services(context)
    question = await svc.questions.by_notice(given.chat(update).id, replied.message_id)
    if question is None:
        if common.is_admin(update, context) and _is_unanswered_list(context, replied):
            # A reply to the list answers nobody: say how, rather than search for it.
            await _confirm(update, context, "questions.reply_to_list")
            raise ApplicationHandlerStop
        return  # a reply to some other message of the bot: not ours
    if not common.is_admin(update, context):
        # Anyone in the admin chat can reply; only the secretariat speaks for it.
        log.info("a non-admin replied to question %s in the admin chat: not passed on", question.id)
        # Said, so that an admin posting anonymously (or not yet in `admins`) is not left
        # believing the member was answered.
        lang = await common.language(update, context)
        await given.message(update).reply_text(
            common.text(context, "questions.reply_not_admin", lang)
        )
        return
    admin = given.user(update)
    text = given.text(update)
    parts = [
        common.text(
            context,
            "questions.secretariat_replies",
            question.language,
            question=answers.shorten(question.text, EXCERPT),
        ),
        *answers.paragraphs(text),
    ]
    try:
        await answers.send_parts(context.bot, question.chat_id, parts, reply_to=question.message_id)
        delivered = True
    except (Forbidden, BadRequest) as exc:
        # Blocked, deactivated, or the chat is gone: permanent, the reply is kept as given.
        log.info("reply to question %s not delivered: %s", question.id, exc)
        await svc.users.set_reachable(question.user_id, False)
        delivered = False
    except TelegramError:
        log.warning("reply to question %s failed", question.id, exc_info=True)
        await _confirm(update, context, "questions.reply_failed", id=question.id)
        raise ApplicationHandlerStop from None
    await svc.questions.record_reply(
        question.id, admin_id=admin.id, text=text, delivered=delivered
    )
    await _confirm_reply(update, context, question, delivered)
    # Handled: the free-text router must not also take the admin's reply for a question.
    raise ApplicationHandlerStop


async def _confirm_reply(
    update: Update, context: Context, question: Question, delivered: bool
) -> None:
    """Tell the admin whether the reply reached the member (and if another answered first)."""
    svc = common.services(context)
    name = question.asker_name or str(question.user_id)
    if not delivered:
        await _confirm(
            update,
            context,
            "questions.reply_undelivered",
            question.user_id,
            id=question.id,
            name=name,
        )
    elif question.is_open:
        await _confirm(
            update, context, "questions.reply_sent", question.user_id, id=question.id, name=name
        )
    else:
        answerer = await svc.users.get(question.answered_by) if question.answered_by else None
        lang = await common.language(update, context)
        await _confirm(
            update,
            context,
            "questions.reply_sent_again",
            subject=question.user_id,
            id=question.id,
            name=name,
            by=answerer.full_name if answerer else str(question.answered_by),
            when=_moment(context, question.answered_at, lang) if question.answered_at else "",
        )


def _is_unanswered_list(context: Context, message: Message) -> bool:
    """Whether ``message`` is (a part of) an /unanswered list: remembered since the start, or,
    after a restart, known by its 🎓 buttons (a question's notice, which has one too, is
    found by the caller before)."""
    lists: deque[tuple[int, int]] = context.application.bot_data.get(LISTS_KEY, deque())
    if (message.chat_id, message.message_id) in lists:
        return True
    teach = callbacks.data(callbacks.TEACH, callbacks.TEACH_OPEN, "")
    markup = message.reply_markup
    return markup is not None and any(
        str(pressed.callback_data or "").startswith(teach)
        for row in markup.inline_keyboard
        for pressed in row
    )


def _age(context: Context, asked_at: datetime, lang: str) -> str:
    seconds = max(0, (utcnow() - asked_at).total_seconds())
    if seconds < 3600:
        return common.text(context, "questions.age.minutes", lang, n=int(seconds // 60))
    if seconds < 86400:
        return common.text(context, "questions.age.hours", lang, n=int(seconds // 3600))
    return common.text(context, "questions.age.days", lang, n=int(seconds // 86400))


@common.admin_chats_only
@common.admins_only
async def unanswered(update: Update, context: Context) -> None:
    """/unanswered (admins): open questions, oldest first, with their age."""
    svc = common.services(context)
    lang = await common.language(update, context)
    questions: list[Question] = await svc.questions.open_questions(UNANSWERED_SHOWN)
    if not questions:
        await common.reply(update, context, "questions.none_open")
        return
    total = await svc.questions.count_open()
    parts = [common.text(context, "questions.open_header", lang, count=total)]
    parts += [
        common.text(
            context,
            "questions.open_line",
            lang,
            id=q.id,
            age=_age(context, q.asked_at, lang),
            name=q.asker_name or str(q.user_id),
            question=answers.shorten(q.text, EXCERPT),
        )
        for q in questions
    ]
    if total > len(questions):
        parts.append(
            common.text(context, "questions.open_more", lang, count=total - len(questions))
        )
    parts.append(common.text(context, "questions.open_hint", lang))
    teach = [
        InlineKeyboardButton(
            answers.button_label(context, "teach.list_button", lang, id=q.id),
            callback_data=callbacks.data(callbacks.TEACH, callbacks.TEACH_OPEN, q.id),
        )
        for q in questions
    ]
    rows = [teach[i : i + 5] for i in range(0, len(teach), 5)]
    listed = await answers.send_parts(
        context.bot, given.chat(update).id, parts, reply_markup=InlineKeyboardMarkup(rows)
    )
    await personal.shown(context, listed, [q.user_id for q in questions])
    lists = context.application.bot_data.setdefault(LISTS_KEY, deque(maxlen=LISTS_KEPT))
    lists.extend((sent.chat_id, sent.message_id) for sent in listed)


async def admin_replied_not_text(update: Update, context: Context) -> None:
    """A photo, file or sticker replied to a question notice: only text reaches the member, so
    the admin is told, rather than left believing the member got it."""
    message = given.message(update)
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    question = await common.services(context).questions.by_notice(
        given.chat(update).id, replied.message_id
    )
    if question is None or not common.is_admin(update, context):
        return
    await _confirm(update, context, "questions.reply_text_only")
    raise ApplicationHandlerStop


def _admin_chats(application: AnyApplication) -> filters.BaseFilter | None:
    """Where a secretariat reply can come from: the admin chat, or an admin's private chat."""
    config = get_services(application).config
    chats: filters.BaseFilter | None = None
    if config.admins:
        chats = filters.ChatType.PRIVATE & filters.User(list(config.admins))
    if config.admin_chat_id is not None:
        admin_chat = filters.Chat(config.admin_chat_id)
        chats = admin_chat if chats is None else chats | admin_chat
    return chats


def register(application: AnyApplication) -> None:
    """Wire admin replies and /unanswered."""
    application.add_handler(CommandHandler("unanswered", unanswered))
    chats = _admin_chats(application)
    if chats is not None:
        replies = filters.UpdateType.MESSAGE & filters.REPLY & chats
        # Group 0, so it runs before the free-text router (group 1), which it then stops.
        # New messages only: editing a reply must not send it to the member a second time.
        application.add_handler(
            MessageHandler(replies & filters.TEXT & ~filters.COMMAND, admin_replied)
        )
        application.add_handler(MessageHandler(replies & ~filters.TEXT, admin_replied_not_text))
