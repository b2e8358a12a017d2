"""FICTIONAL meetings open for registration, and members, for the registration tests.

Nothing here is the association's knowledge: the shipped knowledge base carries only
verified facts, so upcoming meetings exist only in the tests' temporary folders.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.membership import form
from bot.storage.membership import MembershipRepository
from bot.storage.membership_records import Member
from tests.kb_fixtures import copy_knowledge, write_knowledge_file

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def meeting_yaml(
    meeting_id: str,
    start: datetime,
    registration: str | None = "capacity: 1",
    extra: str = "",
) -> str:
    """One FICTIONAL meeting as a ``meetings:`` list item; ``registration`` is its block."""
    block = ""
    if registration is not None:
        lines = "\n".join(f"      {line}" for line in registration.splitlines())
        block = f"    registration:\n{lines}\n"
    return (
        f"  - id: {meeting_id}\n"
        f"    kind: other\n"
        f"    title: {{vi: \"Hội thảo mẫu {meeting_id} (FICTIONAL)\", "
        f"en: \"Sample workshop {meeting_id} (FICTIONAL)\"}}\n"
        f"    date: \"{start:%Y-%m-%d %H:%M}\"\n"
        f"    place: {{vi: \"Hội trường mẫu, Hà Nội (FICTIONAL)\", "
        f"en: \"Sample hall, Hanoi (FICTIONAL)\"}}\n"
        f"    summary: {{vi: \"Hội thảo giả để kiểm thử (FICTIONAL).\", "
        f"en: \"A fake workshop for tests (FICTIONAL).\"}}\n"
        f"    source: {{vi: \"Giấy mời thử (FICTIONAL)\", en: \"Test invitation (FICTIONAL)\"}}\n"
        f"{block}{extra}"
    )


def knowledge_with(tmp_path: Path, *meetings: str) -> Path:
    """A copy of the shipped knowledge plus these FICTIONAL meetings."""
    folder = copy_knowledge(tmp_path)
    write_knowledge_file(folder, "test_meetings.yaml", "meetings:\n" + "".join(meetings))
    return folder


def in_days(days: float) -> datetime:
    """A local time ``days`` from now, to the minute."""
    return (datetime.now(TZ) + timedelta(days=days)).replace(second=0, microsecond=0)


async def make_member(
    repo: MembershipRepository,
    user_id: int,
    *,
    name: str,
    province: str,
    kind: str = "individual",
    organisation: str = "Thư viện mẫu (FICTIONAL)",
) -> Member:
    """An approved member, as if the secretariat had accepted their application."""
    now = datetime.now(UTC)
    data = form.give_consent(
        {
            "kind": kind,
            "full_name": name,
            "organisation": organisation,
            "position": "Thủ thư",
            "province": province,
            "email": f"m{user_id}@example.org",
            "phone": "+84912345678",
            **({"representative": name} if kind == "organisation" else {}),
        },
        now,
        "vi",
    )
    application = await repo.submit(user_id, user_id, data, "vi", now)
    decision = await repo.approve(application.id, 1, "Admin", now)
    assert decision.member is not None
    return decision.member
