"""The offline console in a real pseudo-terminal, as a newcomer meets it: ``hoibot console``
typed at a shell, every menu path walked by button numbers, and Ctrl-C ending it at once.

The console runs as its own process (``python -m hoibot console``) on a temporary data folder;
any traceback it prints fails the test.
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pexpect
import pytest
import yaml

from bot.kb import import_charter
from tests.harness import ROOT
from tests.kb_fixtures import FICTIONAL_CHARTER, copy_knowledge, write_knowledge_file

pytestmark = pytest.mark.slow

SOON = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=10)
UPCOMING = f"""\
meetings:
  - id: bch-console-upcoming
    kind: executive-committee
    term: term-4
    title: {{vi: "Hội nghị thử console (FICTIONAL)", en: "Console test meeting (FICTIONAL)"}}
    date: "{SOON:%Y-%m-%d} 08:30"
    place: {{vi: "Hội trường mẫu (FICTIONAL)", en: "Sample hall (FICTIONAL)"}}
    summary: {{vi: "Hội nghị giả (FICTIONAL).", en: "A fake meeting (FICTIONAL)."}}
    source: {{vi: "Giấy mời thử (FICTIONAL)", en: "Test invitation (FICTIONAL)"}}
"""


class Terminal:
    """A person at a terminal running the console: types lines, reads the screen."""

    def __init__(self, data: Path) -> None:
        self.transcript = io.StringIO()
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            # A pseudo-terminal with nobody behind it never answers cursor position requests.
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
        env.pop("TELEGRAM_BOT_TOKEN", None)
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "hoibot", "console", "--config", str(data / "config.yaml")],
            cwd=str(ROOT),
            env=env,
            encoding="utf-8",
            dimensions=(60, 220),
            timeout=20,
        )
        self.child.logfile_read = self.transcript
        self.mark = 0  # where the output of the latest typed line starts

    def type(self, line: str) -> None:
        """Type a line and press Enter."""
        self.mark = len(self.transcript.getvalue())
        self.child.sendline(line)

    def sees(self, text: str) -> None:
        """Wait until the text is on the screen."""
        self.child.expect_exact(text)

    def answer(self, line: str, expected: str) -> None:
        """Type a line and wait for the answer that contains ``expected``."""
        self.type(line)
        self.sees(expected)

    def number_of(self, label: str, *, latest_answer: bool = True) -> str:
        """The number the console shows beside a button with this text: one of the latest
        answer (waiting for it), or else the last one on the screen."""
        pattern = rf"\[(\d+)\] [^\[\n]*{re.escape(label)}"
        screen = self.transcript.getvalue()
        numbers = re.findall(pattern, screen[self.mark :] if latest_answer else screen)
        if numbers:
            return numbers[-1]
        self.child.expect(pattern)  # the line of buttons is still on its way
        return self.child.match.group(1)

    def press(self, label: str, expected: str, *, latest_answer: bool = True) -> None:
        """Press a button by typing its number; wait for an answer that contains ``expected``."""
        self.answer(self.number_of(label, latest_answer=latest_answer), expected)

    def close(self) -> None:
        """End the process if a failed test left it running."""
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    knowledge = copy_knowledge(tmp_path)
    write_knowledge_file(knowledge, "upcoming.yaml", UPCOMING)
    source = tmp_path / "dieu-le.txt"
    source.write_text(FICTIONAL_CHARTER, encoding="utf-8")
    import_charter(source, knowledge / "charter.yaml")
    config = {"database": str(tmp_path / "bot.sqlite3"), "knowledge_dir": str(knowledge)}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    term = Terminal(tmp_path)
    yield term
    term.close()
    screen = term.transcript.getvalue()
    for trouble in ("Traceback", "Unclosed", "Task was destroyed", "Error"):
        assert trouble not in screen, screen[screen.index(trouble) - 1500 :][:3000]


def test_a_newcomer_walks_every_menu_path_and_ctrl_c_ends_the_console(terminal, tmp_path):
    t = terminal
    t.sees("Xin chào Khách")
    t.sees("[6] ❓ Đặt câu hỏi")

    # The help lists the console's own commands beside the bot's.
    t.answer("/help", "— console: <number> presses a button")
    t.sees("/charter")

    # The charter, chapter by chapter: the message is edited in place and shown again.
    t.answer("/charter", "Chọn một chương")
    t.press("Chương II. HỘI VIÊN (FICTIONAL)", "(edited) 📜 Chương II. HỘI VIÊN (FICTIONAL)")
    t.press("Điều 3. Quyền của hội viên mẫu", "Được đọc văn bản giả")
    t.press("📜 Các chương", "Chọn một chương")

    # A meeting and its calendar file, saved under the console's data folder.
    t.answer("/meetings", "Hội nghị thử console (FICTIONAL)")
    t.press("Hội nghị thử console (FICTIONAL)", "(edited) Hội nghị thử console (FICTIONAL)")
    t.press("📆 Thêm vào lịch (.ics)", "📎 saved to ")
    saved = tmp_path / "console-files" / "bch-console-upcoming.ics"
    t.sees(f"{saved} (")
    assert "BEGIN:VEVENT" in saved.read_text(encoding="utf-8")
    # The file came without buttons: the meeting's buttons are still the ones numbers press.
    t.press("⬅️ Danh sách hội nghị", "Sắp tới: 1", latest_answer=False)

    # A number that is not among the latest buttons gets a one-line notice.
    t.answer("42", "— no button [42] now")

    # The menu's items, each from a fresh /start.
    for item, expected in [
        ("📜 Điều lệ", "Chọn một chương"),
        ("🗓 Hội nghị, đại hội", "Sắp tới: 1"),
        ("👥 Hội viên", "Ai được gia nhập Hội"),
        ("📣 Thông báo", "thông báo của Hội. Bấm nút"),
        ("❓ Đặt câu hỏi", "cứ gõ câu hỏi vào ô chat"),
    ]:
        t.answer("/start", "[6] ❓ Đặt câu hỏi")
        t.press(item, expected)

    # The join form, every step, then the application goes to the secretariat.
    t.answer("/start", "[6] ❓ Đặt câu hỏi")
    t.press("✍️ Đăng ký vào Hội", "Bước 1")
    t.press("👤 Cá nhân", "Bước 2/")
    for value in ["Nguyễn Thị Lan", "Thư viện tỉnh Nghệ An", "Thủ thư", "ha noi"]:
        t.type(value)
        t.sees("Bước ")
    t.answer("lan@thuvien.vn", "Bước ")
    t.answer("0912 345 678", "Đồng ý xử lý dữ liệu cá nhân")
    t.press("✅ Tôi đồng ý", "kiểm tra lại đơn")
    t.press("📨 Gửi đơn", "đã nhận đơn số")
    t.sees("— a message for admin")

    # The secretariat approves the application from its card.
    t.answer("/as admin", "Đơn xin vào Hội số")
    t.answer("/pending", "#1 Nguyễn Thị Lan")
    t.press("#1 Nguyễn Thị Lan", "Đơn xin vào Hội số")
    t.press("✅ Chấp thuận", "(edited)")
    t.answer("/members", "📎 saved to ")
    [register] = (tmp_path / "console-files").glob("*.csv")
    assert "Nguyễn Thị Lan" in register.read_text(encoding="utf-8-sig")

    # A member's question goes to the secretariat, who answers with /reply.
    t.answer("/as member", "— you are now Khách")
    t.answer("hội phí bao nhiêu tiền một năm", "✉️ Gửi câu hỏi cho Văn phòng Hội")
    t.press("✉️ Gửi câu hỏi cho Văn phòng Hội", "Đã gửi câu hỏi của Anh/Chị tới Văn phòng Hội")
    t.answer("/as admin", "Câu hỏi #1")
    notice = re.findall(r"↩(\d+) ❓ Câu hỏi #1", t.transcript.getvalue())[-1]
    t.answer(f"/reply {notice} Hội phí là 100.000 đồng một năm.", "Đã gửi câu trả lời")
    t.answer("/as member", "Văn phòng Hội trả lời")
    t.sees("Hội phí là 100.000 đồng một năm.")

    # An unknown command is answered, pointing to /help.
    t.answer("/nonexistent_command", "gõ /help")

    # Ctrl-C ends the console at once, without a traceback.
    pressed = time.monotonic()
    t.child.sendintr()
    t.child.expect(pexpect.EOF, timeout=10)
    took = time.monotonic() - pressed
    t.child.close()
    assert t.child.exitstatus == 0
    print(f"Ctrl-C ended the console in {took:.3f}s")
    # About half a second on a quiet machine (the figure is printed); the bound catches a
    # console that waits for a poll or a timeout to end, not a loaded machine's slowness.
    assert took < 3.0, f"Ctrl-C took {took:.2f}s to end the console"


def test_ctrl_d_ends_the_console(terminal):
    terminal.sees("[6] ❓ Đặt câu hỏi")
    terminal.child.sendeof()
    terminal.child.expect(pexpect.EOF, timeout=5)
    terminal.child.close()
    assert terminal.child.exitstatus == 0
