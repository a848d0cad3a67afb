"""The shapes every action module shares: the step it acts on and what came of it.

Two kinds of action:
- local actions (tag, email, staff notification, webhook) only write to the CRM store
  (the outbox workers send later), so their effect and their `campaign_sends` row commit
  in one transaction: exactly once. They implement ``apply(session, step) -> Outcome``.
- messages leave the process (Telegram); ``prepare(session, step)`` returns an `Outgoing`
  (or an `Outcome` when it must not be sent) and the engine records ``sending`` before the
  message goes, so it is sent at most once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from automation.campaigns.context import CampaignContext
from crm_bridge.enums import CampaignSendStatus, CampaignSkipReason
from crm_bridge.models import Campaign, CampaignEnrollment, Contact


@dataclass(frozen=True, slots=True)
class Step:
    """One action of one enrolment, with everything needed to carry it out."""

    context: CampaignContext
    campaign: Campaign
    enrollment: CampaignEnrollment
    contact: Contact
    action: dict[str, Any]
    index: int
    now: datetime
    variables: dict[str, Any]
    # Reserved for a tracked link; stored on the send row only when the action used it.
    click_token: str

    @property
    def where(self) -> str:
        return f"campaign {self.campaign.id} enrolment {self.enrollment.id} action {self.index}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A send row's final (or deferred) state."""

    status: CampaignSendStatus
    skip_reason: CampaignSkipReason | None = None
    detail: str | None = None
    # For `deferred`: when the enrolment should run again.
    retry_at: datetime | None = None
    uses_click_token: bool = False
    sent_at: datetime | None = None

    @classmethod
    def skipped(cls, reason: CampaignSkipReason, detail: str | None = None) -> Outcome:
        return cls(CampaignSendStatus.skipped, reason, detail)

    @classmethod
    def failed(cls, detail: str) -> Outcome:
        return cls(CampaignSendStatus.failed, None, detail)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message ready to leave: the conversation's session key, text and link buttons."""

    session_key: str
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    uses_click_token: bool = False
