"""/start with its main menu and deep links, and /help for the user's role."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.texts import Html
from bot.tg.app import AnyApplication
from handlers.kit import callbacks, common, given, router
from handlers.kit.common import COMMAND_SPECS_KEY, CommandSpec, Context
from handlers.kit.menu import in_private, main_menu, point_to_private_chat

COMMANDS = [CommandSpec("start"), CommandSpec("help")]

async def show_menu(update: Update, context: Context) -> None:
    """Send the welcome text with the main menu."""
    lang = await common.language(update, context)
    svc = common.services(context)
    assoc = svc.config.association
    await context.bot.send_message(
        given.chat(update).id,
        common.text(
            context,
            "start.welcome",
            lang,
            name=update.effective_user.first_name if update.effective_user else "",
            association=assoc.name if lang == "vi" else assoc.name_en,
        ),
        reply_markup=main_menu(context, lang),
    )


async def start(update: Update, context: Context) -> None:
    """/start [feature]: welcome and menu, or straight into a feature from a deep link."""
    payload = context.args[0] if context.args else ""
    if payload:
        # "reg-<meeting id>": a feature entry point with an argument after the first dash.
        opener = router.entry_point(context, payload) or router.entry_point(
            context, payload.split("-", 1)[0]
        )
        if opener is not None:
            await opener(update, context)
            return
    await show_menu(update, context)


async def menu_pressed(update: Update, context: Context) -> None:
    """A main-menu button: open that feature."""
    await common.answer_callback(update)
    item = callbacks.part(given.query(update).data, 1)
    if not in_private(update):  # an old menu in a group: its features are personal
        await point_to_private_chat(update, context, item if router.entry_point(context, item)
                                    else "")
        return
    opener = router.entry_point(context, item)
    if opener is None:
        await common.reply(update, context, "menu.unavailable")
        return
    await opener(update, context)


def command_lines(context: Context, lang: str, *, admin: bool) -> list[str]:
    """``/command - description`` lines for every command the user may use."""
    specs = context.application.bot_data.get(COMMAND_SPECS_KEY, [])
    return [
        f"/{spec.name} — {common.text(context, f'cmd.{spec.name}', lang)}"
        for spec in specs
        if admin or not spec.admin
    ]


async def help_command(update: Update, context: Context) -> None:
    """/help: what the user can do here (admins also see their commands)."""
    lang = await common.language(update, context)
    admin = common.is_admin(update, context)
    lines = command_lines(context, lang, admin=admin)
    await common.reply(
        update,
        context,
        "help.admin" if admin else "help.member",
        commands=Html("\n".join(lines)),
    )


def register(application: AnyApplication) -> None:
    """Wire /start, /help and the main menu."""
    application.add_handler(CommandHandler("start", start, filters.ChatType.PRIVATE))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(
        CallbackQueryHandler(menu_pressed, pattern=callbacks.pattern(callbacks.MENU))
    )
    router.register_entry_point(application, "menu", show_menu)
