"""The delivery loop: claim a due outbox message, send it over SMTP, record what happened.

Each message goes through three short transactions: claim (``pending`` -> ``sending``
with a claim token and a lease, committed before any byte goes to the mail server),
send (no transaction open), record (``sent`` / ``pending`` with a later attempt /
``failed``, guarded by the claim token). What a crash in each window leaves behind:

1. Before the claim commits: the message is still ``pending``; the next run sends it.
2. After the claim, before the server accepted the message: it is ``sending`` and was not
   delivered. When the lease runs out, a worker (this one restarted, or another) takes
   it over, records an ``interrupted`` attempt and sends it: delivered once.
3. After the server accepted the message (250 to DATA), before ``sent`` was committed:
   the one window SMTP itself cannot close (it has no idempotent submit). The message is
   taken over as in 2 and sent again *once*, with the same Message-ID (fixed when it was
   queued), so servers and mail clients that de-duplicate by Message-ID show it once.
   A message interrupted more than ``RetryPolicy.max_interruptions`` times is marked
   ``failed`` ("interrupted") instead of risking a third copy; staff can see it.
4. After ``sent`` committed: finished; nothing sends it again.

A worker that stalls past its lease (rather than dying) loses the message to the next
worker; its late result is refused by the claim-token guard and logged, so a recorded
state never flips back. Consent and suppression are checked again in the claim
transaction, since both may have changed while the message waited.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from crm_bridge import consents, email_outbox
from crm_bridge.column_types import utcnow
from crm_bridge.enums import (
    ConsentKind,
    EmailAttemptOutcome,
    EmailCategory,
    EmailSkipReason,
    SuppressionReason,
)
from crm_bridge.models import EmailMessage
from crm_bridge.transactions import run_transaction
from mailer.sender import (
    TIMEOUT_SECONDS,
    OutgoingEmail,
    PermanentFailure,
    TemporaryFailure,
    send_email,
)
from mailer.settings import MailSettings

logger = logging.getLogger(__name__)

SessionFactory = Callable[[], Session]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Back-off on temporary failures: 1, 2, 4 ... minutes, at most 4 h apart, 10 tries."""

    base_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(hours=4)
    max_attempts: int = 10
    lease: timedelta = timedelta(minutes=10)
    max_interruptions: int = 1

    def delay(self, attempt: int) -> timedelta:
        """The wait after the `attempt`-th try failed (attempt counts from 1)."""
        return min(self.base_delay * 2 ** max(attempt - 1, 0), self.max_delay)


@dataclass
class DeliveryReport:
    """What one `deliver_due` call did, message ids per outcome."""

    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    lost_claims: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Claim:
    token: str
    attempts: int
    email: OutgoingEmail


@dataclass(frozen=True, slots=True)
class _Settled:
    """A claimed message finished in the claim transaction without being sent."""

    outbox_id: int
    failed: bool


def deliver_due(
    session_factory: SessionFactory,
    settings: MailSettings,
    *,
    now: datetime | None = None,
    limit: int = 50,
    policy: RetryPolicy = RetryPolicy(),
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Send up to `limit` due messages, one at a time; `now` fixes the clock (tests)."""
    report = DeliveryReport()
    clock = (lambda: now) if now is not None else utcnow
    for _ in range(limit):
        if should_stop():
            break
        claim = run_transaction(
            session_factory, functools.partial(_claim, now=clock(), policy=policy)
        )
        if claim is None:
            break  # nothing due
        if isinstance(claim, _Settled):
            (report.failed if claim.failed else report.skipped).append(claim.outbox_id)
            continue
        bucket = _send_and_record(session_factory, settings, claim, clock, policy)
        getattr(report, bucket).append(claim.email.outbox_id)
    return report


def _send_and_record(
    session_factory: SessionFactory,
    settings: MailSettings,
    claim: _Claim,
    clock: Callable[[], datetime],
    policy: RetryPolicy,
) -> str:
    """Send outside any transaction, then record the result; returns the report bucket."""
    record: Callable[[Session], str]
    try:
        reply = send_email(claim.email, settings)
    except TemporaryFailure as failure:
        record = functools.partial(_retry, claim=claim, failure=failure, now=clock(), policy=policy)
    except PermanentFailure as failure:
        record = functools.partial(_fail, claim=claim, failure=failure)
    else:
        record = functools.partial(_sent, claim=claim, reply=reply, now=clock())
    return run_transaction(session_factory, record)


def _claim(session: Session, now: datetime, policy: RetryPolicy) -> _Claim | _Settled | None:
    """Claim the next due message; settle it here when it must not be sent."""
    message = email_outbox.claim_next(session, now=now, lease=policy.lease)
    if message is None:
        return None
    token = message.claim_token or ""
    if message.interruptions > policy.max_interruptions:
        email_outbox.mark_failed(
            session,
            message.id,
            claim_token=token,
            smtp_code=None,
            error=(
                f"interrupted {message.interruptions} times while sending; not sent again to"
                f" avoid duplicates (Message-ID {message.message_id})"
            ),
            outcome=None,
        )
        logger.error("Email %s given up after repeated interruptions.", message.id)
        return _Settled(message.id, failed=True)
    reason = _skip_reason(session, message)
    if reason is not None:
        email_outbox.mark_skipped(session, message.id, claim_token=token, reason=reason)
        logger.info("Email %s skipped at sending time: %s.", message.id, reason)
        return _Settled(message.id, failed=False)
    return _Claim(
        token=token,
        attempts=message.attempts,
        email=OutgoingEmail(
            outbox_id=message.id,
            to_address=message.to_address or "",
            subject=message.subject,
            text=message.text_body,
            html=message.html_body,
            message_id=message.message_id,
            headers=dict(message.headers or {}),
        ),
    )


def _skip_reason(session: Session, message: EmailMessage) -> EmailSkipReason | None:
    if not message.to_address:
        return EmailSkipReason.no_address
    if message.category is EmailCategory.marketing and (
        message.contact_id is None
        or consents.has_consent(session, contact_id=message.contact_id, kind=ConsentKind.marketing)
        is not True
    ):
        return EmailSkipReason.no_consent
    if email_outbox.is_suppressed(session, message.to_address):
        return EmailSkipReason.suppressed
    return None


def _sent(session: Session, claim: _Claim, reply: str, now: datetime) -> str:
    recorded = email_outbox.mark_sent(
        session,
        claim.email.outbox_id,
        claim_token=claim.token,
        now=now,
        smtp_code=_code(reply),
        detail=reply,
    )
    logger.info("Email %s sent to %s: %s", claim.email.outbox_id, claim.email.to_address, reply)
    return _bucket(recorded is not None, "sent", claim)


def _retry(
    session: Session, claim: _Claim, failure: TemporaryFailure, now: datetime, policy: RetryPolicy
) -> str:
    outbox_id = claim.email.outbox_id
    if claim.attempts >= policy.max_attempts:
        recorded = email_outbox.mark_failed(
            session,
            outbox_id,
            claim_token=claim.token,
            smtp_code=failure.code,
            error=f"gave up after {claim.attempts} attempts: {failure.detail}",
            outcome=EmailAttemptOutcome.temporary_failure,
        )
        logger.error("Email %s failed for good: %s", outbox_id, failure.detail)
        return _bucket(recorded is not None, "failed", claim)
    next_at = now + policy.delay(claim.attempts)
    recorded = email_outbox.mark_retry(
        session,
        outbox_id,
        claim_token=claim.token,
        next_attempt_at=next_at,
        smtp_code=failure.code,
        error=failure.detail,
    )
    logger.warning("Email %s not sent (%s); next try at %s.", outbox_id, failure.detail, next_at)
    return _bucket(recorded is not None, "retried", claim)


def _fail(session: Session, claim: _Claim, failure: PermanentFailure) -> str:
    outbox_id = claim.email.outbox_id
    recorded = email_outbox.mark_failed(
        session, outbox_id, claim_token=claim.token, smtp_code=failure.code, error=failure.detail
    )
    if failure.hard_bounce:
        email_outbox.suppress(
            session,
            address=claim.email.to_address,
            reason=SuppressionReason.hard_bounce,
            detail=failure.detail,
            outbox_id=outbox_id,
        )
    logger.error("Email %s refused for good: %s", outbox_id, failure.detail)
    return _bucket(recorded is not None, "failed", claim)


def _bucket(recorded: bool, bucket: str, claim: _Claim) -> str:
    """The report list for this result; `lost_claims` when another worker owns it now."""
    if recorded:
        return bucket
    logger.warning(
        "Email %s: this worker's claim ran out before the result was recorded; the worker"
        " that took it over decides.",
        claim.email.outbox_id,
    )
    return "lost_claims"


def _code(reply: str) -> int | None:
    head = reply[:3]
    return int(head) if head.isdigit() else None


class MailWorker:
    """Runs `deliver_due` in a thread every `poll_seconds` inside the gateway's lifespan.

    `stop()` lets the message being sent finish (bounded by the SMTP timeout) so a normal
    shutdown never leaves a claim behind; only a kill does (see the crash windows above).
    """

    def __init__(
        self,
        session_factory: SessionFactory,
        settings: MailSettings,
        *,
        poll_seconds: float = 5.0,
        policy: RetryPolicy = RetryPolicy(),
    ) -> None:
        self._session_factory = session_factory
        self._settings = settings
        self._poll_seconds = poll_seconds
        self._policy = policy
        self._stopping = threading.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="mail-worker")
        logger.info("Email worker started: %s.", self._settings.describe())

    @property
    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        """Look for due messages now instead of at the next poll."""
        self._wake.set()

    async def stop(self, timeout: float = TIMEOUT_SECONDS * 3) -> None:
        """Finish the current message, then end the loop; cancel it if that takes too long."""
        if self._task is None:
            return
        self._stopping.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except TimeoutError:
            self._task.cancel()
            logger.warning("Email worker did not finish in %s s; cancelled.", timeout)
        self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await asyncio.to_thread(
                    deliver_due,
                    self._session_factory,
                    self._settings,
                    policy=self._policy,
                    should_stop=self._stopping.is_set,
                )
            except Exception:  # the store may be down for a while; keep the loop alive
                logger.exception("Email delivery run failed; trying again shortly.")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll_seconds)
            self._wake.clear()
