"""How membership records are shown: application cards, field lists, dates, names.

Shared by the form, the admins' review and the admin tools; not a feature module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.membership import form
from bot.membership.applications import Status
from bot.membership.phones import InvalidPhone, normalise_phone
from bot.services import HasBotData
from bot.storage.membership_records import Application
from bot.texts import Html
from handlers.kit import common


def association_name(context: HasBotData, lang: str) -> str:
    """The association's name in ``lang``."""
    assoc = common.services(context).config.association
    return assoc.name if lang == "vi" else assoc.name_en


def kind_label(context: HasBotData, lang: str, kind: str | None) -> str:
    """ "Individual" or "Organisation" in ``lang`` (without the emoji of the buttons)."""
    if kind not in ("individual", "organisation"):
        return ""
    return common.text(context, f"join.kind.{kind}", lang).split(" ", 1)[-1]


def field_label(context: HasBotData, lang: str, name: str, kind: str | None) -> str:
    """The label of a form field; for organisations some fields read differently."""
    if kind == "organisation" and name in ("full_name", "organisation"):
        suffix = "contact" if name == "full_name" else "member"
        return common.text(context, f"join.field.{name}_{suffix}", lang)
    return common.text(context, f"join.field.{name}", lang)


def question(context: HasBotData, lang: str, step: str, kind: str | None) -> Html:
    """The question asked for a field."""
    if kind == "organisation" and step == "full_name":
        return common.text(context, "join.ask.full_name_contact", lang)
    if kind == "organisation" and step == "organisation":
        return common.text(context, "join.ask.organisation_member", lang)
    return common.text(context, f"join.ask.{step}", lang)


def phone_text(phone: str | None) -> str:
    """A stored phone number (E.164) as people write it: ``0912 345 678``."""
    if not phone:
        return ""
    try:
        return normalise_phone(phone).national
    except InvalidPhone:
        return phone


def field_value(context: HasBotData, lang: str, name: str, value: Any) -> str:
    """A stored answer as shown to people."""
    if name == "kind":
        return kind_label(context, lang, value)
    if name == "phone":
        return phone_text(value)
    return "" if value is None else str(value)


def fields_block(context: HasBotData, lang: str, values: Mapping[str, Any]) -> Html:
    """One ``Label: value`` line per field of the application, values escaped."""
    kind = values.get("kind")
    lines = [
        common.text(
            context,
            "join.summary_line",
            lang,
            label=field_label(context, lang, name, kind),
            value=field_value(context, lang, name, values.get(name)),
        )
        for name in form.fields_for(kind)
    ]
    return Html("\n".join(lines))


def application_values(application: Application) -> dict[str, Any]:
    """An application's answers, keyed like the form's."""
    return {
        name: getattr(application, name) for name in form.COMMON_FIELDS + form.ORGANISATION_FIELDS
    }


def status_label(context: HasBotData, lang: str, status: str) -> str:
    """ "waiting for review", "approved", ... in ``lang``."""
    return common.text(context, f"status.state.{status}", lang)


async def telegram_name(context: HasBotData, user_id: int) -> str:
    """How the admins recognise an applicant on Telegram: display name and @username."""
    user = await common.services(context).users.get(user_id)
    if user is None:
        return ""
    return f"{user.full_name} (@{user.username})" if user.username else user.full_name


def application_card(
    context: HasBotData, lang: str, application: Application, telegram: str
) -> Html:
    """The card the admins review: every field, who sent it and when."""
    return common.text(
        context,
        f"review.card.{application.kind}",
        lang,
        **card_params(context, application, telegram),
    )


def card_params(context: HasBotData, application: Application, telegram: str) -> dict[str, Any]:
    """The card's placeholders (the same in every language)."""
    return {
        **application_values(application),
        "phone": phone_text(application.phone),
        "id": application.id,
        "telegram": telegram,
        "telegram_id": application.user_id,
        "date": common.local_time(context, application.submitted_at),
    }


def outcome_line(context: HasBotData, lang: str, application: Application) -> Html:
    """The line added to an admin's card once the application is decided."""
    when = common.local_time(context, application.decided_at)
    if application.status == Status.APPROVED:
        return common.text(
            context,
            "review.outcome.approved",
            lang,
            admin=application.decided_by_name or "",
            date=when,
            number=application.member_number,
        )
    if application.status == Status.REJECTED:
        return common.text(
            context,
            "review.outcome.rejected",
            lang,
            admin=application.decided_by_name or "",
            date=when,
            reason=application.reason or "",
        )
    return common.text(context, "review.outcome.withdrawn", lang, date=when)
