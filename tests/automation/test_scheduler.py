"""The campaign scheduler on a real SQLAlchemyJobStore: jobs survive a restart."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from automation import scheduler as scheduler_module
from automation.campaigns.context import CampaignContext
from automation.campaigns.triggers import scan_campaign
from automation.scheduler import CampaignScheduler
from automation.settings import AutomationSettings
from crm_bridge import db
from crm_bridge.column_types import utcnow
from crm_bridge.enums import CampaignSendStatus, EnrollmentStatus, LeadStatus
from crm_bridge.models import Campaign, CampaignEnrollment, CampaignSend, scheduler_jobs
from tests.automation.campaigns.conftest import PUBLIC_URL, RecordingSender
from tests.utils.factories import (
    make_campaign,
    make_conversation,
    make_lead,
    make_telegram_contact,
)

SETTINGS = AutomationSettings(_env_file=None, campaign_quiet_hours="")  # type: ignore[call-arg]


def _seed(factory: Callable[[], Session], *, wait_seconds: int) -> None:
    with factory() as session:
        make_campaign(session, wait_seconds=wait_seconds)
        contact = make_telegram_contact(session)
        lead = make_lead(session, conversation=make_conversation(session, contact=contact))
        lead.status = LeadStatus.qualified
        lead.qualified_at = utcnow() - timedelta(minutes=1)
        session.commit()


def _job_ids(factory: Callable[[], Session]) -> list[str]:
    with factory() as session:
        return sorted(session.scalars(sa.select(scheduler_jobs.c.id)))


async def _until(check: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the scheduler work until `check()` holds (the test fails on the asserts after)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)


async def test_a_job_due_during_downtime_runs_once_after_a_restart(sqlite_url: str) -> None:
    first_engine = db.make_engine(sqlite_url)
    factory = db.make_session_factory(first_engine)
    _seed(factory, wait_seconds=0)
    sender = RecordingSender()
    context = CampaignContext(factory, sender, PUBLIC_URL)
    with factory() as session:
        # Enrol as the scan would; the job is due now.
        campaign = session.scalars(sa.select(Campaign)).one()
        (enrollment,) = scan_campaign(session, campaign, now=utcnow())
        session.commit()
        enrollment_id, due_at = enrollment.id, enrollment.due_at

    first = CampaignScheduler(context, SETTINGS, engine=first_engine)
    first.start(periodic=False, paused=True)
    first.schedule_enrollment(enrollment_id, due_at)
    first.shutdown()  # the gateway stops before the job ran
    first_engine.dispose()
    assert _job_ids(factory) == [f"campaign-enrollment-{enrollment_id}"]
    assert sender.sent == []

    second_engine = db.make_engine(sqlite_url)  # a new process on the same database
    second_factory = db.make_session_factory(second_engine)
    second = CampaignScheduler(
        CampaignContext(second_factory, sender, PUBLIC_URL), SETTINGS, engine=second_engine
    )
    second.start(periodic=False)
    try:
        await _until(lambda: _status(second_factory, enrollment_id) is EnrollmentStatus.done)
    finally:
        second.shutdown()
        second_engine.dispose()

    assert len(sender.sent) == 1
    assert _status(factory, enrollment_id) is EnrollmentStatus.done
    with factory() as session:
        (send,) = session.scalars(sa.select(CampaignSend))
        assert send.status is CampaignSendStatus.sent
    assert _job_ids(factory) == []  # a date job is gone once it ran


async def test_the_scan_job_enrols_and_stores_a_date_job_per_waiting_enrolment(
    sqlite_url: str,
) -> None:
    engine = db.make_engine(sqlite_url)
    factory = db.make_session_factory(engine)
    _seed(factory, wait_seconds=3600)
    sender = RecordingSender()
    scheduler = CampaignScheduler(
        CampaignContext(factory, sender, PUBLIC_URL), SETTINGS, engine=engine
    )
    scheduler.start(paused=True)
    try:
        await scheduler_module.scan_job()
        await scheduler_module.scan_job()  # scanning again enrols and schedules nothing new
    finally:
        scheduler.shutdown()
        engine.dispose()

    with factory() as session:
        (enrollment,) = session.scalars(sa.select(CampaignEnrollment))
    assert enrollment.status is EnrollmentStatus.waiting
    assert _job_ids(factory) == sorted(
        ["campaign-scan", f"campaign-enrollment-{enrollment.id}", "values-recompute"]
    )
    assert sender.sent == []


def _status(factory: Callable[[], Session], enrollment_id: int) -> EnrollmentStatus | None:
    with factory() as session:
        enrollment = session.get(CampaignEnrollment, enrollment_id)
        return enrollment.status if enrollment else None
