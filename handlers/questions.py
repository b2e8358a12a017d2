"""Members' questions: answered from the knowledge base, or sent to the secretariat, whose
Telegram reply to the question goes back to the member; /unanswered for the secretariat.

A question is any private text outside a form (the router hands it here). The bot's answer
quotes the member's message, so the "send to the secretariat" button under it knows the
question without storing anything until the member decides to send it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.kb import AnswerResult, KnowledgeBase, detect_language, fill_placeholders
from bot.kb.knowledge import format_day
from bot.kb.normalize import roman
from bot.services import get_services
from bot.storage import utcnow
from bot.storage.questions import Question
from handlers import answers, callbacks, common, personal, router
from handlers.common import CommandSpec, Context
from handlers.notify import notify_admins

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("unanswered", admin=True)]

ENTRY = "e"  # q:e:<item id>: show that item
ASK = "ask"  # q:ask: send the quoted question to the secretariat

# A member may have this many questions open (sent in the last day, not yet answered).
MAX_OPEN_QUESTIONS_PER_DAY = 5
# /unanswered shows this many, oldest first.
UNANSWERED_SHOWN = 30
# Excerpts of a question in lists and in the reply frame.
EXCERPT = 300
# The admin notice quotes the question up to this (a message holds 4096 with the frame).
NOTICE_QUOTE = 3500


async def answer_language(update: Update, context: Context, question: str) -> str:
    """The language chosen with /lang; else the question's own language if it is clear;
    else the user's Telegram language."""
    svc = common.services(context)
    user = update.effective_user
    stored = await svc.users.get(user.id) if user else None
    if stored is not None and stored.language:
        return svc.texts.language(stored.language)
    return detect_language(question) or await common.language(update, context)


def secretariat_row(context: Context, lang: str) -> list[InlineKeyboardButton]:
    """The "send to the secretariat" button."""
    return answers.button(context, "questions.ask_button", lang, callbacks.data(callbacks.FAQ, ASK))


def teach_row(context: Context, lang: str, question_id: int) -> list[InlineKeyboardButton]:
    """The secretariat's "teach the bot" button under a question notice (handlers/teach.py)."""
    data = callbacks.data(callbacks.TEACH, callbacks.TEACH_OPEN, question_id)
    return answers.button(context, "teach.notice_button", lang, data)


def charter_row(context: Context, lang: str) -> list[InlineKeyboardButton]:
    """The "browse the charter" button: the contents in a new message (charter's ``OPEN``)."""
    data = callbacks.data(callbacks.CHARTER, "open", lang)
    return answers.button(context, "questions.charter_button", lang, data)


def _is_charter_item(kb: KnowledgeBase, item_id: str) -> bool:
    return any(a.id == item_id for a in kb.charter.articles) or any(
        c.id == item_id for c in kb.charter.chapters
    )


async def send_item(
    context: Context, chat_id: int, item_id: str, lang: str, *, question: Message | None
) -> None:
    """An item of the knowledge base with its source, "see also" buttons and, when it answers
    a member's question, the button to send that question to the secretariat instead."""
    kb = common.services(context).kb
    parts, rows = answers.item_view(context, kb, item_id, lang)
    if _is_charter_item(kb, item_id):
        rows.append(charter_row(context, lang))
    if question is not None:
        rows.append(secretariat_row(context, lang))
    await answers.send_parts(
        context.bot,
        chat_id,
        parts,
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
        reply_to=question.message_id if question is not None else None,
    )


def _reference_name(kb: KnowledgeBase, result: AnswerResult, lang: str) -> str:
    reference = result.reference
    assert reference is not None
    if reference.kind == "article":
        return f"{kb.labels['article'].get(lang)} {reference.number}"
    return f"{kb.labels['chapter'].get(lang)} {roman(reference.number)}"


async def _not_found(
    update: Update, context: Context, result: AnswerResult, lang: str, question: Message
) -> None:
    """A charter article or chapter the charter lacks, or a charter not imported yet."""
    svc = common.services(context)
    kb = svc.kb
    association = svc.config.association
    articles = kb.charter.articles
    reference = _reference_name(kb, result, lang)
    if not articles:
        text = common.text(
            context,
            "questions.charter_not_imported",
            lang,
            reference=reference,
            full_text=fill_placeholders(kb.charter.full_text.get(lang), association),
            contact=fill_placeholders(kb.contact.get(lang), association),
        )
    elif result.reference is not None and result.reference.kind == "article":
        text = common.text(
            context,
            "questions.article_missing",
            lang,
            reference=reference,
            count=len(articles),
            first=min(a.number for a in articles),
            last=max(a.number for a in articles),
        )
    else:
        text = common.text(
            context,
            "questions.chapter_missing",
            lang,
            reference=reference,
            count=len(kb.charter.chapters),
        )
    keyboard = InlineKeyboardMarkup(
        [
            charter_row(context, lang),
            secretariat_row(context, lang),
        ]
    )
    await answers.send_parts(
        context.bot,
        update.effective_chat.id,
        [text],
        reply_markup=keyboard,
        reply_to=question.message_id,
    )


async def _count(context: Context, status: str) -> None:
    """Count the question for /stats by outcome (no text is kept)."""
    svc = common.services(context)
    outcome = {"answered": "answered", "not_found": "answered", "suggest": "suggested"}
    today = utcnow().astimezone(svc.config.tz).date()
    await svc.stats.count_question(today, outcome.get(status, "unknown"))


async def answer_question(update: Update, context: Context) -> None:
    """Free text: the answer with its source; else "did you mean"; else an honest unknown."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or chat.type != chat.PRIVATE or not message.text:
        return
    question = message.text
    lang = await answer_language(update, context, question)
    kb = common.services(context).kb
    result = kb.ask(question, now=datetime.now(common.services(context).config.tz))
    await _count(context, result.status)
    if result.status == "answered" and result.entry_id is not None:
        await send_item(context, chat.id, result.entry_id, lang, question=message)
        return
    if result.status == "not_found":
        await _not_found(update, context, result, lang, message)
        return
    if result.status == "suggest" and result.suggestions:
        rows = [
            answers.button(
                context,
                "questions.suggestion",
                lang,
                callbacks.data(callbacks.FAQ, ENTRY, item_id),
                title=kb.title(item_id, lang),
            )
            for item_id in result.suggestions[:3]
        ]
        key = "questions.suggest"
    else:
        rows = []
        key = "questions.unknown"
    rows.append(secretariat_row(context, lang))
    await answers.send_parts(
        context.bot,
        chat.id,
        [common.text(context, key, lang)],
        reply_markup=InlineKeyboardMarkup(rows),
        reply_to=message.message_id,
    )


def _quoted_question(update: Update) -> Message | None:
    """The member's question that the pressed bot message quotes, if it still does."""
    query = update.callback_query
    pressed = query.message if query is not None else None
    if not isinstance(pressed, Message):  # older than 48 hours: Telegram gives no content
        return None
    original = pressed.reply_to_message
    user = update.effective_user
    if (
        original is None
        or not original.text
        or original.from_user is None
        or user is None
        or original.from_user.id != user.id
    ):
        return None
    return original


async def _show_entry(update: Update, context: Context, item_id: str) -> None:
    """A "did you mean" or "see also" button: that item, answering the same question."""
    query = update.callback_query
    kb = common.services(context).kb
    question = _quoted_question(update)
    lang = await answer_language(update, context, question.text if question else "")
    try:
        kb.title(item_id, lang)
    except KeyError:  # the knowledge base was reloaded without it
        await query.answer(common.text(context, "questions.stale_item", lang), show_alert=True)
        return
    await query.answer()
    await send_item(context, update.effective_chat.id, item_id, lang, question=question)


async def _without_button(message: Message, data: str) -> None:
    """Take one button off a message (so it is not pressed twice)."""
    markup = message.reply_markup
    if markup is None:
        return
    rows = [[b for b in row if b.callback_data != data] for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    try:
        await message.edit_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
    except BadRequest:  # not modified, or too old to edit: the re-check covers it
        log.debug("could not remove the button from message %s", message.message_id)


async def _send_to_secretariat(update: Update, context: Context) -> None:
    """The member chose to send their question to the secretariat."""
    query = update.callback_query
    user = update.effective_user
    svc = common.services(context)
    question = _quoted_question(update)
    lang = await answer_language(update, context, question.text if question else "")
    if question is None:
        await query.answer(common.text(context, "questions.retype", lang), show_alert=True)
        return
    if await svc.questions.by_message(user.id, question.message_id) is not None:
        await query.answer(common.text(context, "questions.already_sent", lang), show_alert=True)
        return
    open_today = await svc.questions.open_asked_since(user.id, utcnow() - timedelta(days=1))
    if open_today >= MAX_OPEN_QUESTIONS_PER_DAY:
        await query.answer()
        await context.bot.send_message(
            update.effective_chat.id,
            common.text(context, "questions.too_many", lang, count=open_today),
        )
        return
    stored, created = await svc.questions.ask(
        user_id=user.id,
        chat_id=update.effective_chat.id,
        message_id=question.message_id,
        text=question.text,
        language=lang,
    )
    if not created:  # a second press raced the first
        await query.answer(common.text(context, "questions.already_sent", lang), show_alert=True)
        return
    await query.answer()
    who = user.full_name + (f" (@{user.username})" if user.username else "")
    notices = await notify_admins(
        context,
        "questions.admin_notice",
        reply_markup=lambda admin_lang: InlineKeyboardMarkup(
            [teach_row(context, admin_lang, stored.id)]
        ),
        id=stored.id,
        who=who,
        user_id=user.id,
        question=answers.excerpt(stored.text, NOTICE_QUOTE),
    )
    await svc.questions.add_notices(stored.id, [(m.chat_id, m.message_id) for m in notices])
    if isinstance(query.message, Message):
        await _without_button(query.message, callbacks.data(callbacks.FAQ, ASK))
    await context.bot.send_message(
        update.effective_chat.id,
        common.text(context, "questions.sent" if notices else "questions.recorded", lang),
    )


async def question_button(update: Update, context: Context) -> None:
    """Buttons of question answering: ``q:e:<id>`` and ``q:ask``."""
    data = update.callback_query.data
    action = callbacks.part(data, 1)
    if action == ENTRY:
        await _show_entry(update, context, callbacks.part(data, 2))
    elif action == ASK:
        await _send_to_secretariat(update, context)
    else:
        await common.answer_callback(update)


def _moment(context: Context, moment: datetime, lang: str) -> str:
    return format_day(moment.astimezone(common.services(context).config.tz), lang)


async def _confirm(
    update: Update, context: Context, key: str, subject: int | None = None, **params: object
) -> None:
    message = update.effective_message
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
    question = await svc.questions.by_notice(update.effective_chat.id, replied.message_id)
    if question is None:
        return  # a reply to some other message of the bot: not ours
    if not common.is_admin(update, context):
        # Anyone in the admin chat can reply; only the secretariat speaks for it.
        log.info("a non-admin replied to question %s in the admin chat: not passed on", question.id)
        return
    admin = update.effective_user
    name = question.asker_name or str(question.user_id)
    parts = [
        common.text(
            context,
            "questions.secretariat_replies",
            question.language,
            question=answers.shorten(question.text, EXCERPT),
        ),
        *answers.paragraphs(message.text),
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
        question.id, admin_id=admin.id, text=message.text, delivered=delivered
    )
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
    # Handled: the free-text router must not also take the admin's reply for a question.
    raise ApplicationHandlerStop


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
        context.bot, update.effective_chat.id, parts, reply_markup=InlineKeyboardMarkup(rows)
    )
    await personal.shown(context, listed, [q.user_id for q in questions])


async def ask_prompt(update: Update, context: Context) -> None:
    """The menu's "ask" item: just type the question."""
    await common.reply(update, context, "questions.ask_prompt")


def _admin_replies(application: Application) -> filters.BaseFilter | None:
    """Where a secretariat reply can come from: the admin chat, or an admin's private chat."""
    config = get_services(application).config
    chats: filters.BaseFilter | None = None
    if config.admins:
        chats = filters.ChatType.PRIVATE & filters.User(list(config.admins))
    if config.admin_chat_id is not None:
        admin_chat = filters.Chat(config.admin_chat_id)
        chats = admin_chat if chats is None else chats | admin_chat
    if chats is None:
        return None
    return filters.REPLY & filters.TEXT & ~filters.COMMAND & chats


def register(application: Application) -> None:
    """Wire the question answerer, its buttons, admin replies, /unanswered and "ask"."""
    router.set_question_handler(application, answer_question)
    router.register_entry_point(application, "ask", ask_prompt)
    application.add_handler(
        CallbackQueryHandler(question_button, pattern=callbacks.pattern(callbacks.FAQ))
    )
    application.add_handler(CommandHandler("unanswered", unanswered))
    replies = _admin_replies(application)
    if replies is not None:
        # Group 0, so it runs before the free-text router (group 1), which it then stops.
        # New messages only: editing a reply must not send it to the member a second time.
        application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & replies, admin_replied))
