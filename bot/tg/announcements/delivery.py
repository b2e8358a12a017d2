"""What a failed Bot API send means for a broadcast's exactly-once delivery.

:func:`classify` reads python-telegram-bot's errors (and httpx's, beneath them) for the
Telegram-free sender of :mod:`bot.announcements.delivery`; :func:`telegram_sender` makes a
sender that uses it.
"""

from __future__ import annotations

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.announcements.delivery import (
    Classified,
    Pacer,
    Sender,
    SenderSettings,
    SendPart,
    Verdict,
)
from bot.redaction import without_urls
from bot.storage.announcements import AnnouncementRepository
from bot.tg.ratelimit import retry_after_seconds

# The transport errors (httpx, under PTB's HTTPXRequest) after which the request certainly
# never reached the Bot API.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def classify(error: BaseException) -> Classified:
    """Decide what a send's exception means for exactly-once delivery."""
    reason = without_urls(f"{type(error).__name__}: {error}")[:300]  # no URL, no token
    if isinstance(error, RetryAfter):
        return Classified(Verdict.PAUSE, reason, retry_after_seconds(error))
    if isinstance(error, Forbidden):
        return Classified(Verdict.UNREACHABLE, reason)
    if isinstance(error, InvalidToken):
        return Classified(Verdict.FATAL, reason)
    if isinstance(error, BadRequest | ChatMigrated):
        return Classified(Verdict.FAILED, reason)
    if isinstance(error, NetworkError):  # TimedOut included
        cause = error.__cause__
        if cause is None or isinstance(cause, TelegramError):
            # The Bot API answered with an error status. 500 and 502 say the request failed:
            # retry. A gateway timeout (504) is as ambiguous as our own timeout. PTB keeps only
            # the description, hence the look at the text.
            if isinstance(error, TimedOut) or _mentions_timeout(str(error)):
                return Classified(Verdict.UNKNOWN, reason)
            return Classified(Verdict.RETRY, reason)
        if isinstance(cause, _NEVER_SENT):
            return Classified(Verdict.RETRY, reason)
        return Classified(Verdict.UNKNOWN, reason)
    if isinstance(error, TelegramError):
        return Classified(Verdict.FAILED, reason)
    # Anything else (a bug, a cancelled request) may have happened after the bytes left.
    return Classified(Verdict.UNKNOWN, reason)


def _mentions_timeout(message: str) -> bool:
    lowered = message.lower()
    return "timeout" in lowered or "timed out" in lowered or "(504)" in lowered


def telegram_sender(
    repo: AnnouncementRepository,
    send: SendPart,
    settings: SenderSettings,
    *,
    pacer: Pacer | None = None,
) -> Sender:
    """A broadcast sender whose failed sends are judged by :func:`classify`."""
    return Sender(repo, send, settings, classify=classify, pacer=pacer)
