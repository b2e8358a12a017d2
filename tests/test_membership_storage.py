"""Membership storage: one open application per person, atomic decisions, members, erasure."""

from __future__ import annotations

import asyncio
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.membership import form
from bot.storage import Database
from bot.storage.forms import FormRepository, FormState
from bot.storage.membership import MembershipRepository
from bot.storage.membership_records import AlreadyMember, AlreadyPending
from bot.storage.personal_data import PersonalDataRepository
from bot.storage.users import UserRepository

NOW = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
LAN = 1001
BINH = 1002
ADMIN, ADMIN2 = 9001, 9002


def answers(**changes: str) -> dict:
    data = {
        "kind": "individual",
        "full_name": "Nguyễn Thị Lan",
        "organisation": "Thư viện tỉnh Nghệ An",
        "position": "Thủ thư",
        "province": "Nghệ An",
        "email": "lan@thuvien.vn",
        "phone": "+84912345678",
        **changes,
    }
    return form.give_consent(data, NOW, "vi")


@pytest.fixture
def repo(db: Database) -> MembershipRepository:
    return MembershipRepository(db)


async def test_submitting_writes_the_application_logs_it_and_closes_the_form(
    db: Database, repo: MembershipRepository
) -> None:
    forms = FormRepository(db)
    await forms.save(FormState(LAN, LAN, "join", "summary", answers()))
    application = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    assert application.status == "pending"
    assert application.full_name == "Nguyễn Thị Lan"
    assert application.consent_at == NOW and application.consent_version
    assert await forms.get(LAN) is None
    assert [entry.action for entry in await repo.log_of(application.id)] == ["submitted"]


async def test_one_open_application_per_person(repo: MembershipRepository) -> None:
    first = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    with pytest.raises(AlreadyPending) as raised:
        await repo.submit(LAN, LAN, answers(full_name="Lan khác"), "vi", NOW)
    assert raised.value.application.id == first.id
    # Someone else may apply, and Lan may apply again once the first one is closed.
    await repo.submit(BINH, BINH, answers(full_name="Trần Bình"), "vi", NOW)
    await repo.reject(first.id, ADMIN, "Admin An", "Thiếu thông tin", NOW)
    again = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    assert again.id != first.id


async def test_approval_creates_a_member_and_a_member_cannot_apply(
    repo: MembershipRepository,
) -> None:
    application = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    decision = await repo.approve(application.id, ADMIN, "Admin An", NOW)
    assert decision.changed
    member = decision.member
    assert member is not None and member.active
    assert (member.user_id, member.kind, member.full_name, member.province) == (
        LAN,
        "individual",
        "Nguyễn Thị Lan",
        "Nghệ An",
    )
    assert member.joined_at == NOW
    assert decision.application.member_number == member.number
    assert decision.application.decided_by_name == "Admin An"
    with pytest.raises(AlreadyMember):
        await repo.submit(LAN, LAN, answers(), "vi", NOW)


async def test_an_organisation_member_is_named_after_the_organisation(
    repo: MembershipRepository,
) -> None:
    application = await repo.submit(
        LAN, LAN, answers(kind="organisation", representative="Lê Văn Tám"), "vi", NOW
    )
    member = (await repo.approve(application.id, ADMIN, "Admin An", NOW)).member
    assert member.full_name == "Thư viện tỉnh Nghệ An"
    assert member.representative == "Lê Văn Tám"


async def test_two_admins_deciding_at_once_make_exactly_one_decision(
    repo: MembershipRepository,
) -> None:
    application = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    decisions = await asyncio.gather(
        repo.approve(application.id, ADMIN, "Admin An", NOW),
        repo.approve(application.id, ADMIN2, "Admin Bảo", NOW),
        repo.reject(application.id, ADMIN2, "Admin Bảo", "trùng", NOW),
    )
    assert [d.changed for d in decisions].count(True) == 1
    winner = next(d for d in decisions if d.changed)
    for loser in (d for d in decisions if not d.changed):
        # The loser learns who decided first.
        assert loser.application.decided_by == winner.application.decided_by
        assert loser.application.status == winner.application.status
    assert len(await repo.members()) == 1
    actions = [entry.action for entry in await repo.log_of(application.id)]
    assert actions.count("approved") + actions.count("rejected") == 1


async def test_two_processes_on_one_database_still_make_one_decision(
    tmp_path: Path, repo: MembershipRepository, db: Database
) -> None:
    application = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    other = Database(db.path)
    await other.open()
    try:
        decisions = await asyncio.gather(
            repo.approve(application.id, ADMIN, "Admin An", NOW),
            MembershipRepository(other).approve(application.id, ADMIN2, "Admin Bảo", NOW),
        )
    finally:
        await other.close()
    assert sorted(d.changed for d in decisions) == [False, True]
    assert len(await repo.members()) == 1


async def test_rejection_records_the_reason(repo: MembershipRepository) -> None:
    application = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    decision = await repo.reject(application.id, ADMIN, "Admin An", "Chưa đủ hồ sơ", NOW)
    assert decision.changed and decision.application.reason == "Chưa đủ hồ sơ"
    [_, rejected] = await repo.log_of(application.id)
    assert (rejected.action, rejected.actor_id, rejected.reason) == (
        "rejected",
        ADMIN,
        "Chưa đủ hồ sơ",
    )
    assert await repo.members() == []


async def test_only_the_applicant_withdraws_and_only_while_pending(
    repo: MembershipRepository,
) -> None:
    application = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    with pytest.raises(LookupError):
        await repo.withdraw(application.id, BINH, NOW)
    assert (await repo.withdraw(application.id, LAN, NOW)).changed
    assert not (await repo.approve(application.id, ADMIN, "Admin An", NOW)).changed


async def test_revoking_and_a_former_member_gets_their_number_back(
    repo: MembershipRepository,
) -> None:
    first = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    number = (await repo.approve(first.id, ADMIN, "Admin An", NOW)).member.number
    revoked = await repo.revoke(number, ADMIN, "Admin An", NOW)
    assert revoked is not None and revoked.status == "revoked"
    assert await repo.revoke(number, ADMIN, "Admin An", NOW) is None  # already revoked
    second = await repo.submit(LAN, LAN, answers(province="Hà Nội"), "vi", NOW)
    member = (await repo.approve(second.id, ADMIN, "Admin An", NOW)).member
    assert (member.number, member.active, member.province) == (number, True, "Hà Nội")


async def test_members_are_found_without_diacritics_by_number_or_telegram_id(
    repo: MembershipRepository,
) -> None:
    for user_id, name in ((LAN, "Nguyễn Thị Lan"), (BINH, "Đỗ Văn Bình")):
        application = await repo.submit(user_id, user_id, answers(full_name=name), "vi", NOW)
        await repo.approve(application.id, ADMIN, "Admin An", NOW)
    assert [m.full_name for m in await repo.search_members("do van binh")] == ["Đỗ Văn Bình"]
    assert [m.full_name for m in await repo.search_members("NGUYEN")] == ["Nguyễn Thị Lan"]
    # Typed on a phone that sends NFD, or with a hyphen: folded as the search folds.
    nfd = unicodedata.normalize("NFD", "Đỗ Văn")
    assert [m.full_name for m in await repo.search_members(nfd)] == ["Đỗ Văn Bình"]
    assert [m.full_name for m in await repo.search_members("thi-lan")] == ["Nguyễn Thị Lan"]
    lan = (await repo.search_members(str(LAN)))[0]
    assert lan.full_name == "Nguyễn Thị Lan"
    assert (await repo.search_members(f"#{lan.number}"))[0].user_id == LAN
    assert await repo.search_members("Paris") == []


async def test_counts_by_kind_and_province(repo: MembershipRepository) -> None:
    people = [
        (1, "individual", "Hà Nội"),
        (2, "individual", "Hà Nội"),
        (3, "organisation", "Huế"),
    ]
    for user_id, kind, province in people:
        application = await repo.submit(
            user_id,
            user_id,
            answers(kind=kind, province=province, representative="Lê Tám"),
            "vi",
            NOW,
        )
        await repo.approve(application.id, ADMIN, "Admin An", NOW)
    counts = await repo.counts()
    assert counts == {
        "kind": {"individual": 2, "organisation": 1},
        "province": {"Hà Nội": 2, "Huế": 1},
    }


async def test_join_requests_are_kept_until_decided(repo: MembershipRepository) -> None:
    await repo.record_join_request(-100, LAN, LAN, NOW)
    [request] = await repo.pending_join_requests(LAN)
    assert (request.chat_id, request.user_chat_id, request.status) == (-100, LAN, "pending")
    await repo.close_join_request(-100, LAN, "approved", NOW)
    assert await repo.pending_join_requests(LAN) == []
    # Asking again reopens it.
    await repo.record_join_request(-100, LAN, LAN, NOW)
    assert len(await repo.pending_join_requests(LAN)) == 1


async def test_closed_applications_and_abandoned_forms_are_purged_after_their_time(
    db: Database, repo: MembershipRepository
) -> None:
    old = NOW - timedelta(days=100)
    rejected = await repo.submit(LAN, LAN, answers(), "vi", old)
    await repo.reject(rejected.id, ADMIN, "Admin An", "lý do có tên Lan", old)
    kept = await repo.submit(BINH, BINH, answers(), "vi", old)  # still pending: kept
    forms = FormRepository(db)
    await forms.save(FormState(77, 77, "join", "email", {"full_name": "X"}))
    await forms.set_aside(FormState(78, 78, "join", "phone", {"full_name": "Y"}))
    await db.execute("UPDATE forms SET updated_at = ?", ((old).isoformat(),))
    await db.execute("UPDATE set_aside_forms SET set_aside_at = ?", ((old).isoformat(),))
    await forms.set_aside(FormState(79, 79, "join", "phone", {"full_name": "Z"}))  # recent
    purged = await repo.purge_expired(NOW, closed_after_days=90, forms_after_days=30)
    assert purged["applications"] == 1 and purged["forms"] == 2
    assert await forms.set_aside_of(78, "join") is None
    assert await forms.set_aside_of(79, "join") is not None
    assert await repo.get(rejected.id) is None
    assert await repo.get(kept.id) is not None
    log = await repo.log_of(rejected.id)
    assert [e.action for e in log] == ["submitted", "rejected"]
    assert all(e.reason is None for e in log)


async def test_export_and_erasure_cover_every_table_about_the_person(
    db: Database, repo: MembershipRepository
) -> None:
    users = UserRepository(db)
    await users.seen(LAN, first_name="Lan")
    await users.seen(BINH, first_name="Bình")
    # A feature added later that keeps rows per user is covered too.
    await db.execute("CREATE TABLE feedback (id INTEGER PRIMARY KEY, user_id INTEGER, text TEXT)")
    await db.execute("INSERT INTO feedback (user_id, text) VALUES (?, 'phí hội viên?')", (LAN,))
    application = await repo.submit(LAN, LAN, answers(), "vi", NOW)
    await repo.add_notice(application.id, ADMIN, 55)
    number = (await repo.approve(application.id, ADMIN, "Admin An", NOW)).member.number
    await repo.record_join_request(-100, LAN, LAN, NOW)

    data = await PersonalDataRepository(db).export(LAN)
    assert data["users"][0]["first_name"] == "Lan"
    assert data["applications"][0]["email"] == "lan@thuvien.vn"
    assert data["members"][0]["number"] == number
    assert data["join_requests"][0]["chat_id"] == -100
    assert data["feedback"][0]["text"] == "phí hội viên?"
    assert [e["action"] for e in data["membership_log"]] == ["submitted", "approved"]

    erasure = await PersonalDataRepository(db).erase(LAN, NOW)
    assert erasure.applications == 1 and erasure.member_number == number
    assert erasure.notices == [(application.id, ADMIN, 55)]
    assert erasure.other_rows == 1
    after = await PersonalDataRepository(db).export(LAN)
    assert all(rows == [] for rows in after.values()), after
    # The number stays, anonymised; the decision log stays without personal data.
    member = await repo.member(number)
    assert (member.user_id, member.full_name, member.status) == (None, "", "revoked")
    log = await repo.log_of(application.id)
    assert [e.action for e in log] == ["submitted", "approved"]
    # Other people are untouched.
    assert await users.get(BINH) is not None
