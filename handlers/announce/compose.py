"""Admins compose, schedule, list and cancel announcements; reports come back to them.

/announce is a form (kept in the ``forms`` table, so it survives a restart): text, preview,
audience, when, confirm. The confirm button creates the schedule under a key drawn when the
form opened, so pressing it twice (or again after a crash) still sends once.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler
from telegram.ext import filters as tg_filters

from bot.announcements.schedule import (
    NO_SUCH_DAY,
    NO_SUCH_TIME,
    WEEKDAYS,
    Cron,
    Daily,
    Monthly,
    Once,
    Rule,
    RuleError,
    Weekly,
    busiest_day,
    parse_datetime,
    parse_monthly,
    parse_rule,
    parse_time,
    upcoming,
)
from bot.announcements.service import AnnouncementService
from bot.announcements.split import split_message
from bot.storage.announcements import MEMBERS, SUBSCRIBERS
from bot.storage.forms import FormState
from bot.text import utf16_len
from bot.texts import Html, formats
from bot.tg.announcements.runner import BroadcastRunner, get_runner, send_part
from bot.tg.app import AnyApplication
from handlers.announce import approval as announce_approval
from handlers.announce import audience as announce_audience
from handlers.announce import broadcasts, scheduled
from handlers.announce.broadcasts import ACT_RESEND, ACT_STOP
from handlers.announce.scheduled import ACT_CANCEL_SCHEDULE, button, describe_rule, format_time
from handlers.kit import callbacks, common, given, router
from handlers.kit.common import CommandSpec, Context

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("announce", admin=True)]

FORM = "announce"
# The date as typed, to name it when it does not exist ("31/02/2027").
_DAY_TYPED = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}")
# Form steps.
TEXT, AUDIENCE, WHEN, AT, DAILY, WEEKDAY, WEEKLY, MONTHLY, CRON, CONFIRM = (
    "text",
    "audience",
    "when",
    "at",
    "daily",
    "weekday",
    "weekly",
    "monthly",
    "cron",
    "confirm",
)
# Button actions (callback data ``an:<action>[:<arg>]``).
ACT_AUDIENCE, ACT_WHEN, ACT_WEEKDAY, ACT_CONFIRM, ACT_ABORT = ("aud", "when", "wd", "ok", "no")
NOW = "now"
WHEN_CHOICES = (NOW, AT, DAILY, WEEKLY, MONTHLY, CRON)
# Steps where the admin types the schedule, and the prompt for each.
TYPED_STEPS = {
    AT: "announce.ask_at",
    DAILY: "announce.ask_daily",
    WEEKLY: "announce.ask_weekly",
    MONTHLY: "announce.ask_monthly",
    CRON: "announce.ask_cron",
}


def _service(context: Context) -> AnnouncementService:
    return get_runner(context.application).service


def _runner(context: Context) -> BroadcastRunner:
    return get_runner(context.application)


def audiences(context: Context) -> list[str]:
    """The audiences an admin can choose: the two chats only when configured."""
    config = common.services(context).config
    choices = [SUBSCRIBERS, MEMBERS]
    if config.members_group_id is not None:
        choices.append("group")
    if config.announcements.chat_id is not None:
        choices.append("channel")
    choices += announce_audience.CHOOSERS
    choices.append("test")
    return choices


# /announce: the form


async def announce(update: Update, context: Context) -> None:
    """/announce: admins start composing; everyone else is refused politely."""
    if not common.is_admin(update, context):
        await common.reply(update, context, "announce.admins_only")
        return
    await router.open_prompt(
        context,
        FormState(
            user_id=given.user(update).id,
            chat_id=given.chat(update).id,
            form=FORM,
            step=TEXT,
            data={"token": secrets.token_hex(8), "text": "", "entities": []},
        ),
    )
    await common.reply(update, context, "announce.ask_text")


class AnnounceForm:
    """Receives what the admin types while composing."""

    async def on_input(self, update: Update, context: Context, state: FormState) -> None:
        svc = common.services(context)
        if not common.is_admin(update, context):
            await svc.forms.clear(state.user_id)
            await common.reply(update, context, "announce.admins_only")
            return
        message = update.effective_message
        if state.step in (TEXT, AUDIENCE):
            if message is None or not message.text:
                await common.reply(update, context, "announce.text_only")
                return
            _append(state, message.text, [entity.to_dict() for entity in message.entities])
            state.step = AUDIENCE
            await svc.forms.save(state)
            await _show_preview(update, context, state)
            return
        if state.step in TYPED_STEPS and message is not None and message.text:
            await _typed_schedule(update, context, state, message.text)
            return
        if state.step in TYPED_STEPS:  # a photo or a sticker where a time is to be typed
            await common.reply(update, context, "announce.type_the_time")
            zone = formats.zone(svc.config.timezone)
            await common.reply(update, context, TYPED_STEPS[state.step], zone=zone)
            return
        await common.reply(update, context, "announce.use_buttons")

    async def on_cancel(self, update: Update, context: Context, state: FormState) -> None:
        await common.reply(update, context, "announce.cancelled")

    async def on_resume(self, update: Update, context: Context, state: FormState) -> None:
        """After a change of language (or a question asked from the menu): the current
        step again, its buttons in the language now chosen."""
        svc = common.services(context)
        lang = await common.language(update, context)
        zone = formats.zone(svc.config.timezone)
        if state.step == TEXT:
            await common.reply(update, context, "announce.ask_text")
        elif state.step == AUDIENCE:
            await _show_preview(update, context, state)
        elif state.step == WHEN:
            await _ask_when(update, context, lang)
        elif state.step == WEEKDAY:
            await _ask_weekday(update, context, lang)
        elif state.step in TYPED_STEPS:
            await common.reply(update, context, TYPED_STEPS[state.step], zone=zone)
        else:
            spec = state.data.get("rule")
            rule = None if spec is None else parse_rule(spec, svc.config.tz)
            await _show_confirm(update, context, state, rule)

    def same_prompt(self, earlier: FormState, state: FormState) -> bool:
        """/announce again before any text was typed loses nothing: no notice for that."""
        return not earlier.data.get("text")

    async def on_set_aside(self, context: Context, state: FormState) -> None:
        """Another prompt (or a new /announce) took the draft's place: nothing was sent.
        The draft follows as it would have been sent (any length, its formatting kept), so
        it can be forwarded back after /announce."""
        lang = await router.user_language(context, state.user_id)
        typed = state.data.get("text") or ""
        key = "announce.set_aside_typed" if typed else "announce.set_aside"
        await context.bot.send_message(state.chat_id, common.text(context, key, lang))
        if typed:
            for part in split_message(typed, state.data.get("entities") or []):
                await send_part(context.application, state.chat_id, part)


def _append(state: FormState, text: str, entities: list[dict[str, Any]]) -> None:
    """Join another message to the announcement, shifting its entities after the text so far."""
    so_far: str = state.data["text"]
    if so_far:
        shift = utf16_len(so_far) + 2
        entities = [{**entity, "offset": entity["offset"] + shift} for entity in entities]
        so_far += "\n\n"
    state.data["text"] = so_far + text
    state.data["entities"] = state.data["entities"] + entities


async def _show_preview(update: Update, context: Context, state: FormState) -> None:
    """The announcement exactly as members will get it, then the audience question."""
    lang = await common.language(update, context)
    parts = split_message(state.data["text"], state.data["entities"])
    await common.reply(update, context, "announce.preview", parts=len(parts))
    for part in parts:
        await send_part(context.application, state.chat_id, part)
    repo = common.services(context).announcements
    keyboard = [
        [button(context, lang, f"announce.audience.{audience}", ACT_AUDIENCE, audience)]
        for audience in audiences(context)
    ]
    keyboard.append([button(context, lang, "announce.cancel_button", ACT_ABORT)])
    await common.reply(
        update,
        context,
        "announce.ask_audience",
        reply_markup=InlineKeyboardMarkup(keyboard),
        subscribers=formats.number(await repo.count_recipients(SUBSCRIBERS)),
        members=formats.number(await repo.count_recipients(MEMBERS)),
    )


async def _typed_schedule(update: Update, context: Context, state: FormState, typed: str) -> None:
    """The admin typed a date, a time or a cron expression for the chosen kind of schedule."""
    tz = common.services(context).config.tz
    try:
        rule: Rule
        if state.step == AT:
            rule = Once(parse_datetime(typed, tz))
        elif state.step == DAILY:
            rule = Daily(parse_time(typed), tz)
        elif state.step == WEEKLY:
            rule = Weekly(int(state.data["weekday"]), parse_time(typed), tz)
        elif state.step == MONTHLY:
            day, at = parse_monthly(typed)
            rule = Monthly(day, at, tz)
        else:
            rule = Cron(" ".join(typed.split()), tz)
    except RuleError as error:
        if error.problem == NO_SUCH_DAY and (shown := _DAY_TYPED.search(typed)):
            await common.reply(update, context, "announce.no_such_day", day=shown.group())
        elif error.problem == NO_SUCH_TIME:
            await common.reply(update, context, "announce.no_such_time", input=typed[:100])
        else:
            await common.reply(update, context, "announce.bad_input", input=typed[:100])
        zone = formats.zone(common.services(context).config.timezone)
        await common.reply(update, context, TYPED_STEPS[state.step], zone=zone)
        return
    now = _service(context).now()
    if rule.next_after(now) is None:
        key = "announce.never_fires" if rule.recurring else "announce.in_the_past"
        await common.reply(update, context, key)
        return
    state.data["rule"] = rule.spec
    state.data["per_day"] = busiest_day(rule, now, tz)
    state.data.pop("frequent_ok", None)
    state.step = CONFIRM
    await common.services(context).forms.save(state)
    await _show_confirm(update, context, state, rule)


async def _show_confirm(
    update: Update, context: Context, state: FormState, rule: Rule | None
) -> None:
    lang = await common.language(update, context)
    times = upcoming(rule, _service(context).now(), 3) if rule is not None else []
    listing = ""
    if rule is not None and rule.recurring:
        listing = common.text(
            context,
            "announce.upcoming",
            lang,
            times=", ".join(format_time(context, moment) for moment in times),
        )
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(context, lang, "announce.confirm_button", ACT_CONFIRM),
                button(context, lang, "announce.cancel_button", ACT_ABORT),
            ]
        ]
    )
    audience = state.data["audience"]
    recipients = await announce_audience.count(context, audience)
    await common.reply(
        update,
        context,
        "announce.confirm",
        reply_markup=keyboard,
        audience=announce_audience.label(context, lang, audience),
        when=Html(describe_rule(context, lang, rule)),
        upcoming=Html(listing),
    )
    await common.reply(update, context, "announce.audience.recipients", count=recipients)


# Buttons


async def button_pressed(update: Update, context: Context) -> None:
    """Every announce button: re-check the admin and the form's current step first."""
    query = given.query(update)
    lang = await common.language(update, context)
    if not common.is_admin(update, context):
        await query.answer(common.text(context, "announce.admins_only", lang), show_alert=True)
        return
    action, argument = callbacks.part(query.data, 1), callbacks.part(query.data, 2)
    if await _outside_the_form(update, context, action, argument):
        return
    svc = common.services(context)
    state = await svc.forms.get(given.user(update).id)
    expected = {
        ACT_AUDIENCE: (AUDIENCE,),
        # "When?" answered again before the confirmation (weekly after all, not once)
        # changes the schedule; a confirmation shown stays the only one, so it is never
        # pressed for another schedule than the one it names (Cancel starts over).
        ACT_WHEN: (WHEN, WEEKDAY, *TYPED_STEPS),
        ACT_WEEKDAY: (WEEKDAY, WEEKLY),
        ACT_CONFIRM: (CONFIRM,),
        ACT_ABORT: (TEXT, AUDIENCE, WHEN, WEEKDAY, *TYPED_STEPS, CONFIRM),
        **{narrower: (AUDIENCE,) for narrower in announce_audience.ACTIONS},
    }.get(action, ())
    if state is None or state.form != FORM:
        # Sent, cancelled, or set aside for another prompt since.
        await query.answer(common.text(context, "announce.stale_draft", lang), show_alert=True)
        return
    if state.step not in expected:  # a button of a step the draft has moved past
        await query.answer(common.text(context, "announce.step_passed", lang), show_alert=True)
        return
    await query.answer()
    if action == ACT_ABORT:
        await svc.forms.clear(state.user_id)
        await common.reply(update, context, "announce.cancelled")
    elif action == ACT_AUDIENCE and argument in announce_audience.CHOOSERS:
        await announce_audience.show_chooser(update, context, argument, lang)
    elif action == ACT_AUDIENCE and argument in audiences(context):
        await _audience_chosen(update, context, state, argument, lang)
    elif action in announce_audience.ACTIONS:
        chosen = await announce_audience.handle(update, context, state, action, argument, lang)
        if chosen is not None:
            await _audience_chosen(update, context, state, chosen, lang)
    elif action == ACT_WHEN and argument in WHEN_CHOICES:
        await _when_chosen(update, context, state, argument, lang)
    elif action == ACT_WEEKDAY and (weekday := callbacks.number(argument)) in range(len(WEEKDAYS)):
        state.data["weekday"] = weekday
        state.step = WEEKLY
        await svc.forms.save(state)
        zone = formats.zone(svc.config.timezone)
        await common.reply(update, context, "announce.ask_weekly", zone=zone)
    elif action == ACT_CONFIRM:
        await _confirm(update, context, state)


async def _outside_the_form(
    update: Update, context: Context, action: str, argument: str
) -> bool:
    """The buttons of /scheduled, of a running broadcast and of the second admin's approval;
    False for the form's own buttons."""
    query = given.query(update)
    if action == ACT_CANCEL_SCHEDULE:
        await query.answer()
        await scheduled.cancel_schedule(update, context, argument)
    elif action == ACT_STOP:
        await query.answer()
        await broadcasts.stop_pressed(update, context, argument)
    elif action == ACT_RESEND:
        await query.answer()
        await broadcasts.resend_pressed(update, context, argument)
    elif action in announce_approval.ACTIONS:
        approved = await announce_approval.decide(update, context, action, argument)
        if approved is not None:
            await _launch_approved(update, context, approved.draft, approved.token,
                                   approved.requested_by)
    else:
        return False
    return True


async def _audience_chosen(
    update: Update, context: Context, state: FormState, audience: str, lang: str
) -> None:
    svc = common.services(context)
    state.data["audience"] = audience
    state.step = WHEN
    await svc.forms.save(state)
    await _ask_when(update, context, lang)


async def _ask_when(update: Update, context: Context, lang: str) -> None:
    keyboard = [
        [button(context, lang, f"announce.when.{choice}", ACT_WHEN, choice)]
        for choice in WHEN_CHOICES
    ]
    await common.reply(
        update, context, "announce.ask_when", reply_markup=InlineKeyboardMarkup(keyboard)
    )


async def _ask_weekday(update: Update, context: Context, lang: str) -> None:
    keyboard = [
        [button(context, lang, f"announce.weekday.{day}", ACT_WEEKDAY, day) for day in days]
        for days in ((0, 1, 2, 3), (4, 5, 6))
    ]
    await common.reply(
        update, context, "announce.ask_weekday", reply_markup=InlineKeyboardMarkup(keyboard)
    )


async def _when_chosen(
    update: Update, context: Context, state: FormState, choice: str, lang: str
) -> None:
    svc = common.services(context)
    if choice == NOW:
        state.data["rule"] = None
        state.step = CONFIRM
        await svc.forms.save(state)
        await _show_confirm(update, context, state, None)
        return
    if choice == WEEKLY:
        state.step = WEEKDAY
        await svc.forms.save(state)
        await _ask_weekday(update, context, lang)
        return
    state.step = choice
    await svc.forms.save(state)
    await common.reply(update, context, TYPED_STEPS[choice], zone=formats.zone(svc.config.timezone))


async def _confirm(update: Update, context: Context, state: FormState) -> None:
    """Create the schedule (once per form) and send it now or register its next run."""
    svc = common.services(context)
    service = _service(context)
    if await _needs_second_confirmation(update, context, state):
        return
    now = service.now()
    spec = state.data.get("rule")
    rule = Once(now) if spec is None else parse_rule(spec, svc.config.tz)
    if rule.next_after(now - timedelta(seconds=1)) is None:
        # A one-off time that passed while the confirmation waited: ask for the time again.
        state.step = AT
        await svc.forms.save(state)
        await common.reply(update, context, "announce.in_the_past")
        await common.reply(update, context, TYPED_STEPS[AT],
                           zone=formats.zone(svc.config.timezone))
        return
    if announce_approval.required(context, state.data["audience"]):
        await announce_approval.request(update, context, state)
        return
    await _launch(update, context, state.data, state.data["token"], state.user_id, rule)
    await svc.forms.clear(state.user_id)


async def _launch_approved(
    update: Update, context: Context, draft: dict[str, Any], token: str, created_by: int
) -> None:
    """A second admin approved a draft: send or schedule it for its author."""
    service = _service(context)
    now = service.now()
    spec = draft.get("rule")
    rule = Once(now) if spec is None else parse_rule(spec, common.services(context).config.tz)
    if rule.next_after(now - timedelta(seconds=1)) is None:
        await common.reply(update, context, "announce.in_the_past")
        return
    await _launch(update, context, draft, token, created_by, rule)


async def _launch(
    update: Update,
    context: Context,
    draft: dict[str, Any],
    token: str,
    created_by: int,
    rule: Rule,
) -> None:
    """Create the schedule (once per draft token) and send it now or register its next run."""
    svc = common.services(context)
    service = _service(context)
    spec = draft.get("rule")
    schedule, _ = await service.create(
        key=f"admin:{token}",
        text=draft["text"],
        entities=draft["entities"],
        audience=draft["audience"],
        rule=rule,
        created_by=created_by,
    )
    runner = _runner(context)
    if spec is None:
        broadcast = await runner.send_now(schedule)
        if broadcast is None:
            await common.reply(update, context, "announce.already_done")
            return
        counts = await svc.announcements.counts(broadcast.id)
        lang = await common.language(update, context)
        await common.reply(
            update,
            context,
            "announce.sending",
            reply_markup=broadcasts.stop_keyboard(svc, lang, broadcast.id),
            id=schedule.id,
            recipients=formats.number(sum(counts.values())),
        )
        return
    planned = await runner.schedule(schedule)
    if planned is None:
        await common.reply(update, context, "announce.already_done")
        return
    next_run = format_time(context, planned)
    await common.reply(update, context, "announce.scheduled_ok", id=schedule.id, next=next_run)


async def _needs_second_confirmation(update: Update, context: Context, state: FormState) -> bool:
    """More often than daily to many people: say how many messages a day that is, and ask
    to confirm once more (True: asked, not scheduled yet)."""
    per_day = int(state.data.get("per_day") or 0)
    audience = state.data.get("audience")
    if per_day <= 1 or audience not in (SUBSCRIBERS, MEMBERS) or state.data.get("frequent_ok"):
        return False
    svc = common.services(context)
    recipients = await svc.announcements.count_recipients(audience)
    state.data["frequent_ok"] = True
    await svc.forms.save(state)
    lang = await common.language(update, context)
    keyboard = InlineKeyboardMarkup(
        [
            [button(context, lang, "announce.frequent_yes", ACT_CONFIRM)],
            [button(context, lang, "announce.cancel_button", ACT_ABORT)],
        ]
    )
    await common.reply(
        update,
        context,
        "announce.frequent",
        reply_markup=keyboard,
        runs=formats.number(per_day),
        recipients=formats.number(recipients),
        messages=formats.number(per_day * recipients),
    )
    return True


# Wiring


def register(application: AnyApplication) -> None:
    """Wire /announce, the announcements' buttons and the form."""
    private = tg_filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("announce", announce, private))
    actions = "|".join(
        (ACT_AUDIENCE, ACT_WHEN, ACT_WEEKDAY, ACT_CONFIRM, ACT_ABORT, ACT_CANCEL_SCHEDULE,
         ACT_STOP, ACT_RESEND, *announce_audience.ACTIONS, *announce_approval.ACTIONS)
    )
    application.add_handler(
        CallbackQueryHandler(button_pressed, pattern=rf"^{callbacks.ANNOUNCE}:({actions})(:|$)")
    )
    router.register_form(application, FORM, AnnounceForm())


