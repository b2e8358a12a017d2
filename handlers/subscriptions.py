"""/subscribe, /unsubscribe, the "announcements" menu item, and noticing a blocked bot."""

from __future__ import annotations

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, CommandHandler
from telegram.ext import filters as tg_filters

from bot.tg.app import AnyApplication
from handlers.kit import callbacks, common, given, router
from handlers.kit.common import CommandSpec, Context

COMMANDS = [CommandSpec("subscribe"), CommandSpec("unsubscribe")]

SUBSCRIBE, UNSUBSCRIBE = "sub", "unsub"


def subscription_keyboard(context: Context, lang: str, subscribed: bool) -> InlineKeyboardMarkup:
    """One button that flips the subscription."""
    key, action = (
        ("subscription.unsubscribe_button", UNSUBSCRIBE)
        if subscribed
        else ("subscription.subscribe_button", SUBSCRIBE)
    )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    common.text(context, key, lang),
                    callback_data=callbacks.data(callbacks.ANNOUNCE, action),
                )
            ]
        ]
    )


async def _set(update: Update, context: Context, subscribed: bool) -> None:
    svc = common.services(context)
    user_id = given.user(update).id
    await svc.users.set_subscribed(user_id, subscribed)
    # Someone talking to the bot can evidently be reached, whatever a past 403 said.
    await svc.users.set_reachable(user_id, True)


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe: receive the association's announcements."""
    await _set(update, context, True)
    await common.reply(update, context, "subscription.subscribed")


async def unsubscribe(update: Update, context: Context) -> None:
    """/unsubscribe: stop receiving them (anyone may, members included)."""
    await _set(update, context, False)
    await common.reply(update, context, "subscription.unsubscribed")


async def show_status(update: Update, context: Context) -> None:
    """The "announcements" entry point: subscribed or not, with the button to change it."""
    lang = await common.language(update, context)
    user = await common.services(context).users.get(given.user(update).id)
    subscribed = bool(user and user.subscribed)
    await common.reply(
        update,
        context,
        "subscription.status_on" if subscribed else "subscription.status_off",
        reply_markup=subscription_keyboard(context, lang, subscribed),
    )


async def button_pressed(update: Update, context: Context) -> None:
    """The Subscribe / Unsubscribe button: apply it and show the new status."""
    query = given.query(update)
    await query.answer()
    subscribed = callbacks.part(query.data, 1) == SUBSCRIBE
    await _set(update, context, subscribed)
    lang = await common.language(update, context)
    await query.edit_message_text(
        common.text(
            context, "subscription.status_on" if subscribed else "subscription.status_off", lang
        ),
        reply_markup=subscription_keyboard(context, lang, subscribed),
    )


async def bot_status_changed(update: Update, context: Context) -> None:
    """my_chat_member in a private chat: the user blocked the bot (kicked) or unblocked it."""
    change = given.bot_status(update)
    if change.chat.type != "private":
        return
    status = change.new_chat_member.status
    users = common.services(context).users
    if status == ChatMember.BANNED:
        await users.set_reachable(change.chat.id, False)
    elif status == ChatMember.MEMBER:
        await users.set_reachable(change.chat.id, True)


def register(application: AnyApplication) -> None:
    """Wire the commands, the button, the entry point and block detection."""
    private = tg_filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("subscribe", subscribe, private))
    application.add_handler(CommandHandler("unsubscribe", unsubscribe, private))
    application.add_handler(
        CallbackQueryHandler(
            button_pressed, pattern=rf"^{callbacks.ANNOUNCE}:({SUBSCRIBE}|{UNSUBSCRIBE})$"
        )
    )
    application.add_handler(ChatMemberHandler(bot_status_changed, ChatMemberHandler.MY_CHAT_MEMBER))
    router.register_entry_point(application, "announcements", show_status)
