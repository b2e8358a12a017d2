"""Who an announcement's audience is, in SQL: the users a broadcast writes delivery rows for.

Audiences are stored as text on schedules and broadcasts:

- ``subscribers``, ``members``: as before (subscribed and reachable; members active);
- ``kind:individual``, ``kind:organisation``: subscribed active members of that kind;
- ``prov:<code>,<code>``: subscribed active members of those provinces (codes of
  :mod:`bot.membership.provinces`);
- ``lang:vi``, ``lang:en``: subscribers who read that language (chosen with /lang, else
  their Telegram language, else the default);
- ``reg:<meeting id>`` or ``reg:<meeting id>:<lang>``: the meeting's registrants holding a
  seat (whether subscribed or not: they asked to come), optionally of one language.

``group``, ``channel`` and ``test`` name their chat explicitly and are not chosen here.
"""

from __future__ import annotations

from bot.membership.applications import MemberStatus
from bot.membership.provinces import BY_CODE
from bot.storage.registrations import RegistrationStatus

_REACHABLE_SUBSCRIBERS = "users.subscribed = 1 AND users.reachable = 1"
_MEMBERS = (
    "SELECT users.id FROM users JOIN members ON members.user_id = users.id "
    f"WHERE members.status = '{MemberStatus.ACTIVE}' AND {_REACHABLE_SUBSCRIBERS}"
)
_LANGUAGE = (
    "COALESCE(users.language, CASE WHEN users.language_code LIKE 'vi%' THEN 'vi' "
    "WHEN users.language_code LIKE 'en%' THEN 'en' ELSE ? END)"
)
KINDS = ("individual", "organisation")
LANGUAGES = ("vi", "en")


def is_chosen_in_sql(audience: str) -> bool:
    """Whether the audience's recipients are chosen from the database."""
    return audience in ("subscribers", "members") or audience.split(":", 1)[0] in (
        "kind", "prov", "lang", "reg"
    )


def province_names(audience: str) -> list[str]:
    """The province names of a ``prov:`` audience."""
    codes = audience.split(":", 1)[1].split(",") if ":" in audience else []
    return [BY_CODE[code].name for code in codes if code in BY_CODE]


def recipients_query(
    audience: str, default_language: str = "vi"
) -> tuple[str, tuple[object, ...]]:
    """A ``SELECT id`` of the audience's user ids, with its parameters.

    Raises ValueError for an audience that is not chosen in SQL or is malformed.
    """
    if audience == "subscribers":
        return f"SELECT id FROM users WHERE {_REACHABLE_SUBSCRIBERS}", ()
    if audience == "members":
        return _MEMBERS, ()
    kind, _, value = audience.partition(":")
    if kind == "kind" and value in KINDS:
        return f"{_MEMBERS} AND members.kind = ?", (value,)
    if kind == "prov":
        names = province_names(audience)
        if names:
            marks = ",".join("?" * len(names))
            return f"{_MEMBERS} AND members.province IN ({marks})", tuple(names)
    if kind == "lang" and value in LANGUAGES:
        return (
            f"SELECT id FROM users WHERE {_REACHABLE_SUBSCRIBERS} AND {_LANGUAGE} = ?",
            (default_language, value),
        )
    if kind == "reg" and value:
        meeting, _, lang = value.partition(":")
        sql = (
            "SELECT users.id FROM registrations JOIN users ON users.id = registrations.user_id "
            "WHERE registrations.meeting_id = ? "
            f"AND registrations.status IN ('{RegistrationStatus.REGISTERED}', "
            f"'{RegistrationStatus.OFFERED}') AND users.reachable = 1"
        )
        if lang:
            return f"{sql} AND registrations.language = ?", (meeting, lang)
        return sql, (meeting,)
    raise ValueError(f"not an audience chosen from the users: {audience!r}")
