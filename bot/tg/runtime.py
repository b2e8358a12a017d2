"""Running the bot: on Telegram (polling or webhook) and in-process (tests, console)."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import Application, Updater

from bot.config import Config
from bot.ops import StartupError
from bot.tg.webhook import WebhookServer

log = logging.getLogger(__name__)
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def _updater(application: AnyApplication) -> Updater:
    """The application's updater (every application the factory builds has one)."""
    if application.updater is None:
        raise RuntimeError("this application was built without an updater")
    return application.updater


def run(application: AnyApplication, config: Config) -> None:
    """Run until SIGINT or SIGTERM: webhook mode when a webhook URL is configured, else polling.

    Raises :class:`StartupError` (one line: cause and remedy) when the bot cannot start.
    """
    asyncio.run(_run_until_signalled(application, config))


async def _run_until_signalled(application: AnyApplication, config: Config) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await serve(application, config, stop)


async def serve(
    application: AnyApplication,
    config: Config,
    stop: asyncio.Event,
    ready: asyncio.Event | None = None,
) -> None:
    """Start the bot, set ``ready``, serve until ``stop`` is set, then stop it cleanly.

    Every resource opened is closed again on the way out, start-up failures included.
    """
    started = time.monotonic()
    await _initialize(application, config)
    server: WebhookServer | None = None
    try:
        hook = config.telegram.webhook
        if hook.url:  # a busy port is found before any start-up work is done
            server = WebhookServer(application, config, started)
            await server.start()
        if application.post_init:
            await application.post_init(application)
        if server is not None:
            await _set_webhook(application, config, server.secret)
            log.info("webhook mode: %s (listening on %s:%s)", hook.url, hook.listen, hook.port)
        else:
            await _updater(application).start_polling(allowed_updates=Update.ALL_TYPES)
            log.info("polling mode: %s", config.telegram.base_url)
        await application.start()
        if ready is not None:
            ready.set()
        await stop.wait()
    finally:
        if _updater(application).running:
            await _updater(application).stop()
        if application.running:
            await application.stop()
        if server is not None:
            await server.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


async def _initialize(application: AnyApplication, config: Config) -> None:
    """``getMe`` through PTB's initialize; a refusal or no answer is a one-line error."""
    base_url = config.telegram.base_url
    try:
        await application.initialize()
    except InvalidToken as exc:
        await application.bot.shutdown()
        raise StartupError(
            f"the Bot API server at {base_url} rejected the token (401 Unauthorized): check "
            "TELEGRAM_BOT_TOKEN or telegram.token (from @BotFather, like 123456789:AA...)"
        ) from exc
    except NetworkError as exc:
        await application.bot.shutdown()
        raise StartupError(
            f"cannot reach the Bot API server at {base_url} ({_network_cause(exc)}): check the "
            "network connection and telegram.base_url"
        ) from exc


def _network_cause(exc: NetworkError) -> str:
    """``connection refused``, ``name not resolved``, ``timed out``, else PTB's message."""
    if isinstance(exc, TimedOut):
        return "timed out"
    causes = list(_causes(exc))  # httpx's error, httpcore's, then the operating system's
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            return "host name not resolved"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
    for cause in causes:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
    return str(exc)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exceptions an exception was raised from, nearest first."""
    seen = {id(exc)}
    cause = exc.__cause__ or exc.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        yield cause
        cause = cause.__cause__ or cause.__context__


async def _set_webhook(application: AnyApplication, config: Config, secret: str) -> None:
    hook = config.telegram.webhook
    try:
        await application.bot.set_webhook(
            hook.url,
            secret_token=secret,
            # Join requests and block notices (my_chat_member) are only sent when asked for.
            allowed_updates=Update.ALL_TYPES,
        )
    except TelegramError as exc:
        raise StartupError(
            f"Telegram refused the webhook {hook.url} ({exc}): check telegram.webhook.url"
        ) from exc


async def start_polling_in_process(
    application: AnyApplication, *, poll_timeout: float = 1.0
) -> None:
    """Start the bot inside a running event loop, in the order ``run_polling`` uses.

    If a step fails, what was started is stopped again before the error goes on.
    """
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await _updater(application).start_polling(
            poll_interval=0,
            timeout=timedelta(seconds=poll_timeout),
            allowed_updates=Update.ALL_TYPES,
        )
        await application.start()
    except BaseException:
        await stop_in_process(application)
        raise


async def stop_in_process(application: AnyApplication) -> None:
    """Stop a bot started by :func:`start_polling_in_process`."""
    if _updater(application).running:
        await _updater(application).stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)
