"""Meetings beyond the knowledge base: registration, reminders to registrants, feedback."""
