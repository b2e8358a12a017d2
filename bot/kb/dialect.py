"""The Centre's "chi" for "gì" (what), read by its place in the question.

"Hội là hội chi rứa", "bot ni làm được chi", "trang web của hội là chi": in the Centre
"chi" is "gì". Everywhere it is also the "chi" of "chi hội" (a branch), "chi phí" (a
cost), "chi tiêu" (to spend). It is read as "gì" where only "gì" can be: ending the
question (but for the particles after it), or after "cái", "là", "làm" ("được chi vào
việc gì" is spent on).
"""

from __future__ import annotations

import re

# "chi" ending a question, particles and marks aside, or after a word that asks "what".
_WHAT = re.compile(
    r"(?:(?<=\bcái )|(?<=\blà )|(?<=\bla )|(?<=\blàm )|(?<=\blam ))"
    r"chi\b(?! (?:hội|hoi|nhánh|nhanh|phí|phi|tiêu|tieu|bộ|bo)\b)"
    r"|\bchi(?=(?: (?:rứa|rua|vậy|vay|dị|ạ|a|hả|ha|hè|he|nhỉ|nhi|ri|tề|o|ơi|oi|nha|nhé|hen"
    r"|nghen))*\s*[?.!]*\s*$)",
    re.IGNORECASE,
)


def central_what(question: str) -> str:
    """``question`` with the Centre's "chi" for "gì" written "gì"."""
    if "chi" not in question.lower():
        return question
    return _WHAT.sub("gì", question)
