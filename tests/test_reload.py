"""The secretariat edits the knowledge folder and puts it in service with /reload; a broken
folder never replaces the working one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from handlers.kit.reload import on_reload
from tests.harness import BotHarness, make_config
from tests.kb_fixtures import BROKEN_FILE, copy_knowledge, entry_yaml, write_knowledge_file

CLUB_QUESTION = "Câu lạc bộ đọc sách Huế sinh hoạt khi nào?"
CLUB_FILE = "entries:\n" + entry_yaml(
    "club-hue",
    "Câu lạc bộ đọc sách Huế (FICTIONAL)",
    CLUB_QUESTION,
    "Sáng Chủ nhật đầu tháng (FICTIONAL).",
)


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    return copy_knowledge(tmp_path)


@pytest.fixture
async def reload_bot(tmp_path, emulator, admin, admin2, knowledge) -> AsyncIterator[BotHarness]:
    config = make_config(tmp_path, emulator, knowledge_dir=str(knowledge))
    async with BotHarness(config, emulator) as harness:
        yield harness


async def test_a_valid_change_is_served_after_reload(reload_bot, knowledge, member, admin) -> None:
    await member.send(CLUB_QUESTION)
    assert "chưa có câu trả lời" in (await member.next_message()).text

    write_knowledge_file(knowledge, "clubs.yaml", CLUB_FILE)
    await admin.send("/reload")
    done = await admin.next_message()
    assert done.text.startswith("✅ Đã nạp lại cơ sở tri thức: 26 mục hỏi đáp, 7 hội nghị")

    await member.send(CLUB_QUESTION)
    answer = await member.next_message()
    assert "Sáng Chủ nhật đầu tháng (FICTIONAL)." in answer.text
    assert "Nguồn: Nguồn thử nghiệm (FICTIONAL)" in answer.text


async def test_an_invalid_change_keeps_the_old_knowledge_and_tells_the_admin_where(
    reload_bot, knowledge, member, admin, admin2
) -> None:
    write_knowledge_file(knowledge, "clubs.yaml", CLUB_FILE)
    write_knowledge_file(knowledge, "broken.yaml", BROKEN_FILE)
    await admin.send("/reload")
    report = await admin.next_message()
    assert "Chưa nạp lại" in report.text and "Bot vẫn dùng cơ sở tri thức cũ" in report.text
    # The checker's descriptions are English: a Vietnamese admin is shown where the
    # problems are, and told how to read them; an English-speaking admin reads them all.
    assert "• broken.yaml:2\n• broken.yaml:5" in report.text and "hoibot kb check" in report.text
    assert "must be" not in report.text and "missing translation" not in report.text
    await admin2.send("/lang")
    await admin2.press(await admin2.next_message(), "lang:en")
    await admin2.next_message()
    await admin2.send("/reload")
    report = await admin2.next_message()
    assert "Not reloaded" in report.text
    assert "broken.yaml:2: id '<b>&' must be" in report.text  # escaped, shown as written
    assert "broken.yaml:5: missing translation" in report.text

    # The old knowledge base is still in service: the fee is answered, the club is not.
    await member.send("Hội phí bao nhiêu?")
    assert "Nguồn:" in (await member.next_message()).text
    await member.send(CLUB_QUESTION)
    assert "chưa có câu trả lời" in (await member.next_message()).text


async def test_a_long_list_of_problems_is_split_into_messages(reload_bot, knowledge, admin) -> None:
    entries = "".join(f'  - id: broken-{n}\n    title: {{vi: "Mục {n}"}}\n' for n in range(400))
    write_knowledge_file(knowledge, "broken.yaml", "entries:\n" + entries)
    await admin.send("/reload")
    first = await admin.next_message()
    assert "Chưa nạp lại" in first.text
    await admin.wait_for(lambda m: "broken.yaml:800" in m.text)  # the last entry's line
    assert len(admin.messages) > 2
    assert all(len(m.text) <= 4096 for m in admin.messages)


async def test_features_listening_for_reloads_are_called_after_a_valid_one_only(
    reload_bot, knowledge, admin
) -> None:
    calls = []

    async def resync(application) -> None:
        calls.append(len(reload_bot.services.kb.entries))

    async def broken_listener(application) -> None:
        raise RuntimeError("the schedule could not be re-synced")

    on_reload(reload_bot.application, broken_listener)
    on_reload(reload_bot.application, resync)
    write_knowledge_file(knowledge, "clubs.yaml", CLUB_FILE)
    await admin.send("/reload")
    done = await admin.next_message()
    assert calls == [26]  # after the swap, despite the listener before it failing
    assert "1 tính năng chưa cập nhật được" in done.text

    write_knowledge_file(knowledge, "broken.yaml", BROKEN_FILE)
    await admin.send("/reload")
    assert "Chưa nạp lại" in (await admin.next_message()).text
    assert calls == [26]


async def test_reload_is_for_admins_only(reload_bot, knowledge, member) -> None:
    write_knowledge_file(knowledge, "clubs.yaml", CLUB_FILE)
    await member.send("/reload")
    assert "chỉ dành cho Văn phòng Hội" in (await member.next_message()).text
    await member.send(CLUB_QUESTION)
    assert "chưa có câu trả lời" in (await member.next_message()).text


async def test_reload_in_the_members_group_is_refused_there_without_its_report(
    tmp_path, emulator, knowledge, admin, admin2
) -> None:
    group = emulator.group(-1001234567890, "Hội viên")
    group.add_member(admin)
    config = make_config(
        tmp_path, emulator, knowledge_dir=str(knowledge), members_group_id=group.id
    )
    async with BotHarness(config, emulator) as bot:
        write_knowledge_file(knowledge, "broken.yaml", BROKEN_FILE)
        await admin.send("/reload", chat=group)
        told = await group.next_message()
        assert "chat riêng" in told.text and "nhóm quản trị" in told.text
        assert "Chưa nạp lại" not in told.text and "broken.yaml" not in told.text
        await bot.idle()
    assert len(group.messages) == 1
