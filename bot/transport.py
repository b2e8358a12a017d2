"""A Bot API transport on aiohttp: PTB's ``BaseRequest`` contract, with less CPU per request.

It sends what PTB's ``HTTPXRequest`` sends (a url-encoded form, or multipart when a file is
uploaded) and raises the same errors: ``TimedOut`` for timeouts, ``NetworkError`` for other
transport failures, each chained to the aiohttp exception (``__cause__``) so that
``bot.announcements.delivery.classify`` can tell a request that never left from one that may
have reached the Bot API.
"""

from __future__ import annotations

import asyncio

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.redaction import without_urls


class PoolTimeout(TimeoutError):
    """No pooled connection became free within the pool timeout: nothing was sent."""


# The errors after which the request certainly never reached the Bot API: no connection could
# be made, or none became free in the pool in time.
NEVER_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError, PoolTimeout)


class AiohttpRequest(BaseRequest):
    """PTB's transport over one aiohttp ``ClientSession`` with a bounded connection pool.

    Timeouts (seconds, None for no limit) mean what they mean for ``HTTPXRequest``. The pool
    is counted here, with a semaphore, because aiohttp would count the wait for a free
    connection inside its connect timeout. aiohttp has no per-write timeout: instead the
    whole request is bounded by connect + write + read, so a multi-megabyte upload or
    download on a slow link can time out where httpx (per-operation limits) would not.
    """

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_slots",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._slots = asyncio.Semaphore(connection_pool_size)

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout; PTB adds the long-poll timeout to it for getUpdates."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (it must be created inside the running event loop)."""
        if self._session is None or self._session.closed:
            self._slots = asyncio.Semaphore(self._pool_size)  # bound to this event loop
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        """Close the session and its pooled connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; the status code and the raw body of the answer."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None

        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        if isinstance(write_timeout, DefaultValue):
            write = self._media_write_timeout if files else self._write_timeout
        else:
            write = write_timeout
        timeout = aiohttp.ClientTimeout(
            total=_sum_or_none(connect, write, read),
            connect=connect,
            sock_connect=connect,
            sock_read=read,
        )

        try:
            async with asyncio.timeout(pool):
                await self._slots.acquire()
        except TimeoutError as err:
            raise TimedOut(
                message=(
                    "Pool timeout: All connections in the connection pool are occupied. "
                    "Request was *not* sent to Telegram. Consider adjusting the connection "
                    "pool size or the pool timeout."
                )
            ) from PoolTimeout(str(err))
        try:
            async with self._session.request(
                method, url, data=_body(fields, files), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:
            raise TimedOut(message="Connect timeout: Request was *not* sent to Telegram.") from err
        except TimeoutError as err:  # a read timeout, or the whole request took too long
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # aiohttp's texts may hold the request URL, and with it the token.
            text = without_urls(str(err))
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {text}") from err
        finally:
            self._slots.release()


def _body(
    fields: dict[str, str] | None, files: dict[str, tuple] | None
) -> dict[str, str] | aiohttp.FormData | None:
    """The parameters as a url-encoded form, or multipart with the files (as HTTPXRequest)."""
    if not files:
        return fields
    # Names unquoted (raw UTF-8, quotes escaped), as httpx writes them.
    form = aiohttp.FormData(quote_fields=False, default_to_multipart=True)
    for name, value in (fields or {}).items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form


def _sum_or_none(*parts: float | None) -> float | None:
    """The sum of the limits, or None (no limit) when any of them is unlimited."""
    return None if any(part is None for part in parts) else sum(parts)  # type: ignore[arg-type]
