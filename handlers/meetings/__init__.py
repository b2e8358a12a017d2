"""Meetings: the list and details, registration with its waiting list and seat offers, the
attendees' list for the secretariat, and feedback after a meeting."""
