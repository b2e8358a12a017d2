"""PTB's AIORateLimiter, except that the broadcast sender handles 429s itself.

``AIORateLimiter`` retries a 429 inside the request, so the caller never learns of it: the
broadcast's own pacer would then release a burst after the pause, and the delivery record
could not tell a retried send from a fresh one. Requests made with
``rate_limit_args=SENDER_HANDLES_RETRY_AFTER`` still go through the overall limiter but get
``RetryAfter`` raised at once; every other request (replies to users) keeps the retries.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

SENDER_HANDLES_RETRY_AFTER = -1


class _PassedThrough(Exception):
    """Carries a RetryAfter past AIORateLimiter's own retry loop."""

    def __init__(self, error: RetryAfter) -> None:
        super().__init__(str(error))
        self.error = error


class RateLimiter(AIORateLimiter):
    """Overall and per-group limits for everything; 429 retries only for non-broadcast calls."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if rate_limit_args != SENDER_HANDLES_RETRY_AFTER:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        async def once(*call_args: Any, **call_kwargs: Any) -> Any:
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter as error:
                raise _PassedThrough(error) from error

        try:
            return await super().process_request(once, args, kwargs, endpoint, data, None)
        except _PassedThrough as passed:
            raise passed.error from None
