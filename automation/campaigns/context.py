"""What the campaign engine needs from the application that runs it, in one value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from automation.campaigns.quiet_hours import QuietHours
from mailer.settings import MailSettings


class MessageSender(Protocol):
    """Delivers a campaign message to a conversation on its channel (the gateway's job).

    `buttons` are ``[{"title", "payload"}]`` where a payload that is an http(s) URL is a
    link button. True when the message left; False when the channel refused it or could
    not be reached (the send is then recorded as failed, never retried).
    """

    async def send(self, session_key: str, text: str, buttons: list[dict[str, str]]) -> bool: ...


@dataclass(frozen=True, slots=True)
class CampaignContext:
    """The store, the senders and the rules the engine applies."""

    session_factory: Callable[[], Session]
    sender: MessageSender | None
    public_base_url: str
    quiet_hours: QuietHours | None = None
    # None: email is not configured in this process; email actions are skipped.
    mail_settings: MailSettings | None = None
    # Asks the scheduler to run an enrolment at a time (a date job); None in plain sweeps.
    schedule: Callable[[int, datetime], None] | None = None

    def tracked_link(self, click_token: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/c/{click_token}"
