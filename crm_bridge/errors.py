"""Exceptions the store raises for callers to show to people."""


class StoreUnavailable(Exception):
    """The CRM database cannot be reached or the URL is unusable; the message is one line."""


class InvalidTransition(ValueError):
    """A status change that the conversation or hand-over state machine does not allow."""
