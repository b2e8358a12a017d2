"""The membership application form (/join, menu "Join", ``/start join``); its buttons also
carry the membership screen's and /status's (``handlers/membership/status.py``).

The form's state lives in the ``forms`` table (see :mod:`handlers.kit.router`), so a half-filled
application survives a restart; each answer is saved before the next question is sent.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.membership import form
from bot.membership.form import AmbiguousProvince
from bot.membership.provinces import ProvinceMatch
from bot.membership.validation import InvalidAnswer, looks_like_question
from bot.storage import utcnow
from bot.storage.forms import FormState
from bot.storage.membership_records import AlreadyMember, AlreadyPending
from bot.texts import Html, formats
from bot.tg.app import AnyApplication
from handlers.kit import callbacks, common, given, router
from handlers.kit.common import CommandSpec, Context
from handlers.kit.menu import in_private, point_to_private_chat
from handlers.membership import status, view
from handlers.membership.buttons import (
    BACK,
    CANCEL,
    CONFIRM,
    CONSENT,
    EDIT,
    FIELD,
    KIND,
    PROVINCE,
    STATUS,
    UNSURE_ASK,
    UNSURE_KEEP,
    UNSURE_KEY,
    WITHDRAW,
    WITHDRAW_NO,
    WITHDRAW_YES,
    button,
    keyboard,
    together,
)

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("join")]

# Commands that show or change a person's own data: private chat only.
PRIVATE_COMMANDS = ("join", "status", "mydata", "forget")

async def ask(
    update: Update, context: Context, state: FormState, *, before: Html | None = None
) -> None:
    """Send the question of the form's current step (after an optional note or error)."""
    lang = await common.language(update, context)
    data = state.data
    step = state.step
    markup: InlineKeyboardMarkup | None = None
    if step == form.CONSENT:
        consent = common.text(
            context, "join.consent", lang, association=view.association_name(context, lang)
        )
        body = _progress(context, lang, data.get("kind"), step, consent)
        markup = keyboard(
            [button(context, lang, "join.consent.agree", CONSENT, "y")],
            [button(context, lang, "join.consent.decline", CONSENT, "n")],
        )
    elif step == form.SUMMARY:
        body = common.text(
            context, "join.summary", lang, fields=view.fields_block(context, lang, data)
        )
        markup = keyboard(
            [button(context, lang, "join.button.confirm", CONFIRM)],
            [
                button(context, lang, "join.button.edit", EDIT),
                button(context, lang, "join.button.cancel", CANCEL),
            ],
        )
    elif step == form.EDIT:
        body = common.text(context, "join.edit.choose", lang)
        kind = data.get("kind")
        fields = [
            InlineKeyboardButton(
                view.field_label(context, lang, name, kind),
                callback_data=callbacks.data(callbacks.JOIN, FIELD, name),
            )
            for name in form.editable_fields(data)
        ]
        markup = keyboard(
            *(fields[i : i + 2] for i in range(0, len(fields), 2)),
            [button(context, lang, "join.button.back", BACK)],
        )
    else:
        body = _question(context, lang, state)
        if step == "kind":
            markup = keyboard(
                [
                    button(context, lang, "join.kind.individual", KIND, "individual"),
                    button(context, lang, "join.kind.organisation", KIND, "organisation"),
                ]
            )
    await context.bot.send_message(state.chat_id, together(before, body), reply_markup=markup)


def _question(context: Context, lang: str, state: FormState) -> Html:
    data = state.data
    kind = data.get("kind")
    question = view.question(context, lang, state.step, kind)
    if data.get("editing") == state.step:
        return common.text(
            context,
            "join.editing",
            lang,
            field=view.field_label(context, lang, state.step, kind),
            current=view.field_value(context, lang, state.step, data.get(state.step)),
            question=question,
        )
    return _progress(context, lang, kind, state.step, question)


def _progress(context: Context, lang: str, kind: str | None, step: str, body: Html) -> Html:
    """A step with its place in the form ("Bước 3/8"); the consent is the last step. Until
    the kind is chosen the total is not known (an organisation has one step more), so the
    first step shows none ("Bước 1"): a total shown must never change under the applicant."""
    if kind is None:
        return common.text(context, "join.first_step", lang, question=body)
    fields = form.fields_for(kind)
    number = len(fields) + 1 if step == form.CONSENT else fields.index(step) + 1
    return common.text(
        context, "join.step", lang, number=number, total=len(fields) + 1, question=body
    )


async def _can_apply(update: Update, context: Context) -> bool:
    """Refuse (politely) an active member or someone whose application is pending."""
    svc = common.services(context)
    user_id = given.user(update).id
    member = await svc.membership.member_of(user_id)
    if member is not None and member.active:
        await common.reply(
            update,
            context,
            "join.already_member",
            number=member.number,
            date=common.local_date(context, member.joined_at),
        )
        return False
    pending = await svc.membership.pending_of(user_id)
    if pending is not None:
        await common.reply(
            update,
            context,
            "join.already_pending",
            id=pending.id,
            date=common.local_date(context, pending.submitted_at),
        )
        return False
    return True


async def open_join(update: Update, context: Context) -> None:
    """Start the application form, or resume the one in progress."""
    chat = update.effective_chat
    if chat is None or update.effective_user is None:
        return
    if chat.type != chat.PRIVATE:
        await private_only(update, context)
        return
    if not await _can_apply(update, context):
        return
    svc = common.services(context)
    state = await svc.forms.get(update.effective_user.id)
    if state is not None and state.form == form.FORM_NAME:
        state.chat_id = chat.id
        await svc.forms.save(state)
        await ask(update, context, state, before=await _text(update, context, "join.resume"))
        return
    kept = await svc.forms.take_set_aside(update.effective_user.id, form.FORM_NAME)
    if kept is not None:  # set aside for another prompt: it goes on where it stopped
        kept.chat_id = chat.id
        await router.open_prompt(context, kept)
        await ask(update, context, kept, before=await _text(update, context, "join.resume"))
        return
    state = FormState(update.effective_user.id, chat.id, form.FORM_NAME, "kind", {})
    await router.open_prompt(context, state)
    await ask(update, context, state, before=await _text(update, context, "join.intro"))


async def _text(update: Update, context: Context, key: str, **params: object) -> Html:
    return common.text(context, key, await common.language(update, context), **params)


async def private_only(update: Update, context: Context) -> None:
    """A personal command typed in a group: point to the private chat."""
    link = f"https://t.me/{context.bot.username}?start=join"
    await common.reply(update, context, "join.private_only", link=link)


def _typed_kind(text: str | None) -> form.Answer | None:
    """The kind of membership typed instead of pressed ("cá nhân", "to chuc"), if it is one."""
    if not text:
        return None
    try:
        return form.read_answer("kind", text)
    except InvalidAnswer:
        return None


class JoinForm:
    """Receives what the applicant types while the form is open."""

    async def on_input(self, update: Update, context: Context, state: FormState) -> None:
        """Check the answer to the current question; keep it and ask the next, or ask again."""
        message = given.message(update)
        step = state.step
        state.data.pop(UNSURE_KEY, None)  # a new answer replaces one that read like a question
        if step in form.BUTTON_STEPS:
            typed_kind = _typed_kind(message.text) if step == "kind" else None
            if typed_kind is not None:
                await self.accept(update, context, state, typed_kind)
                return
            await ask(
                update,
                context,
                state,
                before=await _text(update, context, "join.invalid.use_buttons"),
            )
            return
        if not message.text:
            # A photo, sticker, voice message...: thank, and ask the same question again.
            await ask(
                update, context, state, before=await _text(update, context, "join.invalid.not_text")
            )
            return
        if step in QUESTIONABLE_STEPS and looks_like_question(message.text):
            await _ask_if_question(update, context, state)
            return
        await self.take(update, context, state, message.text)

    async def take(self, update: Update, context: Context, state: FormState, text: str) -> None:
        """Check a typed answer to the current step: keep it, or say what is expected."""
        step = state.step
        try:
            answer = form.read_answer(step, text)
        except InvalidAnswer as problem:
            figures = {name: formats.number(value) if isinstance(value, int) else value
                       for name, value in problem.params.items()}
            error = await _text(update, context, f"join.invalid.{problem.code}", **figures)
            await ask(update, context, state, before=error)
            return
        except AmbiguousProvince as unsure:
            await _offer_provinces(update, context, unsure)
            return
        await self.accept(update, context, state, answer)

    async def accept(
        self, update: Update, context: Context, state: FormState, answer: form.Answer
    ) -> None:
        """Save the answer, then ask the next question (after the answer's note, if any)."""
        state.data = form.store(state.data, answer)
        state.step = form.next_step(state.data)
        await common.services(context).forms.save(state)
        note = None
        if answer.note:
            note = await _text(update, context, answer.note, **answer.note_params)
        await ask(update, context, state, before=note)

    async def on_cancel(self, update: Update, context: Context, state: FormState) -> None:
        """/cancel: the router already erased the answers."""
        await common.reply(update, context, "join.cancelled")

    async def on_resume(self, update: Update, context: Context, state: FormState) -> None:
        """After a question asked from the menu: the current step's question again."""
        await ask(update, context, state, before=await _text(update, context, "join.unsure.resume"))

    async def on_set_aside(self, context: Context, state: FormState) -> None:
        """Another prompt took the form's place (a meeting's registration...): keep its
        answers apart, say where it stopped, and that /join goes on from there."""
        lang = await router.user_language(context, state.user_id)
        kind = state.data.get("kind")
        if kind is None:  # nothing answered yet: nothing to keep
            text = common.text(context, "join.set_aside_unstarted", lang)
        else:
            await common.services(context).forms.set_aside(state)
            fields = form.fields_for(kind)
            if state.step == form.CONSENT or (state.step in fields and "editing" not in state.data):
                number = (len(fields) + 1 if state.step == form.CONSENT
                          else fields.index(state.step) + 1)
                text = common.text(context, "join.set_aside", lang, number=number,
                                   total=len(fields) + 1)
            else:  # the summary, or a field being edited from it
                text = common.text(context, "join.set_aside_at_summary", lang)
        await context.bot.send_message(state.chat_id, text)


JOIN_FORM = JoinForm()
# Steps whose answer is free text that a question could be mistaken for.
QUESTIONABLE_STEPS = frozenset({"full_name", "organisation", "position", "representative"})


async def _ask_if_question(update: Update, context: Context, state: FormState) -> None:
    """The answer reads like a question: ask whether it is the answer, keeping it aside."""
    message = given.message(update)
    state.data[UNSURE_KEY] = {
        "step": state.step,
        "text": message.text,
        "message_id": message.message_id,
    }
    await common.services(context).forms.save(state)
    lang = await common.language(update, context)
    field = view.field_label(context, lang, state.step, state.data.get("kind"))
    await message.reply_text(
        common.text(context, "join.unsure", lang, field=field),
        do_quote=True,
        reply_markup=keyboard(
            [button(context, lang, "join.unsure.keep", UNSURE_KEEP)],
            [button(context, lang, "join.unsure.ask", UNSURE_ASK)],
        ),
    )


async def _unsure_pressed(update: Update, context: Context, state: FormState, action: str) -> None:
    """Keep the answer that read like a question, or answer it as the question it was."""
    unsure = state.data.pop(UNSURE_KEY)
    await common.services(context).forms.save(state)
    if action == UNSURE_KEEP:
        await JOIN_FORM.take(update, context, state, unsure["text"])
        return
    # The applicant's own message, as it came: answered like any question typed outside a form.
    original = Message(
        unsure["message_id"],
        utcnow(),
        given.chat(update),
        from_user=update.effective_user,
        text=unsure["text"],
    )
    original.set_bot(context.bot)
    await router.answer_as_question(Update(update.update_id, message=original), context)
    await ask(update, context, state, before=await _text(update, context, "join.unsure.resume"))


async def _offer_provinces(update: Update, context: Context, unsure: AmbiguousProvince) -> None:
    lang = await common.language(update, context)
    rows = []
    for match in unsure.candidates:
        label = match.province.name
        if match.former:
            label = common.text(
                context,
                "join.province.former_button",
                lang,
                former=match.former,
                current=match.province.name,
            )
        rows.append(
            [
                InlineKeyboardButton(
                    label,
                    callback_data=callbacks.data(
                        callbacks.JOIN, PROVINCE, *form.province_choice(match)
                    ),
                )
            ]
        )
    await common.reply(
        update, context, "join.province.choose", reply_markup=InlineKeyboardMarkup(rows)
    )


# Buttons ----------------------------------------------------------------------------------

# Which form step each button belongs to: a press from an older step is refused.
BUTTON_STEP = {
    KIND: "kind",
    CONSENT: form.CONSENT,
    CONFIRM: form.SUMMARY,
    EDIT: form.SUMMARY,
    FIELD: form.EDIT,
    BACK: form.EDIT,
    PROVINCE: "province",
}


async def join_pressed(update: Update, context: Context) -> None:
    """A button of the form, of /status or of the membership screen."""
    query = given.query(update)
    action = callbacks.part(query.data, 1)
    argument = callbacks.part(query.data, 2)
    if not in_private(update):  # pressed in a group: a person's application is not shown there
        await query.answer()
        await point_to_private_chat(update, context)
        return
    if action == STATUS:
        await query.answer()
        await status.status(update, context)
        return
    if action in (WITHDRAW, WITHDRAW_YES, WITHDRAW_NO):
        await status.withdraw_pressed(update, context, action, argument)
        return
    svc = common.services(context)
    state = await svc.forms.get(given.user(update).id)
    if state is None or state.form != form.FORM_NAME:
        # Sent, cancelled, or set aside for another prompt: no form these buttons belong to.
        await query.answer(await _text(update, context, "join.stale_closed"), show_alert=True)
        return
    if action in (UNSURE_KEEP, UNSURE_ASK):
        unsure = state.data.get(UNSURE_KEY)
        if not unsure or unsure.get("step") != state.step:
            await query.answer(await _text(update, context, "join.stale"), show_alert=True)
            return
        await query.answer()
        await common.remove_buttons(given.query(update).message)
        await _unsure_pressed(update, context, state, action)
        return
    expected = BUTTON_STEP.get(action)
    if action != CANCEL and (expected is None or state.step != expected):
        await query.answer(await _text(update, context, "join.stale"), show_alert=True)
        return
    await query.answer()
    await common.remove_buttons(given.query(update).message)
    if action == KIND and argument in ("individual", "organisation"):
        await JOIN_FORM.accept(update, context, state, form.Answer({"kind": argument}))
    elif action == PROVINCE and (choice := _province_choice(query.data)) is not None:
        await JOIN_FORM.accept(update, context, state, form.province_answer(choice))
    elif action == CONSENT:
        await _consent(update, context, state, argument == "y")
    elif action == CONFIRM:
        await _confirm(update, context, state)
    elif action == EDIT:
        state.step = form.EDIT
        await svc.forms.save(state)
        await ask(update, context, state)
    elif action == FIELD and argument in form.editable_fields(state.data):
        state.data["editing"] = argument
        state.step = argument
        await svc.forms.save(state)
        await ask(update, context, state)
    elif action == BACK:
        state.step = form.next_step(state.data)
        await svc.forms.save(state)
        await ask(update, context, state)
    elif action == CANCEL:
        await svc.forms.clear(state.user_id)
        await common.reply(update, context, "join.cancelled")
    else:
        await ask(update, context, state)


def _province_choice(data: str | None) -> ProvinceMatch | None:
    former = callbacks.number_part(data, 3) or 0
    return form.province_by_choice(callbacks.part(data, 2), former)


async def _consent(update: Update, context: Context, state: FormState, agreed: bool) -> None:
    svc = common.services(context)
    if not agreed:
        # No consent, no application: nothing typed so far is kept.
        await svc.forms.clear(state.user_id)
        await common.reply(update, context, "join.consent_declined")
        return
    lang = await common.language(update, context)
    state.data = form.give_consent(state.data, utcnow(), lang)
    state.step = form.next_step(state.data)
    await svc.forms.save(state)
    await ask(update, context, state)


async def _confirm(update: Update, context: Context, state: FormState) -> None:
    """Write the application (and close the form) before telling the applicant."""
    svc = common.services(context)
    if not form.is_complete(state.data):
        state.step = form.next_step(state.data)
        await svc.forms.save(state)
        await ask(update, context, state)
        return
    lang = await common.language(update, context)
    try:
        application = await svc.decisions.submit(state.user_id, state.chat_id, state.data, lang)
    except (AlreadyPending, AlreadyMember):
        await svc.forms.clear(state.user_id)
        await _can_apply(update, context)
        return
    log.info("application %s submitted by user %s", application.id, application.user_id)
    await common.reply(update, context, "join.submitted", id=application.id)
    await svc.decisions.carry_out()  # the card to the secretariat


def register(application: AnyApplication) -> None:
    """Wire /join, the buttons (the form's, /status's, the screen's), the form, the entry point."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("join", open_join, private))
    application.add_handler(CommandHandler(list(PRIVATE_COMMANDS), private_only, ~private))
    application.add_handler(
        CallbackQueryHandler(join_pressed, pattern=callbacks.pattern(callbacks.JOIN))
    )
    router.register_form(application, form.FORM_NAME, JOIN_FORM)
    router.register_entry_point(application, "join", open_join)
