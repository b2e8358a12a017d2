"""Membership rules, testable without Telegram: folding Vietnamese text, provinces, phone
numbers, the application form's fields and validation, and the application's life cycle.
"""
