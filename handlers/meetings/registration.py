"""Members register for meetings: from the meeting card, /meetings, a reminder's link or the
deep link ``/start reg-<meeting id>``; /myevents lists their registrations with Cancel.

Registering is a short form (kept in the ``forms`` table): it asks only what the member
record does not say, then the meeting's question if it has one, then asks to confirm. The
seat is decided atomically in SQL; a freed seat is offered to the first on the waiting list,
who has the meeting's ``offer_hours`` to accept (a job, and a check on every press).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.kb import Meeting, Text
from bot.meetings.registration import (
    RegistrationService,
    closes_at,
    known_from,
    open_meetings,
    opens_at,
    refusal,
)
from bot.membership.provinces import match_province
from bot.storage.forms import FormState
from bot.storage.registrations import OFFERED, REGISTERED, WAITING, Registrant, Registration
from bot.texts import Html
from bot.tg.app import AnyApplication
from handlers.kit import answers, callbacks, common, given, router
from handlers.kit.common import CommandSpec, Context
from handlers.kit.reload import on_reload
from handlers.meetings import offers
from handlers.meetings.prompts import same_meeting, tell_set_aside

COMMANDS = [CommandSpec("myevents")]

FORM = "register"
NAME, ORGANISATION, PROVINCE, ANSWER, CONFIRM = "name", "organisation", "province", "answer", (
    "confirm"
)
GO, OK, ABORT, ASK_CANCEL, CANCEL, MINE = "go", "ok", "no", "x", "y", "my"
ACCEPT, DECLINE = offers.ACCEPT, offers.DECLINE
PROMPTS = {
    NAME: "registration.ask_name",
    ORGANISATION: "registration.ask_organisation",
    PROVINCE: "registration.ask_province",
}
ENTRY = "reg"  # /start reg-<meeting id>
MAX_TEXT = 200


def _data(*parts: str) -> str:
    return callbacks.data(callbacks.REGISTRATION, *parts)


def _now(context: Context) -> datetime:
    return common.services(context).clock.now().replace(microsecond=0)


def _service(context: Context) -> RegistrationService:
    return RegistrationService(common.services(context).registrations)


def _when(context: Context, meeting: Meeting, lang: str) -> str:
    clock = common.services(context).clock
    start = meeting.starts_at(clock.tz)
    return clock.moment(start) if meeting.has_time else clock.day(start)


def _moment(context: Context, moment: datetime | None) -> str:
    return common.services(context).clock.moment(moment)


def register_button(context: Context, lang: str, meeting: Meeting) -> list[InlineKeyboardButton]:
    """The "Register" row for a meeting card or a list."""
    return answers.button(
        context, "registration.button", lang, _data(GO, meeting.id), title=meeting.title.get(lang)
    )


# Starting: button, deep link, menu


async def start_from_link(update: Update, context: Context) -> None:
    """``/start reg-<meeting id>`` (or ``/start reg``: the meetings open for registration)."""
    payload = context.args[0] if context.args else ""
    meeting_id = payload.split("-", 1)[1] if "-" in payload else ""
    if meeting_id:
        await begin(update, context, meeting_id)
    else:
        await my_events(update, context)


async def begin(update: Update, context: Context, meeting_id: str) -> None:
    """Open the registration form for a meeting, or say clearly why it cannot be."""
    svc = common.services(context)
    user = given.user(update)
    lang = await common.language(update, context)
    meeting = svc.kb.meeting(meeting_id)
    existing = await svc.registrations.get(meeting_id, user.id)
    if (
        meeting is not None
        and meeting.ends_at(svc.config.tz) > _now(context)
        and existing is not None
        and existing.active
    ):
        await _show_one(update, context, meeting, existing, lang, "registration.already")
        return
    member = await svc.membership.member_of(user.id)
    now = _now(context)
    reason = refusal(meeting, now, member)
    if meeting is None or reason is not None:  # refusal() says "unknown" for no meeting
        params: dict[str, Any] = {}
        if meeting is not None:
            params = {
                "title": meeting.title.get(lang),
                "opens": _moment(context, opens_at(meeting, svc.config.tz)),
                "closes": _moment(context, closes_at(meeting, svc.config.tz)),
            }
        await common.reply(update, context, f"registration.{reason}", **params)
        return
    known = known_from(member)
    member_known = known.member_number is not None
    state = FormState(
        user_id=user.id,
        chat_id=given.chat(update).id,
        form=FORM,
        step=NAME,
        data={
            "meeting": meeting.id,
            "name": known.full_name or None,
            "organisation": known.organisation if member_known else None,
            "province": known.province or None,
            "member_number": known.member_number,
            "answer": None if _question(meeting) is not None else "",
        },
    )
    state.step = _next_step(state)
    await router.open_prompt(context, state)
    await common.reply(update, context, "registration.intro", title=meeting.title.get(lang),
                       when=_when(context, meeting, lang))
    await _ask_step(update, context, state, meeting, lang)


def _question(meeting: Meeting) -> Text | None:
    """What the meeting asks its registrants, if anything."""
    return meeting.registration.question if meeting.registration is not None else None


def _next_step(state: FormState) -> str:
    """The first thing still unknown (None); the meeting's question last."""
    for step in (NAME, ORGANISATION, PROVINCE, ANSWER):
        key = "name" if step == NAME else step
        if state.data[key] is None:
            return step
    return CONFIRM


async def _next(
    update: Update, context: Context, state: FormState, meeting: Meeting, lang: str
) -> None:
    """Save the form at its next missing step and ask for it."""
    state.step = _next_step(state)
    await common.services(context).forms.save(state)
    await _ask_step(update, context, state, meeting, lang)


async def _ask_step(
    update: Update, context: Context, state: FormState, meeting: Meeting, lang: str
) -> None:
    """Ask for what the form's current step wants (the summary at the end)."""
    if state.step == ANSWER:
        question = _question(meeting)
        assert question is not None  # the form has this step only for a meeting's question
        await common.reply(update, context, "registration.ask_answer",
                           question=question.get(lang))
    elif state.step == CONFIRM:
        await _show_summary(update, context, state, meeting, lang)
    else:
        await common.reply(update, context, PROMPTS[state.step])


async def _show_summary(
    update: Update, context: Context, state: FormState, meeting: Meeting, lang: str
) -> None:
    data = state.data
    keyboard = InlineKeyboardMarkup([
        [
            InlineKeyboardButton(
                answers.button_label(context, "registration.confirm_button", lang),
                callback_data=_data(OK, meeting.id),
            ),
            InlineKeyboardButton(
                answers.button_label(context, "registration.abort_button", lang),
                callback_data=_data(ABORT, meeting.id),
            ),
        ]
    ])
    answer = ""
    none = common.text(context, "registration.none", lang)
    question = _question(meeting)
    if question is not None:
        answer = common.text(context, "registration.summary_answer", lang,
                             question=question.get(lang),
                             answer=data["answer"] or none)
    await common.reply(
        update,
        context,
        "registration.summary",
        reply_markup=keyboard,
        title=meeting.title.get(lang),
        when=_when(context, meeting, lang),
        name=data["name"],
        organisation=data["organisation"] or none,
        province=data["province"] or none,
        answer=Html(answer),
    )


def _in_words(step: str, typed: str) -> bool:
    """Whether a name, a library or a province holds a letter or a digit ("-": none), not
    only emoji or signs; the meeting's own question takes any answer."""
    if step == ANSWER or (step == ORGANISATION and typed == "-"):
        return True
    return any(character.isalnum() for character in typed)


class RegistrationForm:
    """Receives what the registrant types while the form is open."""

    async def on_input(self, update: Update, context: Context, state: FormState) -> None:
        svc = common.services(context)
        lang = await common.language(update, context)
        meeting = svc.kb.meeting(state.data["meeting"])
        if meeting is None or meeting.registration is None:
            await svc.forms.clear(state.user_id)
            await common.reply(update, context, "registration.unknown")
            return
        message = update.effective_message
        typed = " ".join((message.text or "").split()) if message else ""
        if state.step == CONFIRM:
            await common.reply(update, context, "registration.use_buttons")
            return
        if not typed or len(typed) > MAX_TEXT or not _in_words(state.step, typed):
            # A photo, a sticker, an emoji for a name: say what is wanted, then ask again.
            await common.reply(update, context, "registration.bad_text", limit=MAX_TEXT)
            await _ask_step(update, context, state, meeting, lang)
            return
        if state.step == NAME:
            state.data["name"] = typed
        elif state.step == ORGANISATION:
            state.data["organisation"] = "" if typed == "-" else typed
        elif state.step == PROVINCE:
            found = match_province(typed)
            state.data["province"] = found[0].province.name if len(found) == 1 else typed
        elif state.step == ANSWER:
            state.data["answer"] = typed
        await _next(update, context, state, meeting, lang)

    async def on_cancel(self, update: Update, context: Context, state: FormState) -> None:
        await common.reply(update, context, "registration.form_cancelled")

    async def on_resume(self, update: Update, context: Context, state: FormState) -> None:
        """After a question asked from the menu, or a change of language: which meeting,
        then the current step's question again (the summary at the end)."""
        lang = await common.language(update, context)
        meeting = common.services(context).kb.meeting(state.data["meeting"])
        if meeting is None or meeting.registration is None:
            await common.services(context).forms.clear(state.user_id)
            await common.reply(update, context, "registration.unknown")
            return
        if state.step != CONFIRM:
            await common.reply(update, context, "registration.intro",
                               title=meeting.title.get(lang), when=_when(context, meeting, lang))
        await _ask_step(update, context, state, meeting, lang)

    def same_prompt(self, earlier: FormState, state: FormState) -> bool:
        """Register on the same meeting again starts its few questions over, no notice; on
        another meeting sets this one aside."""
        return same_meeting(earlier, state)

    async def on_set_aside(self, context: Context, state: FormState) -> None:
        """Another prompt took this one's place: not registered, and how to register."""
        await tell_set_aside(context, state, "registration.set_aside")


# Buttons


async def button_pressed(update: Update, context: Context) -> None:
    """Every rg: button, re-checked against the knowledge base and the database now."""
    query = given.query(update)
    action, meeting_id = callbacks.part(query.data, 1), callbacks.part(query.data, 2)
    lang = await common.language(update, context)
    svc = common.services(context)
    if action == MINE:
        await query.answer()
        await my_events(update, context)
        return
    if action == GO:
        await query.answer()
        await begin(update, context, meeting_id)
        return
    meeting = svc.kb.meeting(meeting_id)
    if action in (OK, ABORT):
        state = await svc.forms.get(given.user(update).id)
        if state is None or state.form != FORM or state.data.get("meeting") != meeting_id:
            # Confirmed, cancelled, or set aside for another prompt since.
            await query.answer(common.text(context, "registration.stale_form", lang),
                               show_alert=True)
            return
        await query.answer()
        await svc.forms.clear(state.user_id)
        if action == ABORT:
            await common.reply(update, context, "registration.form_cancelled")
        else:
            await _confirm(update, context, state, meeting, lang)
        return
    await query.answer()
    if action in (CANCEL, DECLINE, ACCEPT):
        # One answer per question: the buttons go, the reply below says what became of it.
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(None)
    if action == ASK_CANCEL:
        await _ask_cancel(update, context, meeting_id, lang)
    elif action in (CANCEL, DECLINE):
        await _cancel(update, context, meeting_id, lang)
    elif action == ACCEPT:
        await _accept(update, context, meeting_id, lang)


async def _confirm(
    update: Update, context: Context, state: FormState, meeting: Meeting | None, lang: str
) -> None:
    svc = common.services(context)
    member = await svc.membership.member_of(state.user_id)
    reason = refusal(meeting, _now(context), member)
    if meeting is None or reason is not None:  # refusal() says "unknown" for no meeting
        await common.reply(update, context, f"registration.{reason}",
                           title=meeting.title.get(lang) if meeting else "",
                           opens="", closes=_moment(context, closes_at(meeting, svc.config.tz))
                           if meeting else "")
        return
    data = state.data
    person = Registrant(
        user_id=state.user_id,
        chat_id=state.chat_id,
        language=lang,
        full_name=data["name"],
        organisation=data["organisation"] or "",
        province=data["province"] or "",
        member_number=data.get("member_number"),
        answer=data["answer"] or "",
    )
    registration, _ = await _service(context).register(meeting, person, _now(context))
    await _show_one(update, context, meeting, registration, lang, None)


async def _show_one(
    update: Update,
    context: Context,
    meeting: Meeting,
    registration: Registration,
    lang: str,
    lead: str | None,
) -> None:
    """A registration's state with the buttons that fit it."""
    svc = common.services(context)
    if lead is not None:
        await common.reply(update, context, lead, title=meeting.title.get(lang))
    key, rows, params = _status(context, meeting, registration, lang)
    if registration.status == WAITING:
        params["position"] = await svc.registrations.waiting_position(
            meeting.id, registration.user_id
        ) or "?"
    await common.reply(update, context, key, reply_markup=InlineKeyboardMarkup(rows), **params)


def _status(
    context: Context, meeting: Meeting, registration: Registration, lang: str
) -> tuple[str, list[list[InlineKeyboardButton]], dict[str, Any]]:
    params: dict[str, Any] = {
        "title": meeting.title.get(lang),
        "when": _when(context, meeting, lang),
    }
    rows = []
    if registration.status == OFFERED:
        params["expires"] = _moment(context, registration.offer_expires_at)
        rows.append([
            InlineKeyboardButton(answers.button_label(context, "registration.accept_button", lang),
                                 callback_data=_data(ACCEPT, meeting.id)),
            InlineKeyboardButton(answers.button_label(context, "registration.decline_button",
                                                      lang),
                                 callback_data=_data(DECLINE, meeting.id)),
        ])
    else:
        rows.append(answers.button(context, "registration.cancel_button", lang,
                                   _data(ASK_CANCEL, meeting.id)))
    return f"registration.status.{registration.status}", rows, params


async def _ask_cancel(update: Update, context: Context, meeting_id: str, lang: str) -> None:
    svc = common.services(context)
    registration = await svc.registrations.get(meeting_id, given.user(update).id)
    if registration is None or not registration.active:
        await common.reply(update, context, "registration.nothing_to_cancel")
        return
    meeting = svc.kb.meeting(meeting_id)
    title = meeting.title.get(lang) if meeting else meeting_id
    await common.reply(
        update, context, "registration.ask_cancel", title=title,
        reply_markup=InlineKeyboardMarkup(
            [answers.button(context, "registration.cancel_yes_button", lang,
                            _data(CANCEL, meeting_id))]
        ),
    )


async def _cancel(update: Update, context: Context, meeting_id: str, lang: str) -> None:
    svc = common.services(context)
    meeting = svc.kb.meeting(meeting_id)
    cancellation = await _service(context).cancel(
        meeting, meeting_id, given.user(update).id, _now(context)
    )
    title = meeting.title.get(lang) if meeting else meeting_id
    if cancellation.registration is None:
        await common.reply(update, context, "registration.nothing_to_cancel")
        return
    await common.reply(update, context, "registration.cancelled", title=title)
    if cancellation.offer is not None and meeting is not None:
        await offers.offer_seat(context.application, meeting, cancellation.offer)


async def _accept(update: Update, context: Context, meeting_id: str, lang: str) -> None:
    svc = common.services(context)
    meeting = svc.kb.meeting(meeting_id)
    user_id = given.user(update).id
    if meeting is None:
        await common.reply(update, context, "registration.unknown")
        return
    if meeting.starts_at(svc.config.tz) <= _now(context):
        await common.reply(update, context, "registration.past", title=meeting.title.get(lang))
        return
    accepted = await svc.registrations.accept_offer(meeting_id, user_id, _now(context))
    registration = await svc.registrations.get(meeting_id, user_id)
    if registration is not None and (accepted or registration.status == REGISTERED):
        # Accepted now, or pressed again after accepting: either way, the seat is theirs.
        await _show_one(update, context, meeting, registration, lang, None)
        return
    # Expired (or gone): settle expired offers now rather than wait for the job.
    await offers.expire_offers(context.application)
    await common.reply(update, context, "registration.offer_expired",
                       title=meeting.title.get(lang))


# /myevents


async def my_events(update: Update, context: Context) -> None:
    """/myevents: the person's registrations that still stand, each with its buttons."""
    svc = common.services(context)
    lang = await common.language(update, context)
    registrations = await svc.registrations.of_user(given.user(update).id)
    now = _now(context)
    found = [(svc.kb.meeting(r.meeting_id), r) for r in registrations]
    # Meetings that took place (or left the knowledge base) are no longer "my events".
    shown = [(m, r) for m, r in found if m is not None and m.ends_at(svc.clock.tz) > now]
    if not shown:
        open_now = open_meetings(svc.kb, now)
        rows = [register_button(context, lang, meeting) for meeting in open_now]
        if not rows:  # nothing to list below: say where the meetings are instead
            await common.reply(update, context, "registration.mine_empty_none_open")
            return
        await common.reply(update, context, "registration.mine_empty",
                           reply_markup=InlineKeyboardMarkup(rows))
        return
    await common.reply(update, context, "registration.mine_header", count=len(shown))
    for meeting, registration in shown:
        await _show_one(update, context, meeting, registration, lang, None)
    mine = {meeting.id for meeting, _ in shown}
    others = [m for m in open_meetings(svc.kb, now) if m.id not in mine]
    if others:
        await common.reply(
            update, context, "registration.also_open",
            reply_markup=InlineKeyboardMarkup(
                [register_button(context, lang, meeting) for meeting in others]
            ),
        )


# Wiring


def register(application: AnyApplication) -> None:
    """Wire /myevents, the rg: buttons, the form and the deep link."""
    application.add_handler(CommandHandler("myevents", my_events, filters.ChatType.PRIVATE))
    application.add_handler(
        CallbackQueryHandler(button_pressed, pattern=callbacks.pattern(callbacks.REGISTRATION))
    )
    router.register_form(application, FORM, RegistrationForm())
    router.register_entry_point(application, ENTRY, start_from_link)
    on_reload(application, offers.expire_offers)


async def on_startup(application: AnyApplication) -> None:
    """Settle offers that expired while the bot was down; plan a job for each open one."""
    await offers.expire_offers(application)
    await offers.plan_open_offers(application)
    offers.plan_round(application)
