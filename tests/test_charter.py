"""Members browse the charter by chapter and article, or ask for an article by number.

The charter imported here is FICTIONAL (tests/kb_fixtures.py), not the VLA's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.kb import import_charter
from tests.harness import BotHarness, make_config
from tests.kb_fixtures import FICTIONAL_CHARTER, copy_knowledge


@pytest.fixture
def charter_knowledge(tmp_path: Path) -> Path:
    """The shipped knowledge with the FICTIONAL charter imported, as the secretariat would."""
    folder = copy_knowledge(tmp_path)
    source = tmp_path / "dieu-le.txt"
    source.write_text(FICTIONAL_CHARTER, encoding="utf-8")
    report = import_charter(source, folder / "charter.yaml")
    assert (report.chapters, report.articles) == (2, 4)
    return folder


@pytest.fixture
async def charter_bot(
    tmp_path, emulator, admin, admin2, charter_knowledge
) -> AsyncIterator[BotHarness]:
    config = make_config(tmp_path, emulator, knowledge_dir=str(charter_knowledge))
    async with BotHarness(config, emulator) as harness:
        yield harness


async def test_member_browses_chapters_then_an_article_and_back_in_one_message(
    charter_bot, member
) -> None:
    await member.send("/charter")
    contents = await member.next_message()
    assert "Chọn một chương" in contents.text
    assert contents.button_texts == [
        "Chương I. NHỮNG QUY ĐỊNH CHUNG (FICTIONAL)",
        "Chương II. HỘI VIÊN (FICTIONAL)",
    ]

    await member.press(contents, "Chương II. HỘI VIÊN (FICTIONAL)")
    chapter = await member.wait_for(lambda m: m is contents and "Chọn một điều" in m.text)
    assert chapter.button_texts == [
        "Điều 3. Quyền của hội viên mẫu",
        "Điều 4. Nghĩa vụ của hội viên mẫu",
        "📜 Các chương",
    ]

    await member.press(chapter, "Điều 3. Quyền của hội viên mẫu")
    article = await member.wait_for(lambda m: m is contents and "Được đọc văn bản giả" in m.text)
    assert article.text.startswith("Điều 3. Quyền của hội viên mẫu\n")
    assert "Nguồn: Điều lệ Hội Thư viện Việt Nam, Chương II, Điều 3" in article.text
    assert article.button_texts == ["⬅️ Chương II. HỘI VIÊN (FICTIONAL)", "📜 Các chương"]

    await member.press(article, "📜 Các chương")
    await member.wait_for(lambda m: m is contents and "Chọn một chương" in m.text)
    assert len(member.messages) == 1  # everything happened in the one message


async def test_member_asks_what_article_3_says(charter_bot, member) -> None:
    await member.send("điều 3 nói gì")
    answer = await member.next_message()
    assert answer.text.startswith("Điều 3. Quyền của hội viên mẫu\n")
    assert 'Được hỏi bot "Điều 3 nói gì".' in answer.text
    assert "Nguồn: Điều lệ Hội Thư viện Việt Nam, Chương II, Điều 3" in answer.text
    assert "📜 Xem Điều lệ" in answer.button_texts


async def test_an_article_the_charter_does_not_have_is_said_plainly(charter_bot, member) -> None:
    await member.send("article 9")
    reply = await member.next_message()
    assert reply.text == (
        "The charter has no Article 9. It has 4 articles, from Article 1 to Article 4; "
        "you can browse them by chapter with /charter."
    )
    await member.press(reply, "📜 Browse the charter")
    contents = await member.next_message()
    assert "Choose a chapter" in contents.text


async def test_the_menu_opens_the_charter(charter_bot, member) -> None:
    await member.send("/start")
    await member.press(await member.next_message(), "📜 Điều lệ")
    assert "Chọn một chương" in (await member.next_message()).text


async def test_before_the_import_the_charter_shows_the_verified_facts(bot, member) -> None:
    await member.send("/charter")
    facts = await member.next_message()
    assert "chưa có toàn văn Điều lệ" in facts.text
    assert "vla.org.vn" in facts.text  # where the full text is
    assert "🔎 Hội phí" in facts.button_texts
    await member.press(facts, "🔎 Thành lập Hội")
    founding = await member.next_message()
    assert "689/QĐ-BNV" in founding.text
    assert "Nguồn:" in founding.text


async def test_a_button_of_an_article_gone_after_a_reload_gets_an_alert(
    charter_bot, tmp_path, emulator, member, admin, charter_knowledge
) -> None:
    await member.send("/charter")
    contents = await member.next_message()
    await member.press(contents, "Chương II. HỘI VIÊN (FICTIONAL)")
    chapter = await member.wait_for(lambda m: "Chọn một điều" in m.text)

    # The secretariat imports a charter without chapter II, and reloads.
    shorter = tmp_path / "dieu-le-ngan.txt"
    shorter.write_text(FICTIONAL_CHARTER.split("Chương II")[0], encoding="utf-8")
    import_charter(shorter, charter_knowledge / "charter.yaml")
    await admin.send("/reload")
    assert "2 điều của Điều lệ" in (await admin.next_message()).text

    query = await member.press(chapter, "Điều 3. Quyền của hội viên mẫu")
    answer = await emulator.wait_for_answer(query)
    assert answer.get("show_alert") is True
    assert "Điều lệ vừa được cập nhật" in answer["text"]


async def test_after_the_import_a_member_asking_the_fee_reads_the_whole_article(
    tmp_path, emulator, member
) -> None:
    folder = copy_knowledge(tmp_path)
    charter = Path(__file__).parent / "data" / "dev_charter" / "dieu-le-mau.md"
    import_charter(charter, folder / "charter.yaml")
    config = make_config(tmp_path, emulator, knowledge_dir=str(folder))
    async with BotHarness(config):
        await member.send("hoi phi dong bao nhieu vay")
        answer = await member.next_message()
    assert answer.text.startswith("Điều 6. Hội phí\n")
    assert "nộp qua chi hội trước ngày 31 tháng 3 (FICTIONAL)." in answer.text
    assert "Nguồn: Điều lệ Hội Thư viện Việt Nam, Chương II, Điều 6" in answer.text
    assert "Bot chưa có mức hội phí" not in answer.text
