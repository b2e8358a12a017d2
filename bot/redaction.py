"""Secrets never leave: the bot token and the webhook secret are cut out of what is written.

:data:`REDACTOR` holds this process's secrets (the configured token and webhook secret are
added at start) and also cuts anything shaped like a bot token. It is applied to every log
record (:mod:`bot.logs`), and with :func:`without_urls` to error texts that are stored or
shown to admins (a Bot API URL carries the token).
"""

from __future__ import annotations

import re
from urllib.parse import quote

# A bot token: the bot's id, a colon, 30-odd characters (BotFather's tokens have 35).
_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")
REDACTED = "[redacted]"
# Shorter "secrets" would cut ordinary words out of the log.
_SHORTEST = 8


class Redactor:
    """Replaces known secrets, and anything that looks like a bot token, by ``[redacted]``."""

    def __init__(self) -> None:
        self._secrets: list[str] = []

    def add(self, *secrets: str) -> None:
        """Redact these from now on (as written, and as they appear percent-encoded in URLs)."""
        for secret in secrets:
            if len(secret) < _SHORTEST:
                continue
            for form in (secret, quote(secret, safe="")):
                if form not in self._secrets:
                    self._secrets.append(form)
        self._secrets.sort(key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """The text without any secret."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return _TOKEN.sub(REDACTED, text)


REDACTOR = Redactor()


def without_urls(text: str) -> str:
    """An error text fit to store or show: no secret, and no URL (which may hold one)."""
    return _URL.sub("[url]", REDACTOR(text))
