"""The secretariat edits the knowledge files by hand; the checker points at each mistake."""

from __future__ import annotations

import textwrap
from datetime import datetime, time
from pathlib import Path

import pytest

from bot.kb import KnowledgeBase, KnowledgeError, check_knowledge
from bot.kb.loader import read_knowledge

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"

BASE = """\
charter:
  title: {vi: "Điều lệ", en: "Charter"}
  source: {vi: "Điều lệ", en: "Charter"}
  full_text: {vi: "Hỏi Văn phòng Hội.", en: "Ask the secretariat."}
labels:
  date: {vi: "Thời gian", en: "Date"}
  place: {vi: "Địa điểm", en: "Place"}
  term: {vi: "Khóa", en: "Term"}
  attendance: {vi: "Thành phần", en: "Attendance"}
  decisions: {vi: "Nội dung chính", en: "Main points"}
  visits: {vi: "Tham quan", en: "Visits"}
  article: {vi: "Điều", en: "Article"}
  chapter: {vi: "Chương", en: "Chapter"}
contact: {vi: "Trang web: {website}", en: "Website: {website}"}
"""

ENTRY = """\
entries:
  - id: fee
    title: {vi: "Hội phí", en: "Membership fee"}
    questions:
      vi: [Hội phí bao nhiêu?]
      en: [How much is the fee?]
    answer: {vi: "Xin hỏi Văn phòng Hội.", en: "Please ask the secretariat."}
    source: {vi: "Điều lệ", en: "Charter"}
"""


def folder(tmp_path: Path, **files: str) -> Path:
    """A knowledge folder with the required sections plus ``files`` (name without .yaml)."""
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "base.yaml").write_text(BASE, encoding="utf-8")
    for name, text in files.items():
        (directory / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def line_of(directory: Path, name: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line of a file that contains ``needle``."""
    lines = (directory / name).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    return found[occurrence - 1]


def problems(directory: Path) -> list[str]:
    return [str(problem) for problem in check_knowledge(directory)]


def test_the_shipped_knowledge_base_passes_the_check() -> None:
    assert check_knowledge(SHIPPED) == []


def test_a_small_correct_folder_passes_and_loads(tmp_path: Path) -> None:
    directory = folder(tmp_path, faq=ENTRY)
    assert problems(directory) == []
    kb = KnowledgeBase.load(directory)
    assert kb.entries["fee"].title.get("en") == "Membership fee"
    assert kb.entries["fee"].where.line == 2


def test_a_misspelt_key_is_reported_as_unknown_and_the_real_one_as_missing(
    tmp_path: Path,
) -> None:
    directory = folder(tmp_path, faq=ENTRY.replace("    answer:", "    anwser:"))
    assert problems(directory) == [
        f"faq.yaml:{line_of(directory, 'faq.yaml', 'anwser:')}: entry: unknown key 'anwser' "
        "(expected one of: answer, contact, id, keywords, questions, see, source, "
            "stands_in_for, title, upcoming_for)",
        f"faq.yaml:{line_of(directory, 'faq.yaml', '- id: fee')}: entry: missing key 'answer'",
    ]


def test_a_value_of_the_wrong_type_names_the_key(tmp_path: Path) -> None:
    directory = folder(tmp_path, faq=ENTRY + '    contact: "yes please"\n    keywords: hội phí\n')
    assert problems(directory) == [
        f"faq.yaml:{line_of(directory, 'faq.yaml', 'keywords:')}: "
        "entry 'fee' keywords must be a list",
        f"faq.yaml:{line_of(directory, 'faq.yaml', 'contact:')}: "
        "entry 'fee' contact must be true or false, got 'yes please'",
    ]


def test_a_text_without_its_english_is_a_missing_translation(tmp_path: Path) -> None:
    text = ENTRY.replace('{vi: "Hội phí", en: "Membership fee"}', '{vi: "Hội phí"}')
    text = text.replace("      en: [How much is the fee?]\n", "")
    directory = folder(tmp_path, faq=text)
    assert problems(directory) == [
        f"faq.yaml:{line_of(directory, 'faq.yaml', 'title:')}: "
        "missing translation: entry 'fee' title has no 'en' text",
        f"faq.yaml:{line_of(directory, 'faq.yaml', 'vi: [Hội phí bao nhiêu?]')}: "
        "missing translation: entry 'fee' questions has no 'en' phrasings",
    ]


def test_the_same_id_in_two_files_is_reported_where_it_is_repeated(tmp_path: Path) -> None:
    other_questions = ENTRY.replace("Hội phí bao", "Phí bao").replace("much is", "much's")
    directory = folder(tmp_path, a=ENTRY, b=other_questions)
    assert problems(directory) == [
        f"b.yaml:{line_of(directory, 'b.yaml', '- id: fee')}: "
        f"duplicate id 'fee' (first defined at a.yaml:{line_of(directory, 'a.yaml', 'id: fee')})",
    ]


def test_a_see_reference_to_a_missing_entry_is_broken(tmp_path: Path) -> None:
    directory = folder(
        tmp_path,
        faq=ENTRY
        + "    see: [join, feee]\n"
        + ENTRY.replace("fee", "join")
        .replace("Hội phí bao nhiêu?", "Gia nhập thế nào?")
        .replace("How much is the join?", "How do I join?")
        .replace("entries:\n", ""),
    )
    assert problems(directory) == [
        f"faq.yaml:{line_of(directory, 'faq.yaml', 'see:')}: "
        "'fee' refers to unknown answer id 'feee'",
    ]


MEETING = """\
terms:
  - id: term-2
    number: 2
    start_year: 2011
    end_year: 2016
    name: {vi: "Khóa II", en: "Term II"}
meetings:
  - id: m1
    kind: executive-committee
    term: term-2
    title: {vi: "Hội nghị", en: "Conference"}
    date: 2014-05-22
    summary: {vi: "Tóm tắt", en: "Summary"}
    source: {vi: "Tin hoạt động", en: "Newsletter"}
"""


def test_a_meeting_of_a_term_that_does_not_exist_is_broken(tmp_path: Path) -> None:
    directory = folder(tmp_path, meetings=MEETING.replace("term: term-2", "term: term-9"))
    assert problems(directory) == [
        f"meetings.yaml:{line_of(directory, 'meetings.yaml', 'term: term-9')}: "
        "'m1' refers to unknown term id 'term-9'",
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "next week",
            "bad date 'next week' in meeting 'm1' date: write YYYY-MM-DD "
            "(or DD/MM/YYYY), optionally followed by HH:MM",
        ),
        ("2014-02-30", "bad date '2014-02-30' in meeting 'm1' date: no such date or time"),
        ("31/4/2014", "bad date '31/4/2014' in meeting 'm1' date: no such date or time"),
        (
            '"2014-05-22 25:00"',
            "bad date '2014-05-22 25:00' in meeting 'm1' date: no such date or time",
        ),
    ],
)
def test_a_bad_meeting_date_is_reported(tmp_path: Path, written: str, message: str) -> None:
    directory = folder(tmp_path, meetings=MEETING.replace("date: 2014-05-22", f"date: {written}"))
    assert problems(directory) == [
        f"meetings.yaml:{line_of(directory, 'meetings.yaml', 'date:')}: {message}",
    ]


def test_a_meeting_that_ends_before_it_starts_is_reported(tmp_path: Path) -> None:
    directory = folder(
        tmp_path,
        meetings=MEETING.replace("date: 2014-05-22", "date: {start: 2014-05-22, end: 2014-05-21}"),
    )
    assert problems(directory) == [
        f"meetings.yaml:{line_of(directory, 'meetings.yaml', 'date:')}: "
        "meeting 'm1': end '2014-05-21' is before start '2014-05-22'",
    ]


def test_dates_may_be_written_the_vietnamese_way_and_with_an_hour(tmp_path: Path) -> None:
    directory = folder(
        tmp_path,
        meetings=MEETING.replace(
            "date: 2014-05-22", 'date: {start: "22/5/2014 08:30", end: 23/5/2014}'
        ),
    )
    meeting = KnowledgeBase.load(directory).meeting("m1")
    assert meeting is not None
    assert meeting.start == datetime(2014, 5, 22, 8, 30)
    assert meeting.end is not None and meeting.end.isoformat() == "2014-05-23"


def test_broken_yaml_is_reported_at_its_line(tmp_path: Path) -> None:
    directory = folder(
        tmp_path,
        faq=ENTRY.replace(
            '    source: {vi: "Điều lệ", en: "Charter"}',
            '    source: {vi: "Điều lệ", en: "Charter"',
        ),
    )
    [problem] = check_knowledge(directory)
    assert problem.file == "faq.yaml"
    assert problem.line == line_of(directory, "faq.yaml", "source:") + 1
    assert problem.message.startswith("not valid YAML")


def test_a_folder_without_labels_says_which_section_is_missing(tmp_path: Path) -> None:
    directory = folder(tmp_path)
    base = directory / "base.yaml"
    base.write_text(
        base.read_text(encoding="utf-8").split("labels:")[0] + 'contact: {vi: "x", en: "x"}\n',
        encoding="utf-8",
    )
    assert problems(directory) == ["no file has the 'labels' section"]


def test_a_missing_folder_is_one_problem(tmp_path: Path) -> None:
    assert problems(tmp_path / "nowhere") == ["knowledge folder not found"]


def test_the_same_question_for_two_entries_is_reported(tmp_path: Path) -> None:
    second = ENTRY.replace("id: fee", "id: dues").replace("How much is the fee?", "Dues?")
    directory = folder(tmp_path, faq=ENTRY + second.replace("entries:\n", ""))
    assert problems(directory) == [
        f"faq.yaml:{line_of(directory, 'faq.yaml', 'Hội phí bao nhiêu?', 2)}: "
        "question 'Hội phí bao nhiêu?' is also a question of 'fee' "
        f"(faq.yaml:{line_of(directory, 'faq.yaml', 'Hội phí bao nhiêu?')}): "
        "the search could not tell them apart",
    ]


def test_an_unknown_placeholder_is_reported(tmp_path: Path) -> None:
    directory = folder(
        tmp_path, faq=ENTRY.replace('"Xin hỏi Văn phòng Hội."', '"Gọi {phone_number}."')
    )
    assert problems(directory) == [
        f"faq.yaml:{line_of(directory, 'faq.yaml', 'phone_number')}: entry 'fee' answer: "
        "unknown placeholder {phone_number} (use {name} {name_en} {website} {email} {phone} "
        "{address})",
    ]


def test_a_synonym_in_two_groups_is_reported(tmp_path: Path) -> None:
    directory = folder(
        tmp_path,
        synonyms="""\
        synonyms:
          - [hội phí, membership fee]
          - [phí, Hội Phí]
        """,
    )
    assert problems(directory) == [
        "synonyms.yaml:3: synonym 'Hội Phí' is already in the group at synonyms.yaml:2",
    ]


def test_two_articles_with_one_number_are_reported(tmp_path: Path) -> None:
    directory = folder(
        tmp_path,
        chapters="""\
        chapters:
          - id: chuong-1
            number: 1
            title: {vi: "Chung", en: "General"}
            articles:
              - {id: dieu-1, number: 1, title: {vi: "A", en: "A"}, text: {vi: "a", en: "a"}}
              - {id: dieu-1b, number: 1, title: {vi: "B", en: "B"}, text: {vi: "b", en: "b"}}
        """,
    )
    assert problems(directory) == [
        "chapters.yaml:7: article number 1 is used twice (first at chapters.yaml:6)",
    ]


ANNOUNCEMENT = """\
announcements:
  - id: nhac-hoi-phi
    text: {vi: "Nhắc hội phí. {website}", en: "Fee reminder. {website}"}
    schedule:
      weekly: {day: mon, time: "08:30"}
    audience: members
"""


def test_announcements_are_read_with_their_schedule(tmp_path: Path) -> None:
    directory = folder(tmp_path, announcements=ANNOUNCEMENT)
    [announcement] = KnowledgeBase.load(directory).announcements
    assert announcement.id == "nhac-hoi-phi"
    assert announcement.schedule.kind == "weekly"
    assert announcement.schedule.weekday == 0
    assert announcement.schedule.time == time(8, 30)
    assert announcement.audience == "members" and announcement.enabled


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (
            'daily: "25:00"',
            "announcement 'nhac-hoi-phi' schedule daily must be a time of day "
            "written \"HH:MM\", got '25:00'",
        ),
        (
            'cron: "0 8 * 13 *"',
            "announcement 'nhac-hoi-phi' schedule cron: the month field: Error validating "
            "expression '13': the last value (13) is higher than the maximum value (12)",
        ),
        (
            'once: "2026-01-05"',
            "announcement 'nhac-hoi-phi' schedule once needs a date and a "
            'time, e.g. "2026-01-05 08:00"',
        ),
        (
            'monthly: {day: 32, time: "08:00"}',
            "announcement 'nhac-hoi-phi' schedule monthly day must be a whole number from 1 to 31, "
            "got '32'",
        ),
    ],
)
def test_a_bad_schedule_is_reported(tmp_path: Path, schedule: str, message: str) -> None:
    directory = folder(
        tmp_path,
        announcements=ANNOUNCEMENT.replace(
            '      weekly: {day: mon, time: "08:30"}', f"      {schedule}"
        ),
    )
    needle = schedule.split(":")[0] + ":"
    assert problems(directory) == [
        f"announcements.yaml:{line_of(directory, 'announcements.yaml', needle)}: {message}",
    ]


def test_an_announcement_for_an_unknown_audience_is_reported(tmp_path: Path) -> None:
    directory = folder(tmp_path, announcements=ANNOUNCEMENT.replace("members", "everybody"))
    assert problems(directory) == [
        f"announcements.yaml:{line_of(directory, 'announcements.yaml', 'audience:')}: "
        "announcement 'nhac-hoi-phi': audience 'everybody' is not one of all, members, "
        "group, channel",
    ]


def test_loading_a_broken_folder_raises_with_every_problem(tmp_path: Path) -> None:
    directory = folder(tmp_path, faq=ENTRY.replace("    answer:", "    anwser:"))
    with pytest.raises(KnowledgeError) as raised:
        KnowledgeBase.load(directory)
    assert len(raised.value.problems) == 2
    assert "faq.yaml" in str(raised.value)


def test_the_shipped_announcements_file_is_empty() -> None:
    contents, _ = read_knowledge(SHIPPED)
    assert contents.announcements == []
