"""Webhook mode: Telegram POSTs updates to a small aiohttp server, which trusts only its secret.

Anyone who finds the URL can POST an update that claims to come from an admin. Telegram sends
back, in the ``X-Telegram-Bot-Api-Secret-Token`` header, the secret given to ``setWebhook``:
without a configured ``telegram.webhook.secret_token`` a random one is made at every start and
registered, so the server never runs without one. The header is compared in constant time;
anything else gets 403 and is not looked at. The server listens on ``telegram.webhook.listen``
(127.0.0.1 by default: a reverse proxy in front terminates TLS, see README).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any
from urllib.parse import urlparse

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import Config
from bot.redaction import REDACTOR

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are small; a file's content never comes in an update.
MAX_BODY = 1024 * 1024


def new_secret() -> str:
    """A random secret in the alphabet Telegram allows (A-Z a-z 0-9 _ -), 43 characters."""
    return secrets.token_urlsafe(32)


def receiver(application: AnyApplication, path: str, secret: str) -> web.Application:
    """The aiohttp application that queues every update that carries the secret."""
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("webhook: refused a request without the right secret header")
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400)
        await application.update_queue.put(update)
        return web.Response()

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post("/" + path.lstrip("/"), receive)
    return app


class WebhookServer:
    """Starts the bot in webhook mode (registering the webhook) and stops it."""

    def __init__(self, application: AnyApplication, config: Config) -> None:
        self.application = application
        self.config = config
        self.secret = config.telegram.webhook.secret_token or new_secret()
        REDACTOR.add(self.secret)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Initialise the bot, register the webhook with its secret, serve, start handling."""
        app = self.application
        hook = self.config.telegram.webhook
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.bot.set_webhook(
            hook.url, secret_token=self.secret, allowed_updates=Update.ALL_TYPES
        )
        self._runner = web.AppRunner(
            receiver(app, urlparse(hook.url).path, self.secret), access_log=None
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, hook.listen, hook.port).start()
        await app.start()

    async def stop(self) -> None:
        """Stop serving and handling, then shut the bot down."""
        app = self.application
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
