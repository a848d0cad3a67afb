"""The outbox of webhook posts: written with the lead, sent later, never silently lost.

A post is `pending` until a worker delivers it (`delivered`) or has used every attempt
(`failed`); each failure's error and HTTP status stay on the row for staff to see.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.enums import WebhookDeliveryStatus
from crm_bridge.models import WebhookDelivery

_MAX_ERROR_LENGTH = 2000


def enqueue(
    session: Session, *, event: str, url: str, payload: dict[str, Any], lead_id: int | None
) -> WebhookDelivery:
    """Queue one post, due now; commit it with the change it reports."""
    delivery = WebhookDelivery(
        event=event,
        url=url,
        payload=payload,
        lead_id=lead_id,
        status=WebhookDeliveryStatus.pending,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(delivery)
    session.flush()
    return delivery


def claim_due(session: Session, *, now: datetime, lease: timedelta, limit: int = 20) -> list[int]:
    """Ids of pending posts that are due, pushed `lease` into the future so that another
    worker (a second gateway) does not send them at the same time."""
    statement = (
        sa.select(WebhookDelivery)
        .where(
            WebhookDelivery.status == WebhookDeliveryStatus.pending,
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = list(session.scalars(statement))
    for delivery in claimed:
        delivery.next_attempt_at = now + lease
    session.flush()
    return [delivery.id for delivery in claimed]


def record_success(session: Session, delivery: WebhookDelivery, *, status_code: int) -> None:
    """The receiver accepted the post (an earlier failure's error stays on the row)."""
    delivery.attempts += 1
    delivery.status = WebhookDeliveryStatus.delivered
    delivery.last_status_code = status_code
    delivery.delivered_at = utcnow()
    session.flush()


def record_failure(
    session: Session,
    delivery: WebhookDelivery,
    *,
    error: str,
    status_code: int | None,
    retry_at: datetime | None,
) -> None:
    """One failed attempt; `retry_at` None means no attempt is left (status `failed`)."""
    delivery.attempts += 1
    delivery.last_error = error[:_MAX_ERROR_LENGTH]
    delivery.last_status_code = status_code
    if retry_at is None:
        delivery.status = WebhookDeliveryStatus.failed
    else:
        delivery.next_attempt_at = retry_at
    session.flush()


def list_deliveries(
    session: Session, *, status: WebhookDeliveryStatus | None = None, lead_id: int | None = None
) -> list[WebhookDelivery]:
    """Posts, oldest first, optionally of one status or one lead."""
    statement = sa.select(WebhookDelivery).order_by(WebhookDelivery.id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    if lead_id is not None:
        statement = statement.where(WebhookDelivery.lead_id == lead_id)
    return list(session.scalars(statement))


def retry_failed(session: Session, delivery: WebhookDelivery) -> None:
    """Put a failed post back in the queue (staff fixed the receiver)."""
    delivery.status = WebhookDeliveryStatus.pending
    delivery.next_attempt_at = utcnow()
    session.flush()
