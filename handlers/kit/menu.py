"""The main menu (shown by /start, and again after choosing a language)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

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
