"""The main menu (shown by /start, and again after choosing a language)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from handlers.kit import callbacks, common
from handlers.kit.common import Context

# The main menu, two buttons a row; each item is a feature's entry point.
MENU_ITEMS = (
    ("charter", "meetings"),
    ("membership", "join"),
    ("announcements", "ask"),
)


def main_menu(context: Context, lang: str) -> InlineKeyboardMarkup:
    """The main menu's inline keyboard in ``lang``."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    common.text(context, f"menu.{item}", lang),
                    callback_data=callbacks.data(callbacks.MENU, item),
                )
                for item in row
            ]
            for row in MENU_ITEMS
        ]
    )


def in_private(update: Update) -> bool:
    """Whether the update comes from a private chat with the bot."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def point_to_private_chat(update: Update, context: Context, start: str = "") -> None:
    """In a group: this is done in the private chat, with a link that opens it there
    (``start``: the feature the link opens, as ``/start <name>``)."""
    link = f"https://t.me/{context.bot.username}" + (f"?start={start}" if start else "")
    await common.reply(update, context, "menu.private_only", link=link)
