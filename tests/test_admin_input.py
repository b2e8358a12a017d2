"""Admins paste odd things into commands too: a whole page after /member is searched for and
answered "not found" with the start of it, never an error."""

from __future__ import annotations


async def test_member_with_a_page_pasted_after_it_answers_not_found_with_its_start(
    bot, admin
) -> None:
    pasted = "Nguyễn Thị <Lan> & " + "thư viện " * 600  # about 5,400 characters
    await admin.send(f"/member {pasted}")
    reply = await admin.next_message()
    assert reply.text.startswith("Không tìm thấy hội viên nào khớp với “Nguyễn Thị <Lan> &")
    assert "…”" in reply.text and len(reply.text) < 400, reply.text
    assert not [m for m in admin.messages if "Lỗi mới trong bot" in m.text]
