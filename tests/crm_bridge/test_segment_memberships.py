"""Segment memberships: entering opens a row, leaving closes it, returning opens a new one."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge import segment_memberships as memberships
from crm_bridge.models import SegmentMembership
from tests.utils.factories import make_contact

T0 = datetime(2026, 11, 1, tzinfo=UTC)
T1 = T0 + timedelta(days=1)
T2 = T0 + timedelta(days=2)


def _rows(session: Session, key: str) -> list[tuple[int, datetime, datetime | None]]:
    statement = (
        sa.select(SegmentMembership)
        .where(SegmentMembership.segment_key == key)
        .order_by(SegmentMembership.id)
    )
    return [(m.contact_id, m.entered_at, m.left_at) for m in session.scalars(statement)]


def test_sync_opens_closes_and_leaves_the_rest_alone(store_session: Session) -> None:
    a, b, c = (make_contact(store_session).id for _ in range(3))
    first = memberships.sync_segment(
        store_session, segment_key="rfm:champions", contact_ids={a, b}, now=T0
    )

    second = memberships.sync_segment(
        store_session, segment_key="rfm:champions", contact_ids={b, c}, now=T1
    )

    assert first == memberships.MembershipChange(entered=sorted([a, b]), left=[])
    assert second == memberships.MembershipChange(entered=[c], left=[a])
    assert memberships.members(store_session, "rfm:champions") == sorted([b, c])
    assert _rows(store_session, "rfm:champions") == sorted(
        [(a, T0, T1), (b, T0, None), (c, T1, None)]
    )


def test_a_returning_contact_gets_a_new_row(store_session: Session) -> None:
    a = make_contact(store_session).id
    for contact_ids, moment in (({a}, T0), (set(), T1), ({a}, T2)):
        memberships.sync_segment(
            store_session, segment_key="rule:1", contact_ids=contact_ids, now=moment
        )

    again = memberships.sync_segment(store_session, segment_key="rule:1", contact_ids={a}, now=T2)

    assert again == memberships.MembershipChange()
    assert _rows(store_session, "rule:1") == [(a, T0, T1), (a, T2, None)]
    assert [m.entered_at for m in memberships.entries_since(store_session, after=T0)] == [T2]


def test_current_segments_and_counts(store_session: Session) -> None:
    a, b = make_contact(store_session).id, make_contact(store_session).id
    memberships.sync_segment(store_session, segment_key="rfm:lost", contact_ids={a}, now=T0)
    memberships.sync_segment(
        store_session, segment_key="cluster:Big spenders", contact_ids={a, b}, now=T0
    )
    memberships.sync_segment(store_session, segment_key="rfm:lost", contact_ids=set(), now=T1)
    memberships.sync_segment(store_session, segment_key="rfm:loyal", contact_ids={a}, now=T1)

    assert memberships.current_segments(store_session, a) == ["cluster:Big spenders", "rfm:loyal"]
    assert memberships.count_members(
        store_session, ["rfm:lost", "rfm:loyal", "cluster:Big spenders"]
    ) == {"rfm:lost": 0, "rfm:loyal": 1, "cluster:Big spenders": 2}
    assert memberships.open_keys(store_session, prefix="rfm:") == ["rfm:loyal"]


def test_sync_prefix_empties_keys_no_longer_given(store_session: Session) -> None:
    a, b = make_contact(store_session).id, make_contact(store_session).id
    memberships.sync_prefix(
        store_session,
        prefix="cluster:",
        memberships={"cluster:Old name": {a}, "cluster:Other": {b}},
        now=T0,
    )
    memberships.sync_segment(
        store_session, segment_key="clusters_elsewhere", contact_ids={a}, now=T0
    )

    changes = memberships.sync_prefix(
        store_session, prefix="cluster:", memberships={"cluster:New name": {a, b}}, now=T1
    )

    assert changes["cluster:Old name"].left == [a]
    assert changes["cluster:Other"].left == [b]
    assert changes["cluster:New name"].entered == sorted([a, b])
    assert memberships.open_keys(store_session, prefix="cluster:") == ["cluster:New name"]
    assert memberships.members(store_session, "clusters_elsewhere") == [a]  # other prefix untouched
