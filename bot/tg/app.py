"""The application factory: PTB's ``Application`` for a config and the features it runs.

The features (the ``handlers`` package) sit above this layer, so they come in as
:class:`Features`; ``hoibot.app.build_application`` passes HoiBot's own.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.announcements.delivery import MAX_CONCURRENCY
from bot.config import LANGUAGES, Config
from bot.ops.runlock import RunLock
from bot.redaction import REDACTOR
from bot.services import SERVICES_KEY, Services, get_services
from bot.storage import Database
from bot.tg.botapi import HoiBotApi
from bot.tg.ratelimit import FairRateLimiter
from bot.tg.updates import MAX_RUNNING, ChatOf, ChatOrderedProcessor, Describe

log = logging.getLogger(__name__)
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
RUN_LOCK_KEY = "run_lock"

# Telegram's documented bulk limit: the rate limiter never goes above it unless the
# configured broadcast rate asks for more (benchmarks against the local emulator do).
TELEGRAM_MESSAGES_PER_SECOND = 30.0
# Requests in flight at once: every update being handled, plus a broadcast's sends.
CONNECTION_POOL_SIZE = MAX_RUNNING + MAX_CONCURRENCY


class MenuCommand(Protocol):
    """A command for Telegram's menu; its description is the catalog's ``cmd.<name>``."""

    @property
    def name(self) -> str: ...

    @property
    def admin(self) -> bool: ...


@dataclass(frozen=True)
class Features:
    """What the bot does, given by the layer above: handlers, start-up hooks, command menu."""

    register: Callable[[AnyApplication], object]  # adds every feature's handlers
    start: Callable[[AnyApplication], Awaitable[None]]  # after the database is open
    commands: Callable[[AnyApplication], Sequence[MenuCommand]]  # after register
    chat_of: ChatOf  # what orders updates (bot/tg/updates.py)
    describe: Callable[[Config], Describe]  # how the per-update log line names an update


def file_url_for(base_url: str) -> str:
    """Telegram serves files under ``/file/bot<token>`` beside ``/bot<token>``."""
    head, sep, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else base_url


def bot_api_request() -> HTTPXRequest:
    """PTB's own transport, with a pool that never makes a request wait for a connection."""
    return HTTPXRequest(connection_pool_size=CONNECTION_POOL_SIZE, read_timeout=15)


def build_application(
    config: Config,
    features: Features,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    services: Services | None = None,
) -> AnyApplication:
    """Build the bot: transport (injectable), defaults, rate limiter, services, features."""
    REDACTOR.add(config.telegram.token, config.telegram.webhook.secret_token)
    rate = max(TELEGRAM_MESSAGES_PER_SECOND, config.announcements.messages_per_second)
    bot = HoiBotApi(
        config.telegram.token,
        base_url=config.telegram.base_url,
        base_file_url=file_url_for(config.telegram.base_url),
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            tzinfo=config.tz,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        # PTB's httpx transport; getUpdates (one long poll at a time) has its own.
        request=request or bot_api_request(),
        get_updates_request=get_updates_request or HTTPXRequest(connection_pool_size=1),
        # Telegram's 30/s and 20/min per group; a 429 pauses only its chat; broadcasts get
        # their 429s raised, the sender pauses the whole broadcast itself (bot/tg/ratelimit.py).
        rate_limiter=FairRateLimiter(overall_max_rate=rate, max_retries=3),
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        # Chats at once, each chat's updates in order; one log line per update
        # (bot/tg/updates.py).
        .concurrent_updates(
            ChatOrderedProcessor(chat_of=features.chat_of, describe=features.describe(config))
        )
        .post_init(partial(on_startup, features=features))
        .post_shutdown(on_shutdown)
    )
    application = builder.build()
    application.bot_data[SERVICES_KEY] = services or Services.create(
        config, Database(config.database)
    )
    features.register(application)
    return application


async def on_startup(application: AnyApplication, *, features: Features) -> None:
    """Lock and open the database, register the command menus, run the features' hooks."""
    svc = get_services(application)
    if str(svc.db.path) != ":memory:" and RUN_LOCK_KEY not in application.bot_data:
        lock = RunLock(svc.db.path)
        lock.acquire()  # restore refuses while this is held; a second bot stops here
        application.bot_data[RUN_LOCK_KEY] = lock
    if not svc.db.is_open:
        await svc.db.open()
    await register_commands(application, features.commands(application))
    await features.start(application)


async def on_shutdown(application: AnyApplication) -> None:
    """Close the database and let go of its lock."""
    await get_services(application).db.close()
    lock = application.bot_data.pop(RUN_LOCK_KEY, None)
    if lock is not None:
        lock.release()


def _bot_commands(
    application: AnyApplication, commands: Sequence[MenuCommand], lang: str, *, admin: bool
) -> list[BotCommand]:
    svc = get_services(application)
    return [
        BotCommand(command.name, svc.texts.raw(f"cmd.{command.name}", lang)[:256])
        for command in commands
        if admin or not command.admin
    ]


async def register_commands(application: AnyApplication, commands: Sequence[MenuCommand]) -> None:
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
            menu = _bot_commands(application, commands, default, admin=admin)
            await bot.set_my_commands(menu, scope=scope)
            for lang in LANGUAGES:
                await bot.set_my_commands(
                    _bot_commands(application, commands, lang, admin=admin),
                    scope=scope,
                    language_code=lang,
                )
        except TelegramError as exc:
            # An admin who never opened a chat with the bot is "chat not found": not fatal.
            log.warning("could not set the command menu for %s: %s", scope, exc)
