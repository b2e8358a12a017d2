"""Announcements: /announce (compose, audience, schedule, second admin's approval),
/scheduled, and broadcasts after they start."""
