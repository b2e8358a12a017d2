"""The application form's steps: which question comes next, and reading each answer.

The form's answers are a plain dict (kept as JSON in the ``forms`` table). The next step is
always derived from what is already answered: the first missing field, then consent, then
the summary. Editing a field removes nothing else, so after the new answer the form goes
straight back to the summary (or asks for the representative if the kind became
"organisation").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.membership import validation
from bot.membership.applications import CONSENT_VERSION, Kind
from bot.membership.provinces import BY_CODE, ProvinceMatch, match_province

FORM_NAME = "join"

COMMON_FIELDS = ("kind", "full_name", "organisation", "position", "province", "email", "phone")
ORGANISATION_FIELDS = ("representative",)
# Steps that are answered with buttons rather than typed text.
BUTTON_STEPS = frozenset({"kind", "consent", "summary", "edit"})
CONSENT = "consent"
SUMMARY = "summary"
EDIT = "edit"  # choosing which field to edit


class AmbiguousProvince(ValueError):
    """The typed province may mean several units: the user picks one."""

    def __init__(self, candidates: list[ProvinceMatch]) -> None:
        super().__init__("ambiguous province")
        self.candidates = candidates


@dataclass(frozen=True)
class Answer:
    """A field's accepted answer: values to store, and an optional note for the user."""

    values: dict[str, Any]
    note: str | None = None
    note_params: dict[str, Any] = field(default_factory=dict)


def fields_for(kind: str | None) -> tuple[str, ...]:
    """The fields an application of this kind has, in the order they are asked."""
    if kind == Kind.ORGANISATION:
        return COMMON_FIELDS + ORGANISATION_FIELDS
    return COMMON_FIELDS


def next_step(data: dict[str, Any]) -> str:
    """The first unanswered field, else consent, else the summary."""
    for name in fields_for(data.get("kind")):
        if not data.get(name):
            return name
    if not data.get("consent_at"):
        return CONSENT
    return SUMMARY


def province_answer(match: ProvinceMatch) -> Answer:
    """Store the current unit; tell the user when they typed a former (merged) province."""
    values = {"province": match.province.name, "province_code": match.province.code}
    if match.former:
        return Answer(
            values,
            "join.note.province_merged",
            {"former": match.former, "current": match.province.name},
        )
    return Answer(values)


def province_choice(match: ProvinceMatch) -> tuple[str, int]:
    """How a candidate travels in a button: the unit's code and which former name (0: none)."""
    former = match.province.former.index(match.former) + 1 if match.former else 0
    return match.province.code, former


def province_by_choice(code: str, former: int = 0) -> ProvinceMatch | None:
    """The candidate picked from the buttons offered for an ambiguous answer."""
    province = BY_CODE.get(code)
    if province is None or not 0 <= former <= len(province.former):
        return None
    return ProvinceMatch(province, province.former[former - 1] if former else None)


def _province(raw: str) -> Answer:
    matches = match_province(raw)
    if not matches:
        raise validation.InvalidAnswer("province")
    if len(matches) > 1:
        raise AmbiguousProvince(matches)
    return province_answer(matches[0])


def _plain(name: str, check: Callable[[str], str]) -> Callable[[str], Answer]:
    return lambda raw: Answer({name: check(raw)})


READERS: dict[str, Callable[[str], Answer]] = {
    "kind": _plain("kind", validation.kind),
    "full_name": _plain("full_name", validation.person_name),
    "organisation": _plain("organisation", validation.organisation),
    "position": _plain("position", validation.position),
    "province": _province,
    "email": _plain("email", validation.email),
    "phone": _plain("phone", validation.phone),
    "representative": _plain("representative", validation.person_name),
}


def read_answer(step: str, raw: str) -> Answer:
    """Check the typed answer to ``step``; raise InvalidAnswer or AmbiguousProvince."""
    return READERS[step](raw)


def store(data: dict[str, Any], answer: Answer) -> dict[str, Any]:
    """The form's answers with ``answer`` taken in; a kind without representative drops it."""
    updated = {**data, **answer.values}
    updated.pop("editing", None)
    if updated.get("kind") != Kind.ORGANISATION:
        updated.pop("representative", None)
    return updated


def give_consent(data: dict[str, Any], moment: datetime, language: str) -> dict[str, Any]:
    """Record explicit consent: when, to which text version, in which language."""
    return {
        **data,
        "consent_at": moment.isoformat(timespec="seconds"),
        "consent_version": CONSENT_VERSION,
        "consent_language": language,
    }


def editable_fields(data: dict[str, Any]) -> tuple[str, ...]:
    """The fields offered on the Edit screen."""
    return fields_for(data.get("kind"))


def is_complete(data: dict[str, Any]) -> bool:
    """Every field answered and consent given: the application can be submitted."""
    return next_step(data) == SUMMARY
