"""Builders of the Telegram objects the emulator sends: members, files, stickers."""

from emulator.models import JSON, StoredFile

_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages",
)  # fmt: skip
_MEMBER_RIGHTS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
    "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
    "can_invite_users", "can_pin_messages", "can_manage_topics", "can_edit_tag",
)  # fmt: skip
PRESENT = frozenset({"creator", "administrator", "member", "restricted"})


def chat_member(user: JSON, status: str) -> JSON:
    """A ChatMember object with the fields PTB requires for that status."""
    member: JSON = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(can_be_edited=False, is_anonymous=False)
        member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
    elif status == "restricted":
        member.update(is_member=True, until_date=0)
        member.update(dict.fromkeys(_MEMBER_RIGHTS, False))
    elif status == "kicked":
        member["until_date"] = 0
    return member


def document(stored: StoredFile) -> JSON:
    """The Document object of a stored file."""
    result: JSON = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }
    if stored.filename:
        result["file_name"] = stored.filename
    if stored.mime_type:
        result["mime_type"] = stored.mime_type
    return result


def photo(stored: StoredFile) -> list[JSON]:
    """The PhotoSize list of a stored photo: a thumbnail and the full size."""
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": side,
            "height": side,
            "file_size": len(stored.content),
        }
        for side in (90, 800)
    ]


def sticker(stored: StoredFile, emoji: str) -> JSON:
    """A regular, static Sticker object."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
        "file_size": len(stored.content),
    }
