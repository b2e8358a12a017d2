"""Admin tools for members: /members (counts and a CSV export), /member QUERY, /revoke.

Admin commands refuse non-admins politely; revoking asks for confirmation, and every press
re-checks that the presser is an admin and that the member is still active.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.membership.phones import InvalidPhone, normalise_phone
from bot.membership.service import Admin
from bot.spreadsheet import csv_bytes
from bot.storage import utcnow
from bot.storage.membership_records import Member
from bot.texts import Html, formats
from bot.tg.app import AnyApplication
from handlers.kit import answers, callbacks, common, given, personal
from handlers.kit.common import CommandSpec, Context
from handlers.membership import view

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec("members", admin=True),
    CommandSpec("member", admin=True),
    CommandSpec("revoke", admin=True),
]

ASK = "r"  # mb:r:<number>: ask to confirm revoking
YES = "y"
NO = "n"
FOUND_SHOWN = 10
# Enough of a query not found to recognise it, not a pasted page echoed back.
QUERY_SHOWN = 100


def _national(phone: str) -> str:
    try:
        return normalise_phone(phone).national
    except InvalidPhone:
        return phone


def members_csv(context: Context, lang: str, members: list[Member]) -> bytes:
    """Every member record as CSV (:mod:`bot.spreadsheet`: Excel-safe, Vietnamese intact)."""
    header = common.services(context).texts.raw("members.csv_header", lang).split(",")
    erased = common.text(context, "members.erased", lang)
    return csv_bytes(
        header,
        (
            (
                member.number,
                view.kind_label(context, lang, member.kind),
                member.full_name or erased,
                common.text(context, f"members.status.{member.status}", lang),
                common.local_date(context, member.joined_at),
                member.province,
                member.organisation,
                member.position,
                member.applicant_name,
                member.representative,
                member.email,
                _national(member.phone) if member.phone else "",
                member.user_id or "",
            )
            for member in members
        ),
    )


@common.admin_chats_only
@common.admins_only
async def members(update: Update, context: Context) -> None:
    """/members: active members by kind and by province, and the full list as CSV."""
    svc = common.services(context)
    lang = await common.language(update, context)
    records = await svc.membership.members()
    counts = await svc.membership.counts()
    if not sum(counts["kind"].values()):
        # No active member: say so, and still send the register if it holds ended ones.
        await common.reply(update, context, "members.none")
        if records:
            await _send_register(update, context, lang, records)
        return
    missing = common.text(context, "members.value_missing", lang)
    provinces = [
        common.text(
            context, "members.province_line", lang,
            province=province or missing, count=formats.number(count),
        )
        for province, count in counts["province"].items()
    ]
    await common.reply(
        update,
        context,
        "members.summary",
        total=formats.number(sum(counts["kind"].values())),
        individual=formats.number(counts["kind"].get("individual", 0)),
        organisation=formats.number(counts["kind"].get("organisation", 0)),
        provinces=Html("\n".join(provinces)),
    )
    await _send_register(update, context, lang, records)


async def _send_register(
    update: Update, context: Context, lang: str, records: list[Member]
) -> None:
    """The whole register as a CSV file."""
    svc = common.services(context)
    now = utcnow()
    stamp = now.astimezone(svc.config.tz).strftime("%Y%m%d-%H%M")
    export = await context.bot.send_document(
        given.chat(update).id,
        InputFile(members_csv(context, lang, records), filename=f"hoi-vien-{stamp}.csv"),
        caption=common.text(
            context,
            "members.csv_caption",
            lang,
            count=formats.number(len(records)),
            date=common.local_time(context, now),
        ),
    )
    await personal.shown(context, export, [record.user_id for record in records])


def _card(context: Context, lang: str, member: Member) -> Html:
    missing = common.text(context, "members.value_missing", lang)
    if not member.full_name:  # erased at the person's request
        details = common.text(context, "members.erased_details", lang)
    else:
        details = common.text(
            context,
            "members.details",
            lang,
            organisation=member.organisation or missing,
            position=member.position or missing,
            email=member.email or missing,
            phone=view.phone_text(member.phone) or missing,
            telegram=member.user_id or missing,
        )
    return common.text(
        context,
        "members.card",
        lang,
        number=member.number,
        name=member.full_name or common.text(context, "members.erased", lang),
        kind=view.kind_label(context, lang, member.kind),
        status=common.text(context, f"members.status.{member.status}", lang),
        date=common.local_date(context, member.joined_at),
        province=member.province or missing,
        details=details,
    )


@common.admin_chats_only
@common.admins_only
async def member(update: Update, context: Context) -> None:
    """/member QUERY: members by name (without diacritics too), number or Telegram id."""
    query = " ".join(context.args or []).strip()
    if not query:
        await common.reply(update, context, "members.usage_member")
        return
    svc = common.services(context)
    lang = await common.language(update, context)
    found = await svc.membership.search_members(query, limit=FOUND_SHOWN + 1)
    if not found:
        await common.reply(update, context, "members.not_found",
                           query=answers.shorten(query, QUERY_SHOWN))
        return
    for record in found[:FOUND_SHOWN]:
        markup = None
        if record.active:
            markup = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            common.text(
                                context, "members.button.revoke", lang, number=record.number
                            ),
                            callback_data=callbacks.data(callbacks.MEMBERS, ASK, record.number),
                        )
                    ]
                ]
            )
        sent = await context.bot.send_message(
            given.chat(update).id, _card(context, lang, record), reply_markup=markup
        )
        await personal.shown(context, sent, [record.user_id])
    if len(found) > FOUND_SHOWN:
        await common.reply(update, context, "members.found_more", shown=FOUND_SHOWN)


async def _ask_revoke(update: Update, context: Context, number: int) -> None:
    svc = common.services(context)
    lang = await common.language(update, context)
    record = await svc.membership.member(number)
    if record is None or not record.active:
        await common.reply(update, context, "members.not_active", number=number)
        return
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    common.text(context, "members.button.revoke_yes", lang),
                    callback_data=callbacks.data(callbacks.MEMBERS, YES, number),
                ),
                InlineKeyboardButton(
                    common.text(context, "members.button.revoke_no", lang),
                    callback_data=callbacks.data(callbacks.MEMBERS, NO, number),
                ),
            ]
        ]
    )
    asked = await common.reply(
        update,
        context,
        "members.revoke_confirm",
        number=number,
        name=record.full_name,
        reply_markup=buttons,
    )
    await personal.shown(context, asked, [record.user_id])


@common.admin_chats_only
@common.admins_only
async def revoke(update: Update, context: Context) -> None:
    """/revoke NUMBER: ask to confirm ending that membership."""
    number = callbacks.number((context.args or [""])[0].lstrip("#"))
    if number is None:
        await common.reply(update, context, "members.revoke_usage")
        return
    await _ask_revoke(update, context, number)


async def members_pressed(update: Update, context: Context) -> None:
    """Revoke buttons: ask, confirm, or keep."""
    query = given.query(update)
    lang = await common.language(update, context)
    if not common.is_admin(update, context):
        await query.answer(common.text(context, "review.not_admin", lang), show_alert=True)
        return
    await query.answer()
    action = callbacks.part(query.data, 1)
    number = callbacks.number_part(query.data, 2)
    if number is None:
        return
    await common.remove_buttons(query.message)
    if action == ASK:
        await _ask_revoke(update, context, number)
    elif action == NO:
        await common.reply(update, context, "members.revoke_kept", number=number)
    elif action == YES:
        await _revoke(update, context, number)


async def _revoke(update: Update, context: Context, number: int) -> None:
    svc = common.services(context)
    admin = given.user(update)
    record = await svc.decisions.revoke(number, Admin(admin.id, admin.full_name))
    if record is None:
        await common.reply(update, context, "members.not_active", number=number)
        return
    log.info("member %s revoked by %s (%s)", number, admin.id, admin.full_name)
    done = await common.reply(
        update, context, "members.revoked", number=number, name=record.full_name
    )
    await personal.shown(context, done, [record.user_id])
    await svc.decisions.carry_out()


def register(application: AnyApplication) -> None:
    """Wire /members, /member, /revoke and the revoke buttons."""
    application.add_handler(CommandHandler("members", members))
    application.add_handler(CommandHandler("member", member))
    application.add_handler(CommandHandler("revoke", revoke))
    application.add_handler(
        CallbackQueryHandler(members_pressed, pattern=callbacks.pattern(callbacks.MEMBERS))
    )
