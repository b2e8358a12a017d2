"""BotApiEmulator: the emulated Telegram served over HTTP on loopback, as PTB's base_url."""

import asyncio
import json
import time
from inspect import isawaitable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from emulator.api import METHODS
from emulator.client import EmulatedGroup, EmulatedUser
from emulator.errors import ApiError
from emulator.faults import FAULT_KINDS, Fault, FaultPlan
from emulator.models import JSON, Call
from emulator.params import Upload, decode_params
from emulator.state import World

_UNAUTHORIZED = ApiError(401, "Unauthorized")
_NOT_FOUND = ApiError(404, "Not Found")
_MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's limit for files bots upload


def _json_response(body: JSON, status: int = 200) -> web.Response:
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return web.Response(body=data, status=status, content_type="application/json")


def _error_response(error: ApiError) -> web.Response:
    if error.code == 502:  # Telegram's front end answers 502 with an HTML page, not JSON
        page = "<html><head><title>502 Bad Gateway</title></head><body>502</body></html>"
        return web.Response(text=page, status=502, content_type="text/html")
    return _json_response(error.payload(), error.code)


async def _read_params(request: web.Request) -> dict[str, Any]:
    raw: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return raw
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON body") from None
        if isinstance(body, dict):
            raw.update(body)
        return raw
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            raw[name] = Upload(value.filename, value.file.read(), value.content_type)
        else:
            raw[name] = value
    return raw


class BotApiEmulator(World):
    """A local Telegram Bot API server plus the emulated users and groups that talk to the bot."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_user_id: int = 123456,
        bot_username: str = "hoibot_test_bot",
        *,
        bot_name: str = "HoiBot",
        strict_html: bool = True,
    ) -> None:
        super().__init__(token, bot_user_id, bot_username, bot_name)
        # Telegram shows a bare '&' literally; rejecting it catches unescaped user text early.
        self.strict_html = strict_html
        self.base_url = ""
        self.base_file_url = ""  # where a Bot API serves files; this emulator serves none
        self._faults = FaultPlan()
        self._views: dict[int, EmulatedUser | EmulatedGroup] = {}
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()  # set by stop(): held requests answer at once

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on host:port (0 picks a free port) and set base_url."""
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound}/bot"
        self.base_file_url = f"http://{host}:{bound}/file/bot"
        self._stopping.clear()

    async def stop(self) -> None:
        """Release held requests and long polls, then close the server."""
        self._stopping.set()
        self.release_poller()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- HTTP ---------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error_response(_UNAUTHORIZED)
        entry = METHODS.get(request.match_info["method"].lower())
        if entry is None:
            return _error_response(_NOT_FOUND)
        name, handler = entry
        try:
            params = decode_params(await _read_params(request))
        except ApiError as error:
            return _error_response(error)
        self.calls.append(Call(name, params, time.monotonic()))
        self._answering += 1
        self.notify()
        try:
            fault = self._faults.take(name, params.get("chat_id")) if self._faults else None
            if fault is not None:
                return await self._inject(fault, handler, params)
            result = handler(self, params)
            if isawaitable(result):
                result = await result
        except ApiError as error:
            return _error_response(error)
        finally:
            self._answering -= 1
            self.notify()
        return _json_response({"ok": True, "result": result})

    async def _inject(self, fault: Fault, handler: Any, params: JSON) -> web.Response:
        if fault.kind != "timeout":
            return _error_response(fault.error())
        if fault.delivered:
            try:
                result = handler(self, params)
                if isawaitable(result):
                    await result
            except ApiError:
                pass  # the bot never learns the outcome of a timed-out request
        try:
            await asyncio.wait_for(self._stopping.wait(), fault.hold)
        except TimeoutError:
            pass
        return _error_response(ApiError(504, "Gateway Timeout"))

    # -- faults --------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        kind: str,
        *,
        times: int | None = 1,
        chat_id: int | str | None = None,
        retry_after: int = 1,
        delivered: bool = False,
        hold: float = 30.0,
        description: str | None = None,
    ) -> None:
        """Make the next `times` calls of method (None: all; '*': any method) fail.

        kind: "429" (RetryAfter with retry_after), "403" (blocked), "400" (chat not found),
        "500", "502", or "timeout": no answer for `hold` seconds (or until stop), the request
        taking effect anyway when `delivered`. chat_id limits the fault to one chat.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")
        if method != "*" and method.lower() not in METHODS:
            raise ValueError(f"unknown method {method!r}")
        fault = Fault(kind, times, chat_id, retry_after, delivered, hold, description)
        self._faults.add(method, fault)

    def clear_faults(self) -> None:
        """Cancel every planned fault."""
        self._faults.clear()

    # -- emulated users and groups ------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Người dùng",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        *,
        started: bool = True,
    ) -> EmulatedUser:
        """The user with this id, created (with their private chat) on first use.

        started=False models someone who never opened the bot: sends to them fail with 403
        until they write to it (or for 5 minutes after they request to join a group).
        """
        view = self._views.get(user_id)
        if isinstance(view, EmulatedUser):
            return view
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        view = EmulatedUser(self, self.add_private_chat(user, started=started))
        self._views[user_id] = view
        return view

    def group(
        self,
        chat_id: int,
        title: str = "Nhóm",
        type: str = "supergroup",
        *,
        username: str | None = None,
        forum: bool = False,
    ) -> EmulatedGroup:
        """The group with this id (bot as administrator), created on first use; ``forum``:
        a supergroup with topics (:meth:`EmulatedGroup.create_topic`)."""
        view = self._views.get(chat_id)
        if isinstance(view, EmulatedGroup):
            return view
        view = EmulatedGroup(self, self.add_group(chat_id, title, type, username, forum=forum))
        self._views[chat_id] = view
        return view

    def add_users(
        self, count: int, start_id: int = 1_000_000, *, language_code: str = "vi"
    ) -> list[EmulatedUser]:
        """Create `count` users with consecutive ids, e.g. a broadcast's subscribers."""
        return [
            self.user(user_id, f"Hội viên {user_id}", language_code=language_code)
            for user_id in range(start_id, start_id + count)
        ]

    # -- reading state ------------------------------------------------------------------------

    async def inject_update(self, update: JSON) -> JSON:
        """Queue any raw update for the bot (update_id assigned if missing)."""
        return self.add_update(update)

    def join_request_state(self, chat_id: int, user_id: int) -> str | None:
        """'pending', 'approved' or 'declined' for a user's request to join a chat."""
        return self.resolve_chat(chat_id).join_requests.get(user_id)

    def delivered(self, chat_id: int) -> int:
        """How many messages the bot has sent into a chat."""
        chat = self.chats.get(chat_id)
        return len(chat.log) if chat is not None else 0

    def delivery_counts(self) -> dict[int, int]:
        """Messages the bot sent, per chat that got any."""
        return {chat_id: len(chat.log) for chat_id, chat in self.chats.items() if chat.log}

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls of one method, in order."""
        name = METHODS[method.lower()][0]
        return [call for call in self.calls if call.method == name]

    @property
    def unanswered_callbacks(self) -> list[str]:
        """Ids of button presses the bot has not answered."""
        return [q for q in self.callback_queries if q not in self.callback_answers]

    async def wait_for_answer(self, query_id: str, timeout: float = 5.0) -> JSON:  # noqa: ASYNC109
        """The answerCallbackQuery parameters for a press, waiting for them."""
        return await self.wait_until(
            lambda: self.callback_answers.get(query_id), timeout, what=f"an answer to {query_id}"
        )
