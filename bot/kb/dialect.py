"""The Centre's "chi" for "gì" (what) and "mô" for "đâu" (where), read by their place.

"Hội là hội chi rứa", "bot ni làm được chi", "trang web của hội là chi": in the Centre
"chi" is "gì". Everywhere it is also the "chi" of "chi hội" (a branch), "chi phí" (a
cost), "chi tiêu" (to spend). It is read as "gì" where only "gì" can be: ending the
question (but for the particles after it), or after "cái", "là", "làm" ("được chi vào
việc gì" is spent on). Likewise "mô": "đâu" after "ở", "đi", "chỗ", "nơi" ("văn phòng ở
mô"), "nào" ending the question ("năm mô"), and nothing else in "mô hình" (a model) or
"quy mô" (a scale); "dị" and "răng" ending a question are "vậy" and "sao".
"""

from __future__ import annotations

import re

# Particles that may follow the last word of a question ("... là chi rứa o ơi?").
_PARTICLES = "ạ|hả|hè|nhỉ|ri|tề|o|ơi|nha|nhé|hen|nghen"


def _ending(particles: str) -> str:
    """A lookahead: only ``particles`` (an alternation), marks and spaces to the end."""
    return rf"(?=(?: (?:{particles}))*\s*[?.!]*\s*$)"


# "chi" ending a question, particles and marks aside, or after a word that asks "what".
_WHAT = re.compile(
    r"(?:(?<=\bcái )|(?<=\blà )|(?<=\bla )|(?<=\blàm )|(?<=\blam ))"
    r"chi\b(?! (?:hội|hoi|nhánh|nhanh|phí|phi|tiêu|tieu|bộ|bo)\b)"
    r"|\bchi" + _ending(f"rứa|rua|vậy|vay|dị|a|ha|he|nhi|oi|{_PARTICLES}"),
    re.IGNORECASE,
)


# "mô" after a word of place is "đâu" (where); ending the question, after a noun, "nào"
# (which: "năm mô", "chi hội mô"); particles and marks aside.
_WHERE = re.compile(
    r"(?:(?<=\bở )|(?<=\bo )|(?<=\bđi )|(?<=\bdi )|(?<=\bchỗ )|(?<=\bnơi ))mô\b")
_WHICH = re.compile(r"(?<!\bquy )\bmô" + _ending(f"rứa|vậy|dị|{_PARTICLES}"), re.IGNORECASE)


# "dị" (vậy) and "răng" (sao) ending the question: "dị ứng" is an allergy, "răng" a tooth.
_SO = re.compile(r"\b(?:(dị)|(răng))" + _ending(_PARTICLES), re.IGNORECASE)


def _so(match: re.Match[str]) -> str:
    return "vậy" if match[1] else "sao"


def central_what(question: str) -> str:
    """``question`` with the Centre's "chi" for "gì" written "gì", its "mô" for "đâu" or
    "nào", and a "dị" or "răng" ending it for "vậy" or "sao"."""
    lowered = question.lower()
    if "chi" in lowered:
        question = _WHAT.sub("gì", question)
    if "mô" in lowered:
        question = _WHICH.sub("nào", _WHERE.sub("đâu", question))
    if "dị" in lowered or "răng" in lowered:
        question = _SO.sub(_so, question)
    return question
