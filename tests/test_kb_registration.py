"""The secretariat opens a meeting for registration in meetings.yaml; `hoibot kb check`
points at each mistake in the registration block by file and line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.kb.loader import read_knowledge
from tests.meeting_fixtures import knowledge_with, meeting_yaml

START = datetime(2030, 5, 20, 8, 30)


def problems_of(tmp_path: Path, registration: str, extra: str = "") -> list[str]:
    folder = knowledge_with(tmp_path, meeting_yaml("ws-check", START, registration, extra))
    _, problems = read_knowledge(folder)
    return [str(problem) for problem in problems]


def test_a_complete_block_is_read_into_the_meeting(tmp_path: Path) -> None:
    folder = knowledge_with(tmp_path, meeting_yaml(
        "ws-check", START,
        'opens: "2030-05-01 08:00"\ncloses: 2030-05-18\ncapacity: 40\nmembers_only: true\n'
        'question: {vi: "Ăn chay?", en: "Vegetarian?"}\noffer_hours: 12',
        '    coordinates: "21.0285, 105.8542"\n',
    ))
    contents, problems = read_knowledge(folder)
    assert problems == []
    meeting = next(m for m in contents.meetings if m.id == "ws-check")
    registration = meeting.registration
    assert registration.capacity == 40 and registration.members_only
    assert registration.opens == datetime(2030, 5, 1, 8, 0)
    assert registration.closes == datetime(2030, 5, 19, 0, 0)  # the end of the 18th
    assert registration.question.en == "Vegetarian?" and registration.offer_hours == 12
    assert meeting.coordinates == (21.0285, 105.8542)


def test_each_mistake_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        'opens: "2030-05-10"\ncloses: "2030-05-02"\ncapacity: 0\nmembers_only: maybe\n'
        'question: {vi: "Chỉ tiếng Việt"}\noffer_hours: -1\nseats: 3',
        '    coordinates: "north of Hanoi"\n',
    )
    text = "\n".join(found)
    for expected in (
        "test_meetings.yaml:11: meeting 'ws-check' registration: closes must be after opens",
        "test_meetings.yaml:12: meeting 'ws-check' registration capacity must be a whole number",
        "test_meetings.yaml:13: meeting 'ws-check' registration members_only must be true or false",
        "missing translation: meeting 'ws-check' registration question has no 'en' text",
        "test_meetings.yaml:15: meeting 'ws-check' registration offer_hours must be a number",
        "test_meetings.yaml:16: meeting 'ws-check' registration: unknown key 'seats'",
        "test_meetings.yaml:17: meeting 'ws-check' coordinates must be written",
    ):
        assert expected in text, (expected, text)


def test_registration_cannot_close_after_the_meeting(tmp_path: Path) -> None:
    found = problems_of(tmp_path, 'closes: "2030-06-01 08:00"')
    assert any("closes after the meeting has started" in p for p in found), found


def test_a_meeting_open_for_registration_needs_an_id_a_link_can_carry(tmp_path: Path) -> None:
    folder = knowledge_with(tmp_path, meeting_yaml("ws.check", START, "capacity: 3"))
    _, problems = read_knowledge(folder)
    assert [str(p) for p in problems] == [
        "test_meetings.yaml:2: meeting 'ws.check': an id with '.' cannot go into the "
        "registration link t.me/<bot>?start=reg-<id>"
    ]
