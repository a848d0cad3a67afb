"""Campaign actions, one function per `CampaignActionKind` (see `base` for the two kinds)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from automation.campaigns.actions import local, telegram
from automation.campaigns.actions.base import Outcome, Outgoing, Step
from crm_bridge.enums import CampaignActionKind

LocalAction = Callable[[Session, Step], Outcome]
MessageAction = Callable[[Session, Step], Outcome | Outgoing]

LOCAL_ACTIONS: dict[CampaignActionKind, LocalAction] = {
    CampaignActionKind.tag_contact: local.tag_contact,
    CampaignActionKind.email: local.email,
    CampaignActionKind.notify_staff: local.notify_staff,
    CampaignActionKind.webhook: local.webhook,
}
MESSAGE_ACTIONS: dict[CampaignActionKind, MessageAction] = {
    CampaignActionKind.telegram_message: telegram.prepare,
}

__all__ = ["LOCAL_ACTIONS", "MESSAGE_ACTIONS", "Outcome", "Outgoing", "Step"]
