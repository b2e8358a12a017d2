"""The Bot API emulator driven by the real python-telegram-bot, as HoiBot will drive it."""

import ast
import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommandScopeChat,
    ChatMemberAdministrator,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

import emulator as emulator_package
from emulator import BotApiEmulator, Document
from emulator.client import command_entities

# PTB 22 warns that RetryAfter.retry_after will become a timedelta; retry_seconds handles both.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    """PTB's Bot pointed at the emulator."""
    async with Bot(
        emulator.token, base_url=emulator.base_url
    ) as ptb_bot:
        yield ptb_bot


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row of callback buttons."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])


def retry_seconds(error: RetryAfter) -> float:
    """RetryAfter.retry_after in seconds, whichever type this PTB version returns."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


# -- the bot and the transport ------------------------------------------------------------------


async def test_get_me_answers_as_the_configured_bot(emulator: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "hoibot_test_bot", True)
    assert emulator.calls[0].method == "getMe"


async def test_wrong_token_is_refused_as_invalid(emulator: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=emulator.base_url):
            pass


async def test_raw_http_get_json_body_case_and_unknown_method(emulator: BotApiEmulator) -> None:
    user = emulator.user(1, "Lan")
    api = f"{emulator.base_url}{emulator.token}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{api}/GETME") as response:
            assert (await response.json())["result"]["username"] == "hoibot_test_bot"
        async with http.get(f"{api}/sendMessage?chat_id=1&text=qua+query") as response:
            assert (await response.json())["ok"] is True
        body = {
            "chat_id": 1,
            "text": "qua JSON",
            "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        }
        async with http.post(f"{api}/sendmessage", json=body) as response:
            assert (await response.json())["result"]["reply_markup"] == body["reply_markup"]
        async with http.post(f"{api}/noSuchMethod") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with http.post(f"{emulator.base_url}1:BAD/getMe") as response:
            assert response.status == 401
    assert [m.text for m in user.messages] == ["qua query", "qua JSON"]
    assert user.messages[1].button_texts == ["A"]


async def test_calls_are_recorded_with_decoded_parameters(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    emulator.user(1)
    await bot.send_message(1, "Chào", reply_markup=keyboard(("Có", "yes")))
    call = emulator.calls_to("sendMessage")[0]
    method, params, when = call
    assert method == "sendMessage"
    assert params["chat_id"] == 1  # PTB sends "1" in a form field; Telegram reads an integer
    assert params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    assert emulator.calls[0].time <= when <= time.monotonic()


# -- sending and reading -----------------------------------------------------------------------


async def test_html_message_reaches_the_user_with_plain_text_and_entities(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(42, "Lan")
    sent = await bot.send_message(
        42, "📚 <b>Chào mừng</b> &amp; hẹn gặp", parse_mode="HTML", disable_notification=True
    )
    seen = await user.next_message()
    assert seen.text == sent.text == "📚 Chào mừng & hẹn gặp"
    assert seen.html == "📚 <b>Chào mừng</b> &amp; hẹn gặp"
    assert seen.entities == [{"type": "bold", "offset": 3, "length": 9}]
    assert sent.entities[0].offset == 3  # UTF-16: the emoji counts twice
    assert sent.from_user.id == emulator.bot_user["id"] and sent.chat.first_name == "Lan"
    assert seen.params["disable_notification"] is True
    second = await bot.send_message(42, "Tin thứ hai")
    assert second.message_id == sent.message_id + 1


async def test_next_message_hands_out_each_message_once_in_order(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(1)
    for text in ("một", "hai", "ba"):
        await bot.send_message(1, text)
    assert [(await user.next_message()).text for _ in range(3)] == ["một", "hai", "ba"]
    with pytest.raises(TimeoutError, match="no new message"):
        await user.next_message(timeout=0.05)


async def test_replies_need_an_existing_message(emulator: BotApiEmulator, bot: Bot) -> None:
    user = emulator.user(1)
    question = await user.send("Khi nào họp?")
    reply = await bot.send_message(1, "Thứ bảy", reply_to_message_id=question["message_id"])
    assert reply.reply_to_message.text == "Khi nào họp?"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(1, "?", reply_to_message_id=999)


async def test_unknown_chat_is_a_bad_request(emulator: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "Xin chào")


async def test_bulk_users_receive_one_message_each(emulator: BotApiEmulator) -> None:
    users = emulator.add_users(300, start_id=5000)
    request = HTTPXRequest(connection_pool_size=8)
    async with Bot(emulator.token, base_url=emulator.base_url, request=request) as ptb_bot:
        await asyncio.gather(*(ptb_bot.send_message(u.id, "Thông báo họp") for u in users))
    counts = emulator.delivery_counts()
    assert len(counts) == 300 and set(counts.values()) == {1}
    assert emulator.delivered(5000) == 1 and emulator.delivered(1) == 0


# -- Telegram's validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<b>Chưa đóng", "can't find end tag corresponding to start tag"),
        ("Giá < 100.000đ", 'unsupported start tag ""'),
        ("<div>khối</div>", 'unsupported start tag "div"'),
        ("<b>a</i>", "unmatched end tag"),
        ("Hỏi & đáp", 'character "&"'),
        ("<b> </b>", "message text is empty"),
        ("   \n ", "message text is empty"),
    ],
)
async def test_bad_html_surfaces_as_bad_request(
    emulator: BotApiEmulator, bot: Bot, text: str, fragment: str
) -> None:
    user = emulator.user(1)
    with pytest.raises(BadRequest) as error:
        await bot.send_message(1, text, parse_mode="HTML")
    assert fragment in error.value.message.lower()
    assert user.messages == []


async def test_bare_ampersand_is_accepted_when_strict_html_is_off() -> None:
    async with BotApiEmulator(strict_html=False) as emu:
        user = emu.user(1)
        async with Bot(emu.token, base_url=emu.base_url) as ptb_bot:
            await ptb_bot.send_message(1, "Hỏi & đáp", parse_mode="HTML")
        assert user.messages[0].text == "Hỏi & đáp"


async def test_only_html_and_plain_text_are_emulated(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.user(1)
    with pytest.raises(BadRequest, match=r"(?i)unsupported parse_mode 'markdownv2'"):
        await bot.send_message(1, "*Phiên bản* 1\\.0", parse_mode="MarkdownV2")
    sent = await bot.send_message(1, "*Phiên bản* 1.0", parse_mode=None)
    assert sent.text == "*Phiên bản* 1.0" and sent.entities == ()


async def test_text_and_caption_limits_count_utf16_units(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    emulator.user(1)
    await bot.send_message(1, "a" * 4096)
    await bot.send_message(1, "📚" * 2048)  # 4096 UTF-16 units
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "📚" * 2049)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "<b>" + "ư" * 4097 + "</b>", parse_mode="HTML")
    await bot.send_message(1, "<b>" + "ư" * 4096 + "</b>", parse_mode="HTML")  # tags don't count
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_document(1, b"x", filename="a.txt", caption="c" * 1025)


async def test_callback_data_is_limited_to_64_bytes_not_characters(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    emulator.user(1)
    vietnamese = "xác nhận đăng ký hội viên Thư viện Hà Nội, chi hội Đống Đa"
    assert len(vietnamese) <= 64 < len(vietnamese.encode())
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(1, "Chọn", reply_markup=keyboard(("Đăng ký", vietnamese)))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(1, "Chọn", reply_markup=keyboard(("Đăng ký", "x" * 65)))
    await bot.send_message(1, "Chọn", reply_markup=keyboard(("Đăng ký", "x" * 64)))


async def test_buttons_need_exactly_one_action(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.user(1)
    nothing = InlineKeyboardMarkup([[InlineKeyboardButton("Trống")]])
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(1, "Chọn", reply_markup=nothing)
    both = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Hai", callback_data="a", url="https://vla.org.vn")]]
    )
    with pytest.raises(BadRequest, match=r"(?i)more than one action"):
        await bot.send_message(1, "Chọn", reply_markup=both)


# -- updates: polling, offsets, long polls ---------------------------------------------------


async def test_offset_confirms_updates_and_drops_them(emulator: BotApiEmulator, bot: Bot) -> None:
    user = emulator.user(1)
    for text in ("a", "b", "c"):
        await user.send(text)
    first = await bot.get_updates()
    assert [u.message.text for u in first] == ["a", "b", "c"]
    assert len(await bot.get_updates()) == 3  # not confirmed yet: delivered again
    assert len(await bot.get_updates(offset=first[1].update_id + 1)) == 1
    assert await bot.get_updates(offset=first[2].update_id + 1) == ()
    assert emulator.pending_updates == []
    await user.send("d")
    assert [u.message.text for u in await bot.get_updates(limit=1)] == ["d"]


async def test_long_poll_returns_as_soon_as_a_user_writes(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(1)
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await emulator.wait_until(lambda: emulator.long_polling)
    assert not poll.done() and emulator.quiet  # a waiting long poll is no pending request
    began = time.monotonic()
    await user.send("Có ai không?")
    updates = await asyncio.wait_for(poll, 5)
    assert time.monotonic() - began < 5  # at once, not at the poll's 10-second timeout
    assert updates[0].message.text == "Có ai không?"


async def test_quiet_once_every_update_is_confirmed_and_no_request_is_answered(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(1)
    assert emulator.quiet
    await user.send("Xin chào")
    assert not emulator.quiet  # queued, not fetched
    [update] = await bot.get_updates()
    assert not emulator.quiet  # fetched, not confirmed: the bot may not have it yet
    emulator.fail("sendMessage", "timeout", hold=0.3)
    sending = asyncio.create_task(bot.send_message(1, "Chào", read_timeout=5))
    await bot.get_updates(offset=update.update_id + 1)
    await emulator.wait_until(lambda: emulator.calls_to("sendMessage"))
    assert not emulator.quiet  # a request is being answered
    with pytest.raises(NetworkError):
        await sending
    assert emulator.quiet


async def test_long_poll_without_updates_waits_for_its_timeout(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    began = time.monotonic()
    assert await bot.get_updates(timeout=0.3) == ()
    assert time.monotonic() - began >= 0.25


async def test_second_poller_terminates_the_first_with_conflict(emulator: BotApiEmulator) -> None:
    async with (
        Bot(emulator.token, base_url=emulator.base_url) as first,
        Bot(emulator.token, base_url=emulator.base_url) as second,
    ):
        waiting = asyncio.create_task(first.get_updates(timeout=5))
        await emulator.wait_until(lambda: emulator.long_polling)
        other = asyncio.create_task(second.get_updates(timeout=0.2))
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await asyncio.wait_for(waiting, 2)
        assert await other == ()


async def test_webhook_blocks_polling_until_deleted(emulator: BotApiEmulator, bot: Bot) -> None:
    await bot.set_webhook("https://hoibot.example/hook", secret_token="s3cret_token")
    assert (await bot.get_webhook_info()).url == "https://hoibot.example/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    user = emulator.user(1)
    await user.send("xin chào")
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()
    with pytest.raises(BadRequest):
        await bot.set_webhook("https://hoibot.example/hook", secret_token="có dấu")


async def test_allowed_updates_filters_updates_created_afterwards(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    group = emulator.group(-100200, "Hội viên")
    await emulator.user(1).request_join(group)
    [request] = await bot.get_updates()
    await bot.approve_chat_join_request(group.id, 1)
    # chat_member (the approved user joining) is off by default, as in Telegram
    assert await bot.get_updates(offset=request.update_id + 1) == ()
    await bot.get_updates(allowed_updates=Update.ALL_TYPES)
    await emulator.user(2).request_join(group)
    await bot.approve_chat_join_request(group.id, 2)
    updates = await bot.get_updates()
    assert [u.chat_member.new_chat_member.user.id for u in updates if u.chat_member] == [2]


async def test_injected_update_gets_the_next_id(emulator: BotApiEmulator, bot: Bot) -> None:
    user = emulator.user(1)
    await user.send("trước")
    raw = await emulator.inject_update(
        {
            "message": {
                "message_id": 99,
                "date": 0,
                "chat": {"id": 1, "type": "private"},
                "text": "x",
            }
        }
    )
    updates = await bot.get_updates()
    assert raw["update_id"] == updates[0].update_id + 1 == updates[1].update_id


def test_commands_get_bot_command_entities_like_telegram() -> None:
    assert command_entities("/start join") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("/start@hoibot_test_bot") == [
        {"type": "bot_command", "offset": 0, "length": 22}
    ]
    assert command_entities("📚 xem /hoi") == [{"type": "bot_command", "offset": 7, "length": 4}]
    assert command_entities("a/b và 1/2") == []


# -- buttons, edits, deletions ------------------------------------------------------------------


async def test_press_queues_a_callback_query_the_bot_must_answer(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(1, "Lan")
    await bot.send_message(1, "Xác nhận?", reply_markup=keyboard(("Có", "yes"), ("Không", "no")))
    message = await user.next_message()
    first = await user.press(message, "Có")
    second = await user.press(message, (0, 1))
    updates = await bot.get_updates()
    queries = [u.callback_query for u in updates]
    assert [(q.id, q.data, q.from_user.id) for q in queries] == [
        (first, "yes", 1),
        (second, "no", 1),
    ]
    assert queries[0].message.text == "Xác nhận?"
    assert emulator.unanswered_callbacks == [first, second]
    await queries[0].answer("Đã ghi nhận")
    assert emulator.callback_answers[first]["text"] == "Đã ghi nhận"
    assert emulator.unanswered_callbacks == [second]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await queries[0].answer()  # a press is answered once
    with pytest.raises(LookupError):
        await user.press(message, "Có lẽ")
    with pytest.raises(PermissionError):
        await emulator.user(2).press(message, "Có")


async def test_edits_are_observed_and_identical_edits_refused(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(1)
    sent = await bot.send_message(
        1, "Đơn: <i>đang chờ</i>", parse_mode="HTML", reply_markup=keyboard(("Duyệt", "ok"))
    )
    seen = await user.next_message()

    async def approve() -> None:
        await bot.edit_message_text(
            "Đơn: <b>đã duyệt</b>", chat_id=1, message_id=sent.message_id, parse_mode="HTML"
        )

    waiter = asyncio.create_task(user.wait_for(lambda m: "đã duyệt" in m.text))
    await approve()
    edited = await waiter
    assert edited is seen and seen.edited and seen.edit_count == 1
    assert seen.entities == [{"type": "bold", "offset": 5, "length": 8}]
    assert seen.buttons == []  # editing text without reply_markup removes the keyboard
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await approve()
    await bot.edit_message_reply_markup(1, sent.message_id, reply_markup=keyboard(("Xem", "v")))
    assert seen.button_texts == ["Xem"] and seen.edit_count == 2
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=1, message_id=999)


async def test_next_change_hands_out_new_and_edited_messages_once_each(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(1)
    first = await bot.send_message(1, "một")
    await bot.send_message(1, "hai")
    gone = await bot.send_message(1, "ba")
    await bot.delete_message(1, gone.message_id)
    assert [(await user.next_change()).text for _ in range(2)] == ["một", "hai"]
    assert user.poll_change() is None  # the deleted one is skipped
    await bot.edit_message_text("một (sửa)", chat_id=1, message_id=first.message_id)
    await bot.edit_message_text("một (sửa lại)", chat_id=1, message_id=first.message_id)
    await bot.send_message(1, "bốn")
    edited = await user.next_change()
    assert (edited.text, edited.edit_count) == ("một (sửa lại)", 2)  # two edits, shown once
    assert (await user.next_change()).text == "bốn"
    assert user.poll_change() is None
    with pytest.raises(TimeoutError, match="nothing new or edited"):
        await user.next_change(timeout=0.05)


async def test_deleted_messages_disappear(emulator: BotApiEmulator, bot: Bot) -> None:
    user = emulator.user(1)
    keep = await bot.send_message(1, "giữ")
    drop = await bot.send_message(1, "xoá")
    assert await bot.delete_message(1, drop.message_id)
    assert [m.text for m in user.messages] == ["giữ"]
    assert user.delivered == 2 and user.last_message.message_id == keep.message_id
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(1, drop.message_id)


# -- files -------------------------------------------------------------------------------------


async def test_document_upload_keeps_name_bytes_caption_and_type(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user, other = emulator.user(1), emulator.user(2)
    pdf = b"%PDF-1.4 dieu le"
    sent = await bot.send_document(
        1, pdf, filename="Điều lệ Hội.pdf", caption="<b>Điều lệ</b> Hội", parse_mode="HTML"
    )
    seen = user.messages[0]
    assert seen.document == Document("Điều lệ Hội.pdf", pdf, "Điều lệ Hội", "application/pdf")
    assert seen.text == "Điều lệ Hội"
    assert sent.document.file_size == len(pdf) and sent.caption_entities[0].type == "bold"
    await bot.edit_message_caption(1, sent.message_id, caption="Điều lệ (sửa đổi 2025)")
    assert seen.document.caption == seen.text == "Điều lệ (sửa đổi 2025)" and seen.edited
    await bot.send_document(2, sent.document.file_id)  # re-sent by file_id, as bots do
    assert other.messages[0].document.content == pdf
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(2, "no-such-file-id")


async def test_files_a_user_sends_reach_the_bot_as_telegram_objects(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(1)
    await user.send_document("don-xin-gia-nhap.docx", b"PK\x03\x04 don", caption="Đơn của tôi")
    await user.send_photo(caption="Ảnh thẻ")
    await user.send_sticker()
    updates = await bot.get_updates()
    document = updates[0].message.document
    assert document.file_name == "don-xin-gia-nhap.docx" and document.file_size == 8
    assert updates[1].message.photo[-1].width == 800 and updates[1].message.caption == "Ảnh thẻ"
    assert updates[2].message.sticker.emoji == "👍"


# -- users who cannot be reached ---------------------------------------------------------------


async def test_blocked_user_is_forbidden_and_blocking_is_announced(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(3)
    await user.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(3, "Nhắc hội phí")
    [update] = await bot.get_updates()
    assert update.my_chat_member.new_chat_member.status == "kicked"
    assert update.my_chat_member.from_user.id == 3
    await user.unblock_bot()
    await bot.send_message(3, "Chào mừng trở lại")
    assert [m.text for m in user.messages] == ["Chào mừng trở lại"]


async def test_deactivated_user_is_forbidden(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.user(4).deactivate()
    with pytest.raises(Forbidden, match="user is deactivated"):
        await bot.send_message(4, "Nhắc hội phí")


async def test_bot_removed_from_group_is_forbidden(emulator: BotApiEmulator, bot: Bot) -> None:
    group = emulator.group(-100300, "Chi hội")
    admin = emulator.user(1)
    group.add_member(admin, "creator")
    await group.remove_bot(by=admin)
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(group.id, "Thông báo")


# -- groups, members, invite links, join requests ---------------------------------------------


async def test_chat_and_members_parse_as_ptb_objects(emulator: BotApiEmulator, bot: Bot) -> None:
    group = emulator.group(-100400, "Ban chấp hành")
    chair = emulator.user(1, "Chủ tịch")
    group.add_member(chair, "creator")
    emulator.user(2)
    assert (await bot.get_chat(group.id)).title == "Ban chấp hành"
    assert (await bot.get_chat_member(group.id, 1)).status == "creator"
    assert (await bot.get_chat_member(group.id, 2)).status == "left"
    me = await bot.get_chat_member(group.id, emulator.bot_user["id"])
    assert isinstance(me, ChatMemberAdministrator) and me.can_invite_users
    with pytest.raises(BadRequest, match=r"(?i)user not found"):
        await bot.get_chat_member(group.id, 777)
    await bot.ban_chat_member(group.id, 2)
    assert group.member_status(emulator.user(2)) == "kicked"


async def test_invite_links_are_checked_and_kept_per_group(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    group = emulator.group(-100500, "Hội viên")
    single = await bot.create_chat_invite_link(group.id, member_limit=1, name="Đơn số 17")
    assert single.invite_link.startswith("https://t.me/+") and single.member_limit == 1
    assert single.name == "Đơn số 17" and single.creator.id == emulator.bot_user["id"]
    with pytest.raises(BadRequest, match=r"(?i)member limit can't be specified"):
        await bot.create_chat_invite_link(group.id, member_limit=1, creates_join_request=True)
    with pytest.raises(BadRequest, match=r"(?i)expire_date_invalid"):
        await bot.create_chat_invite_link(
            group.id, expire_date=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        )
    assert [link["invite_link"] for link in group.invite_links] == [single.invite_link]


async def test_join_request_opens_a_short_window_and_is_decided_once(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    group = emulator.group(-100600, "Hội viên")
    applicant = emulator.user(5, "Minh", started=False)
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(5, "Chào")
    await applicant.request_join(group, bio="Thủ thư")
    [update] = await bot.get_updates()
    request = update.chat_join_request
    assert (request.from_user.id, request.user_chat_id, request.bio) == (5, 5, "Thủ thư")
    await bot.send_message(request.user_chat_id, "Vui lòng điền đơn")  # allowed: request pending
    assert emulator.join_request_state(group.id, 5) == "pending"
    await bot.approve_chat_join_request(group.id, 5)
    assert emulator.join_request_state(group.id, 5) == "approved"
    assert group.member_status(applicant) == "member"
    with pytest.raises(Forbidden):
        await bot.send_message(5, "Chào mừng")  # the window closed and Minh never started the bot
    with pytest.raises(BadRequest, match=r"(?i)hide_requester_missing"):
        await bot.decline_chat_join_request(group.id, 5)
    other = emulator.user(6)
    await other.request_join(group)
    await bot.decline_chat_join_request(group.id, 6)
    assert group.join_request_state(other) == "declined"


async def test_command_lists_are_checked_per_scope_and_language(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    admins = emulator.group(-100700, "Ban chấp hành")
    await bot.set_my_commands([("start", "Bắt đầu"), ("hoi", "Hỏi đáp")], language_code="vi")
    await bot.set_my_commands([("duyet", "Duyệt đơn")], scope=BotCommandScopeChat(admins.id))
    calls = emulator.calls_to("setMyCommands")
    assert [c.params.get("language_code") for c in calls] == ["vi", None]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Start", "Bắt đầu")])
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands([("start", "Bắt đầu")], scope=BotCommandScopeChat(424242))


# -- faults -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("429", RetryAfter),
        ("403", Forbidden),
        ("400", BadRequest),
        ("500", NetworkError),
        ("502", NetworkError),
    ],
)
async def test_injected_fault_surfaces_once_as_the_ptb_error(
    emulator: BotApiEmulator, bot: Bot, kind: str, error: type[Exception]
) -> None:
    user = emulator.user(1)
    emulator.fail("sendMessage", kind, retry_after=7)
    with pytest.raises(error) as caught:
        await bot.send_message(1, "lần một")
    assert type(caught.value) is error
    if kind == "429":
        assert retry_seconds(caught.value) == 7
    await bot.send_message(1, "lần hai")
    assert [m.text for m in user.messages] == ["lần hai"]
    assert len(emulator.calls_to("sendMessage")) == 2


async def test_fault_can_target_one_chat_for_good(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.user(1), emulator.user(2)
    emulator.fail("sendMessage", "403", chat_id=2, times=None)
    await bot.send_message(1, "ok")
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(2, "không tới")
    emulator.clear_faults()
    await bot.send_message(2, "giờ thì tới")


@pytest.mark.parametrize("delivered", [True, False])
async def test_timed_out_send_may_or_may_not_have_arrived(
    emulator: BotApiEmulator, bot: Bot, delivered: bool
) -> None:
    user = emulator.user(1)
    emulator.fail("sendMessage", "timeout", delivered=delivered)
    with pytest.raises(TimedOut):
        await bot.send_message(1, "Thông báo họp", read_timeout=0.2)
    assert [m.text for m in user.messages] == (["Thông báo họp"] if delivered else [])


async def test_wait_until_gives_up_after_its_timeout(emulator: BotApiEmulator) -> None:
    with pytest.raises(TimeoutError):
        await emulator.wait_until(lambda: False, timeout=0.05)


# -- the whole loop: a PTB Application polling the emulator ------------------------------------


async def test_application_replies_with_buttons_and_answers_presses(
    emulator: BotApiEmulator,
) -> None:
    arguments: list[list[str]] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        arguments.append(list(context.args or []))
        await update.effective_message.reply_html(
            "<b>Chào</b> bạn", reply_markup=keyboard(("Đăng ký", "join"))
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer("Đã nhận")
        await query.edit_message_text(f"Bạn chọn: {query.data}")

    app = ApplicationBuilder().token(emulator.token).base_url(emulator.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        user = emulator.user(7, "Lan")
        await user.send("/start join")
        welcome = await user.next_message()
        assert (welcome.text, welcome.button_texts) == ("Chào bạn", ["Đăng ký"])
        query_id = await user.press(welcome, "Đăng ký")
        assert (await emulator.wait_for_answer(query_id))["text"] == "Đã nhận"
        edited = await user.wait_for(lambda m: m.edited)
        assert edited.text == "Bạn chọn: join" and edited.buttons == []
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert arguments == [["join"]]
    assert emulator.unanswered_callbacks == []


def test_the_emulator_knows_nothing_of_the_bot() -> None:
    """It stands in for Telegram's servers: no import of the bot, its handlers or PTB."""
    package = Path(emulator_package.__file__).parent
    imported: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    assert imported & {"bot", "handlers", "telegram"} == set()
