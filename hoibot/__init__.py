"""The programs: ``hoibot`` (bot on Telegram, offline console, operations commands).

The top of the house: it wires the features (``handlers``) into the Telegram layer
(``bot.tg``) and may import anything.
"""
