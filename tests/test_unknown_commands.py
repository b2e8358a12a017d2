"""A command the bot does not know is answered in private, pointing to /help; groups stay quiet."""

from __future__ import annotations


async def test_an_unknown_command_points_the_member_to_help(bot, member) -> None:
    await member.send("/nonexistent_command")
    reply = await member.next_message()
    assert reply.text == (
        "Bot chưa có lệnh /nonexistent_command. Anh/Chị gõ /help để xem các lệnh có thể dùng."
    )


async def test_an_english_speaker_is_answered_in_english(bot, emulator) -> None:
    visitor = emulator.user(3001, first_name="Anna", language_code="en")
    await visitor.send("/foo bar baz")
    reply = await visitor.next_message()
    assert reply.text == (
        "There is no command /foo. Type /help to see the commands you can use."
    )


async def test_known_commands_are_not_answered_as_unknown(bot, member, admin) -> None:
    await member.send("/privacy")
    await member.send("/pending")  # an admin command: refused, not "unknown"
    await admin.send("/pending")
    texts = [(await member.next_message()).text, (await member.next_message()).text]
    texts.append((await admin.next_message()).text)
    assert not any("không biết lệnh" in text for text in texts), texts


async def test_an_unknown_command_in_a_group_is_ignored(bot, emulator, member) -> None:
    group = emulator.group(-100777, "Hội viên")
    group.add_member(member)
    await member.send("/nonexistent_command", chat=group)
    await bot.idle()
    assert group.messages == []
