"""Meetings by date, and an upcoming meeting as a calendar file members can add."""

from __future__ import annotations

import shutil
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.kb import KnowledgeBase, meeting_ics

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

UPCOMING = """\
meetings:
  - id: bch-4-3
    kind: executive-committee
    number: 3
    term: term-4
    title:
      vi: "Hội nghị BCH lần thứ 3, khóa IV (FICTIONAL, test)"
      en: "3rd BCH conference, term IV (FICTIONAL, test)"
    date: {start: "2030-03-10 08:30", end: "2030-03-10 16:00"}
    place: {vi: "Hà Nội; hội trường A, tầng 2", en: "Hanoi; hall A, 2nd floor"}
    summary:
      vi: >-
        Nội dung: tổng kết năm, kế hoạch năm mới; đề nghị mọi ủy viên đến đúng giờ,
        mang theo báo cáo của chi hội và ý kiến góp ý cho dự thảo văn kiện.
      en: "Review of the year, plan for the next; please come on time."
    source: {vi: "Thử nghiệm", en: "Test"}
  - id: day-out
    kind: other
    title: {vi: "Ngày hội (FICTIONAL, test)", en: "Open day (FICTIONAL, test)"}
    date: 2030-03-01
    summary: {vi: "Thử", en: "Test"}
    source: {vi: "Thử nghiệm", en: "Test"}
"""


@pytest.fixture()
def kb_with_upcoming(tmp_path: Path) -> KnowledgeBase:
    folder = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, folder)
    (folder / "upcoming.yaml").write_text(textwrap.dedent(UPCOMING), encoding="utf-8")
    return KnowledgeBase.load(folder)


def test_past_meetings_come_newest_first() -> None:
    kb = KnowledgeBase.load(SHIPPED)
    schedule = kb.meetings_sorted(datetime(2025, 1, 1, tzinfo=HANOI))
    assert schedule.upcoming == ()
    assert [meeting.id for meeting in schedule.past] == [
        "congress-4",
        "bch-3-6",
        "congress-3",
        "bch-2-4",
        "btv-2012-06-21",
        "congress-2",
        "congress-1",
    ]


def test_upcoming_meetings_come_soonest_first(kb_with_upcoming: KnowledgeBase) -> None:
    schedule = kb_with_upcoming.meetings_sorted(datetime(2030, 2, 1, tzinfo=HANOI))
    assert [meeting.id for meeting in schedule.upcoming] == ["day-out", "bch-4-3"]
    assert schedule.past[0].id == "congress-4"


def test_a_meeting_is_upcoming_until_its_day_is_over(kb_with_upcoming: KnowledgeBase) -> None:
    evening = datetime(2030, 3, 1, 22, 0, tzinfo=HANOI)
    next_morning = datetime(2030, 3, 2, 0, 0, tzinfo=HANOI)
    assert "day-out" in [m.id for m in kb_with_upcoming.meetings_sorted(evening).upcoming]
    assert "day-out" in [m.id for m in kb_with_upcoming.meetings_sorted(next_morning).past]


def test_now_in_another_time_zone_is_compared_as_the_same_instant(
    kb_with_upcoming: KnowledgeBase,
) -> None:
    # 16:30 UTC is 23:30 in Hanoi: the open day of 1 March is not over yet there.
    moment = datetime(2030, 3, 1, 16, 30, tzinfo=UTC).astimezone(HANOI)
    assert "day-out" in [m.id for m in kb_with_upcoming.meetings_sorted(moment).upcoming]


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        KnowledgeBase.load(SHIPPED).meetings_sorted(datetime(2030, 1, 1))


def unfold(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_the_calendar_file_of_a_meeting_with_hours(kb_with_upcoming: KnowledgeBase) -> None:
    meeting = kb_with_upcoming.meeting("bch-4-3")
    assert meeting is not None
    ics = meeting_ics(meeting, HANOI, "vi", now=datetime(2030, 1, 1, tzinfo=UTC))
    lines = unfold(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "UID:bch-4-3@hoibot" in lines
    assert "DTSTAMP:20300101T000000Z" in lines
    assert "DTSTART:20300310T013000Z" in lines  # 08:30 in Hanoi (UTC+7)
    assert "DTEND:20300310T090000Z" in lines
    assert "LOCATION:Hà Nội\\; hội trường A\\, tầng 2" in lines
    assert any(line.startswith("SUMMARY:Hội nghị BCH lần thứ 3\\, khóa IV") for line in lines)


def test_calendar_lines_end_in_crlf_and_are_folded_at_75_octets(
    kb_with_upcoming: KnowledgeBase,
) -> None:
    meeting = kb_with_upcoming.meeting("bch-4-3")
    assert meeting is not None
    ics = meeting_ics(meeting, HANOI, "vi")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    physical = ics.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical)  # the long description was folded
    for line in physical:
        line.decode("utf-8")  # no multi-byte letter is cut in two


def test_a_whole_day_meeting_is_an_all_day_event() -> None:
    meeting = KnowledgeBase.load(SHIPPED).meeting("congress-4")
    assert meeting is not None
    lines = unfold(meeting_ics(meeting, HANOI, "en"))
    assert "DTSTART;VALUE=DATE:20220621" in lines
    assert "DTEND;VALUE=DATE:20220623" in lines  # the day after the last day
    assert "SUMMARY:4th Congress" in lines


def test_the_uid_is_the_same_every_time() -> None:
    meeting = KnowledgeBase.load(SHIPPED).meeting("bch-2-4")
    assert meeting is not None
    first = meeting_ics(meeting, HANOI, now=datetime(2030, 1, 1, tzinfo=UTC))
    again = meeting_ics(meeting, HANOI, now=datetime(2030, 1, 1, tzinfo=UTC))
    assert first == again
