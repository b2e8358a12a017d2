"""A second admin's approval of an announcement to all subscribers, when
``announcements.require_second_admin`` is set. Part of the announce feature: the announce
handler asks here before it creates the schedule, and launches the draft once approved."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.announcements.split import split_message
from bot.storage import utcnow
from bot.storage.announcements import SUBSCRIBERS
from bot.storage.approvals import Approval
from bot.storage.forms import FormState
from bot.tg.announcements.runner import send_part
from handlers.kit import answers, callbacks, common, given
from handlers.kit.common import Context
from handlers.kit.notify import admin_destinations

log = logging.getLogger(__name__)

ACT_APPROVE, ACT_REJECT = "apv", "rej"
ACTIONS = (ACT_APPROVE, ACT_REJECT)


def required(context: Context, audience: str) -> bool:
    """Whether this audience needs a second admin's approval."""
    return common.services(context).config.announcements.require_second_admin and (
        audience == SUBSCRIBERS
    )


def _keyboard(context: Context, lang: str, approval_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(
            answers.button_label(context, "announce.approval.approve_button", lang),
            callback_data=callbacks.data(callbacks.ANNOUNCE, ACT_APPROVE, approval_id),
        ),
        InlineKeyboardButton(
            answers.button_label(context, "announce.approval.reject_button", lang),
            callback_data=callbacks.data(callbacks.ANNOUNCE, ACT_REJECT, approval_id),
        ),
    ]])


async def request(update: Update, context: Context, state: FormState) -> None:
    """Keep the draft and show it, with Approve and Reject, to the other admins."""
    svc = common.services(context)
    draft: dict[str, Any] = {
        key: state.data.get(key) for key in ("text", "entities", "audience", "rule")
    }
    approval, created = await svc.approvals.request(
        state.data["token"], draft, state.user_id, utcnow()
    )
    await svc.forms.clear(state.user_id)
    await common.reply(update, context, "announce.approval.requested")
    if not created:
        return
    author = given.user(update).full_name
    parts = split_message(draft["text"], draft["entities"])
    for chat_id in admin_destinations(context.application):
        if chat_id == state.user_id:
            continue
        lang = svc.texts.language(await svc.users.language_of(chat_id))
        try:
            for part in parts:
                await send_part(context.application, chat_id, part)
            await context.bot.send_message(
                chat_id,
                svc.texts.get("announce.approval.ask", lang, author=author),
                reply_markup=_keyboard(context, lang, approval.id),
            )
        except TelegramError:
            log.warning("could not ask admin chat %s for approval", chat_id, exc_info=True)


async def decide(update: Update, context: Context, action: str, argument: str) -> Approval | None:
    """An admin pressed Approve or Reject: the approved draft, or None (rejected, decided
    already, or pressed by its own author: each is told so)."""
    svc = common.services(context)
    query = given.query(update)
    lang = await common.language(update, context)
    number = callbacks.number(argument)
    approval = await svc.approvals.get(number) if number is not None else None
    if approval is None:
        await query.answer(common.text(context, "errors.stale_button", lang), show_alert=True)
        return None
    admin = given.user(update)
    if approval.requested_by == admin.id:
        await query.answer(common.text(context, "announce.approval.not_yourself", lang),
                           show_alert=True)
        return None
    decided = await svc.approvals.decide(approval.id, admin.id, action == ACT_APPROVE, utcnow())
    if decided is None:
        await query.answer(common.text(context, "announce.approval.already", lang),
                           show_alert=True)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    key = "announce.approval.approved" if action == ACT_APPROVE else "announce.approval.rejected"
    author_lang = svc.texts.language(await svc.users.language_of(approval.requested_by))
    try:
        await context.bot.send_message(
            approval.requested_by, svc.texts.get(key, author_lang, admin=admin.full_name)
        )
    except TelegramError:
        log.warning("could not tell admin %s about the decision", approval.requested_by)
    if action != ACT_APPROVE:
        await common.reply(update, context, "announce.approval.rejected_ok")
        return None
    return decided
