"""The webhook outbox: signed posts to a real local receiver, retries, failures kept."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler

import httpx
import pytest
from sqlalchemy.orm import Session

from crm_bridge import webhooks
from crm_bridge.column_types import utcnow
from crm_bridge.db import make_engine, make_session_factory, upgrade_to_head
from crm_bridge.enums import WebhookDeliveryStatus
from crm_bridge.models import WebhookDelivery
from crm_bridge.settings import WebhookSettings
from crm_bridge.webhook_delivery import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    backoff,
    deliver_due,
    verify_signature,
)
from tests.utils.local_http import LocalHttpServer

SECRET = "test-webhook-secret"


class _Receiver(BaseHTTPRequestHandler):
    """Answers with the next status in `statuses` (then 200) and keeps what it got."""

    statuses: list[int] = []
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        status = type(self).statuses.pop(0) if type(self).statuses else 200
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"receiver broke")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[type[_Receiver], str]]:
    handler = type("Receiver", (_Receiver,), {"statuses": [], "received": []})
    server = LocalHttpServer(handler)
    server.start()
    yield handler, server.origin + "/leads"
    server.stop()


@pytest.fixture
def session_factory(store_url: str) -> Iterator[Callable[[], Session]]:
    upgrade_to_head(store_url)
    engine = make_engine(store_url)
    yield make_session_factory(engine)
    engine.dispose()


def _settings(url: str, **overrides: object) -> WebhookSettings:
    values = {"lead_webhook_url": url, "lead_webhook_secret": SECRET, **overrides}
    return WebhookSettings(**values)  # type: ignore[arg-type]


def _enqueue(session_factory: Callable[[], Session], url: str) -> int:
    with session_factory() as session:
        delivery = webhooks.enqueue(
            session, event="lead.qualified", url=url, payload={"lead": {"id": 7}}, lead_id=None
        )
        session.commit()
        return delivery.id


def _delivery(session_factory: Callable[[], Session], delivery_id: int):
    with session_factory() as session:
        return session.get(WebhookDelivery, delivery_id)


def test_deliver_posts_signed_json_once(session_factory, receiver) -> None:
    handler, url = receiver
    delivery_id = _enqueue(session_factory, url)

    with httpx.Client() as client:
        report = deliver_due(session_factory, _settings(url), client)
        again = deliver_due(session_factory, _settings(url), client)

    assert (report.delivered, again.delivered) == (1, 0)
    ((headers, body),) = handler.received
    assert json.loads(body) == {"lead": {"id": 7}}
    assert headers["X-Webhook-Event"] == "lead.qualified"
    assert headers["X-Webhook-Id"] == str(delivery_id)
    assert verify_signature(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert not verify_signature("wrong", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    delivered = _delivery(session_factory, delivery_id)
    assert delivered.status == WebhookDeliveryStatus.delivered and delivered.attempts == 1


def test_a_failing_receiver_is_retried_later_and_the_failure_kept(
    session_factory,
    receiver,
) -> None:
    handler, url = receiver
    handler.statuses = [500]
    delivery_id = _enqueue(session_factory, url)

    with httpx.Client() as client:
        first = deliver_due(session_factory, _settings(url), client)
        waiting = _delivery(session_factory, delivery_id)
        too_early = deliver_due(session_factory, _settings(url), client)
        later = deliver_due(
            session_factory, _settings(url), client, now=utcnow() + timedelta(minutes=5)
        )

    assert (first.retrying, too_early.delivered, later.delivered) == (1, 0, 1)
    assert waiting.status == WebhookDeliveryStatus.pending
    assert waiting.last_status_code == 500 and "receiver broke" in waiting.last_error
    assert len(handler.received) == 2
    assert _delivery(session_factory, delivery_id).attempts == 2


def test_a_receiver_that_never_answers_ends_failed_not_lost(session_factory) -> None:
    dead_url = "http://127.0.0.1:9/leads"  # the discard port: connection refused
    delivery_id = _enqueue(session_factory, dead_url)
    settings = _settings(dead_url, webhook_max_attempts=2)

    with httpx.Client() as client:
        deliver_due(session_factory, settings, client)
        deliver_due(session_factory, settings, client, now=utcnow() + timedelta(hours=1))

    failed = _delivery(session_factory, delivery_id)
    assert failed.status == WebhookDeliveryStatus.failed
    assert failed.attempts == 2 and "ConnectError" in failed.last_error
    with session_factory() as session:
        assert [d.id for d in webhooks.list_deliveries(session, status="failed")] == [delivery_id]


def test_a_claimed_post_is_not_sent_by_a_second_worker(session_factory) -> None:
    _enqueue(session_factory, "http://127.0.0.1:9/x")
    now = utcnow()
    with session_factory() as session:
        claimed = webhooks.claim_due(session, now=now, lease=timedelta(minutes=2))
        session.commit()
    with session_factory() as session:
        assert webhooks.claim_due(session, now=now, lease=timedelta(minutes=2)) == []
    assert len(claimed) == 1


def test_backoff_doubles_up_to_a_cap() -> None:
    first = timedelta(seconds=30)
    assert [backoff(n, first).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(30, first) == timedelta(hours=6)


def test_settings_refuse_a_url_without_a_secret() -> None:
    with pytest.raises(ValueError, match="LEAD_WEBHOOK_SECRET"):
        WebhookSettings(lead_webhook_url="https://crm.example/hook")
    assert not WebhookSettings().enabled
