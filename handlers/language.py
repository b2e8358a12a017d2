"""/lang: choose Vietnamese or English; the choice is saved per user."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.config import LANGUAGES
from bot.tg.app import AnyApplication
from handlers.kit import callbacks, common, given, router
from handlers.kit.common import CommandSpec, Context
from handlers.kit.menu import in_private, main_menu

COMMANDS = [CommandSpec("lang")]


async def choose_language(update: Update, context: Context) -> None:
    """/lang: offer the languages as buttons."""
    lang = await common.language(update, context)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    common.text(context, f"lang.name.{code}", lang),
                    callback_data=callbacks.data(callbacks.LANG, code),
                )
                for code in LANGUAGES
            ]
        ]
    )
    await common.reply(update, context, "lang.choose", reply_markup=keyboard)


async def language_chosen(update: Update, context: Context) -> None:
    """A language button: save it, confirm and show the menu in that language."""
    query = given.query(update)
    await query.answer()
    code = callbacks.part(query.data, 1)
    if code not in LANGUAGES:
        return
    svc = common.services(context)
    await svc.users.set_language(given.user(update).id, code)
    common.remember_language(context, code)
    # The main menu belongs to the private chat: in a group its items would show the
    # presser's own application, or invite questions that groups do not get answered.
    # With a form half filled in, its question comes again in the new language instead.
    form = await router.open_form(update, context) if in_private(update) else None
    menu = in_private(update) and form is None
    await context.bot.send_message(
        given.chat(update).id,
        common.text(context, "lang.saved", code),
        reply_markup=main_menu(context, code) if menu else None,
    )
    if form is not None:
        await router.resume_form(update, context, form)


def register(application: AnyApplication) -> None:
    """Wire /lang and its buttons."""
    application.add_handler(CommandHandler("lang", choose_language))
    application.add_handler(
        CallbackQueryHandler(language_chosen, pattern=callbacks.pattern(callbacks.LANG))
    )
