"""PTB's own transport (``HTTPXRequest``, as the application factory configures it) against the
emulator: what arrives, and how each kind of failure is classified for exactly-once delivery."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.announcements.delivery import Verdict
from bot.tg.announcements.delivery import classify
from bot.tg.app import bot_api_request
from emulator import BotApiEmulator, Document

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def transport_bot(emulator: BotApiEmulator, request: HTTPXRequest | None = None) -> Bot:
    return Bot(
        emulator.token,
        base_url=emulator.base_url,
        base_file_url=emulator.base_file_url,
        request=request or bot_api_request(),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
    )


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    """PTB's Bot pointed at the emulator through the bot's transport."""
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


async def test_a_broadcast_and_every_running_handler_fit_in_the_pool_at_once(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    users = emulator.add_users(70)
    await asyncio.gather(*(bot.send_message(u.id, "tin", pool_timeout=0.5) for u in users))
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
    request = bot_api_request()
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
    request = HTTPXRequest(connection_pool_size=1, pool_timeout=0.2, read_timeout=5)
    async with transport_bot(emulator, request) as bot:
        held = asyncio.create_task(bot.send_message(1, "giữ kết nối"))
        await emulator.wait_until(lambda: bool(emulator.calls_to("sendMessage")), timeout=5)
        with pytest.raises(TimedOut) as caught:
            await bot.get_me()
        held.cancel()
    assert "not* sent" in str(caught.value)
    assert classify(caught.value).verdict is Verdict.RETRY
