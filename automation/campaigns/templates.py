"""Filling a campaign's message templates with the enrolled contact's variables.

Templates run in Jinja2's sandbox (staff write them; they must not reach Python objects)
with StrictUndefined, so a missing value fails the send with its name instead of leaving
a gap. Which names a trigger offers is `crm_bridge.campaign_specs.template_variables`.
"""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy.orm import Session

from crm_bridge.enums import CampaignTrigger
from crm_bridge.models import Campaign, CampaignEnrollment, Contact, Lead, Product, SuggestionEvent

_environment = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


class TemplateFailed(ValueError):
    """A template could not be filled for this contact; str() says why."""


def render(text: str, variables: dict[str, Any]) -> str:
    """The filled template, or TemplateFailed with Jinja's reason."""
    try:
        return _environment.from_string(text).render(variables).strip()
    except TemplateError as error:
        raise TemplateFailed(f"template error: {error}") from None


def variables_for(
    session: Session, campaign: Campaign, enrollment: CampaignEnrollment, contact: Contact
) -> dict[str, Any]:
    """The values a template of this campaign may use for this enrolment."""
    name = (contact.name or "").strip()
    values: dict[str, Any] = {
        "first_name": name.split()[0] if name else "",
        "name": name,
        "email": contact.email or "",
        "campaign": campaign.name,
    }
    ref = enrollment.trigger_key.partition(":")[2]
    params = campaign.trigger_params or {}
    if campaign.trigger in (CampaignTrigger.lead_qualified, CampaignTrigger.lead_abandoned):
        values["lead"] = _lead(session, ref)
    elif campaign.trigger is CampaignTrigger.suggestion_not_bought:
        values["product"] = _product(session, ref)
        values["days"] = params.get("days")
    elif campaign.trigger is CampaignTrigger.entered_segment:
        values["segment"] = params.get("segment")
    elif campaign.trigger is CampaignTrigger.inactive:
        values["days"] = params.get("days")
    return values


def _lead(session: Session, ref: str) -> dict[str, Any]:
    lead = session.get(Lead, int(ref)) if ref.isdigit() else None
    if lead is None:
        return {}
    return {**(lead.data or {}), "id": lead.id, "status": str(lead.status)}


def _product(session: Session, ref: str) -> dict[str, Any]:
    event = session.get(SuggestionEvent, int(ref)) if ref.isdigit() else None
    product = session.get(Product, event.product_id) if event is not None else None
    if product is None:
        return {}
    return {
        "id": product.id,
        "name": product.name,
        "price": str(product.price),
        "currency": product.currency,
        "category": product.category,
    }
