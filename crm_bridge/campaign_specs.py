"""Checking what staff enter for a campaign (trigger, wait, conditions, actions, templates)
before it is stored, so a campaign that cannot run is refused with a message, not saved.

Message texts are Jinja2 templates rendered in a sandbox with StrictUndefined; here they
are parsed and may only name the variables of their trigger (`template_variables`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment

from crm_bridge.enums import CampaignActionKind, CampaignTrigger

MAX_ACTIONS = 10
MAX_TEXT = 4000
MAX_WAIT_SECONDS = 365 * 86_400
MAX_DAYS = 3650
TAG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_:\-]{0,39}")
SEGMENT_KEY = re.compile(r"(rfm|cluster|rule):[A-Za-z0-9_\-]{1,100}")
BASE_VARIABLES = frozenset({"first_name", "name", "email", "campaign"})
_TRIGGER_VARIABLES = {
    CampaignTrigger.lead_qualified: frozenset({"lead"}),
    CampaignTrigger.lead_abandoned: frozenset({"lead"}),
    CampaignTrigger.suggestion_not_bought: frozenset({"product", "days"}),
    CampaignTrigger.entered_segment: frozenset({"segment"}),
    CampaignTrigger.inactive: frozenset({"days"}),
}
# Which action fields are templates, per kind.
TEMPLATE_FIELDS = {
    CampaignActionKind.telegram_message: ("text",),
    CampaignActionKind.email: ("subject", "body"),
    CampaignActionKind.notify_staff: ("text",),
}
_syntax = SandboxedEnvironment()


class CampaignInvalid(ValueError):
    """What staff entered cannot make a campaign; str() says what to fix."""


@dataclass(frozen=True, slots=True)
class CampaignSpec:
    """A checked campaign definition, ready to store."""

    name: str
    trigger: CampaignTrigger
    trigger_params: dict[str, Any]
    wait_seconds: int
    conditions: dict[str, Any]
    actions: list[dict[str, Any]]
    conversion_window_days: int


def template_variables(trigger: CampaignTrigger) -> frozenset[str]:
    """The variable names a message template of this trigger may use."""
    return BASE_VARIABLES | _TRIGGER_VARIABLES[CampaignTrigger(trigger)]


def check_spec(
    *,
    name: str,
    trigger: str,
    trigger_params: dict[str, Any] | None,
    wait_seconds: int,
    conditions: dict[str, Any] | None,
    actions: list[dict[str, Any]],
    conversion_window_days: int = 7,
    webhooks_enabled: bool = False,
) -> CampaignSpec:
    """The normalised campaign, or CampaignInvalid naming the first problem found.

    `webhooks_enabled` says whether the webhook outbox can sign posts (LEAD_WEBHOOK_SECRET
    set); a webhook action is refused without it rather than queued unsigned.
    """
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise CampaignInvalid("give the campaign a name of 1 to 120 characters")
    try:
        kind = CampaignTrigger(trigger)
    except ValueError:
        raise CampaignInvalid(f"unknown trigger {trigger!r}") from None
    if not 0 <= int(wait_seconds) <= MAX_WAIT_SECONDS:
        raise CampaignInvalid("the wait must be between 0 and 365 days")
    if not 1 <= int(conversion_window_days) <= 365:
        raise CampaignInvalid("the conversion window must be between 1 and 365 days")
    if not actions:
        raise CampaignInvalid("add at least one action (a message, a tag, a notification...)")
    if len(actions) > MAX_ACTIONS:
        raise CampaignInvalid(f"a campaign has at most {MAX_ACTIONS} actions")
    variables = template_variables(kind)
    return CampaignSpec(
        name=name,
        trigger=kind,
        trigger_params=_check_params(kind, trigger_params or {}),
        wait_seconds=int(wait_seconds),
        conditions=_check_conditions(conditions or {}),
        actions=[
            _check_action(index, action, variables, webhooks_enabled)
            for index, action in enumerate(actions, start=1)
        ],
        conversion_window_days=int(conversion_window_days),
    )


def _check_params(trigger: CampaignTrigger, params: dict[str, Any]) -> dict[str, Any]:
    if trigger in (CampaignTrigger.suggestion_not_bought, CampaignTrigger.inactive):
        days = params.get("days")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise CampaignInvalid(f"the {trigger} trigger needs a number of days (1 to {MAX_DAYS})")
        return {"days": days}
    if trigger is CampaignTrigger.entered_segment:
        segment = str(params.get("segment") or "").strip()
        if SEGMENT_KEY.fullmatch(segment) is None:
            raise CampaignInvalid(
                "the entered_segment trigger needs a segment key such as rfm:at_risk or rule:3"
            )
        return {"segment": segment}
    return {}


def _check_conditions(conditions: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(conditions, dict):
        raise CampaignInvalid("conditions must be an object")
    if "segment_id" in conditions:
        segment_id = conditions["segment_id"]
        if isinstance(segment_id, bool) or not isinstance(segment_id, int) or segment_id < 1:
            raise CampaignInvalid("the condition's segment_id must be a saved segment's id")
        return {"segment_id": segment_id}
    return dict(conditions)


def _check_action(
    index: int, action: dict[str, Any], variables: frozenset[str], webhooks_enabled: bool
) -> dict[str, Any]:
    where = f"action {index}"
    if not isinstance(action, dict):
        raise CampaignInvalid(f"{where} must be an object")
    try:
        kind = CampaignActionKind(action.get("kind"))
    except ValueError:
        raise CampaignInvalid(f"{where} has an unknown kind {action.get('kind')!r}") from None
    where = f"{where} ({kind})"
    checked: dict[str, Any] = {"kind": str(kind)}
    for field in TEMPLATE_FIELDS.get(kind, ()):
        text = str(action.get(field) or "").strip()
        if not text and kind is not CampaignActionKind.notify_staff:
            raise CampaignInvalid(f"{where}: the {field} must not be empty")
        if text:
            checked[field] = check_template(text, variables, where=f"{where} {field}")
    if kind in (CampaignActionKind.telegram_message, CampaignActionKind.email):
        link_url = str(action.get("link_url") or "").strip()
        if link_url:
            if not link_url.startswith(("https://", "http://")) or len(link_url) > 500:
                raise CampaignInvalid(f"{where}: the link must be an http(s):// address")
            checked["link_url"] = link_url
            checked["link_label"] = (str(action.get("link_label") or "").strip() or "Open")[:60]
    if kind is CampaignActionKind.email:
        checked["template"] = str(action.get("template") or "marketing").strip()
    if kind is CampaignActionKind.tag_contact:
        tag = str(action.get("tag") or "").strip().lower()
        if TAG_PATTERN.fullmatch(tag) is None:
            raise CampaignInvalid(
                f"{where}: a tag is 1-40 lower-case letters, digits, '-', '_' or ':'"
            )
        checked["tag"] = tag
    if kind is CampaignActionKind.webhook:
        url = str(action.get("url") or "").strip()
        if not url.startswith(("https://", "http://")) or len(url) > 500:
            raise CampaignInvalid(f"{where}: the URL must be an http(s):// address")
        if not webhooks_enabled:
            raise CampaignInvalid(
                f"{where}: webhooks are off; set LEAD_WEBHOOK_URL and LEAD_WEBHOOK_SECRET so"
                " posts are signed and delivered"
            )
        checked["url"] = url
    return checked


def check_template(text: str, variables: frozenset[str], *, where: str = "template") -> str:
    """`text` when it parses and names only `variables`; CampaignInvalid otherwise."""
    if len(text) > MAX_TEXT:
        raise CampaignInvalid(f"{where} is longer than {MAX_TEXT} characters")
    try:
        parsed = _syntax.parse(text)
    except TemplateSyntaxError as error:
        raise CampaignInvalid(
            f"{where}: template error on line {error.lineno}: {error.message}"
        ) from None
    unknown = sorted(meta.find_undeclared_variables(parsed) - variables)
    if unknown:
        known = ", ".join(sorted(variables))
        raise CampaignInvalid(f"{where}: unknown variable {unknown[0]!r} (known: {known})")
    return text
