"""Membership: the join form, /status and withdrawing, the secretariat's review, /members
and /revoke, requests to join the members' group, and the Telegram side of what follows a
decision (:mod:`bot.membership.service`)."""
