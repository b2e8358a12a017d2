"""A restart with an unchanged knowledge folder reads the snapshot instead of indexing
again; any change to the folder, or a damaged snapshot, means a fresh build."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

from bot.kb import snapshot
from bot.kb.learned import LINK, Lesson
from bot.kb.service import KnowledgeService, snapshot_beside
from tests.kb_fixtures import copy_knowledge, entry_yaml, write_knowledge_file

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def test_an_unchanged_folder_is_read_from_its_snapshot(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    taken = tmp_path / "data" / "knowledge-snapshot.pickle"
    first = snapshot.load(knowledge, taken)
    assert taken.stat().st_mode & 0o777 == 0o600
    written = taken.stat().st_mtime_ns
    again = snapshot.load(knowledge, taken)
    assert taken.stat().st_mtime_ns == written  # read, not written again
    assert again.ask("hoi phi bao nhieu") == first.ask("hoi phi bao nhieu")
    assert again.ask("BCH khoa II co bao nhieu uy vien").entry_id == "congress-2"


def test_questions_asked_while_the_snapshot_is_written_do_not_spoil_it(
        tmp_path: Path) -> None:
    """The snapshot is written by another thread while members ask: what questions read
    into the knowledge base's caches (the reranker's words of each item) stays out of it,
    so no question can change what is being written."""
    knowledge = copy_knowledge(tmp_path)
    taken = tmp_path / "knowledge-snapshot.pickle"
    first = snapshot.load(knowledge, taken)
    asked = first.ask("hoi fi dong o dau")
    assert first._texts_read and first._titles_read  # read by the question
    snapshot.save(knowledge, taken, first)
    again = snapshot.load(knowledge, taken)
    assert not again._texts_read and not again._titles_read
    assert again.ask("hoi fi dong o dau") == asked


def test_an_edited_folder_is_indexed_again(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    taken = tmp_path / "knowledge-snapshot.pickle"
    assert snapshot.load(knowledge, taken).ask("giờ mở cửa thư viện số").status != "answered"
    write_knowledge_file(knowledge, "extra.yaml", "entries:\n" + entry_yaml(
        "opening-hours", "Giờ mở cửa thư viện số", "Thư viện số mở cửa lúc nào?",
        "Thư viện số mở cửa cả ngày (FICTIONAL).",
    ))
    assert snapshot.load(knowledge, taken).ask("giờ mở cửa thư viện số").entry_id == (
        "opening-hours"
    )


def test_a_damaged_snapshot_is_built_again(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    taken = tmp_path / "knowledge-snapshot.pickle"
    snapshot.load(knowledge, taken)
    image = taken.read_bytes()
    taken.write_bytes(image[: len(image) // 2])
    os.utime(taken, ns=(1, 1))
    assert snapshot.load(knowledge, taken).ask("hoi phi bao nhieu").entry_id == "fee"
    assert taken.stat().st_mtime_ns != 1  # written anew


def test_the_bot_starts_from_the_snapshot_of_its_last_build_with_the_lessons(
    tmp_path: Path,
) -> None:
    """KnowledgeService (what the bot serves) snapshots every build beside the database;
    a restart with the same files and the same lessons reads it, lessons included."""
    knowledge = copy_knowledge(tmp_path)
    taken = snapshot_beside(tmp_path / "data" / "hoibot.sqlite3")
    lessons = [Lesson(1, LINK, "chuyện đóng tiền cho hội", "vi", "fee", 1001, NOW)]

    async def taught() -> list[Lesson]:
        return lessons

    first = KnowledgeService.load(knowledge, taken)
    asyncio.run(first.saved())
    first.use_lessons(taught)

    async def refresh_and_snapshot() -> None:
        await first.refresh()
        await first.saved()

    asyncio.run(refresh_and_snapshot())
    assert first.kb.ask("chuyện đóng tiền cho hội").entry_id == "fee"
    written = taken.stat().st_mtime_ns

    again = KnowledgeService.load(knowledge, taken)
    again.use_lessons(taught)
    served = again.kb
    asyncio.run(again.refresh())
    assert again.kb is served  # nothing built again: the snapshot had these lessons
    assert taken.stat().st_mtime_ns == written
    assert again.kb.ask("chuyện đóng tiền cho hội").entry_id == "fee"
    assert again.lesson_status == first.lesson_status

    # Another lesson under the same id (a database restored from elsewhere): built again.
    lessons[0] = Lesson(1, LINK, "chuyện đóng tiền cho hội", "vi", "join", 1001, NOW)
    asyncio.run(again.refresh())
    assert again.kb.ask("chuyện đóng tiền cho hội").entry_id == "join"


def test_a_folder_edited_while_the_bot_was_down_is_indexed_at_start(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    taken = snapshot_beside(tmp_path / "hoibot.sqlite3")
    asyncio.run(KnowledgeService.load(knowledge, taken).saved())
    assert taken.exists()
    write_knowledge_file(knowledge, "extra.yaml", "entries:\n" + entry_yaml(
        "opening-hours", "Giờ mở cửa thư viện số", "Thư viện số mở cửa lúc nào?",
        "Thư viện số mở cửa cả ngày (FICTIONAL).",
    ))
    service = KnowledgeService.load(knowledge, taken)
    assert service.kb.ask("giờ mở cửa thư viện số").entry_id == "opening-hours"
