"""Routes what a user types: into their open form if they have one, else to the question
answerer; and opens features by name from deep links (``/start join``) and menu buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, MessageHandler, TypeHandler, filters

from bot.storage.forms import FormState
from bot.tg.app import AnyApplication
from handlers.kit import common
from handlers.kit.common import CommandSpec, Context

log = logging.getLogger(__name__)

Callback = Callable[[Update, Context], Awaitable[None]]

FORMS_KEY = "forms"
ENTRIES_KEY = "entry_points"
QUESTION_KEY = "question_handler"
# user_data: (form, step, update id) where a user chose the menu's "ask" with a form open.
ASKING_KEY = "asking_from_form"

COMMANDS = [CommandSpec("cancel")]


class FormHandler(Protocol):
    """A multi-step form: receives every message its user sends while it is open."""

    async def on_input(self, update: Update, context: Context, state: FormState) -> None:
        """Handle one message typed (or sent) into the form."""

    async def on_cancel(self, update: Update, context: Context, state: FormState) -> None:
        """The user cancelled the form; its state is already cleared."""


@runtime_checkable
class ResumableForm(Protocol):
    """A form that can ask its current question again after a question asked meanwhile."""

    async def on_resume(self, update: Update, context: Context, state: FormState) -> None:
        """Ask the question of the form's current step again."""


@runtime_checkable
class SetAsideForm(Protocol):
    """A form that says itself what was set aside when another prompt took its place."""

    async def on_set_aside(self, context: Context, state: FormState) -> None:
        """Tell the user, in the form's chat, that it was set aside and what they had typed."""


@runtime_checkable
class OnePromptAtATime(Protocol):
    """A form of which one person may open several different prompts (a registration for
    each meeting, a reason for each application): opening another one sets this one aside
    as another form would, while opening the same one again takes its place quietly."""

    def same_prompt(self, earlier: FormState, state: FormState) -> bool:
        """Whether ``state`` opens again the prompt ``earlier`` holds."""


def register_form(application: AnyApplication, name: str, handler: FormHandler) -> None:
    """Make ``handler`` receive the input of forms named ``name``."""
    application.bot_data.setdefault(FORMS_KEY, {})[name] = handler


def register_entry_point(application: AnyApplication, name: str, callback: Callback) -> None:
    """Let ``/start <name>`` and the main menu's ``name`` button open a feature."""
    application.bot_data.setdefault(ENTRIES_KEY, {})[name] = callback


def entry_point(context: Context, name: str) -> Callback | None:
    """The callback that opens feature ``name``, if one is registered."""
    entries: dict[str, Callback] = context.application.bot_data.get(ENTRIES_KEY, {})
    return entries.get(name)


def set_question_handler(application: AnyApplication, callback: Callback) -> None:
    """Who answers free text typed outside any form."""
    application.bot_data[QUESTION_KEY] = callback


async def answer_as_question(update: Update, context: Context) -> None:
    """Answer the update's message as a question, even while a form is open."""
    question = context.application.bot_data.get(QUESTION_KEY)
    if question is not None:
        await question(update, context)


async def open_form(update: Update, context: Context) -> FormState | None:
    """The user's open form in this chat, if its feature still handles it (a rejection's
    reason awaited in the admin group is not open in the private chat: nothing typed here
    answers it)."""
    user = update.effective_user
    state = await common.services(context).forms.get(user.id) if user else None
    if state is None or state.form not in context.application.bot_data.get(FORMS_KEY, {}):
        return None
    chat = update.effective_chat
    if chat is not None and state.chat_id != chat.id:
        return None
    return state


async def resume_form(update: Update, context: Context, state: FormState) -> None:
    """Ask the open form's current question again (after the user changed language), or say
    that it is still open."""
    handler = context.application.bot_data.get(FORMS_KEY, {}).get(state.form)
    if isinstance(handler, ResumableForm):
        await handler.on_resume(update, context, state)
    else:
        await common.reply(update, context, "router.form_still_open")


async def open_prompt(context: Context, state: FormState) -> None:
    """Make ``state`` the user's one open prompt. A different form (or another prompt of a
    :class:`OnePromptAtATime` form) open until now is set aside, and the user is told so (in
    its chat, before the new prompt), with what they had typed into it, rather than have it
    silently replaced. Every form opens through here; its later steps use ``forms.save``."""
    earlier = await common.services(context).forms.replace(state)
    if earlier is None:
        return
    handler = context.application.bot_data.get(FORMS_KEY, {}).get(earlier.form)
    if handler is None or _same_prompt(handler, earlier, state):
        return
    try:
        if isinstance(handler, SetAsideForm):
            await handler.on_set_aside(context, earlier)
        else:
            lang = await user_language(context, state.user_id)
            await context.bot.send_message(
                earlier.chat_id, common.text(context, "router.form_set_aside", lang)
            )
    except TelegramError:  # the note is a courtesy: the new prompt still opens
        log.warning("could not tell user %s that form %s was set aside", state.user_id,
                    earlier.form, exc_info=True)


def _same_prompt(handler: FormHandler, earlier: FormState, state: FormState) -> bool:
    """Whether opening ``state`` goes on with ``earlier`` rather than set it aside."""
    if earlier.form != state.form:
        return False
    return not isinstance(handler, OnePromptAtATime) or handler.same_prompt(earlier, state)


async def user_language(context: Context, user_id: int) -> str:
    """The language to tell a user something in outside their own update (a form's
    set-aside notice): the one they chose, else Telegram's, else the default."""
    svc = common.services(context)
    return svc.texts.language(await svc.users.language_of(user_id))


def ask_next(update: Update, context: Context, state: FormState) -> None:
    """The user chose to ask a question with ``state``'s form open: their next message, if it
    is text, is a question (unless the form moved on meanwhile), then the form goes on."""
    if context.user_data is not None:
        context.user_data[ASKING_KEY] = (state.form, state.step, update.update_id)


def _asking(context: Context, state: FormState) -> bool:
    """Whether this text is the question the user chose to ask at the form's current step."""
    asked = context.user_data.pop(ASKING_KEY, None) if context.user_data is not None else None
    return asked is not None and asked[:2] == (state.form, state.step)


async def _no_longer_asking(update: Update, context: Context) -> None:
    """Anything else the user does after choosing to ask (a command, a button, /cancel,
    /join) makes their next text a form answer again."""
    asked = context.user_data.get(ASKING_KEY) if context.user_data is not None else None
    if asked is not None and asked[2] != update.update_id and context.user_data is not None:
        del context.user_data[ASKING_KEY]


async def route_message(update: Update, context: Context) -> None:
    """A private, non-command message: feed the open form, else treat it as a question."""
    user = update.effective_user
    if user is None:
        return
    svc = common.services(context)
    state = await svc.forms.get(user.id)
    chat = update.effective_chat
    if state is not None and chat is not None and state.chat_id != chat.id:
        # A form being filled in another chat (a rejection's reason asked in the admin
        # group): what is typed here is not its answer.
        state = None
    if state is not None:
        handler = context.application.bot_data.get(FORMS_KEY, {}).get(state.form)
        if handler is not None:
            text = update.effective_message.text if update.effective_message else None
            if _asking(context, state) and text:
                await answer_as_question(update, context)
                if isinstance(handler, ResumableForm):
                    await handler.on_resume(update, context, state)
                else:
                    await common.reply(update, context, "router.form_still_open")
                return
            await handler.on_input(update, context, state)
            return
        # A form whose feature is gone (renamed, removed): close it rather than trap the user.
        await svc.forms.clear(user.id)
    question = context.application.bot_data.get(QUESTION_KEY)
    if question is not None and update.effective_message and update.effective_message.text:
        await question(update, context)
    else:
        await common.reply(update, context, "router.not_understood")


async def cancel(update: Update, context: Context) -> None:
    """/cancel: close the open form, keeping nothing of it (in a group, only a form being
    filled in that group); with none open in the private chat, drop a form set aside."""
    user = update.effective_user
    if user is None:
        return
    svc = common.services(context)
    state = await svc.forms.get(user.id)
    chat = update.effective_chat
    in_group = chat is not None and chat.type != chat.PRIVATE
    if in_group and (state is None or chat is None or state.chat_id != chat.id):
        return  # in a group, /cancel only stops what the user is typing in that group
    if state is None and not in_group:
        # Nothing open: a form set aside (a half-filled application) is what there is to stop.
        state = await _take_set_aside(context, user.id)
    if state is None:
        await common.reply(update, context, "router.nothing_to_cancel")
        return
    await svc.forms.clear(user.id)
    handler = context.application.bot_data.get(FORMS_KEY, {}).get(state.form)
    if handler is not None:
        await handler.on_cancel(update, context, state)
    else:
        await common.reply(update, context, "router.cancelled")


async def _take_set_aside(context: Context, user_id: int) -> FormState | None:
    """The user's form kept apart for another prompt, no longer kept (the first found)."""
    forms = common.services(context).forms
    for name in context.application.bot_data.get(FORMS_KEY, {}):
        if (kept := await forms.take_set_aside(user_id, name)) is not None:
            return kept
    return None


def register(application: AnyApplication) -> None:
    """Wire /cancel and the free-text router."""
    # Also in groups: an admin typing a rejection's reason in the admin chat may /cancel there.
    application.add_handler(CommandHandler("cancel", cancel))
    # Group 1: after every feature's commands and buttons (group 0) had their chance.
    # Only new messages: an edit of an old one is neither a new question nor a form answer.
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.COMMAND,
            route_message,
        ),
        group=1,
    )
    # Group 2: after every update (the text taken as the question has already cleared it).
    application.add_handler(TypeHandler(Update, _no_longer_asking), group=2)
