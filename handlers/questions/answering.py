"""Members' questions: answered from the knowledge base, or sent to the secretariat (whose
side is ``handlers/questions/secretariat.py``).

A question is any private text outside a form (the router hands it here). The bot's answer
quotes the member's message, so the "send to the secretariat" button under it knows the
question without storing anything until the member decides to send it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.kb import AnswerResult, KnowledgeBase, detect_language, fill_placeholders
from bot.kb.normalize import roman
from bot.smalltalk import SmallTalk, small_talk
from bot.storage import utcnow
from bot.tg.app import AnyApplication
from handlers.kit import answers, callbacks, common, given, router
from handlers.kit.common import Context
from handlers.kit.notify import notify_admins

log = logging.getLogger(__name__)

ENTRY = callbacks.FAQ_ENTRY  # q:e:<item id>: show that item
ASK = "ask"  # q:ask: send the quoted question to the secretariat
ASK_ENTRY = "ask"  # /start ask and the menu's m:ask: "type your question"

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
    context: Context, chat_id: int, item_id: str, lang: str, *, question: Message | None,
    also: tuple[str, ...] = (),
) -> None:
    """An item of the knowledge base with its source, "see also" buttons and, when it answers
    a member's question, the button to send that question to the secretariat instead.
    ``also``: items answering the rest of a question of two, offered first."""
    kb = common.services(context).kb
    parts, rows = answers.item_view(context, kb, item_id, lang)
    offered = {callbacks.data(callbacks.FAQ, ENTRY, other): other
               for other in also if other != item_id}
    # The rest of the question's answer, first; not again among the "see also" buttons.
    rows = [
        *(answers.button(context, "questions.suggestion", lang, data,
                         title=kb.title(other, lang)) for data, other in offered.items()),
        *(row for row in rows if not all(button.callback_data in offered for button in row)),
    ]
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
        given.chat(update).id,
        [text],
        reply_markup=keyboard,
        reply_to=question.message_id,
    )


async def _count(context: Context, status: str) -> None:
    """Count the question for /stats by outcome (no text is kept)."""
    svc = common.services(context)
    outcome = {"answered": "answered", "not_found": "answered", "suggest": "suggested"}
    today = svc.clock.today()
    await svc.stats.count_question(today, outcome.get(status, "unknown"))


async def answer_question(update: Update, context: Context) -> None:
    """Free text: the answer with its source; else "did you mean"; else an honest unknown."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or chat.type != chat.PRIVATE or not message.text:
        return
    question = message.text
    lang = await answer_language(update, context, question)
    talk = small_talk(question)
    if talk is not None:
        await _small_talk(update, context, talk, lang)
        return
    kb = common.services(context).kb
    # Off the event loop: with a charter imported, reading a long question by meaning
    # (bot/kb/semantic.py) takes up to ~0.15 s, which other members must not wait for.
    result = await asyncio.to_thread(kb.ask, question, common.services(context).clock.now())
    await _count(context, result.status)
    if result.status == "answered" and result.entry_id is not None:
        await send_item(context, chat.id, result.entry_id, lang, question=message,
                        also=result.suggestions)
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


async def _small_talk(update: Update, context: Context, talk: SmallTalk, lang: str) -> None:
    """Thanks, an "ok" or an emoji get a line of their own; a greeting gets the main menu."""
    menu = router.entry_point(context, "menu")
    if talk == SmallTalk.GREETING and menu is not None:
        await menu(update, context)
        return
    await context.bot.send_message(
        given.chat(update).id, common.text(context, f"questions.smalltalk.{talk}", lang)
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


def _text_of(question: Message | None) -> str:
    """The quoted question's text (always some: :func:`_quoted_question` checks), else ""."""
    return (question.text or "") if question is not None else ""


async def _show_entry(update: Update, context: Context, item_id: str) -> None:
    """A "did you mean" or "see also" button: that item, answering the same question."""
    query = given.query(update)
    kb = common.services(context).kb
    question = _quoted_question(update)
    lang = await answer_language(update, context, _text_of(question))
    try:
        kb.title(item_id, lang)
    except KeyError:  # the knowledge base was reloaded without it
        await query.answer(common.text(context, "questions.stale_item", lang), show_alert=True)
        return
    await query.answer()
    await send_item(context, given.chat(update).id, item_id, lang, question=question)


async def _send_to_secretariat(update: Update, context: Context) -> None:
    """The member chose to send their question to the secretariat."""
    query = given.query(update)
    svc = common.services(context)
    question = _quoted_question(update)
    lang = await answer_language(update, context, _text_of(question))
    if question is None:
        await query.answer(common.text(context, "questions.retype", lang), show_alert=True)
        return
    user = given.user(update)
    if await svc.questions.by_message(user.id, question.message_id) is not None:
        await query.answer(common.text(context, "questions.already_sent", lang), show_alert=True)
        return
    open_today = await svc.questions.open_asked_since(user.id, utcnow() - timedelta(days=1))
    if open_today >= MAX_OPEN_QUESTIONS_PER_DAY:
        await query.answer()
        await context.bot.send_message(
            given.chat(update).id,
            common.text(context, "questions.too_many", lang, count=open_today),
        )
        return
    stored, created = await svc.questions.ask(
        user_id=user.id,
        chat_id=given.chat(update).id,
        message_id=question.message_id,
        text=_text_of(question),
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
        await common.remove_buttons(query.message, only=callbacks.data(callbacks.FAQ, ASK))
    await context.bot.send_message(
        given.chat(update).id,
        common.text(context, "questions.sent" if notices else "questions.recorded", lang),
    )


async def question_button(update: Update, context: Context) -> None:
    """Buttons of question answering: ``q:e:<id>`` and ``q:ask``."""
    data = given.query(update).data
    action = callbacks.part(data, 1)
    if action == ENTRY:
        await _show_entry(update, context, callbacks.part(data, 2))
    elif action == ASK:
        await _send_to_secretariat(update, context)
    else:
        await common.answer_callback(update)


async def ask_prompt(update: Update, context: Context) -> None:
    """The menu's "ask" item: just type the question (a form left open here waits for it;
    one being filled in another chat, a reason in the office's group, is not affected)."""
    state = await router.open_form(update, context)
    if state is None:
        await common.reply(update, context, "questions.ask_prompt")
        return
    router.ask_next(update, context, state)
    await common.reply(update, context, "questions.ask_prompt_in_form")


async def asked_in_group(update: Update, context: Context) -> None:
    """A member names the bot in a group (``@bot hội phí?``): questions are answered in the
    private chat, so say so there, under the question (in its topic), with a link."""
    message = given.message(update)
    name = f"@{context.bot.username}".lower()
    if not any(mention.lower() == name for mention in message.parse_entities(["mention"]).values()):
        return
    if given.chat(update).id == common.services(context).config.admin_chat_id:
        return  # the secretariat talking about the bot among themselves
    lang = await answer_language(update, context, message.text or "")
    link = f"https://t.me/{context.bot.username}?start={ASK_ENTRY}"
    await message.reply_text(common.text(context, "questions.ask_in_private", lang, link=link))


def register(application: AnyApplication) -> None:
    """Wire the question answerer, its buttons and the menu's "ask"."""
    router.set_question_handler(application, answer_question)
    router.register_entry_point(application, ASK_ENTRY, ask_prompt)
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & ~filters.ChatType.PRIVATE & filters.TEXT
            & ~filters.COMMAND & filters.Entity("mention"),
            asked_in_group,
        )
    )
    application.add_handler(
        CallbackQueryHandler(question_button, pattern=callbacks.pattern(callbacks.FAQ))
    )
