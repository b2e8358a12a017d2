"""The application factory: one function builds the whole bot from a config."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot.config import LANGUAGES, Config
from bot.ops.runlock import RunLock
from bot.ratelimit import FairRateLimiter
from bot.redaction import REDACTOR
from bot.services import SERVICES_KEY, Services, get_services
from bot.storage import Database
from bot.transport import AiohttpRequest
from bot.updates import ChatOrderedProcessor
from handlers import guard
from handlers.kit.common import CommandSpec
from handlers.registry import COMMAND_SPECS_KEY, register_all, startup_all

log = logging.getLogger(__name__)
RUN_LOCK_KEY = "run_lock"

# Telegram's documented bulk limit: the rate limiter never goes above it unless the
# configured broadcast rate asks for more (benchmarks against the local emulator do).
TELEGRAM_MESSAGES_PER_SECOND = 30.0


def file_url_for(base_url: str) -> str:
    """Telegram serves files under ``/file/bot<token>`` beside ``/bot<token>``."""
    head, sep, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else base_url


def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    services: Services | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the bot: transport (injectable), defaults, rate limiter, services, handlers."""
    REDACTOR.add(config.telegram.token, config.telegram.webhook.secret_token)
    rate = max(TELEGRAM_MESSAGES_PER_SECOND, config.announcements.messages_per_second)
    builder = (
        ApplicationBuilder()
        .token(config.telegram.token)
        .base_url(config.telegram.base_url)
        .base_file_url(file_url_for(config.telegram.base_url))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=config.tz,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # Telegram's 30/s and 20/min per group; a 429 pauses only its chat; broadcasts get
        # their 429s raised, the sender pauses the whole broadcast itself (bot/ratelimit.py).
        .rate_limiter(FairRateLimiter(overall_max_rate=rate, max_retries=3))
        # Chats at once, each chat's updates in order; one log line per update (bot/updates.py).
        .concurrent_updates(
            ChatOrderedProcessor(chat_of=guard.chat_of, describe=guard.describer(config))
        )
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    # aiohttp rather than PTB's default httpx: it takes half the CPU per request, which is
    # what bounds a broadcast (bot/transport.py; README, "Announcements: admin guide").
    # Broadcasts send many messages concurrently, hence the pool of 32.
    builder = builder.request(
        request or AiohttpRequest(connection_pool_size=32, read_timeout=15)
    ).get_updates_request(get_updates_request or AiohttpRequest(connection_pool_size=1))
    application = builder.build()
    application.bot_data[SERVICES_KEY] = services or Services.create(
        config, Database(config.database)
    )
    register_all(application)
    return application


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Lock and open the database, register the command menus, run the features' hooks."""
    svc = get_services(application)
    if str(svc.db.path) != ":memory:" and RUN_LOCK_KEY not in application.bot_data:
        lock = RunLock(svc.db.path)
        lock.acquire()  # restore refuses while this is held; a second bot stops here
        application.bot_data[RUN_LOCK_KEY] = lock
    if not svc.db.is_open:
        await svc.db.open()
    await register_commands(application)
    await startup_all(application)


async def on_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Close the database and let go of its lock."""
    await get_services(application).db.close()
    lock = application.bot_data.pop(RUN_LOCK_KEY, None)
    if lock is not None:
        lock.release()


def _bot_commands(
    application: Application[Any, Any, Any, Any, Any, Any], lang: str, *, admin: bool
) -> list[BotCommand]:
    svc = get_services(application)
    specs: list[CommandSpec] = application.bot_data.get(COMMAND_SPECS_KEY, [])
    return [
        BotCommand(spec.name, svc.texts.raw(f"cmd.{spec.name}", lang)[:256])
        for spec in specs
        if admin or not spec.admin
    ]


async def register_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Telegram's command menu in both languages; admin commands only in admins' chats."""
    svc = get_services(application)
    bot = application.bot
    default = svc.config.default_language
    scopes: list[tuple[Any, bool]] = [(BotCommandScopeDefault(), False)]
    admin_chats = list(svc.config.admins)
    if svc.config.admin_chat_id is not None:
        admin_chats.append(svc.config.admin_chat_id)
    scopes += [(BotCommandScopeChat(chat_id), True) for chat_id in admin_chats]
    for scope, admin in scopes:
        try:
            await bot.set_my_commands(_bot_commands(application, default, admin=admin), scope=scope)
            for lang in LANGUAGES:
                await bot.set_my_commands(
                    _bot_commands(application, lang, admin=admin), scope=scope, language_code=lang
                )
        except TelegramError as exc:
            # An admin who never opened a chat with the bot is "chat not found": not fatal.
            log.warning("could not set the command menu for %s: %s", scope, exc)
