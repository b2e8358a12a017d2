"""Lessons laid over the knowledge files, and the `more_questions` section they export to."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.kb import Text, check_knowledge
from bot.kb.learned import (
    CONFLICT,
    ENTRY,
    LINK,
    MISSING,
    Lesson,
    derive_title,
    knowledge_base,
    new_entry_id,
    overlay,
    read_contents,
)
from tests.kb_fixtures import copy_knowledge, write_knowledge_file

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"
NOW = datetime(2026, 11, 29, tzinfo=UTC)


def link(number: int, phrasing: str, target: str) -> Lesson:
    return Lesson(number, LINK, phrasing, "vi", target, 1001, NOW)


def test_a_link_to_an_entry_gone_from_the_files_is_set_aside() -> None:
    overlaid = overlay(read_contents(SHIPPED), [link(1, "chuyện gì đó", "no-such-entry")])
    assert overlaid.status == {1: MISSING}


def test_a_phrasing_the_files_give_to_another_entry_is_not_taken_from_it() -> None:
    fee = "Hội phí bao nhiêu tiền một năm?"
    overlaid = overlay(read_contents(SHIPPED), [link(1, fee, "contact")])
    assert overlaid.status == {1: CONFLICT}
    assert knowledge_base(overlaid.contents).ask(fee).entry_id == "fee"


def test_a_link_can_lead_to_a_meeting() -> None:
    phrasing = "hồi 2014 hội họp đại hội ở tỉnh nào vậy"
    overlaid = overlay(read_contents(SHIPPED), [link(1, phrasing, "congress-3")])
    assert knowledge_base(overlaid.contents).ask(phrasing).entry_id == "congress-3"


def test_a_new_entry_whose_id_the_files_took_since_counts_as_merged() -> None:
    lesson = Lesson(1, ENTRY, "câu hỏi mới", "vi", "fee", 1001, NOW, Text("T", "T"),
                    Text("A", "A"), Text("S", "S"))
    assert overlay(read_contents(SHIPPED), [lesson]).status == {1: "merged"}


def test_new_ids_are_readable_ascii_and_unique() -> None:
    assert new_entry_id("Hội có quỹ hỗ trợ thủ thư không?", set()) == (
        "hoi-co-quy-ho-tro-thu-thu-khong"
    )
    assert new_entry_id("Đóng phí ở đâu?", {"dong-phi-o-dau"}) == "dong-phi-o-dau-2"
    long = new_entry_id("rất " * 30, set())
    assert len(long) <= 40 and not long.endswith("-")
    assert new_entry_id("???", set()) == "answer"
    assert derive_title("  hỏi   gì  ") == "Hỏi gì"
    assert len(derive_title("chữ " * 50)) <= 80


def test_the_checker_names_a_more_questions_target_that_does_not_exist(tmp_path: Path) -> None:
    folder = copy_knowledge(tmp_path)
    write_knowledge_file(folder, "learned.yaml",
                         "more_questions:\n  - id: nowhere\n    questions:\n      vi: [Ở đâu?]\n")
    problems = [str(problem) for problem in check_knowledge(folder)]
    assert problems == ["learned.yaml:2: more_questions: no entry or meeting has the id 'nowhere'"]


def test_the_checker_refuses_a_more_questions_phrasing_of_another_entry(tmp_path: Path) -> None:
    folder = copy_knowledge(tmp_path)
    write_knowledge_file(folder, "zz-learned.yaml", "more_questions:\n  - id: contact\n"
                         "    questions:\n      vi: [Hội phí bao nhiêu tiền một năm?]\n")
    problems = [str(problem) for problem in check_knowledge(folder)]
    assert len(problems) == 1 and "also a question of 'fee'" in problems[0]


def test_more_questions_in_a_file_lead_to_a_meeting_too(tmp_path: Path) -> None:
    folder = copy_knowledge(tmp_path)
    phrasing = "hồi 2014 hội họp đại hội ở tỉnh nào vậy"
    write_knowledge_file(folder, "learned.yaml", "more_questions:\n  - id: congress-3\n"
                         f"    questions:\n      vi: [{phrasing}]\n")
    assert check_knowledge(folder) == []
    assert knowledge_base(read_contents(folder)).ask(phrasing).entry_id == "congress-3"
