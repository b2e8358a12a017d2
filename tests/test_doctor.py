"""``hoibot doctor``: one line per check, and each planted fault fails its check."""

from __future__ import annotations

import os
import re
import time

import pytest

from bot.ops.backups import list_backups, take_backup
from tests.harness import MEMBER_ID, BotHarness, make_config
from tests.kb_fixtures import BROKEN_FILE, copy_knowledge, write_knowledge_file
from tests.ops_cli import hoibot, read_only_wrapper, small_disk_wrapper, write_config

GROUP_ID = -1001234


def line(output: str, name: str) -> str:
    """The doctor's line about one check."""
    [found] = [row for row in output.splitlines() if row[6:].startswith(f"{name} ")]
    return found


@pytest.fixture
async def healthy(tmp_path, emulator, admin, admin2):
    """A set-up where everything is in order: admins started the bot, it administers the
    group, a fresh backup exists, the contacts are filled in."""
    emulator.group(GROUP_ID, "Hội viên")
    settings = {
        "members_group_id": GROUP_ID,
        "association": {"email": "vp@example.org", "phone": "024 0000 0000", "address": "Hà Nội"},
    }
    config = make_config(tmp_path, emulator, **settings)
    async with BotHarness(config):
        for person in (admin, admin2):
            await person.send("/start")
            await person.next_message()
    take_backup(config.database, config.backup_dir, config.tz)
    return write_config(tmp_path, **settings)


async def test_doctor_passes_a_healthy_set_up_and_names_each_check(healthy, emulator):
    result = await hoibot(healthy, "doctor", emulator=emulator)
    assert result.returncode == 0, result.stdout
    for name in ("config", "data folder", "database", "knowledge", "disk", "backups",
                 "admins", "contacts", "token", "webhook", "group"):  # fmt: skip
        assert line(result.stdout, name).startswith("ok "), result.stdout
    assert "@hoibot_test_bot" in line(result.stdout, "token")
    # What members miss is a warning, not a failure: the shipped charter is not imported.
    assert line(result.stdout, "charter").startswith("warn ")
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("doctor: ") and "failure" not in summary


async def test_doctor_fails_a_token_the_bot_api_rejects(healthy, emulator):
    result = await hoibot(healthy, "doctor", emulator=emulator, token="123456:WRONG")
    assert result.returncode == 1
    assert line(result.stdout, "token").startswith("FAIL ")
    assert "rejected the token" in line(result.stdout, "token")
    assert "123456:WRONG" not in result.stdout
    assert line(result.stdout, "group").startswith("--")


async def test_doctor_fails_a_knowledge_base_with_mistakes(healthy, tmp_path, emulator):
    folder = copy_knowledge(tmp_path)
    write_knowledge_file(folder, "broken.yaml", BROKEN_FILE)
    config = write_config(tmp_path, knowledge_dir=str(folder), members_group_id=GROUP_ID)
    result = await hoibot(config, "doctor", emulator=emulator)
    assert result.returncode == 1
    assert line(result.stdout, "knowledge").startswith("FAIL ")
    assert "broken.yaml:2" in line(result.stdout, "knowledge")


async def test_doctor_fails_a_read_only_data_folder(healthy, tmp_path, emulator):
    result = await hoibot(
        healthy, "doctor", emulator=emulator, wrapper=read_only_wrapper(tmp_path)
    )
    assert result.returncode == 1, result
    assert line(result.stdout, "data folder").startswith("FAIL ")
    assert "not writable" in line(result.stdout, "data folder")


async def test_doctor_fails_when_the_disk_is_nearly_full(tmp_path, emulator):
    data = tmp_path / "data"
    data.mkdir()
    config = write_config(tmp_path, database=str(data / "hoibot.sqlite3"))
    result = await hoibot(config, "doctor", emulator=emulator, wrapper=small_disk_wrapper(data, 50))
    assert result.returncode == 1
    assert line(result.stdout, "disk").startswith("FAIL ")
    assert "free some space" in line(result.stdout, "disk")


async def test_doctor_fails_when_the_bot_cannot_invite_to_the_members_group(healthy, emulator):
    emulator.group(GROUP_ID).state.bot_status = "member"
    result = await hoibot(healthy, "doctor", emulator=emulator)
    assert result.returncode == 1
    assert line(result.stdout, "group").startswith("FAIL ")
    assert "administrator" in line(result.stdout, "group")


async def test_doctor_fails_when_an_admin_never_started_the_bot(tmp_path, emulator, admin):
    config = make_config(tmp_path, emulator)
    async with BotHarness(config):
        await admin.send("/start")
        await admin.next_message()
    result = await hoibot(write_config(tmp_path), "doctor", emulator=emulator)
    assert result.returncode == 1
    assert line(result.stdout, "admins").startswith("FAIL ")
    assert "never started the bot: 1002" in line(result.stdout, "admins")


async def test_doctor_fails_a_damaged_database(healthy, tmp_path, emulator):
    database = tmp_path / "hoibot.sqlite3"
    data = bytearray(database.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    database.write_bytes(bytes(data))
    result = await hoibot(healthy, "doctor", emulator=emulator)
    assert result.returncode == 1
    assert line(result.stdout, "database").startswith("FAIL ")
    assert "hoibot restore" in line(result.stdout, "database")


async def test_doctor_fails_when_the_newest_backup_is_days_old(healthy, tmp_path, emulator):
    three_days_ago = time.time() - 3 * 86400
    for backup in list_backups(tmp_path / "backups"):
        os.utime(backup, (three_days_ago, three_days_ago))
    result = await hoibot(healthy, "doctor", emulator=emulator)
    assert result.returncode == 1
    assert line(result.stdout, "backups").startswith("FAIL ")
    assert "72 h old" in line(result.stdout, "backups")


async def test_admins_see_the_same_checks_with_uptime_and_queues_in_telegram(bot, admin, member):
    await member.send("/health")
    refusal = await member.next_message()
    assert "chỉ dành cho Văn phòng Hội" in refusal.text
    await member.send("hội có bao nhiêu chi hội ở sao hỏa")  # no answer: offered to forward
    await member.next_message()
    await admin.send("/health")
    report = await admin.wait_for(lambda m: "Tình trạng của bot" in m.text)
    # In the admin's language: the doctor's lines too, not the command line's English.
    assert "✅ Token: @" in report.text and "✅ Cơ sở dữ liệu:" in report.text
    assert "⚠️ Điều lệ: chưa nhập văn bản Điều lệ" in report.text
    assert "polling" not in report.text.split("Cấu hình:")[0]
    assert "integrity ok" not in report.text and "warning" not in report.text
    assert "Đã chạy: 0 phút" in report.text
    assert "0 đơn chưa duyệt" in report.text
    assert "Không có lỗi nào" in report.text
    assert str(MEMBER_ID) not in report.text


async def test_an_admin_reading_english_gets_the_doctors_lines_in_english(bot, admin):
    await admin.send("/lang")
    await admin.press(await admin.next_message(), "🇬🇧 English")
    await admin.next_message()
    await admin.send("/health")
    report = await admin.wait_for(lambda m: "Bot health" in m.text)
    assert "✅ token: @" in report.text and "integrity ok" in report.text
    assert "Up for: 0 min" in report.text and "Điều lệ" not in report.text


async def test_health_writes_large_figures_as_the_admin_reads_numbers(bot, admin):
    await admin.send("/health")
    report = await admin.wait_for(lambda m: "Tình trạng của bot" in m.text)
    disk = next(line for line in report.text.splitlines() if "Ổ đĩa" in line)
    free = re.search(r"còn ([\d.]+) MiB", disk)
    assert free is not None, disk
    # Vietnamese groups thousands with dots (docs/voice.md): 73.446, never 73446.
    assert re.search(r"\d{4}", free.group(1)) is None, disk


async def test_health_and_stats_stay_out_of_the_members_group(tmp_path, emulator, admin, admin2):
    group = emulator.group(-1001234567890, "Hội viên")
    group.add_member(admin)
    config = make_config(tmp_path, emulator, members_group_id=group.id)
    async with BotHarness(config, emulator) as bot:
        await admin.send("/health", chat=group)
        told = await group.next_message()
        assert "Tình trạng của bot" not in told.text
        assert "tình trạng" in told.text.lower() and "chat riêng" in told.text
        await admin.send("/stats", chat=group)
        told = await group.next_message()
        assert "thống kê" in told.text.lower() and "người đăng ký" not in told.text
        await bot.idle()
    assert not [m for m in group.messages if str(tmp_path) in m.text]
