"""Requests to join the members' group (``chat_join_request`` updates).

An active member is let in at once. Anyone else stays pending while the bot invites them
privately (allowed for a few minutes after the request) to apply; their request is approved
when the application is approved, and declined when it is rejected or withdrawn. Requests
to other chats are ignored. Pending requests are kept in SQLite, so a restart loses none.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ChatJoinRequestHandler

from bot.membership.applications import JoinRequestStatus
from bot.storage import utcnow
from bot.tg.app import AnyApplication
from handlers.kit import callbacks, common
from handlers.kit.common import Context, ContextOrApp

log = logging.getLogger(__name__)

INVITE_LINK_DAYS = 7


async def join_request(update: Update, context: Context) -> None:
    """Someone asked to join a chat the bot administers."""
    request = update.chat_join_request
    svc = common.services(context)
    group = svc.config.members_group_id
    if request is None or group is None or request.chat.id != group:
        return
    user = request.from_user
    member = await svc.membership.member_of(user.id)
    if member is not None and member.active:
        try:
            await request.approve()
            log.info("join request of member %s approved", member.number)
        except TelegramError:
            log.warning("could not approve the join request of %s", user.id, exc_info=True)
        return
    await svc.membership.record_join_request(group, user.id, request.user_chat_id, utcnow())
    lang = svc.texts.language(await svc.users.language_of(user.id) or user.language_code)
    name = request.chat.title or common.text(context, "joinreq.group_fallback", lang)
    pending = await svc.membership.pending_of(user.id)
    if pending is not None:
        text = common.text(context, "joinreq.pending_application", lang, id=pending.id, group=name)
        markup = None
    else:
        text = common.text(context, "joinreq.invite", lang, group=name)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        common.text(context, "membership.button.apply", lang),
                        callback_data=callbacks.data(callbacks.MENU, "join"),
                    )
                ]
            ]
        )
    try:
        await context.bot.send_message(request.user_chat_id, text, reply_markup=markup)
    except TelegramError:
        log.info("could not invite join requester %s to apply", user.id, exc_info=True)


async def admit(context: ContextOrApp, user_id: int) -> bool:
    """Approve the person's pending requests to join the members' group; True if any was."""
    svc = common.services(context)
    admitted = False
    for request in await svc.membership.pending_join_requests(user_id):
        try:
            await context.bot.approve_chat_join_request(request.chat_id, user_id)
        except TelegramError:
            # Expired, withdrawn, or already a participant: an invite link will do instead.
            log.info("could not approve the join request of %s", user_id, exc_info=True)
            await svc.membership.close_join_request(
                request.chat_id, user_id, JoinRequestStatus.FAILED, utcnow()
            )
            continue
        await svc.membership.close_join_request(
            request.chat_id, user_id, JoinRequestStatus.APPROVED, utcnow()
        )
        admitted = True
    return admitted


async def decline(context: ContextOrApp, user_id: int) -> None:
    """Decline the person's pending requests to join the members' group."""
    svc = common.services(context)
    for request in await svc.membership.pending_join_requests(user_id):
        try:
            await context.bot.decline_chat_join_request(request.chat_id, user_id)
            status = JoinRequestStatus.DECLINED
        except TelegramError:
            log.info("could not decline the join request of %s", user_id, exc_info=True)
            status = JoinRequestStatus.FAILED
        await svc.membership.close_join_request(request.chat_id, user_id, status, utcnow())


async def decline_chats(context: ContextOrApp, user_id: int, chats: list[int]) -> None:
    """Decline the person's requests to join these chats (their records are already gone)."""
    for chat_id in chats:
        try:
            await context.bot.decline_chat_join_request(chat_id, user_id)
        except TelegramError:
            log.info("could not decline the join request of %s", user_id, exc_info=True)


async def invite_link(context: ContextOrApp, member_number: int) -> tuple[str | None, str]:
    """A one-person invite link to the members' group, or None and the reason it failed."""
    svc = common.services(context)
    group = svc.config.members_group_id
    if group is None:
        return None, ""
    try:
        link = await context.bot.create_chat_invite_link(
            group,
            name=f"#{member_number}",
            member_limit=1,
            expire_date=utcnow() + timedelta(days=INVITE_LINK_DAYS),
        )
    except TelegramError as exc:
        log.warning("could not create an invite link for member %s: %s", member_number, exc)
        return None, str(exc)
    return link.invite_link, ""


async def remove_from_group(context: ContextOrApp, user_id: int) -> None:
    """Take a former member out of the members' group (ban then unban: they may rejoin)."""
    group = common.services(context).config.members_group_id
    if group is None:
        return
    try:
        await context.bot.ban_chat_member(group, user_id)
        await context.bot.unban_chat_member(group, user_id, only_if_banned=True)
    except TelegramError:
        log.info("could not remove %s from the members' group", user_id, exc_info=True)


def register(application: AnyApplication) -> None:
    """Wire chat join requests."""
    application.add_handler(ChatJoinRequestHandler(join_request))
