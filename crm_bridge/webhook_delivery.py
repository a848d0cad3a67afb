"""Sending the webhook outbox: signed JSON posts, retried with exponential back-off.

Each post carries `X-Webhook-Id` (the outbox row, stable across retries, so a receiver
can drop a duplicate), `X-Webhook-Event`, `X-Webhook-Timestamp` and
`X-Webhook-Signature: sha256=<hex>`, the HMAC-SHA256 of "<timestamp>.<body>" with the
shared secret (the scheme Stripe and GitHub use; a receiver checks it with
`verify_signature`). A row is claimed with a lease before the post, so a worker that
dies mid-post leaves it to be retried after the lease, never dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy.orm import Session

from crm_bridge import webhooks
from crm_bridge.column_types import utcnow
from crm_bridge.models import WebhookDelivery
from crm_bridge.settings import WebhookSettings
from crm_bridge.transactions import run_transaction

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
LEASE = timedelta(minutes=2)
SIGNATURE_HEADER = "X-Webhook-Signature"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"


@dataclass
class DeliveryReport:
    """What one pass over the outbox did."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for a body sent at `timestamp`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """True when `signature` was made with `secret` for this body and timestamp."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def backoff(attempts: int, first: timedelta) -> timedelta:
    """Wait before the next try after `attempts` failures: first, 2x, 4x, ... up to 6 h."""
    return min(first * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_due(
    session_factory: Callable[[], Session],
    settings: WebhookSettings,
    client: httpx.Client,
    *,
    now: datetime | None = None,
) -> DeliveryReport:
    """Send every post that is due once; returns how many went, wait or gave up."""
    now = now or utcnow()
    ids = run_transaction(
        session_factory, lambda session: webhooks.claim_due(session, now=now, lease=LEASE)
    )
    report = DeliveryReport()
    for delivery_id in ids:
        outcome = _deliver_one(session_factory, settings, client, delivery_id)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _deliver_one(
    session_factory: Callable[[], Session],
    settings: WebhookSettings,
    client: httpx.Client,
    delivery_id: int,
) -> str:
    snapshot = run_transaction(
        session_factory,
        lambda session: _snapshot(session.get(WebhookDelivery, delivery_id)),
        commit=False,
    )
    if snapshot is None:
        return "failed"
    url, event, body = snapshot
    status_code: int | None = None
    try:
        response = client.post(
            url, content=body, headers=_headers(settings, delivery_id, event, body)
        )
        status_code = response.status_code
        error = None if response.is_success else f"HTTP {status_code}: {response.text[:300]}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"

    def record(session: Session) -> str:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None:
            return "failed"
        if error is None:
            webhooks.record_success(session, delivery, status_code=status_code or 200)
            return "delivered"
        attempts = delivery.attempts + 1
        retry_at = None
        if attempts < settings.webhook_max_attempts:
            first = timedelta(seconds=settings.webhook_first_retry_seconds)
            retry_at = utcnow() + backoff(attempts, first)
        webhooks.record_failure(
            session, delivery, error=error, status_code=status_code, retry_at=retry_at
        )
        logger.warning(
            "Webhook %s to %s failed (attempt %d): %s", delivery_id, url, attempts, error
        )
        return "retrying" if retry_at else "failed"

    return run_transaction(session_factory, record)


def _snapshot(delivery: WebhookDelivery | None) -> tuple[str, str, bytes] | None:
    if delivery is None:
        return None
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    return delivery.url, delivery.event, body


def _headers(
    settings: WebhookSettings, delivery_id: int, event: str, body: bytes
) -> dict[str, str]:
    timestamp = str(int(utcnow().timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": "shopbot-webhooks/1",
        "X-Webhook-Id": str(delivery_id),
        "X-Webhook-Event": event,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(settings.lead_webhook_secret or "", timestamp, body),
    }
