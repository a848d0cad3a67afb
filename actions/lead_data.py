"""Lead form slots <-> the lead's `data` as the CRM store keeps it.

The `data` keys are the contract with scoring, staff and the webhook: request, need,
company, private_customer, team_size, role, authority, budget, timeline, name, email,
email_kind, phone, marketing_consent and skipped (fields the customer chose to skip).
"""

from __future__ import annotations

from typing import Any

from actions.form_base import SKIPPED
from actions.lead_fields import LEAD_FIELDS, PRIVATE_CUSTOMER

FIELD_SLOTS = tuple(LEAD_FIELDS)
REQUEST_SLOT = "lead_request"
BOOKKEEPING_SLOTS = ("lead_attempts", "lead_raw_answers", "lead_id")
ALL_LEAD_SLOTS = (REQUEST_SLOT, *FIELD_SLOTS, *BOOKKEEPING_SLOTS)
REQUESTS = {
    "request_quote": "quote",
    "request_demo": "demo",
    "request_callback": "callback",
    "tell_need": "quote",
}


def _field(slot: str) -> str:
    return slot.removeprefix("lead_")


def data_from_slots(slots: dict[str, Any]) -> dict[str, Any]:
    """The lead's data from the form's slots (unanswered fields are left out)."""
    value = {slot: slots.get(slot) for slot in FIELD_SLOTS}
    data: dict[str, Any] = {"request": slots.get(REQUEST_SLOT) or "quote"}
    data["skipped"] = [_field(slot) for slot, answer in value.items() if answer == SKIPPED]
    answered = {slot: answer for slot, answer in value.items() if answer not in (None, SKIPPED)}
    if "lead_need" in answered:
        data["need"] = answered["lead_need"]
    if "lead_company" in answered:
        private = answered["lead_company"] == PRIVATE_CUSTOMER
        data["company"] = None if private else answered["lead_company"]
        data["private_customer"] = private
    if "lead_team_size" in answered:
        data["team_size"] = int(answered["lead_team_size"])
    if isinstance(answered.get("lead_role"), dict):
        data["role"] = answered["lead_role"].get("title")
        data["authority"] = str(answered["lead_role"].get("authority"))
    for slot in ("lead_budget", "lead_timeline", "lead_name", "lead_phone"):
        if slot in answered:
            data[_field(slot)] = answered[slot]
    if isinstance(answered.get("lead_email"), dict):
        data["email"] = answered["lead_email"].get("address")
        data["email_kind"] = answered["lead_email"].get("kind")
    if "lead_consent" in answered:
        data["marketing_consent"] = bool(answered["lead_consent"])
    return data


def slots_from_data(data: dict[str, Any]) -> dict[str, Any]:
    """The form's slots from a stored lead's data, to resume it where it stopped."""
    slots: dict[str, Any] = {}
    if data.get("request"):
        slots[REQUEST_SLOT] = data["request"]
    if data.get("need"):
        slots["lead_need"] = data["need"]
    if data.get("private_customer"):
        slots["lead_company"] = PRIVATE_CUSTOMER
    elif data.get("company"):
        slots["lead_company"] = data["company"]
    if data.get("team_size") is not None:
        slots["lead_team_size"] = data["team_size"]
    if data.get("authority"):
        slots["lead_role"] = {"title": data.get("role") or "", "authority": data["authority"]}
    for field in ("budget", "timeline", "name", "phone"):
        if data.get(field) is not None:
            slots[f"lead_{field}"] = data[field]
    if data.get("email"):
        slots["lead_email"] = {"address": data["email"], "kind": data.get("email_kind")}
    if data.get("marketing_consent") is not None:
        slots["lead_consent"] = data["marketing_consent"]
    for field in data.get("skipped") or []:
        slots.setdefault(f"lead_{field}", SKIPPED)
    return slots


def company_details(data: dict[str, Any]) -> dict[str, Any]:
    """What stays true of a person between leads: company, team size and role."""
    keep = ("company", "private_customer", "team_size", "role", "authority")
    return {key: data[key] for key in keep if data.get(key) is not None}
