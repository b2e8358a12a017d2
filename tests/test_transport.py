"""The aiohttp transport: a real PTB Bot over AiohttpRequest against the emulator."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.announcements.delivery import Verdict, classify
from bot.transport import AiohttpRequest
from emulator import BotApiEmulator, Document

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def transport_bot(emulator: BotApiEmulator, **timeouts: float) -> Bot:
    return Bot(
        emulator.token,
        base_url=emulator.base_url,
        request=AiohttpRequest(connection_pool_size=8, **timeouts),
        get_updates_request=AiohttpRequest(connection_pool_size=1, **timeouts),
    )


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    """PTB's Bot pointed at the emulator through AiohttpRequest."""
    async with transport_bot(emulator) as ptb_bot:
        yield ptb_bot


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_messages_arrive_with_html_and_vietnamese_text(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(1)
    sent = await bot.send_message(1, "<b>Họp</b> thường niên &amp; tập huấn", parse_mode="HTML")
    assert user.messages[0].text == "Họp thường niên & tập huấn"
    assert sent.entities[0].type == "bold"
    assert emulator.calls_to("sendMessage")[0].params["chat_id"] in (1, "1")


async def test_many_concurrent_sends_each_arrive_once(emulator: BotApiEmulator, bot: Bot) -> None:
    users = emulator.add_users(50)
    await asyncio.gather(*(bot.send_message(u.id, "tin") for u in users))
    assert all(len(u.messages) == 1 for u in users)


async def test_document_upload_keeps_name_bytes_caption_and_type(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(1)
    pdf = b"%PDF-1.4 dieu le"
    sent = await bot.send_document(
        1, pdf, filename="Điều lệ Hội.pdf", caption="<b>Điều lệ</b> Hội", parse_mode="HTML"
    )
    assert user.messages[0].document == Document(
        "Điều lệ Hội.pdf", pdf, "Điều lệ Hội", "application/pdf"
    )
    assert sent.document.file_size == len(pdf) and sent.caption_entities[0].type == "bold"


async def test_long_poll_waits_beyond_the_read_timeout_and_returns_on_a_message(
    emulator: BotApiEmulator,
) -> None:
    async with transport_bot(emulator, read_timeout=0.5) as bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=1) == ()
        assert time.monotonic() - started >= 0.9
        user = emulator.user(1)
        poll = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.sleep(0.2)
        await user.send("xin chào")
        updates = await asyncio.wait_for(poll, timeout=5)
        assert updates[0].message.text == "xin chào"


async def test_a_read_timeout_is_timed_out_and_ambiguous(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    emulator.user(1)
    emulator.fail("sendMessage", "timeout", hold=2)
    with pytest.raises(TimedOut) as caught:
        await bot.send_message(1, "Thông báo họp", read_timeout=0.2)
    assert classify(caught.value).verdict is Verdict.UNKNOWN


@pytest.mark.parametrize(
    ("kind", "error"), [("429", RetryAfter), ("403", Forbidden), ("400", BadRequest)]
)
async def test_injected_fault_surfaces_as_the_ptb_error(
    emulator: BotApiEmulator, bot: Bot, kind: str, error: type[Exception]
) -> None:
    user = emulator.user(1)
    emulator.fail("sendMessage", kind, retry_after=7)
    with pytest.raises(error) as caught:
        await bot.send_message(1, "lần một")
    assert type(caught.value) is error
    await bot.send_message(1, "lần hai")
    assert [m.text for m in user.messages] == ["lần hai"]


@pytest.mark.parametrize("kind", ["500", "502"])
async def test_server_errors_are_network_errors_safe_to_retry(
    emulator: BotApiEmulator, bot: Bot, kind: str
) -> None:
    emulator.user(1)
    emulator.fail("sendMessage", kind)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(1, "tin")
    assert classify(caught.value).verdict is Verdict.RETRY


async def test_connection_refused_is_a_network_error_never_sent() -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{free_port()}/bot1:x/getMe")
    finally:
        await request.shutdown()
    assert not isinstance(caught.value, TimedOut)
    assert classify(caught.value).verdict is Verdict.RETRY


async def test_no_free_connection_in_the_pool_is_a_timeout_never_sent(
    emulator: BotApiEmulator,
) -> None:
    emulator.user(1)
    emulator.fail("sendMessage", "timeout", hold=2)
    request = AiohttpRequest(connection_pool_size=1, pool_timeout=0.2, read_timeout=5)
    async with Bot(emulator.token, base_url=emulator.base_url, request=request) as bot:
        held = asyncio.create_task(bot.send_message(1, "giữ kết nối"))
        await asyncio.sleep(0.1)
        with pytest.raises(TimedOut) as caught:
            await bot.get_me()
        held.cancel()
    assert "not* sent" in str(caught.value)
    assert classify(caught.value).verdict is Verdict.RETRY


async def test_requests_need_initialize_and_shutdown_is_repeatable() -> None:
    request = AiohttpRequest()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post("http://127.0.0.1:1/bot1:x/getMe")
    await request.initialize()
    await request.shutdown()
    await request.shutdown()
    assert request.read_timeout == 5.0
