"""The gateway's campaign scheduler: APScheduler 3 on the CRM store's ``apscheduler_jobs``.

Jobs survive a restart because they live in the database (`SQLAlchemyJobStore` on the
table our migration creates); a date job that fell due while the gateway was down runs
at the next start (``misfire_grace_time=None``, coalesced). Jobs name their function as
text (``automation.scheduler:run_enrollment_job``) and carry only ids, so they unpickle in
any process; the module-level context set by `CampaignScheduler.start` gives them the
store and the senders. Jobs:

- ``campaign-scan`` every CAMPAIGN_SCAN_SECONDS: refresh rule segments when a campaign
  needs them, scan triggers, then sweep every due enrolment (which also catches those
  whose own job was lost);
- ``campaign-enrollment-<id>``: one date job per waiting enrolment at its ``due_at``;
- ``values-recompute`` daily at VALUES_RECOMPUTE_AT (CAMPAIGN_TIMEZONE): customer values,
  then rule segments (`automation.values`).

Several gateways may each run a scheduler on one database; they may then run the same
job twice, which is harmless: enrolments are unique per event and claimed before they
run (see `automation.campaigns.engine`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine

from automation.campaigns import engine
from automation.campaigns.context import CampaignContext
from automation.campaigns.triggers import needs_rule_segments
from automation.settings import AutomationSettings
from crm_bridge.column_types import utcnow

logger = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
SCAN_JOB_ID = "campaign-scan"
VALUES_JOB_ID = "values-recompute"
SCAN_JOB = "automation.scheduler:scan_job"
ENROLLMENT_JOB = "automation.scheduler:run_enrollment_job"
VALUES_JOB = "automation.scheduler:recompute_values_job"
JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}

_context: CampaignContext | None = None


class CampaignScheduler:
    """Start in the gateway's lifespan (inside its event loop), stop at shutdown."""

    def __init__(
        self, context: CampaignContext, settings: AutomationSettings, *, engine: Engine
    ) -> None:
        self.settings = settings
        self.context = context
        self._engine = engine
        self._scheduler: AsyncIOScheduler | None = None

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def start(self, *, periodic: bool = True, paused: bool = False) -> None:
        """Start the scheduler; `periodic=False` leaves out the scan and values jobs,
        `paused=True` keeps and stores jobs without running them (APScheduler's pause)."""
        global _context
        scheduler = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self._engine, tablename=JOB_TABLE)},
            job_defaults=JOB_DEFAULTS,
            timezone=self.settings.timezone,
        )
        _context = replace(self.context, schedule=self.schedule_enrollment)
        self._scheduler = scheduler
        if periodic:
            scheduler.add_job(
                SCAN_JOB,
                "interval",
                seconds=self.settings.campaign_scan_seconds,
                id=SCAN_JOB_ID,
                replace_existing=True,
            )
            at = self.settings.recompute_time
            scheduler.add_job(
                VALUES_JOB,
                "cron",
                hour=at.hour,
                minute=at.minute,
                id=VALUES_JOB_ID,
                replace_existing=True,
            )
        scheduler.start(paused=paused)
        logger.info(
            "Campaign scheduler on: scan every %s s, quiet hours %s (%s)",
            self.settings.campaign_scan_seconds,
            self.settings.campaign_quiet_hours or "off",
            self.settings.campaign_timezone,
        )

    def schedule_enrollment(self, enrollment_id: int, due_at: datetime) -> None:
        """A date job that runs the enrolment at `due_at` (replacing an earlier one)."""
        if self._scheduler is None:
            return
        self._scheduler.add_job(
            ENROLLMENT_JOB,
            "date",
            run_date=due_at,
            args=[enrollment_id],
            id=f"campaign-enrollment-{enrollment_id}",
            replace_existing=True,
        )

    def shutdown(self) -> None:
        """Stop running jobs; the stored jobs stay for the next start."""
        global _context
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        _context = None


def _require_context() -> CampaignContext:
    if _context is None:
        raise RuntimeError("the campaign scheduler is not started in this process")
    return _context


async def scan_job() -> None:
    """Refresh rule segments if needed, enrol from triggers, run what is due."""
    context = _require_context()
    now = utcnow()
    if await engine.in_thread(context, needs_rule_segments):
        await _refresh_rule_segments(context, now)
    await engine.scan_triggers(context, now=now)
    await engine.run_due(context, now=now)


async def run_enrollment_job(enrollment_id: int) -> None:
    """The date job of one enrolment."""
    await engine.run_enrollment(_require_context(), enrollment_id)


async def recompute_values_job() -> None:
    """Nightly: customer values, then the saved segments' memberships."""
    # Imported when first needed: SciPy and scikit-learn take seconds to import, and the
    # gateway should not wait for them at start.
    from automation.values import recompute_values

    context = _require_context()
    now = utcnow()
    await asyncio.to_thread(recompute_values, context.session_factory, now=now)
    await _refresh_rule_segments(context, now)


async def _refresh_rule_segments(context: CampaignContext, now: datetime) -> None:
    from automation.values import refresh_rule_segments  # lazily, as in recompute_values_job

    try:
        await asyncio.to_thread(refresh_rule_segments, context.session_factory, now=now)
    except Exception:
        logger.exception(
            "Refreshing rule segments failed; scanning with the memberships as they are"
        )
