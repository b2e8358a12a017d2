"""Announcements from the knowledge base: stable keys, the right rules, meeting reminders."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from bot.announcements.knowledge import definitions, rule_for
from bot.announcements.schedule import upcoming
from bot.config import parse_config
from bot.kb import KnowledgeBase
from bot.kb.model import Schedule
from bot.texts import Catalog

ROOT = Path(__file__).parent.parent
CONFIG = parse_config({"knowledge_dir": str(ROOT / "knowledge")}, env={})
TZ = CONFIG.tz


def test_knowledge_base_schedules_become_rules_in_the_association_zone() -> None:
    once = rule_for(Schedule("once", at=datetime(2027, 1, 5, 8, 0)), TZ)
    assert once.next_after(datetime(2027, 1, 1, tzinfo=TZ)) == datetime(2027, 1, 5, 8, tzinfo=TZ)
    weekly = rule_for(Schedule("weekly", weekday=4, time=time(17, 0)), TZ)
    assert weekly.spec == "weekly fri 17:00"
    # "months without that day are skipped", as the knowledge base documents.
    monthly = rule_for(Schedule("monthly", day=31, time=time(8, 0)), TZ)
    runs = upcoming(monthly, datetime(2027, 1, 31, 9, tzinfo=TZ), 2)
    assert [r.date().isoformat() for r in runs] == ["2027-03-31", "2027-05-31"]
    cron = rule_for(Schedule("cron", cron="0 8 1 1,7 *"), TZ)
    assert cron.next_after(datetime(2027, 2, 1, tzinfo=TZ)) == datetime(2027, 7, 1, 8, tzinfo=TZ)


def test_an_upcoming_meeting_gets_reminders_7_and_1_days_before_at_8() -> None:
    kb = KnowledgeBase.load(CONFIG.knowledge_dir)
    meeting = max(kb.meetings, key=lambda m: m.starts_at(TZ))
    now = meeting.starts_at(TZ) - timedelta(days=10)
    found = {d.key: d for d in definitions(kb, CONFIG, Catalog.load(), now)}
    week, day = found[f"meeting:{meeting.id}:7"], found[f"meeting:{meeting.id}:1"]
    start = meeting.starts_at(TZ).date()
    assert week.rule.at == datetime.combine(start - timedelta(days=7), time(8), tzinfo=TZ)
    assert day.rule.at == datetime.combine(start - timedelta(days=1), time(8), tzinfo=TZ)
    assert meeting.title.vi in week.text and "7" in week.text
    assert week.audience == "subscribers"
    # The same knowledge gives the same keys: a reload updates, never duplicates.
    again = {d.key for d in definitions(kb, CONFIG, Catalog.load(), now)}
    assert again == set(found)
