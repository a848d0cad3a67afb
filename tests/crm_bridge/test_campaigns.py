"""Campaign definitions, their life cycle, and the claims that keep runs single."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from crm_bridge import campaign_runs, campaigns, contact_tags
from crm_bridge.campaign_specs import CampaignInvalid, check_spec
from crm_bridge.column_types import utcnow
from crm_bridge.enums import CampaignStatus, EnrollmentStatus
from crm_bridge.errors import InvalidTransition
from tests.utils.factories import make_campaign, make_contact

MESSAGE = {"kind": "telegram_message", "text": "Hi {{ first_name }}"}


def _spec(**overrides: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "name": "Win back",
        "trigger": "inactive",
        "trigger_params": {"days": 90},
        "wait_seconds": 0,
        "conditions": {},
        "actions": [MESSAGE],
    }
    values.update(overrides)
    return check_spec(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": " "}, "name"),
        ({"trigger": "birthday"}, "unknown trigger"),
        ({"trigger_params": {}}, "number of days"),
        ({"trigger": "entered_segment", "trigger_params": {"segment": "vip"}}, "segment key"),
        ({"actions": []}, "at least one action"),
        ({"actions": [{"kind": "fax"}]}, "unknown kind"),
        ({"actions": [{"kind": "telegram_message", "text": "{% if %}"}]}, "template error"),
        ({"actions": [{"kind": "telegram_message", "text": "{{ product.name }}"}]}, "'product'"),
        ({"actions": [{"kind": "tag_contact", "tag": "Not A Tag!"}]}, "tag"),
        ({"actions": [{**MESSAGE, "link_url": "javascript:alert(1)"}]}, "http"),
        ({"actions": [{"kind": "webhook", "url": "https://crm.example.test/hook"}]}, "webhooks"),
        ({"wait_seconds": -1}, "wait"),
    ],
)
def test_check_spec_refuses_what_cannot_run(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(CampaignInvalid, match=message):
        _spec(**overrides)


def test_check_spec_normalises_actions() -> None:
    spec = _spec(
        actions=[
            {**MESSAGE, "link_url": " https://shop.example.test/x ", "extra": "dropped"},
            {"kind": "tag_contact", "tag": " WinBack "},
        ]
    )

    assert spec.actions == [
        {
            "kind": "telegram_message",
            "text": "Hi {{ first_name }}",
            "link_url": "https://shop.example.test/x",
            "link_label": "Open",
        },
        {"kind": "tag_contact", "tag": "winback"},
    ]


def test_life_cycle_and_watermark(store_session: Session) -> None:
    campaign = campaigns.create_campaign(store_session, spec=_spec(), created_by="m@shop.test")
    assert campaign.status is CampaignStatus.draft and campaign.scanned_until is None
    with pytest.raises(CampaignInvalid, match="exists already"):
        campaigns.create_campaign(store_session, spec=_spec(name="WIN BACK"), created_by="x")

    now = utcnow()
    campaigns.set_status(store_session, campaign, CampaignStatus.active, now=now)
    assert campaign.scanned_until == now
    campaigns.set_status(store_session, campaign, CampaignStatus.paused)
    later = now + timedelta(hours=1)
    campaigns.set_status(store_session, campaign, CampaignStatus.active, now=later)
    assert campaign.scanned_until == later  # events during the pause do not enrol
    campaigns.set_status(store_session, campaign, CampaignStatus.archived)

    for status in CampaignStatus:
        with pytest.raises(InvalidTransition):
            campaigns.set_status(store_session, campaign, status)
    with pytest.raises(InvalidTransition):
        campaigns.update_campaign(store_session, campaign, spec=_spec(name="Other"))


def test_an_event_enrols_once_and_one_worker_holds_the_claim(store_session: Session) -> None:
    campaign = make_campaign(store_session)
    contact = make_contact(store_session)
    now = utcnow()
    enrol = {
        "campaign_id": campaign.id,
        "contact_id": contact.id,
        "trigger_key": "lead:1",
        "triggered_at": now,
        "due_at": now + timedelta(hours=1),
    }
    enrollment = campaign_runs.enroll(store_session, **enrol)  # type: ignore[arg-type]
    assert enrollment is not None
    assert campaign_runs.enroll(store_session, **enrol) is None  # type: ignore[arg-type]

    lease = timedelta(minutes=5)
    assert campaign_runs.claim(store_session, enrollment.id, now=now, lease=lease) is None
    due = now + timedelta(hours=1)
    assert campaign_runs.due_enrollment_ids(store_session, now=due) == [enrollment.id]
    token = campaign_runs.claim(store_session, enrollment.id, now=due, lease=lease)
    assert token is not None
    assert campaign_runs.claim(store_session, enrollment.id, now=due, lease=lease) is None
    assert campaign_runs.due_enrollment_ids(store_session, now=due) == []

    # The lease ran out: another worker takes over, and the first one's writes are refused.
    stolen = campaign_runs.claim(store_session, enrollment.id, now=due + 2 * lease, lease=lease)
    assert stolen is not None and stolen != token
    assert not campaign_runs.finish(
        store_session, enrollment.id, token=token, status=EnrollmentStatus.done
    )
    assert campaign_runs.finish(
        store_session, enrollment.id, token=stolen, status=EnrollmentStatus.done
    )
    store_session.refresh(enrollment)
    assert enrollment.status is EnrollmentStatus.done and enrollment.finished_at is not None


def test_contact_tags_are_idempotent_and_lower_case(store_session: Session) -> None:
    contact = make_contact(store_session)

    _, added = contact_tags.add_tag(store_session, contact_id=contact.id, tag="VIP ", added_by="a")
    _, again = contact_tags.add_tag(store_session, contact_id=contact.id, tag="vip", added_by="b")
    contact_tags.add_tag(store_session, contact_id=contact.id, tag="alpha", added_by="a")

    assert (added, again) == (True, False)
    assert contact_tags.list_tags(store_session, contact.id) == ["alpha", "vip"]
    assert contact_tags.remove_tag(store_session, contact_id=contact.id, tag="VIP")
    assert not contact_tags.remove_tag(store_session, contact_id=contact.id, tag="vip")


def test_demo_campaigns_are_drafts_and_seeded_once(store_session: Session) -> None:
    from crm_bridge.demo_campaigns import seed_demo_campaigns

    first = seed_demo_campaigns(store_session)
    again = seed_demo_campaigns(store_session)

    assert len(first) == 3 and again == []
    assert {c.status for c in campaigns.list_campaigns(store_session)} == {CampaignStatus.draft}
