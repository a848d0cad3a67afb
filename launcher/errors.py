"""The one exception type whose message is shown to the user as a single line."""


class StartupError(Exception):
    """A configuration or environment problem that stops start-up; str() is one line."""
