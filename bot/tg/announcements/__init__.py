"""Announcements on Telegram: the sender's error classification and the broadcast runner."""
