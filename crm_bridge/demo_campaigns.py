"""Demo campaigns for `make run`: three sensible follow-ups, left as drafts for staff to
review and activate (nothing is sent until someone does). Re-running changes nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm_bridge import campaigns
from crm_bridge.campaign_specs import CampaignSpec, check_spec
from crm_bridge.models import Campaign

CREATED_BY = "demo"
HOUR = 3600


def demo_specs() -> list[CampaignSpec]:
    """The demo campaigns' definitions."""
    return [
        check_spec(
            name="Nudge abandoned lead forms after 1 day",
            trigger="lead_abandoned",
            trigger_params={},
            wait_seconds=24 * HOUR,
            conditions={},
            actions=[
                {
                    "kind": "telegram_message",
                    "text": (
                        "Hi {{ first_name or 'there' }}, you started a request with us"
                        "{% if lead.need is defined %} about {{ lead.need }}{% endif %}."
                        ' Shall we finish it? Just write "continue" and we pick up where'
                        " you left off."
                    ),
                },
                {"kind": "tag_contact", "tag": "form-nudged"},
            ],
        ),
        check_spec(
            name="Win back customers inactive for 90 days",
            trigger="inactive",
            trigger_params={"days": 90},
            wait_seconds=0,
            conditions={},
            actions=[
                {
                    "kind": "telegram_message",
                    "text": (
                        "Hi {{ first_name or 'there' }}, it has been a while! Our new"
                        " arrivals are in; ask me for a suggestion any time."
                    ),
                },
                {
                    "kind": "email",
                    "subject": "We have missed you, {{ first_name or 'friend' }}",
                    "body": "Our new arrivals are in. Have a look, or ask our assistant.",
                },
                {"kind": "tag_contact", "tag": "winback-sent"},
            ],
            conversion_window_days=14,
        ),
        check_spec(
            name="Suggestion clicked, not bought in 3 days",
            trigger="suggestion_not_bought",
            trigger_params={"days": 3},
            wait_seconds=0,
            conditions={},
            actions=[
                {
                    "kind": "telegram_message",
                    "text": (
                        "Still thinking about the {{ product.name }}? It is in stock for"
                        " {{ product.price }} {{ product.currency }}. Ask me anything about it."
                    ),
                }
            ],
        ),
    ]


def seed_demo_campaigns(session: Session) -> list[Campaign]:
    """Create the demo campaigns that do not exist yet (by name), as drafts; the new ones."""
    existing = {campaign.name.lower() for campaign in campaigns.list_campaigns(session)}
    created = []
    for spec in demo_specs():
        if spec.name.lower() not in existing:
            created.append(campaigns.create_campaign(session, spec=spec, created_by=CREATED_BY))
    return created
