"""Checks on each answer of the application form: bounds, allowed characters, normal form.

A checker returns the value to store (normalised) or raises :class:`InvalidAnswer` whose
``code`` names the catalog text that tells the user what is expected (``join.invalid.<code>``).
Names are stored as typed (NFC, single spaces): HTML or Markdown in them is kept as text and
escaped wherever it is shown.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bot.membership.phones import InvalidPhone, normalise_phone
from bot.text import fold, nfc

PERSON_NAME_LENGTH = (2, 80)
ORGANISATION_LENGTH = (2, 150)
POSITION_LENGTH = (2, 100)
EMAIL_MAX_LENGTH = 254

_URL = re.compile(r"(https?://|www\.|t\.me/)", re.IGNORECASE)
_EMAIL = re.compile(
    r"^(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)

KINDS = ("individual", "organisation")
_KIND_WORDS = {
    "individual": {"ca nhan", "canhan", "individual", "person", "personal", "1"},
    "organisation": {
        "to chuc",
        "tochuc",
        "don vi",
        "organisation",
        "organization",
        "org",
        "institution",
        "2",
    },
}


class InvalidAnswer(ValueError):
    """An answer the form cannot take; ``code`` and ``params`` fill the user's message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _has_forbidden_characters(value: str) -> bool:
    # Control, format, private-use and unassigned characters, and emoji: never in a record.
    return any(
        unicodedata.category(c).startswith("C") or unicodedata.category(c) == "So" for c in value
    )


# Combining marks allowed on one letter after NFC. Vietnamese composes to none (ệ, ữ are
# single characters); other scripts use one or two. More is "Zalgo" text, not a name.
MAX_MARKS_PER_LETTER = 2


def _too_many_marks(value: str) -> bool:
    run = 0
    for character in value:
        run = run + 1 if unicodedata.category(character).startswith("M") else 0
        if run > MAX_MARKS_PER_LETTER:
            return True
    return False


# Words that make an answer read like a question ("hội phí bao nhiêu?"), folded.
_QUESTION_WORDS = re.compile(
    r"\b(bao nhieu|the nao|nhu nao|la gi|o dau|khi nao|bao gio|tai sao|vi sao|lam sao"
    r"|co phai|co duoc|duoc khong|phai khong|hoi phi"
    r"|how|what|when|where|why|which|who is|can i|do i|is it|are there)\b"
)


def looks_like_question(raw: str) -> bool:
    """Whether a form answer reads like a question rather than the answer asked for."""
    value = nfc(raw).strip()
    return value.endswith(("?", "？")) or bool(_QUESTION_WORDS.search(fold(value)))


def _text(raw: str, bounds: tuple[int, int], *, digits: bool) -> str:
    if "\n" in raw.strip():
        raise InvalidAnswer("one_line")
    value = nfc(raw)
    low, high = bounds
    if len(value) < low:
        raise InvalidAnswer("too_short", min=low)
    if len(value) > high:
        raise InvalidAnswer("too_long", max=high, length=len(value))
    if _has_forbidden_characters(value):
        raise InvalidAnswer("characters")
    if _too_many_marks(value):
        raise InvalidAnswer("marks", max=MAX_MARKS_PER_LETTER)
    if _URL.search(value):
        raise InvalidAnswer("link")
    if sum(c.isalpha() for c in value) < 2:
        raise InvalidAnswer("letters")
    if not digits and any(c.isdigit() for c in value):
        raise InvalidAnswer("digits")
    return value


def person_name(raw: str) -> str:
    """A person's full name: 2-80 characters, letters (any script), no digits or emoji."""
    return _text(raw, PERSON_NAME_LENGTH, digits=False)


def organisation(raw: str) -> str:
    """A library's or agency's name: 2-150 characters, digits allowed ("Trường THPT số 1")."""
    return _text(raw, ORGANISATION_LENGTH, digits=True)


def position(raw: str) -> str:
    """A job title: 2-100 characters."""
    return _text(raw, POSITION_LENGTH, digits=True)


def email(raw: str) -> str:
    """An e-mail address, domain lower-cased; ``mailto:`` and spaces around are dropped."""
    value = nfc(raw)
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if len(value) > EMAIL_MAX_LENGTH:
        raise InvalidAnswer("too_long", max=EMAIL_MAX_LENGTH, length=len(value))
    if " " in value:
        raise InvalidAnswer("email")
    match = _EMAIL.match(value)
    if match is None or len(match["local"]) > 64:
        raise InvalidAnswer("email")
    return f"{match['local']}@{match['domain'].lower()}"


def phone(raw: str) -> str:
    """A Vietnamese mobile or landline number, stored as ``+84...``."""
    try:
        return normalise_phone(nfc(raw)).e164
    except InvalidPhone as exc:
        raise InvalidAnswer(f"phone_{exc.reason}") from None


def kind(raw: str) -> str:
    """Individual or organisation membership, from a typed word in either language."""
    word = fold(raw).strip(" .")
    for value, words in _KIND_WORDS.items():
        if word in words:
            return value
    raise InvalidAnswer("kind")


REASON_LENGTH = (3, 500)


def rejection_reason(raw: str) -> str:
    """An admin's reason for rejecting: 3-500 characters, several lines allowed."""
    lines = [nfc(line) for line in unicodedata.normalize("NFC", raw).splitlines()]
    value = "\n".join(line for line in lines if line)
    low, high = REASON_LENGTH
    if len(value) < low:
        raise InvalidAnswer("too_short", min=low)
    if len(value) > high:
        raise InvalidAnswer("too_long", max=high, length=len(value))
    if any(unicodedata.category(c) == "Cc" and c != "\n" for c in value):
        raise InvalidAnswer("characters")
    return value
