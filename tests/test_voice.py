"""The bot speaks as the association's office (docs/voice.md): the slips a reviewer should
never have to find again, checked over every catalog file and the shipped knowledge base.

Every catalog file is read, so texts added by any feature are checked too.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import string
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from bot.kb import KnowledgeBase
from bot.kb.cli import main as hoibot_main
from bot.kb.model import Text
from bot.storage import Database
from bot.storage.personal_data import PersonalDataRepository
from bot.texts import CATALOG_DIR, Catalog, formats
from tests.announcing import press as press_data

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "knowledge"

# Buttons the member speaks ("✅ Tôi đồng ý"): the first person is theirs, not the bot's.
MEMBER_VOICE = {"join.consent.agree", "join.consent.decline", "announce.audience.test"}
# Callback alerts built by a helper rather than named at the `.answer(` call.
ALERT_KEYS_VIA_HELPERS = {"review.already_decided", "review.already_withdrawn"}

TEXT_LIMIT = 4096  # a message, after entities are parsed
CAPTION_LIMIT = 1024
ALERT_LIMIT = 200  # answerCallbackQuery's text
BUTTON_LABEL_LIMIT = 32  # docs/voice.md: an emoji and two or three words

TAG = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
ZONE_ID = re.compile(r"\b(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|"
                     r"Pacific|Etc)/[A-Za-z_]+")
DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
MONTH_NAME_DATE = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
                             r"September|October|November|December) \d{4}\b")
# "bạn đọc" (library readers) is a word of the trade, not the informal "you".
INFORMAL_YOU = re.compile(r"\bbạn\b(?! đọc)", re.IGNORECASE)
BOT_AS_I = re.compile(r"\b(?:tôi|mình tiếp tục)\b", re.IGNORECASE)
# One name for the office (docs/voice.md).
OTHER_OFFICE_NAMES = {
    "vi": re.compile(r"Ban Thư ký|\bThư ký\b|Ban quản trị"),
    "en": re.compile(r"\bsecretariat\b", re.IGNORECASE),
}
# Words from the code: the time-zone id, Telegram's English verb inside Vietnamese, table names.
INTERNAL_WORDS = {
    "vi": re.compile(r"\breply\b|\bSource:|\bbản ghi\b", re.IGNORECASE),
    "en": re.compile(r"\btable\b|\brows?\b"),
}


def slips(text: str, lang: str) -> list[str]:
    """What in a member-facing text breaks docs/voice.md."""
    found = []
    plain = TAG.sub("", text)
    if ZONE_ID.search(text) or "{timezone}" in text:
        found.append("a time-zone id (say “giờ Việt Nam” / “Vietnam time”: formats.zone)")
    if "«" in text or "»" in text:
        found.append("«» quotes (use “…”)")
    if '"' in plain:
        found.append('straight quotes (use “…”)')
    for match in DATE.finditer(text):
        if len(match[1]) != 2 or len(match[2]) != 2:
            found.append(f"date {match[0]} (write dd/mm/yyyy)")
    if MONTH_NAME_DATE.search(text):
        found.append("a date with a month name (write dd/mm/yyyy)")
    if OTHER_OFFICE_NAMES[lang].search(text):
        found.append("another name for the office (Văn phòng Hội / the Association's Office)")
    if INTERNAL_WORDS[lang].search(plain):
        found.append(f"an internal word: {INTERNAL_WORDS[lang].search(plain)[0]!r}")
    if lang == "vi" and INFORMAL_YOU.search(text):
        found.append("“bạn” (the register is Anh/Chị)")
    return found


def catalog_texts() -> Iterator[tuple[str, str, str, str]]:
    """(file, key, lang, text) for every text of every catalog file."""
    for path in sorted(CATALOG_DIR.glob("*.yaml")):
        for key, entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            for lang, text in entry.items():
                yield path.name, key, lang, str(text)


def keys_named_in_calls(names: set[str], catalog: set[str]) -> set[str]:
    """Catalog keys given (at any depth) to calls of functions or methods named ``names``."""
    found = set()
    for path in [*ROOT.glob("handlers/**/*.py"), *ROOT.glob("bot/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in names:
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Constant) and inner.value in catalog:
                    found.add(inner.value)
                elif isinstance(inner, ast.JoinedStr) and isinstance(inner.values[0], ast.Constant):
                    prefix = str(inner.values[0].value)  # f"menu.{item}": every menu.* key
                    found |= {key for key in catalog if key.startswith(prefix) and "." in prefix}
    return found


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_every_catalog_text_follows_the_voice() -> None:
    problems = [
        f"{file}: {key} [{lang}]: {slip}"
        for file, key, lang, text in catalog_texts()
        for slip in slips(text, lang)
    ]
    assert not problems, "\n".join(problems)


def test_the_bot_never_says_I_in_vietnamese_except_on_the_members_own_buttons() -> None:
    problems = [
        f"{file}: {key}"
        for file, key, lang, text in catalog_texts()
        if lang == "vi" and key not in MEMBER_VOICE and BOT_AS_I.search(text)
    ]
    assert not problems, problems


def test_both_languages_fill_the_same_placeholders(catalog: Catalog) -> None:
    mismatched = [key for key in catalog.keys()
                  if len({frozenset(names) for names in catalog.placeholders(key).values()}) > 1]
    assert not mismatched, mismatched


def test_every_text_fits_telegrams_limits(catalog: Catalog) -> None:
    keys = set(catalog.keys())
    alerts = keys_named_in_calls({"answer"}, keys) | ALERT_KEYS_VIA_HELPERS
    problems = []
    for key in keys:
        for lang in ("vi", "en"):
            raw = catalog.raw(key, lang)
            length = len(raw.encode("utf-16-le")) // 2
            limit = CAPTION_LIMIT if "caption" in key else TEXT_LIMIT
            if key in alerts:
                limit = ALERT_LIMIT
                if TAG.search(raw):
                    problems.append(f"{key} [{lang}]: an alert is plain text, no HTML")
            if length > limit:
                problems.append(f"{key} [{lang}]: {length} > {limit}")
    assert alerts >= {"errors.stale_button", "join.stale", "review.not_admin"}
    assert not problems, problems


def test_button_labels_are_short_plain_text(catalog: Catalog) -> None:
    keys = set(catalog.keys())
    buttons = keys_named_in_calls(
        {"_button", "button", "button_label", "InlineKeyboardButton"}, keys
    ) | {key for key in keys if key.endswith("_button") or ".button." in key}
    # Messages and alerts with a key like a button's ("menu.unavailable", "errors.stale_button").
    buttons -= keys_named_in_calls({"reply", "answer"}, keys)
    assert {"menu.charter", "questions.ask_button", "join.consent.agree"} <= buttons
    problems = []
    for key in sorted(buttons):
        for lang in ("vi", "en"):
            label = catalog.raw(key, lang)
            if TAG.search(label):
                problems.append(f"{key} [{lang}]: HTML in a button")
            if len(PLACEHOLDER.sub("", label)) > BUTTON_LABEL_LIMIT:
                problems.append(f"{key} [{lang}]: {label!r} is over {BUTTON_LABEL_LIMIT}")
    assert not problems, problems


def member_facing_texts(item: object, where: str) -> Iterator[tuple[str, Text]]:
    """Every text of the knowledge base a member reads (not the ways members ask)."""
    if isinstance(item, Text):
        yield where, item
    elif dataclasses.is_dataclass(item):
        for field in dataclasses.fields(item):
            if field.name not in {"questions", "keywords", "where", "see", "id"}:
                yield from member_facing_texts(getattr(item, field.name), where)
    elif isinstance(item, tuple | list):
        for element in item:
            yield from member_facing_texts(element, where)


def test_the_shipped_knowledge_base_follows_the_voice() -> None:
    kb = KnowledgeBase.load(SHIPPED)
    items: list[tuple[str, object]] = [
        *((entry.id, entry) for entry in kb.entries.values()),
        *((meeting.id, meeting) for meeting in kb.meetings),
        *((term.id, term) for term in kb.terms.values()),
        *((announcement.id, announcement) for announcement in kb.announcements),
        ("charter", kb.charter), ("contact", kb.contact),
        *((f"labels.{name}", label) for name, label in kb.labels.items()),
    ]
    problems = [
        f"{where} [{lang}]: {slip}"
        for item_id, item in items
        for where, text in member_facing_texts(item, item_id)
        for lang in ("vi", "en")
        for slip in slips(text.get(lang), lang)
    ]
    assert not problems, "\n".join(problems)


def test_the_slip_finder_catches_what_the_issue_found() -> None:
    assert slips("Gõ giờ gửi (giờ Asia/Ho_Chi_Minh)", "vi")
    assert slips("↩️ Trả lời (reply) tin nhắn này", "vi")
    assert slips("• deliveries: 1 bản ghi", "vi")
    assert slips("Nguồn: «Điều lệ»", "vi") and slips('Gõ "Điều 5"', "vi")
    assert slips("Lúc 1/12/2025", "vi") and slips("since 1 July 2025", "en")
    assert slips("Ban Thư ký sẽ xem xét", "vi") and slips("Ask the secretariat", "en")
    assert slips("Hãy gõ câu hỏi của bạn", "vi")
    assert not slips("Văn phòng Hội phục vụ bạn đọc từ 01/12/2025 (giờ Việt Nam).", "vi")
    assert not slips('<a href="https://vla.org.vn">vla.org.vn</a>', "en")


def test_displays_read_the_way_the_voice_says() -> None:
    assert formats.zone_name("Asia/Ho_Chi_Minh", "vi") == "giờ Việt Nam"
    assert formats.zone_name("Asia/Ho_Chi_Minh", "en") == "Vietnam time"
    assert formats.zone_name("Asia/Bangkok", "vi") == "giờ UTC+07:00"
    assert (formats.number_text(6291, "vi"), formats.number_text(6291, "en")) == ("6.291", "6,291")
    assert formats.duration_text(timedelta(seconds=0.04), "vi") == "dưới 1 giây"
    assert formats.duration_text(timedelta(seconds=65), "vi") == "1 phút 5 giây"
    assert formats.duration_text(timedelta(seconds=12), "en") == "12 seconds"
    catalog = Catalog.load()
    asked = catalog.get("announce.ask_daily", "vi", zone=formats.zone("Asia/Ho_Chi_Minh"))
    assert "(giờ Việt Nam)" in asked


async def test_every_table_mydata_can_list_has_a_name_members_understand(tmp_path: Path) -> None:
    db = Database(tmp_path / "voice.sqlite3")
    await db.open()
    try:
        tables = set(await PersonalDataRepository(db).export(1))
    finally:
        await db.close()
    listed_by_name = {"users", "forms", "applications", "members", "join_requests",
                      "membership_log"}  # each has its own mydata.line.* text
    keys = set(Catalog.load().keys())
    unnamed = [t for t in sorted(tables - listed_by_name) if f"mydata.table.{t}" not in keys]
    assert not unnamed, f"add mydata.table.<name> texts for: {unnamed}"
    assert "deliveries" in tables


def test_hoibot_ask_prints_the_source_in_the_answers_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert hoibot_main(["ask", "hội phí bao nhiêu", "--knowledge-dir", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert "Nguồn: Điều lệ Hội" in out and "Source:" not in out


def test_placeholder_names_are_plain_identifiers() -> None:
    bad = [
        f"{file}: {key} [{lang}]: {{{name}}}"
        for file, key, lang, text in catalog_texts()
        for _, name, spec, _ in string.Formatter().parse(text)
        if name is not None and (not name.isidentifier() or spec)
    ]
    assert not bad, bad


async def compose_rest(admin, text: str) -> None:
    """After /announce: the text, all subscribers, now, confirm."""
    await admin.send(text)
    for data in ("an:aud:subscribers", "an:when:now", "an:ok"):
        await press_data(admin, data)


async def test_a_subscriber_sees_announcements_named_in_mydata_and_the_admin_a_plain_report(
    bot, admin, member
) -> None:
    await member.send("/subscribe")
    await member.wait_for(lambda m: "Đã đăng ký" in m.text)
    await admin.send("/announce")
    asked = await admin.wait_for(lambda m: "nội dung thông báo" in m.text)
    assert "thành viên" not in asked.text  # recipients are not "members" of anything
    await compose_rest(admin, "Họp mặt cuối năm.")
    await member.wait_for(lambda m: m.text == "Họp mặt cuối năm.")
    report = await admin.wait_for(lambda m: "Báo cáo" in m.text, timeout=10)
    duration = report.text.split("Thời gian gửi: ")[1].splitlines()[0]
    assert duration.endswith("giây")  # in words, never "0.0 s"

    await member.send("/mydata")
    summary = await member.wait_for(lambda m: "Dữ liệu bot lưu về Anh/Chị" in m.text)
    assert "Thông báo của Hội đã gửi tới Anh/Chị: 1" in summary.text
    assert "deliveries" not in summary.text and "bản ghi" not in summary.text


async def test_admins_read_vietnam_time_not_a_zone_id(bot, admin) -> None:
    await admin.send("/announce")
    await admin.send("Nhắc lịch họp.")
    await press_data(admin, "an:aud:subscribers")
    await press_data(admin, "an:when:daily")
    asked = await admin.wait_for(lambda m: "08:00" in m.text)
    assert "(giờ Việt Nam)" in asked.text and "Asia/" not in asked.text

