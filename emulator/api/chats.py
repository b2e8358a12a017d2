"""Chats and their members: getChat, getChatMember, invite links and join requests."""

import secrets
import time

from emulator.api.registry import method
from emulator.errors import bad_request
from emulator.models import JSON, ChatState, InviteLink
from emulator.objects import chat_member
from emulator.state import World

_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


def _group(world: World, p: JSON) -> ChatState:
    chat = world.resolve_chat(p.get("chat_id"))
    if chat.is_private:
        raise bad_request("method is available only for supergroups and channel")
    return chat


def _admin_group(world: World, p: JSON) -> ChatState:
    chat = _group(world, p)
    if chat.bot_status not in ("administrator", "creator"):
        raise bad_request("not enough rights to manage chat invite link")
    return chat


@method("getChat")
def get_chat(world: World, p: JSON) -> JSON:
    """Full information about a chat (ChatFullInfo)."""
    chat = world.resolve_chat(p.get("chat_id"))
    return {
        **chat.info,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": _NO_GIFTS,
    }


@method("getChatMember")
def get_chat_member(world: World, p: JSON) -> JSON:
    """A user's membership of a chat."""
    chat = world.resolve_chat(p.get("chat_id"))
    user_id = p.get("user_id")
    if user_id == world.bot_user["id"]:
        return chat_member(world.bot_user, chat.bot_status)
    user = world.user_of(user_id)
    if chat.is_private:
        if user_id != chat.id:
            raise bad_request("user not found")
        return chat_member(user, "member")
    return chat_member(user, chat.members.get(user["id"], "left"))


@method("leaveChat")
def leave_chat(world: World, p: JSON) -> bool:
    """The bot leaves a group or channel; it gets a my_chat_member update, as from Telegram."""
    chat = _group(world, p)
    if chat.bot_status in ("left", "kicked"):
        raise bad_request("chat not found")
    old, chat.bot_status = chat.bot_status, "left"
    bot = world.bot_user
    world.push_update(
        "my_chat_member",
        {
            "chat": chat.info,
            "from": bot,
            "date": int(time.time()),
            "old_chat_member": chat_member(bot, old),
            "new_chat_member": chat_member(bot, "left"),
        },
    )
    return True


@method("banChatMember")
def ban_chat_member(world: World, p: JSON) -> bool:
    """Remove a user from a group; they cannot come back until unbanned."""
    chat = _group(world, p)
    user = world.user_of(p.get("user_id"))
    chat.members[user["id"]] = "kicked"
    world.notify()
    return True


@method("unbanChatMember")
def unban_chat_member(world: World, p: JSON) -> bool:
    """Lift a ban; like Telegram, this also removes a present member unless only_if_banned."""
    chat = _group(world, p)
    user = world.user_of(p.get("user_id"))
    status = chat.members.get(user["id"])
    if status == "kicked" or (status is not None and not p.get("only_if_banned")):
        chat.members[user["id"]] = "left"
        world.notify()
    return True


@method("createChatInviteLink")
def create_chat_invite_link(world: World, p: JSON) -> JSON:
    """Create an extra invite link (name, expire_date, member_limit, creates_join_request)."""
    chat = _admin_group(world, p)
    name = p.get("name")
    if name is not None and len(str(name)) > 32:
        raise bad_request("invite link name must be at most 32 characters long")
    limit = p.get("member_limit")
    if limit is not None and not 1 <= limit <= 99999:
        raise bad_request("member_limit must be between 1 and 99999")
    requests = bool(p.get("creates_join_request"))
    if requests and limit is not None:
        raise bad_request(
            "member limit can't be specified for links requiring administrator approval"
        )
    expire = p.get("expire_date")
    if expire is not None and expire <= time.time():
        raise bad_request("EXPIRE_DATE_INVALID")
    link: JSON = {
        "invite_link": f"https://t.me/+{secrets.token_urlsafe(12)}",
        "creator": world.bot_user,
        "creates_join_request": requests,
        "is_primary": False,
        "is_revoked": False,
    }
    for key, value in (("name", name), ("expire_date", expire), ("member_limit", limit)):
        if value is not None:
            link[key] = value
    if requests:
        link["pending_join_request_count"] = 0
    world.invite_links[link["invite_link"]] = InviteLink(chat.id, link)
    world.notify()
    return link


def _decide_join_request(world: World, p: JSON, outcome: str) -> bool:
    chat = _admin_group(world, p)
    user_id = p.get("user_id")
    if not isinstance(user_id, int) or chat.join_requests.get(user_id) != "pending":
        raise bad_request("HIDE_REQUESTER_MISSING")
    chat.join_requests[user_id] = outcome
    private = world.chats.get(user_id)
    if private is not None:
        private.join_request_until = 0.0  # the window closes once the request is handled
    if outcome == "approved":
        old = chat.members.get(user_id, "left")
        chat.members[user_id] = "member"
        user = world.users[user_id]
        world.push_update(
            "chat_member",
            {
                "chat": chat.info,
                "from": world.bot_user,
                "date": int(time.time()),
                "old_chat_member": chat_member(user, old),
                "new_chat_member": chat_member(user, "member"),
            },
        )
    world.notify()
    return True


@method("approveChatJoinRequest")
def approve_chat_join_request(world: World, p: JSON) -> bool:
    """Let a requesting user into the chat."""
    return _decide_join_request(world, p, "approved")


@method("declineChatJoinRequest")
def decline_chat_join_request(world: World, p: JSON) -> bool:
    """Turn down a user's join request."""
    return _decide_join_request(world, p, "declined")
