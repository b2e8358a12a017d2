"""The membership screen (menu "Membership"), /status with the person's applications and
their history, and withdrawing a pending application."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.membership import form
from bot.membership.applications import Status
from bot.storage.membership_records import Member
from bot.texts import Html
from bot.tg.app import AnyApplication
from handlers.kit import answers, callbacks, common, given, router
from handlers.kit.common import CommandSpec, Context
from handlers.membership import view
from handlers.membership.buttons import (
    STATUS,
    WITHDRAW,
    WITHDRAW_NO,
    WITHDRAW_YES,
    button,
    keyboard,
    together,
)

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("status")]

# The log's events shown in an application's history (decisions, not erasures).
SHOWN_EVENTS = ("submitted", Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)
# The knowledge base's guide to joining; its `see` items are offered on the membership screen.
MEMBERSHIP_GUIDE = "join"


async def show_membership(update: Update, context: Context) -> None:
    """The membership screen: what membership is, Apply and status buttons."""
    lang = await common.language(update, context)
    svc = common.services(context)
    body = common.text(
        context, "membership.info", lang, association=view.association_name(context, lang)
    )
    member = await svc.membership.member_of(given.user(update).id)
    rows = [[button(context, lang, "membership.button.status", STATUS)]]
    if member is not None and member.active:
        body = together(
            body,
            common.text(
                context,
                "membership.you_are_member",
                lang,
                number=member.number,
                date=common.local_date(context, member.joined_at),
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
        given.chat(update).id, body, reply_markup=InlineKeyboardMarkup(rows)
    )


def _membership_answers(context: Context, lang: str) -> list[list[InlineKeyboardButton]]:
    """Buttons to the knowledge base's answers about membership (who may join, kinds of
    members, the fee): the facts are the association's data, listed under ``see`` of its
    guide to joining, so the screen itself asserts none of them."""
    kb = common.services(context).kb
    guide = kb.entries.get(MEMBERSHIP_GUIDE)
    return [
        answers.button(
            context,
            "answers.see",
            lang,
            callbacks.data(callbacks.FAQ, callbacks.FAQ_ENTRY, item_id),
            title=kb.title(item_id, lang),
        )
        for item_id in (guide.see if guide is not None else ())
    ]


def _membership_lines(context: Context, lang: str, member: Member | None) -> list[Html]:
    """The person's membership, active or ended (none if never a member)."""
    parts: list[Html] = []
    if member is not None and member.active:
        parts.append(
            common.text(
                context,
                "status.member",
                lang,
                number=member.number,
                kind=view.kind_label(context, lang, member.kind),
                date=common.local_date(context, member.joined_at),
            )
        )
    elif member is not None:
        parts.append(
            common.text(
                context,
                "status.member_revoked",
                lang,
                number=member.number,
                date=common.local_date(context, member.revoked_at),
            )
        )
    return parts


async def status(update: Update, context: Context) -> None:
    """/status: membership, and the person's applications with their history."""
    svc = common.services(context)
    lang = await common.language(update, context)
    user_id = given.user(update).id
    member = await svc.membership.member_of(user_id)
    applications = await svc.membership.applications_of(user_id)
    parts = _membership_lines(context, lang, member)
    for application in applications[:3]:
        log_entries = await svc.membership.log_of(application.id)
        events = [entry for entry in log_entries if entry.action in SHOWN_EVENTS]
        ended = await svc.membership.membership_end(application.id)
        if ended is not None:
            events.append(ended)
        history = [
            common.text(
                context,
                f"status.event.{entry.action}",
                lang,
                date=common.local_time(context, entry.at),
                number=entry.member_number or "",
                reason=entry.reason or "",
            )
            for entry in events
        ]
        state = "ended" if ended is not None else application.status
        parts.append(
            common.text(
                context,
                "status.application",
                lang,
                id=application.id,
                kind=view.kind_label(context, lang, application.kind),
                date=common.local_date(context, application.submitted_at),
                status=view.status_label(context, lang, state),
                history=Html("\n".join(history)),
            )
        )
    draft = await svc.forms.get(user_id)
    if (draft is not None and draft.form == form.FORM_NAME) or await svc.forms.set_aside_of(
        user_id, form.FORM_NAME
    ):
        # /cancel stops the form open now: it drops the application only when that is it,
        # or when nothing else is open.
        other_open = draft is not None and draft.form != form.FORM_NAME
        parts.append(common.text(
            context, "status.draft_behind_another" if other_open else "status.draft", lang
        ))
    if not parts:
        parts.append(common.text(context, "status.none", lang))
    pending = next((a for a in applications if a.status == Status.PENDING), None)
    markup = None
    if pending is not None:
        markup = keyboard([button(context, lang, "status.button.withdraw", WITHDRAW, pending.id)])
    await context.bot.send_message(given.chat(update).id, together(*parts), reply_markup=markup)


async def withdraw_pressed(update: Update, context: Context, action: str, argument: str) -> None:
    query = given.query(update)
    svc = common.services(context)
    lang = await common.language(update, context)
    number = callbacks.number(argument)
    application = await svc.membership.get(number) if number is not None else None
    if application is None or application.user_id != given.user(update).id:
        await query.answer(common.text(context, "join.stale", lang), show_alert=True)
        return
    await query.answer()
    await common.remove_buttons(given.query(update).message)
    if application.status != Status.PENDING:
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
            reply_markup=keyboard(
                [
                    button(
                        context, lang, "status.button.withdraw_yes", WITHDRAW_YES, application.id
                    ),
                    button(
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


def register(application: AnyApplication) -> None:
    """Wire /status and the membership screen (its buttons come through the form's)."""
    application.add_handler(CommandHandler("status", status, filters.ChatType.PRIVATE))
    router.register_entry_point(application, "membership", show_membership)
