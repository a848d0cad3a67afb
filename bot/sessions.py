"""Signed web-chat session tokens.

The token carries the conversation's session key (`web-<32 hex>`, also the Rasa sender
id) signed with SESSION_SECRET, so a visitor cannot pick someone else's conversation by
editing the value in their browser storage.
"""

from __future__ import annotations

import re
import uuid

from itsdangerous import BadSignature, URLSafeSerializer

WEB_KEY_PREFIX = "web-"
_WEB_KEY = re.compile(r"^web-[0-9a-f]{32}$")
_SALT = "bot.web-chat-session"


class InvalidSession(ValueError):
    """The token was not signed by us (tampered, truncated or from another secret)."""


def new_web_session_key() -> str:
    """A fresh random session key for a web visitor."""
    return WEB_KEY_PREFIX + uuid.uuid4().hex


class SessionSigner:
    """Signs and checks session tokens with one secret."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt=_SALT)

    def sign(self, session_key: str) -> str:
        return self._serializer.dumps(session_key)

    def unsign(self, token: str) -> str:
        """Return the session key inside `token`, or raise `InvalidSession`."""
        try:
            key = self._serializer.loads(token)
        except BadSignature as error:
            raise InvalidSession("session token signature does not match") from error
        if not isinstance(key, str) or not _WEB_KEY.match(key):
            raise InvalidSession("session token does not hold a web session key")
        return key
