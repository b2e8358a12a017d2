"""Announcements: recurrence rules, message splitting and the durable broadcast sender.

Nothing here knows about Telegram's handler classes: ``handlers/announce/`` and
``handlers/subscriptions.py`` are the thin Telegram side.
"""
