"""What no feature claimed still gets an answer: old buttons, unknown commands in private, and
in a group the commands that work only in the private chat."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.tg.app import AnyApplication
from handlers.kit import common, given, router
from handlers.kit.common import Context
from handlers.kit.menu import point_to_private_chat

# Enough of an unknown command to recognise it, not a wall of text echoed back.
COMMAND_SHOWN = 40


async def stale_button(update: Update, context: Context) -> None:
    """Answer the press so the button stops spinning, and say it no longer works."""
    lang = await common.language(update, context)
    await given.query(update).answer(
        common.text(context, "errors.stale_button", lang), show_alert=True
    )


def known_commands(application: AnyApplication) -> set[str]:
    """Every command some handler of the application answers, in any group."""
    return {
        name
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }


async def unknown_command(update: Update, context: Context) -> None:
    """A command no feature knows: point to /help, which lists the ones this user may use."""
    command = given.text(update).split(maxsplit=1)[0]
    if command[1:].split("@")[0].lower() in known_commands(context.application):
        return
    if len(command) > COMMAND_SHOWN:
        command = command[: COMMAND_SHOWN - 1] + "…"
    await common.reply(update, context, "errors.unknown_command", command=command)


async def private_command_in_group(update: Update, context: Context) -> None:
    """A command of ours that no handler takes in a group (/charter, /announce, ...): say it
    works in the private chat, with a link there, rather than stay silent."""
    name, _, addressee = given.text(update).split(maxsplit=1)[0][1:].partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # meant for another bot
    command = name.lower()
    application = context.application
    if command not in known_commands(application):
        return
    if any(
        handler.check_update(update)
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
    ):
        return  # some feature answers it here (or stays silent on purpose)
    opens = command if router.entry_point(context, command) is not None else ""
    await point_to_private_chat(update, context, opens)


def register(application: AnyApplication) -> None:
    """Registered last in group 0: only presses no feature claimed reach it."""
    application.add_handler(CallbackQueryHandler(stale_button))
    # Group 1, beside the free-text router (which takes everything but commands): a command
    # that some handler knows is left alone there, whichever group that handler is in.
    # Private chats only: in a group, a command may be meant for another bot.
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.COMMAND,
            unknown_command,
        ),
        group=1,
    )
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & ~filters.ChatType.PRIVATE & filters.COMMAND,
            private_command_in_group,
        ),
        group=1,
    )
