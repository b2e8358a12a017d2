"""Admins read how the bot is used: /stats sends the figures and a chart; `hoibot stats`
prints the same figures in the terminal."""

from __future__ import annotations

from hoibot.cli import main
from tests.meeting_fixtures import make_member


async def test_stats_counts_questions_members_and_sends_a_chart(bot, admin, member, emulator,
                                                               capsys) -> None:
    await make_member(bot.services.membership, 5001, name="Hội viên A", province="Huế")
    await member.send("Hội phí bao nhiêu?")
    await member.next_message()
    await member.send("xyzzy quux plugh")
    await member.next_message()

    await admin.send("/stats")
    figures = await admin.wait_for(lambda m: "Số liệu HoiBot" in m.text)
    assert "Hội viên: 1 (cá nhân 1, tổ chức 0); 1 người vào Hội trong tháng này" in figures.text
    assert "Đơn đã chấp thuận: 1 trong tháng · 1 tổng" in figures.text
    assert "Câu hỏi 7 ngày qua: 2;" in figures.text
    assert "không trả lời được 1" in figures.text
    chart = await admin.wait_for(lambda m: "photo" in m.raw)
    assert chart.document.content.startswith(b"\x89PNG")
    assert "Câu hỏi theo tuần" in chart.text

    await member.send("/stats")
    assert "chỉ dành cho Văn phòng Hội" in (await member.next_message()).text


def test_the_terminal_prints_the_same_figures(config, tmp_path, capsys) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"database: {config.database}\nknowledge_dir: {config.knowledge_dir}\n", encoding="utf-8"
    )
    chart = tmp_path / "chart.png"
    assert main(["stats", "--config", str(path), "--lang", "en", "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "HoiBot figures" in out and "Members: 0 (0 individual, 0 organisation)" in out
    assert "<b>" not in out
    assert chart.read_bytes().startswith(b"\x89PNG")
