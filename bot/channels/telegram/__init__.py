"""Telegram channel (python-telegram-bot): webhook or long polling, through the router.

Only this package knows Telegram's JSON and API; it turns updates into neutral
`InboundMessage`s and the router's `OutboundMessage`s into Bot API calls.
"""
