"""Running the bot: on Telegram (polling or webhook) and in-process (tests, console)."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.config import Config
from bot.webhook import WebhookServer

log = logging.getLogger(__name__)
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def run(application: AnyApplication, config: Config) -> None:
    """Run until interrupted: webhook mode when a webhook URL is configured, else polling."""
    hook = config.telegram.webhook
    if hook.url:
        log.info("webhook mode: %s (listening on %s:%s)", hook.url, hook.listen, hook.port)
        asyncio.run(_serve_webhook(WebhookServer(application, config)))
    else:
        log.info("polling mode: %s", config.telegram.base_url)
        application.run_polling(allowed_updates=Update.ALL_TYPES)


async def _serve_webhook(server: WebhookServer) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await server.start()
        await stop.wait()
    finally:
        await server.stop()


async def start_polling_in_process(
    application: AnyApplication, *, poll_timeout: float = 1.0
) -> None:
    """Start the bot inside a running event loop, in the order ``run_polling`` uses."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.updater.start_polling(
        poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )
    await application.start()


async def stop_in_process(application: AnyApplication) -> None:
    """Stop a bot started by :func:`start_polling_in_process`."""
    if application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)
