"""Which customers the assistant treats as high-value: a VIP greeting, premium suggestions."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.customer_values import get_customer_value
from crm_bridge.models import CustomerValue

VIP_SEGMENTS = frozenset({"champions", "loyal"})
TOP_CLV_SHARE = 0.10


def is_high_value(session: Session, contact_id: int) -> bool:
    """True for RFM `champions` or `loyal` customers, or a CLV in the top 10 % of customers.

    Both come from the latest value run; a contact without a value row (no orders, or
    values never computed) is not high-value, so the rule fails closed to the ordinary
    assistant. The top 10 % are customers with fewer than 10 % of valued customers above
    them, so ties at the boundary are all in.
    """
    value = get_customer_value(session, contact_id)
    if value is None:
        return False
    if value.rfm_segment in VIP_SEGMENTS:
        return True
    return value.clv is not None and _share_above(session, value.clv) < TOP_CLV_SHARE


def _share_above(session: Session, clv: Decimal) -> float:
    """Share of customers with a CLV whose CLV is higher than `clv`."""
    above = sa.func.sum(sa.case((CustomerValue.clv > clv, 1), else_=0))
    valued, higher = session.execute(sa.select(sa.func.count(CustomerValue.clv), above)).one()
    return (higher or 0) / valued if valued else 1.0
