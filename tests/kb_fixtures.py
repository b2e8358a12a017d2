"""Knowledge folders for end-to-end tests: a copy of the shipped one, plus what a test adds.

Everything added here is FICTIONAL test data, not the association's knowledge.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from tests.harness import ROOT

SHIPPED = ROOT / "knowledge"

FICTIONAL_CHARTER = """\
ĐIỀU LỆ HỘI MẪU (FICTIONAL – văn bản giả dùng cho kiểm thử, không phải Điều lệ thật)

Chương I
NHỮNG QUY ĐỊNH CHUNG (FICTIONAL)

Điều 1. Tên gọi
Tên của hội mẫu là Hội Mẫu Kiểm Thử (FICTIONAL).

Điều 2. Tôn chỉ
Hội mẫu chỉ tồn tại trong bộ kiểm thử.

Chương II
HỘI VIÊN (FICTIONAL)

Điều 3. Quyền của hội viên mẫu
1. Được đọc văn bản giả này.
2. Được hỏi bot "Điều 3 nói gì".

Điều 4. Nghĩa vụ của hội viên mẫu
Không có nghĩa vụ thật nào (FICTIONAL).
"""

# A FICTIONAL entry with two mistakes: an id Telegram buttons cannot carry (line 2), and an
# answer without its English text (line 5).
BROKEN_FILE = """\
entries:
  - id: "<b>&"
    title: {vi: "Mục hỏng", en: "Broken item"}
    questions: {vi: ["Mục hỏng ở đâu?"], en: ["Where is the broken item?"]}
    answer: {vi: "Chỉ có tiếng Việt"}
    source: {vi: "Thử nghiệm", en: "Test"}
"""


def copy_knowledge(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge folder that a test may change."""
    folder = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, folder)
    return folder


def write_knowledge_file(folder: Path, name: str, text: str) -> Path:
    """Add (or replace) one YAML file of a knowledge folder."""
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def entry_yaml(entry_id: str, title: str, question: str, answer: str) -> str:
    """One FICTIONAL entry, the same text in both languages, as an ``entries:`` list item."""
    return textwrap.dedent(f"""\
          - id: {entry_id}
            title: {{vi: "{title}", en: "{title}"}}
            questions:
              vi: ["{question}"]
              en: ["{question}"]
            answer:
              vi: "{answer}"
              en: "{answer}"
            source: {{vi: "Nguồn thử nghiệm (FICTIONAL)", en: "Test source (FICTIONAL)"}}
        """)
