"""Sales leads."""

from sqlalchemy.orm import Session

from crm_bridge import leads
from crm_bridge.enums import Channel, LeadStatus
from tests.utils.factories import make_conversation, make_lead


def test_create_lead_stores_data_and_starts_new(store_session: Session) -> None:
    conversation = make_conversation(store_session, channel=Channel.telegram)
    lead = leads.create_lead(
        store_session,
        contact_id=conversation.contact_id,
        conversation_id=conversation.id,
        channel=Channel.telegram,
        data={"budget": "500-1000", "company": "Acme"},
        score=0.82,
        grade="hot",
    )
    store_session.expire(lead)
    assert lead.status == LeadStatus.new
    assert lead.data == {"budget": "500-1000", "company": "Acme"}
    assert (lead.score, lead.grade, lead.channel) == (0.82, "hot", Channel.telegram)


def test_lead_without_conversation_is_allowed(store_session: Session) -> None:
    conversation = make_conversation(store_session)
    lead = leads.create_lead(
        store_session,
        contact_id=conversation.contact_id,
        conversation_id=None,
        channel=Channel.web,
        data={},
    )
    assert lead.id is not None and lead.conversation_id is None


def test_list_leads_filters_and_orders_newest_first(store_session: Session) -> None:
    first = make_lead(store_session, grade="warm")
    second = make_lead(store_session, grade="hot")
    third = make_lead(store_session, grade="hot")
    leads.set_lead_status(store_session, third, LeadStatus.qualified)
    assert leads.list_leads(store_session) == [third, second, first]
    assert leads.list_leads(store_session, grade="hot") == [third, second]
    assert leads.list_leads(store_session, status=LeadStatus.new) == [second, first]
    assert leads.list_leads(store_session, contact_id=first.contact_id) == [first]
    assert leads.list_leads(store_session, limit=1) == [third]
