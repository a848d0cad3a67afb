"""The campaign form of the console: form fields <-> a campaign definition.

One form covers the common shape: a trigger with its parameter, a wait in hours, an
optional saved segment as condition, and actions in a fixed order (Telegram message,
email, tag, staff notification, webhook), each present when its field is filled in.
"""

from __future__ import annotations

from typing import Any

from crm_bridge.campaign_specs import CampaignInvalid, CampaignSpec, check_spec
from crm_bridge.enums import CampaignActionKind, CampaignTrigger
from crm_bridge.models import Campaign

FIELDS = (
    "name",
    "trigger",
    "days",
    "segment",
    "wait_hours",
    "condition_segment_id",
    "conversion_window_days",
    "telegram_text",
    "link_url",
    "link_label",
    "email_subject",
    "email_body",
    "tag",
    "notify_staff",
    "notify_text",
    "webhook_url",
)
TRIGGERS_WITH_DAYS = (CampaignTrigger.suggestion_not_bought, CampaignTrigger.inactive)


def blank_form() -> dict[str, str]:
    form = dict.fromkeys(FIELDS, "")
    form.update(trigger=str(CampaignTrigger.lead_abandoned), wait_hours="24")
    form.update(conversion_window_days="7", link_label="Have a look")
    return form


def spec_from_form(form: dict[str, str], *, webhooks_enabled: bool) -> CampaignSpec:
    """The checked campaign the form describes, or CampaignInvalid saying what to fix."""
    trigger = form.get("trigger", "")
    params: dict[str, Any] = {}
    if trigger in TRIGGERS_WITH_DAYS:
        params["days"] = _number(form.get("days", ""), "days", default=None)
    if trigger == CampaignTrigger.entered_segment:
        params["segment"] = form.get("segment", "").strip()
    wait_hours = _number(form.get("wait_hours", ""), "the wait (hours)", default=0)
    window = _number(form.get("conversion_window_days", ""), "the conversion window", default=7)
    conditions: dict[str, Any] = {}
    if form.get("condition_segment_id", "").strip():
        conditions["segment_id"] = _number(form["condition_segment_id"], "the condition")
    return check_spec(
        name=form.get("name", ""),
        trigger=trigger,
        trigger_params=params,
        wait_seconds=int(wait_hours) * 3600,
        conditions=conditions,
        actions=_actions(form),
        conversion_window_days=int(window),
        webhooks_enabled=webhooks_enabled,
    )


def form_from_campaign(campaign: Campaign) -> dict[str, str]:
    """The form filled with a stored campaign (the fields the form can show)."""
    form = blank_form()
    form.update(
        name=campaign.name,
        trigger=str(campaign.trigger),
        days=str((campaign.trigger_params or {}).get("days", "")),
        segment=str((campaign.trigger_params or {}).get("segment", "")),
        wait_hours=str(campaign.wait_seconds // 3600),
        condition_segment_id=str((campaign.conditions or {}).get("segment_id", "")),
        conversion_window_days=str(campaign.conversion_window_days),
    )
    for action in campaign.actions or []:
        kind = action.get("kind")
        if kind == CampaignActionKind.telegram_message:
            form.update(telegram_text=action.get("text", ""))
            form.update(
                link_url=action.get("link_url", ""), link_label=action.get("link_label", "")
            )
        elif kind == CampaignActionKind.email:
            form.update(email_subject=action.get("subject", ""), email_body=action.get("body", ""))
        elif kind == CampaignActionKind.tag_contact:
            form.update(tag=action.get("tag", ""))
        elif kind == CampaignActionKind.notify_staff:
            form.update(notify_staff="yes", notify_text=action.get("text", ""))
        elif kind == CampaignActionKind.webhook:
            form.update(webhook_url=action.get("url", ""))
    return form


def _actions(form: dict[str, str]) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    if form.get("telegram_text", "").strip():
        action = {"kind": "telegram_message", "text": form["telegram_text"]}
        if form.get("link_url", "").strip():
            action.update(link_url=form["link_url"], link_label=form.get("link_label", ""))
        actions.append(action)
    if form.get("email_subject", "").strip() or form.get("email_body", "").strip():
        actions.append(
            {
                "kind": "email",
                "subject": form.get("email_subject", ""),
                "body": form.get("email_body", ""),
            }
        )
    if form.get("tag", "").strip():
        actions.append({"kind": "tag_contact", "tag": form["tag"]})
    if form.get("notify_staff") == "yes":
        actions.append({"kind": "notify_staff", "text": form.get("notify_text", "")})
    if form.get("webhook_url", "").strip():
        actions.append({"kind": "webhook", "url": form["webhook_url"]})
    return actions


def _number(value: str, what: str, *, default: int | None = None) -> int:
    value = (value or "").strip()
    if not value and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        raise CampaignInvalid(f"{what} must be a whole number") from None
