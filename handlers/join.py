"""The membership application form (/join, menu "Join", ``/start join``), the membership
screen (menu "Membership") and /status with withdrawal.

The form's state lives in the ``forms`` table (see :mod:`handlers.router`), so a half-filled
application survives a restart; each answer is saved before the next question is sent.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.membership import form
from bot.membership.form import AmbiguousProvince
from bot.membership.provinces import ProvinceMatch
from bot.membership.validation import InvalidAnswer, looks_like_question
from bot.storage import utcnow
from bot.storage.forms import FormState
from bot.storage.membership import AlreadyMember, AlreadyPending
from bot.texts import Html
from handlers import answers, callbacks, common, router
from handlers import membership_view as view
from handlers.common import CommandSpec, Context

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("join"), CommandSpec("status")]

# Commands that show or change a person's own data: private chat only.
PRIVATE_COMMANDS = ("join", "status", "mydata", "forget")

# Callback actions under the JOIN prefix.
KIND = "k"  # j:k:<individual|organisation>
CONSENT = "c"  # j:c:<y|n>
CONFIRM = "ok"
EDIT = "ed"
FIELD = "f"  # j:f:<field>
BACK = "bk"
CANCEL = "x"
PROVINCE = "p"  # j:p:<province code>:<former name index, 0 for none>
# The knowledge base's guide to joining; its `see` items are offered on the membership screen.
MEMBERSHIP_GUIDE = "join"
STATUS = "st"
WITHDRAW = "wd"  # j:wd:<application id>
WITHDRAW_YES = "wy"
WITHDRAW_NO = "wn"
UNSURE_KEEP = "uy"  # j:uy: the answer that read like a question is the answer after all
UNSURE_ASK = "uq"  # j:uq: it was a question: answer it, then ask the form's question again
UNSURE_KEY = "unsure"  # in the form's data: the step and text of that answer


def _button(context: Context, lang: str, key: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        common.text(context, key, lang), callback_data=callbacks.data(callbacks.JOIN, *parts)
    )


def _keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([row for row in rows if row])


def _join(*parts: Html | str | None) -> Html:
    """Catalog texts one after another, as one message."""
    return Html("\n\n".join(part for part in parts if part))


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
        markup = _keyboard(
            [_button(context, lang, "join.consent.agree", CONSENT, "y")],
            [_button(context, lang, "join.consent.decline", CONSENT, "n")],
        )
    elif step == form.SUMMARY:
        body = common.text(
            context, "join.summary", lang, fields=view.fields_block(context, lang, data)
        )
        markup = _keyboard(
            [_button(context, lang, "join.button.confirm", CONFIRM)],
            [
                _button(context, lang, "join.button.edit", EDIT),
                _button(context, lang, "join.button.cancel", CANCEL),
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
        markup = _keyboard(
            *(fields[i : i + 2] for i in range(0, len(fields), 2)),
            [_button(context, lang, "join.button.back", BACK)],
        )
    else:
        body = _question(context, lang, state)
        if step == "kind":
            markup = _keyboard(
                [
                    _button(context, lang, "join.kind.individual", KIND, "individual"),
                    _button(context, lang, "join.kind.organisation", KIND, "organisation"),
                ]
            )
    await context.bot.send_message(state.chat_id, _join(before, body), reply_markup=markup)


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
    """A step with its place in the form ("Bước 3/8"); the consent is the last step."""
    fields = form.fields_for(kind)
    number = len(fields) + 1 if step == form.CONSENT else fields.index(step) + 1
    return common.text(
        context, "join.step", lang, number=number, total=len(fields) + 1, question=body
    )


async def _can_apply(update: Update, context: Context) -> bool:
    """Refuse (politely) an active member or someone whose application is pending."""
    svc = common.services(context)
    user_id = update.effective_user.id
    member = await svc.membership.member_of(user_id)
    if member is not None and member.active:
        await common.reply(
            update,
            context,
            "join.already_member",
            number=member.number,
            date=view.local_date(context, member.joined_at),
        )
        return False
    pending = await svc.membership.pending_of(user_id)
    if pending is not None:
        await common.reply(
            update,
            context,
            "join.already_pending",
            id=pending.id,
            date=view.local_date(context, pending.submitted_at),
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
    state = FormState(update.effective_user.id, chat.id, form.FORM_NAME, "kind", {})
    await svc.forms.save(state)
    await ask(update, context, state, before=await _text(update, context, "join.intro"))


async def _text(update: Update, context: Context, key: str, **params: object) -> Html:
    return common.text(context, key, await common.language(update, context), **params)


async def private_only(update: Update, context: Context) -> None:
    """A personal command typed in a group: point to the private chat."""
    link = f"https://t.me/{context.bot.username}?start=join"
    await common.reply(update, context, "join.private_only", link=link)


async def show_membership(update: Update, context: Context) -> None:
    """The membership screen: what membership is, Apply and status buttons."""
    lang = await common.language(update, context)
    svc = common.services(context)
    body = common.text(
        context, "membership.info", lang, association=view.association_name(context, lang)
    )
    member = await svc.membership.member_of(update.effective_user.id)
    rows = [[_button(context, lang, "membership.button.status", STATUS)]]
    if member is not None and member.active:
        body = _join(
            body,
            common.text(
                context,
                "membership.you_are_member",
                lang,
                number=member.number,
                date=view.local_date(context, member.joined_at),
            ),
        )
    else:
        rows.insert(
            0,
            [
                InlineKeyboardButton(
                    common.text(context, "membership.button.apply", lang),
                    callback_data=callbacks.data(callbacks.MENU, "join"),
                )
            ],
        )
    rows += _membership_answers(context, lang)
    await context.bot.send_message(
        update.effective_chat.id, body, reply_markup=InlineKeyboardMarkup(rows)
    )


def _membership_answers(context: Context, lang: str) -> list[list[InlineKeyboardButton]]:
    """Buttons to the knowledge base's answers about membership (who may join, kinds of
    members, the fee): the facts are the association's data, listed under ``see`` of its
    guide to joining, so the screen itself asserts none of them."""
    kb = common.services(context).kb
    guide = kb.entries.get(MEMBERSHIP_GUIDE)
    return [
        answers.button(
            context, "answers.see", lang, callbacks.data(callbacks.FAQ, "e", item_id),
            title=kb.title(item_id, lang),
        )
        for item_id in (guide.see if guide is not None else ())
    ]


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
        message = update.effective_message
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
            error = await _text(update, context, f"join.invalid.{problem.code}", **problem.params)
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


JOIN_FORM = JoinForm()
# Steps whose answer is free text that a question could be mistaken for.
QUESTIONABLE_STEPS = frozenset({"full_name", "organisation", "position", "representative"})


async def _ask_if_question(update: Update, context: Context, state: FormState) -> None:
    """The answer reads like a question: ask whether it is the answer, keeping it aside."""
    message = update.effective_message
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
        reply_markup=_keyboard(
            [_button(context, lang, "join.unsure.keep", UNSURE_KEEP)],
            [_button(context, lang, "join.unsure.ask", UNSURE_ASK)],
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
        update.effective_chat,
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
    query = update.callback_query
    action = callbacks.part(query.data, 1)
    argument = callbacks.part(query.data, 2)
    if action == STATUS:
        await query.answer()
        await status(update, context)
        return
    if action in (WITHDRAW, WITHDRAW_YES, WITHDRAW_NO):
        await _withdraw_pressed(update, context, action, argument)
        return
    svc = common.services(context)
    state = await svc.forms.get(update.effective_user.id)
    if action in (UNSURE_KEEP, UNSURE_ASK):
        unsure = state.data.get(UNSURE_KEY) if state is not None else None
        if state is None or not unsure or unsure.get("step") != state.step:
            await query.answer(await _text(update, context, "join.stale"), show_alert=True)
            return
        await query.answer()
        await _remove_buttons(update)
        await _unsure_pressed(update, context, state, action)
        return
    expected = BUTTON_STEP.get(action)
    if (
        state is None
        or state.form != form.FORM_NAME
        or (action != CANCEL and (expected is None or state.step != expected))
    ):
        await query.answer(await _text(update, context, "join.stale"), show_alert=True)
        return
    await query.answer()
    await _remove_buttons(update)
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


async def _remove_buttons(update: Update) -> None:
    """Take the buttons off the message just answered, so it cannot be pressed twice."""
    try:
        await update.callback_query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        log.debug("could not remove the buttons", exc_info=True)


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


# /status and withdrawing ---------------------------------------------------------------------


async def status(update: Update, context: Context) -> None:
    """/status: membership, and the person's applications with their history."""
    svc = common.services(context)
    lang = await common.language(update, context)
    user_id = update.effective_user.id
    member = await svc.membership.member_of(user_id)
    applications = await svc.membership.applications_of(user_id)
    parts: list[Html] = []
    if member is not None and member.active:
        parts.append(
            common.text(
                context,
                "status.member",
                lang,
                number=member.number,
                kind=view.kind_label(context, lang, member.kind),
                date=view.local_date(context, member.joined_at),
            )
        )
    elif member is not None:
        parts.append(
            common.text(
                context,
                "status.member_revoked",
                lang,
                number=member.number,
                date=view.local_date(context, member.revoked_at),
            )
        )
    for application in applications[:3]:
        history = [
            common.text(
                context,
                f"status.event.{entry.action}",
                lang,
                date=view.local_time(context, entry.at),
                number=entry.member_number or "",
                reason=entry.reason or "",
            )
            for entry in await svc.membership.log_of(application.id)
            if entry.action in ("submitted", "approved", "rejected", "withdrawn")
        ]
        parts.append(
            common.text(
                context,
                "status.application",
                lang,
                id=application.id,
                kind=view.kind_label(context, lang, application.kind),
                date=view.local_date(context, application.submitted_at),
                status=view.status_label(context, lang, application.status),
                history=Html("\n".join(history)),
            )
        )
    if not parts:
        parts.append(common.text(context, "status.none", lang))
    pending = next((a for a in applications if a.status == "pending"), None)
    markup = None
    if pending is not None:
        markup = _keyboard([_button(context, lang, "status.button.withdraw", WITHDRAW, pending.id)])
    await context.bot.send_message(update.effective_chat.id, _join(*parts), reply_markup=markup)


async def _withdraw_pressed(update: Update, context: Context, action: str, argument: str) -> None:
    query = update.callback_query
    svc = common.services(context)
    lang = await common.language(update, context)
    number = callbacks.number(argument)
    application = await svc.membership.get(number) if number is not None else None
    if application is None or application.user_id != update.effective_user.id:
        await query.answer(common.text(context, "join.stale", lang), show_alert=True)
        return
    await query.answer()
    await _remove_buttons(update)
    if application.status != "pending":
        await common.reply(
            update,
            context,
            "status.not_pending",
            id=application.id,
            status=view.status_label(context, lang, application.status),
        )
        return
    if action == WITHDRAW:
        await common.reply(
            update,
            context,
            "status.withdraw_confirm",
            id=application.id,
            reply_markup=_keyboard(
                [
                    _button(
                        context, lang, "status.button.withdraw_yes", WITHDRAW_YES, application.id
                    ),
                    _button(
                        context, lang, "status.button.withdraw_no", WITHDRAW_NO, application.id
                    ),
                ]
            ),
        )
    elif action == WITHDRAW_NO:
        await common.reply(update, context, "status.kept", id=application.id)
    else:
        decision = await svc.decisions.withdraw(application.id, application.user_id)
        if decision.changed:
            log.info("application %s withdrawn by the applicant", application.id)
            await common.reply(update, context, "status.withdrawn", id=application.id)
            await svc.decisions.carry_out()
        else:
            await common.reply(
                update,
                context,
                "status.not_pending",
                id=application.id,
                status=view.status_label(context, lang, decision.application.status),
            )


def register(application: Application) -> None:
    """Wire /join, /status, the form's buttons, the form itself and the entry points."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("join", open_join, private))
    application.add_handler(CommandHandler("status", status, private))
    application.add_handler(CommandHandler(list(PRIVATE_COMMANDS), private_only, ~private))
    application.add_handler(
        CallbackQueryHandler(join_pressed, pattern=callbacks.pattern(callbacks.JOIN))
    )
    router.register_form(application, form.FORM_NAME, JOIN_FORM)
    router.register_entry_point(application, "join", open_join)
    router.register_entry_point(application, "membership", show_membership)
