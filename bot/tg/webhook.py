"""The webhook server: Telegram's updates in, and ``GET /healthz`` for a load balancer.

PTB's own webhook server (tornado) has no room for a second route, so HoiBot runs its own on
aiohttp, the way PTB's "custom webhook" example does: each update goes into the
application's update queue.

Anyone who finds the URL can POST an update that claims to come from an admin. Telegram sends
back, in the ``X-Telegram-Bot-Api-Secret-Token`` header, the secret given to ``setWebhook``:
without a configured ``telegram.webhook.secret_token`` a random one is made at every start and
registered, so the server never runs without one. The header is compared in constant time;
anything else gets 403 and is not looked at. The server listens on ``telegram.webhook.listen``
(127.0.0.1 by default: a reverse proxy in front terminates TLS, see README).
"""

from __future__ import annotations

import errno
import hmac
import json
import logging
import secrets
import time
from typing import Any
from urllib.parse import urlparse

from aiohttp import web
from telegram import Update
from telegram.ext import ExtBot

from bot.config import Config
from bot.ops import StartupError
from bot.redaction import REDACTOR

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
MAX_UPDATE_BYTES = 1024 * 1024


def new_secret() -> str:
    """A random secret in the alphabet Telegram allows (A-Z a-z 0-9 _ -), 43 characters."""
    return secrets.token_urlsafe(32)


def webhook_path(config: Config) -> str:
    """The path Telegram posts to: that of ``telegram.webhook.url``."""
    return "/" + urlparse(config.telegram.webhook.url).path.lstrip("/")


class WebhookServer:
    """Receives updates for one application; answers /healthz without secrets or personal data."""

    def __init__(self, application: Any, config: Config, started: float | None = None) -> None:
        self.application = application
        self.config = config
        self.started = started if started is not None else time.monotonic()
        self.secret = config.telegram.webhook.secret_token or new_secret()
        REDACTOR.add(self.secret)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen on ``telegram.webhook.listen:port``; a busy port is a :class:`StartupError`."""
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_get(HEALTH_PATH, self._health)
        app.router.add_post(webhook_path(self.config), self._update)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        hook = self.config.telegram.webhook
        try:
            await web.TCPSite(self._runner, hook.listen, hook.port).start()
        except OSError as exc:
            await self.stop()
            raise StartupError(_listen_problem(exc, hook.listen, hook.port)) from exc

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _health(self, request: web.Request) -> web.Response:
        running = bool(self.application.running)
        body = {
            "status": "ok" if running else "stopped",
            "uptime_s": int(time.monotonic() - self.started),
        }
        return web.json_response(body, status=200 if running else 503)

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret.encode()):
            log.warning("webhook: refused a request without the right secret header")
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.application.bot)
        except Exception:  # whatever was posted, it is not an update: say so, keep serving
            log.warning("the webhook received something that is not an update", exc_info=True)
            return web.Response(status=400)
        if update is not None:
            if isinstance(self.application.bot, ExtBot):
                self.application.bot.insert_callback_data(update)
            await self.application.update_queue.put(update)
        return web.Response(status=200)


def _listen_problem(exc: OSError, listen: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {listen} is already in use (another hoibot?): stop that program "
            "or set telegram.webhook.port"
        )
    if exc.errno == errno.EACCES:
        return (
            f"not allowed to listen on port {port}: use a port above 1023 behind a reverse "
            "proxy (telegram.webhook.port)"
        )
    return f"cannot listen on {listen}:{port} ({exc.strerror}): check telegram.webhook.listen"
