"""The secretariat teaches the bot from Telegram: a question sent to the secretariat (its
notice, or /unanswered) gets a 🎓 button; the admin links it to an existing answer (one of
the best matches, or found by words) or writes a new one. The member is answered at once and
the same question is answered from then on; /learned lists the lessons, each with an undo.

Lessons are stored without the member's identity (bot/storage/learned.py) and laid over the
knowledge files by ``svc.knowledge`` (bot/kb/learned.py, bot/kb/service.py).
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.kb import KnowledgeBase, Text, detect_language
from bot.kb.learned import (
    ACTIVE,
    ENTRY,
    LINK,
    MERGED,
    Lesson,
    derive_title,
    linkable,
    new_entry_id,
    owner_in,
)
from bot.kb.nodes import PLACEHOLDERS
from bot.services import get_services
from bot.storage.forms import FormState
from bot.storage.learned import GONE
from bot.storage.questions import Question
from bot.texts import Html
from bot.tg.app import AnyApplication
from handlers.kit import answers, callbacks, common, given, router
from handlers.kit.common import CommandSpec, Context

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("learned", admin=True)]

FORM = "teach"
OPEN = callbacks.TEACH_OPEN  # tc:q:<question id>: the teach card
LINK_TO = "l"  # tc:l:<question id>:<item id>: this question leads to that item
SEARCH = "s"  # tc:s:<question id>: find an answer by words
NEW = "n"  # tc:n:<question id>: write a new answer
SKIP = "k"  # tc:k:<question id>: no English answer
UNDO = "u"  # tc:u:<lesson id>
_PARTS = {OPEN: 3, LINK_TO: 4, SEARCH: 3, NEW: 3, SKIP: 3, UNDO: 3}

CANDIDATES = 5  # answers offered on the card and per search
LEARNED_SHOWN = 30  # /learned shows the newest ones
ANSWER_LENGTH = (2, 3500)
EXCERPT = 300
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _data(action: str, *parts: object) -> str:
    return callbacks.data(callbacks.TEACH, action, *parts)


def candidates(kb: KnowledgeBase, words: str) -> list[str]:
    """The items a question or some words most likely lead to, that phrasings can lead to."""
    result = kb.ask(words)
    found = [result.entry_id] if result.entry_id else []
    found += result.suggestions
    found += [match.id for match in kb.index.search(words, limit=CANDIDATES * 2)]
    unique = dict.fromkeys(item for item in found if linkable(kb, item))
    return list(unique)[:CANDIDATES]


def _choices(
    context: Context, kb: KnowledgeBase, lang: str, question_id: int, items: list[str]
) -> InlineKeyboardMarkup:
    rows = [
        answers.button(context, "teach.link_button", lang, _data(LINK_TO, question_id, item),
                       title=kb.title(item, lang))
        for item in items
    ]
    rows.append(answers.button(context, "teach.search_button", lang, _data(SEARCH, question_id)))
    rows.append(answers.button(context, "teach.new_button", lang, _data(NEW, question_id)))
    return InlineKeyboardMarkup(rows)


def _undo_markup(context: Context, lang: str, lesson_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([answers.button(context, "teach.undo_button", lang,
                                                _data(UNDO, lesson_id))])


async def _say(
    context: Context, chat_id: int, key: str, lang: str, /,
    reply_markup: InlineKeyboardMarkup | None = None, **params: object,
) -> Message:
    return await context.bot.send_message(
        chat_id, common.text(context, key, lang, **params), reply_markup=reply_markup
    )


async def _refusal(context: Context, question: Question | None) -> str | None:
    """Why a question cannot be taught any more (a catalog key), or None."""
    if question is None:
        return "teach.gone"
    if await common.services(context).learned.of_question(question.id) is not None:
        return "teach.already_taught"
    return None


# -- buttons -----------------------------------------------------------------------------------


async def teach_pressed(update: Update, context: Context) -> None:
    """Every teach button: re-checks who pressed, the data, and the question's state."""
    query = given.query(update)
    lang = await common.language(update, context)
    if not common.is_admin(update, context):
        user = update.effective_user
        log.warning("non-admin %s pressed %s", user.id if user else None, query.data)
        await query.answer(common.text(context, "teach.not_admin", lang), show_alert=True)
        return
    parts = callbacks.parse(query.data)
    action = parts[1] if len(parts) > 1 else ""
    number = callbacks.number(parts[2]) if len(parts) > 2 else None
    if _PARTS.get(action) != len(parts) or number is None:
        await query.answer(common.text(context, "errors.stale_button", lang), show_alert=True)
        return
    if action == UNDO:
        await _undo(update, context, lang, number)
        return
    svc = common.services(context)
    question = await svc.questions.get(number)
    refusal = await _refusal(context, question)
    if refusal is not None:
        await query.answer(common.text(context, refusal, lang), show_alert=True)
        return
    assert question is not None
    if action == OPEN:
        await _open(update, context, lang, question)
    elif action == LINK_TO:
        await _link(update, context, lang, question, parts[3])
    elif action == SEARCH:
        await _start_form(update, context, lang, question, "search", "teach.search_prompt")
    elif action == NEW:
        await _start_new(update, context, lang, question)
    else:
        await _skip_english(update, context, lang, question)


async def _open(update: Update, context: Context, lang: str, question: Question) -> None:
    """The teach card, in the admin's private chat (the dialogue goes on there)."""
    query = given.query(update)
    kb = common.services(context).kb
    markup = _choices(context, kb, lang, question.id, candidates(kb, question.text))
    try:
        await _say(context, given.user(update).id, "teach.card", lang, reply_markup=markup,
                   id=question.id, question=answers.excerpt(question.text, EXCERPT))
    except (Forbidden, BadRequest):  # pressed in the admin group by an admin who never /start-ed
        await query.answer(common.text(context, "teach.open_private", lang), show_alert=True)
        return
    await query.answer()


async def _link(
    update: Update, context: Context, lang: str, question: Question, item_id: str
) -> None:
    """This question leads to that item from now on; the member gets it now."""
    query = given.query(update)
    svc = common.services(context)
    kb = svc.kb
    if not linkable(kb, item_id):
        await query.answer(common.text(context, "teach.stale_item", lang), show_alert=True)
        return
    owner = owner_in(kb, question.text)
    if owner is not None and owner != item_id:
        await query.answer(common.text(context, "teach.conflict", lang,
                                       title=kb.title(owner, lang)), show_alert=True)
        return
    taught = await svc.learned.teach(
        question.id, kind=LINK, phrasing=question.text, language=_phrasing_language(question),
        target_id=item_id, taught_by=given.user(update).id,
    )
    if taught.lesson is None:
        key = "teach.gone" if taught.refused == GONE else "teach.already_taught"
        await query.answer(common.text(context, key, lang), show_alert=True)
        return
    await query.answer()
    await common.remove_buttons(query.message)
    await _taught(context, given.user(update).id, lang, question, taught.lesson)


async def _start_form(
    update: Update, context: Context, lang: str, question: Question, step: str, key: str
) -> None:
    admin = given.user(update).id
    await router.open_prompt(context, FormState(admin, admin, FORM, step,
                                                {"question_id": question.id}))
    await given.query(update).answer()
    await _say(context, admin, key, lang, id=question.id,
               question=answers.excerpt(question.text, EXCERPT))


async def _start_new(update: Update, context: Context, lang: str, question: Question) -> None:
    kb = common.services(context).kb
    owner = owner_in(kb, question.text)
    if owner is not None:
        await given.query(update).answer(
            common.text(context, "teach.conflict", lang, title=kb.title(owner, lang)),
            show_alert=True,
        )
        return
    await _start_form(update, context, lang, question, "vi", "teach.ask_vi")


async def _skip_english(update: Update, context: Context, lang: str, question: Question) -> None:
    query = given.query(update)
    admin = given.user(update).id
    state = await common.services(context).forms.get(admin)
    if (state is None or state.form != FORM or state.step != "en"
            or state.data.get("question_id") != question.id):
        # Taught meanwhile (refused above), cancelled or set aside for another prompt.
        await query.answer(common.text(context, "teach.no_longer_written", lang,
                                       id=question.id), show_alert=True)
        return
    await query.answer()
    await common.remove_buttons(query.message)
    await _add_entry(context, admin, lang, state, question, english=None)


async def _undo(update: Update, context: Context, lang: str, lesson_id: int) -> None:
    query = given.query(update)
    svc = common.services(context)
    lesson = await svc.learned.undo(lesson_id)
    if lesson is None:
        await query.answer(common.text(context, "teach.already_undone", lang), show_alert=True)
        return
    await svc.knowledge.refresh()
    await query.answer()
    if isinstance(query.message, Message) and query.message.reply_markup is not None:
        data = _data(UNDO, lesson_id)
        rows = [[b for b in row if b.callback_data != data]
                for row in query.message.reply_markup.inline_keyboard]
        rows = [row for row in rows if row]
        try:
            await query.message.edit_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
        except BadRequest:
            log.debug("could not take the undo button off message %s", query.message.message_id)
    key = "teach.undone.link" if lesson.kind == LINK else "teach.undone.entry"
    await _say(context, given.chat(update).id, key, lang, lesson=lesson.id,
               phrasing=answers.shorten(lesson.phrasing, EXCERPT),
               title=_title(svc.kb, lesson, lang))


# -- the dialogue: search words, or the new answer in Vietnamese then English -----------------


class TeachForm:
    """The admin's messages while searching for an answer or writing a new one."""

    async def on_input(self, update: Update, context: Context, state: FormState) -> None:
        """One message of the dialogue."""
        svc = common.services(context)
        admin = given.user(update).id
        lang = await common.language(update, context)
        question = await svc.questions.get(int(state.data.get("question_id", 0)))
        refusal = await _refusal(context, question)
        if not common.is_admin(update, context) or refusal is not None:
            await svc.forms.clear(admin)
            if refusal is not None:
                await _say(context, admin, refusal, lang)
            return
        assert question is not None
        if not given.message(update).text:  # a photo, a sticker, a file: words are awaited
            await _say(context, admin, "teach.text_only", lang)
            return
        text = (given.message(update).text or "").strip()
        if state.step == "search":
            await _search_results(context, admin, lang, question, text)
            return
        if not await _valid_answer(context, admin, lang, text):
            return
        if state.step == "vi":
            state.data["vi"] = text
            state.step = "en"
            await svc.forms.save(state)
            markup = InlineKeyboardMarkup([answers.button(context, "teach.skip_button", lang,
                                                          _data(SKIP, question.id))])
            await _say(context, admin, "teach.ask_en", lang, reply_markup=markup)
        else:
            await _add_entry(context, admin, lang, state, question, english=text)

    async def on_cancel(self, update: Update, context: Context, state: FormState) -> None:
        """/cancel: nothing is taught."""
        await common.reply(update, context, "teach.cancelled")

    def same_prompt(self, earlier: FormState, state: FormState) -> bool:
        """The same question again loses nothing unless an answer was already typed; another
        question sets this one aside."""
        same_question = earlier.data.get("question_id") == state.data.get("question_id")
        return same_question and not earlier.data.get("vi")

    async def on_set_aside(self, context: Context, state: FormState) -> None:
        """Another prompt took this one's place: say so, quoting the answer typed so far."""
        lang = await router.user_language(context, state.user_id)
        typed = state.data.get("vi")
        key = "teach.set_aside_typed" if typed else "teach.set_aside"
        await _say(context, state.chat_id, key, lang, id=state.data.get("question_id", ""),
                   typed=typed or "")


async def _search_results(
    context: Context, admin: int, lang: str, question: Question, words: str
) -> None:
    kb = common.services(context).kb
    found = candidates(kb, words) if words else []
    key = "teach.search_results" if found else "teach.search_none"
    await _say(context, admin, key, lang, reply_markup=_choices(context, kb, lang, question.id,
                                                                 found),
               id=question.id, words=answers.shorten(words, 100))


async def _valid_answer(context: Context, admin: int, lang: str, text: str) -> bool:
    low, high = ANSWER_LENGTH
    if not low <= len(text) <= high:
        await _say(context, admin, "teach.answer_invalid", lang, min=low, max=high)
        return False
    unknown = [name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    if unknown:
        known = " ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        names = " ".join(f"{{{name}}}" for name in unknown)
        await _say(context, admin, "teach.answer_placeholder", lang, names=names, known=known)
        return False
    return True


async def _add_entry(
    context: Context, admin: int, lang: str, state: FormState, question: Question,
    *, english: str | None,
) -> None:
    """The new answer becomes an entry, asked with the member's question."""
    svc = common.services(context)
    kb = svc.kb
    taken = {*kb.entries, *(m.id for m in kb.meetings), *(a.id for a in kb.charter.articles),
             *(c.id for c in kb.charter.chapters),
             *(lesson.target_id for lesson in await svc.learned.lessons())}
    title = derive_title(question.text)
    day = svc.clock.today()
    source = Text(*(svc.texts.raw("teach.source", code).format(date=svc.clock.day(day))
                    for code in ("vi", "en")))
    vietnamese = state.data["vi"]
    taught = await svc.learned.teach(
        question.id, kind=ENTRY, phrasing=question.text, language=_phrasing_language(question),
        target_id=new_entry_id(question.text, taken), taught_by=admin,
        title=Text(title, title), answer=Text(vietnamese, english or vietnamese), source=source,
    )
    await svc.forms.clear(admin)
    if taught.lesson is None:
        key = "teach.gone" if taught.refused == GONE else "teach.already_taught"
        await _say(context, admin, key, lang)
        return
    await _taught(context, admin, lang, question, taught.lesson)


# -- after teaching ------------------------------------------------------------------------


def _phrasing_language(question: Question) -> str:
    return detect_language(question.text) or question.language


def _title(kb: KnowledgeBase, lesson: Lesson, lang: str) -> str:
    if lesson.title is not None:
        return lesson.title.get(lang)
    try:
        return kb.title(lesson.target_id, lang)
    except KeyError:  # the files lost the target since
        return lesson.target_id


async def _taught(
    context: Context, admin: int, lang: str, question: Question, lesson: Lesson
) -> None:
    """Use the lesson at once, answer the member, tell the admin (with an undo)."""
    svc = common.services(context)
    await svc.knowledge.refresh()
    state = await svc.forms.get(admin)
    if state is not None and state.form == FORM:
        await svc.forms.clear(admin)
    status = svc.knowledge.lesson_status.get(lesson.id, ACTIVE)
    if status not in (ACTIVE, MERGED):  # the files or another lesson changed meanwhile
        await _say(context, admin, "teach.not_in_use", lang,
                   reply_markup=_undo_markup(context, lang, lesson.id), lesson=lesson.id,
                   status=common.text(context, f"teach.status.{status}", lang))
        return
    key = "teach.linked" if lesson.kind == LINK else "teach.added"
    earlier = question.taught_answer_at
    if earlier is not None:  # taught before and undone: the member has an answer already
        key += "_again"
    text = common.text(context, key, lang, id=question.id, title=_title(svc.kb, lesson, lang),
                       item=lesson.target_id,
                       date=svc.clock.day(earlier))
    if earlier is None and not await _answer_member(context, question, lesson.target_id):
        text = Html(f"{text}\n\n{common.text(context, 'teach.undelivered', lang)}")
    await context.bot.send_message(admin, text, reply_markup=_undo_markup(context, lang,
                                                                           lesson.id))


async def _answer_member(context: Context, question: Question, item_id: str) -> bool:
    """The taught answer to the member, in their language, quoting their question."""
    svc = common.services(context)
    lang = question.language
    parts, rows = answers.item_view(context, svc.kb, item_id, lang)
    intro = common.text(context, "teach.member_intro", lang,
                        question=answers.shorten(question.text, EXCERPT))
    try:
        await answers.send_parts(context.bot, question.chat_id, [intro, *parts],
                                 reply_markup=InlineKeyboardMarkup(rows) if rows else None,
                                 reply_to=question.message_id)
    except (Forbidden, BadRequest) as exc:
        log.info("taught answer to question %s not delivered: %s", question.id, exc)
        await svc.users.set_reachable(question.user_id, False)
        return False
    except TelegramError:
        log.warning("taught answer to question %s failed", question.id, exc_info=True)
        return False
    await svc.questions.record_taught_answer(question.id, svc.clock.utcnow())
    return True


# -- /learned -----------------------------------------------------------------------------


@common.admin_chats_only
@common.admins_only
async def learned(update: Update, context: Context) -> None:
    """/learned (admins): what the bot was taught, newest first, each with an undo button."""
    svc = common.services(context)
    lang = await common.language(update, context)
    lessons = (await svc.learned.lessons())[::-1]
    if not lessons:
        await common.reply(update, context, "teach.learned_none")
        return
    shown = lessons[:LEARNED_SHOWN]
    names: dict[int, str] = {}
    for lesson in shown:
        if lesson.taught_by not in names:
            user = await svc.users.get(lesson.taught_by)
            names[lesson.taught_by] = user.full_name if user else str(lesson.taught_by)
    parts = [common.text(context, "teach.learned_header", lang, count=len(lessons))]
    parts += [_lesson_line(context, lang, lesson, names[lesson.taught_by]) for lesson in shown]
    parts.append(common.text(context, "teach.learned_hint", lang))
    buttons = [
        InlineKeyboardButton(answers.button_label(context, "teach.undo_line_button", lang,
                                                  lesson=lesson.id),
                             callback_data=_data(UNDO, lesson.id))
        for lesson in shown
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    await answers.send_parts(context.bot, given.chat(update).id, parts,
                             reply_markup=InlineKeyboardMarkup(rows))


def _lesson_line(context: Context, lang: str, lesson: Lesson, admin: str) -> Html:
    svc = common.services(context)
    status = svc.knowledge.lesson_status.get(lesson.id, "active")
    key = "teach.line.link" if lesson.kind == LINK else "teach.line.entry"
    return common.text(
        context, key, lang, lesson=lesson.id, admin=admin,
        date=svc.clock.day(lesson.taught_at),
        phrasing=answers.shorten(lesson.phrasing, 120), title=_title(svc.kb, lesson, lang),
        item=lesson.target_id, status=common.text(context, f"teach.status.{status}", lang),
    )


async def on_startup(application: AnyApplication) -> None:
    """Lay what was taught over the knowledge files (it survives restarts)."""
    await get_services(application).knowledge.refresh()


def register(application: AnyApplication) -> None:
    """Wire the teach buttons, the dialogue and /learned."""
    application.add_handler(
        CallbackQueryHandler(teach_pressed, pattern=callbacks.pattern(callbacks.TEACH))
    )
    application.add_handler(CommandHandler("learned", learned))
    router.register_form(application, FORM, TeachForm())
