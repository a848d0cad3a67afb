"""Experiments (marketing and admins): list, start one, read its posteriors, fix a winner.

The detail page shows, per variant, the conversations assigned and converted (counted
from the CRM store by the experiment's goal), the posterior mean rate with its 95 %
credible interval and the probability of being the best variant (`marketing.experiments`).
P(best) is a Monte Carlo estimate seeded by the experiment's id, so reloading the page
with the same data shows the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from automation.experiments import PLACES
from bot.console.auth import Staff
from bot.console.deps import ConsoleDep, MarketingDep, marketing_staff
from bot.console.rendering import redirect, render
from bot.store import run_in_session
from crm_bridge import audit, experiments
from crm_bridge.column_types import utcnow
from crm_bridge.enums import AuditAction, ExperimentGoal
from crm_bridge.experiments import InvalidExperiment, VariantCounts
from crm_bridge.models import Experiment
from marketing.experiments import ArmCounts, ArmSummary, summarize

router = APIRouter(prefix="/console", dependencies=[Depends(marketing_staff)])
MAX_VARIANTS = 4
VARIANT_KEYS = "abcd"
GOALS = {
    ExperimentGoal.suggestion_click: "a suggested product's card is clicked",
    ExperimentGoal.lead_created: "a lead (quote, demo, call-back) is completed",
}
_NOTICES = {"created": "Experiment started.", "stopped": "Experiment stopped; the winner is fixed."}


@dataclass(frozen=True, slots=True)
class VariantRow:
    """A variant's counts beside its posterior, as the detail page lists them."""

    counts: VariantCounts
    summary: ArmSummary


@router.get("/experiments")
async def experiments_page(request: Request, console: ConsoleDep, staff: MarketingDep) -> Response:
    """Every experiment: place, name, goal, status and winner."""
    rows = await run_in_session(console.session_factory, experiments.list_experiments)
    return render(
        request,
        "console/experiments.html",
        {
            "experiments": rows,
            "places": PLACES,
            "notice": _NOTICES.get(request.query_params.get("done", "")),
        },
        staff=staff,
    )


def _form(
    request: Request,
    staff: Staff,
    form: dict[str, Any],
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "console/experiment_form.html",
        {"form": form, "places": PLACES, "goals": GOALS, "error": error},
        staff=staff,
        status_code=status_code,
    )


@router.get("/experiments/new")
async def new_experiment(request: Request, staff: MarketingDep) -> Response:
    """An empty form: place, name, goal and up to four variant texts."""
    form = {"key": "greeting", "name": "", "goal": "suggestion_click", "texts": [""] * MAX_VARIANTS}
    return _form(request, staff, form)


@router.post("/experiments")
async def create_experiment(
    request: Request,
    console: ConsoleDep,
    staff: MarketingDep,
    key: Annotated[str, Form(max_length=200)] = "",
    name: Annotated[str, Form(max_length=1000)] = "",
    goal: Annotated[str, Form(max_length=100)] = "",
    text: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Start an experiment; bad input re-renders the form with the reason and the input."""
    texts = [value.strip() for value in (text or [])][:MAX_VARIANTS]
    form = {
        "key": key,
        "name": name,
        "goal": goal,
        "texts": texts + [""] * (MAX_VARIANTS - len(texts)),
    }
    filled = [value for value in texts if value]
    if key not in PLACES:
        return _form(
            request, staff, form, error="Not saved: choose a place of the list.", status_code=400
        )

    def work(session: Session) -> Experiment:
        experiment = experiments.create_experiment(
            session,
            key=key,
            name=name,
            goal=goal,
            variants=list(zip(VARIANT_KEYS, filled, strict=False)),
            created_by=staff.email,
        )
        audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.experiment_saved,
            target=f"experiment:{experiment.id}",
            detail={"key": key, "name": experiment.name, "goal": goal, "variants": len(filled)},
        )
        return experiment

    try:
        experiment = await run_in_session(console.session_factory, work, commit=True)
    except InvalidExperiment as refused:
        return _form(request, staff, form, error=f"Not saved: {refused}.", status_code=400)
    return redirect(f"/console/experiments/{experiment.id}", done="created")


def _detail(session: Session, experiment_id: int) -> dict[str, Any] | None:
    experiment = experiments.get_experiment(session, experiment_id)
    if experiment is None:
        return None
    counts = experiments.variant_counts(session, experiment_id)
    arms = [ArmCounts.of(trials=row.assigned, successes=row.converted) for row in counts]
    summaries = summarize(arms, rng=np.random.default_rng(experiment.id))
    return {
        "experiment": experiment,
        "rows": [VariantRow(c, s) for c, s in zip(counts, summaries, strict=True)],
        "assigned": sum(row.assigned for row in counts),
    }


async def _detail_page(
    request: Request,
    console: ConsoleDep,
    staff: Staff,
    experiment_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context = await run_in_session(
        console.session_factory, lambda session: _detail(session, experiment_id)
    )
    if context is None:
        return render(
            request,
            "console/error.html",
            {"message": f"There is no experiment {experiment_id}."},
            staff=staff,
            status_code=404,
        )
    context.update(
        places=PLACES,
        goals=GOALS,
        error=error,
        notice=_NOTICES.get(request.query_params.get("done", "")),
    )
    return render(request, "console/experiment.html", context, staff=staff, status_code=status_code)


@router.get("/experiments/{experiment_id}")
async def experiment_page(
    request: Request, experiment_id: int, console: ConsoleDep, staff: MarketingDep
) -> Response:
    """Per variant: assigned, conversions, rate, posterior mean and interval, P(best)."""
    return await _detail_page(request, console, staff, experiment_id)


@router.post("/experiments/{experiment_id}/stop")
async def stop_experiment(
    request: Request,
    experiment_id: int,
    console: ConsoleDep,
    staff: MarketingDep,
    winner_key: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Stop the experiment and show `winner_key`'s text to everyone from now on."""

    def work(session: Session) -> bool:
        experiment = experiments.get_experiment(session, experiment_id)
        if experiment is None:
            return False
        experiments.stop_experiment(
            session, experiment, winner_key=winner_key, by=staff.email, now=utcnow()
        )
        audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.experiment_stopped,
            target=f"experiment:{experiment.id}",
            detail={"key": experiment.key, "winner": winner_key},
        )
        return True

    try:
        found = await run_in_session(console.session_factory, work, commit=True)
    except InvalidExperiment as refused:
        return await _detail_page(
            request,
            console,
            staff,
            experiment_id,
            error=f"Not stopped: {refused}.",
            status_code=400,
        )
    if not found:
        return await _detail_page(request, console, staff, experiment_id)
    return redirect(f"/console/experiments/{experiment_id}", done="stopped")
