"""Segments (marketing and admins): customer value by RFM segment and cluster, saved rule
segments with their members, and a button that recomputes the values now."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.responses import Response

from automation.values import ValueRunResult, recompute_values, refresh_rule_segments
from bot.console.auth import Staff
from bot.console.deps import ConsoleDep, MarketingDep, marketing_staff
from bot.console.rendering import redirect, render
from bot.console.services import ConsoleServices
from bot.store import run_in_session
from crm_bridge import audit, customer_values, segment_rules, segments
from crm_bridge.column_types import utcnow
from crm_bridge.enums import AuditAction
from crm_bridge.errors import StoreUnavailable
from crm_bridge.models import Segment

router = APIRouter(prefix="/console", dependencies=[Depends(marketing_staff)])
T = TypeVar("T")
MEMBERS_SHOWN = 200
_NOTICES = {
    "recomputed": "Customer values recomputed.",
    "recompute_failed": "The value run failed; the previous values are kept.",
    "saved": "Segment saved.",
    "deleted": "Segment deleted.",
}
_EMPTY_RULES = '{"all": [\n  {"field": "consent.marketing", "op": "is", "value": "granted"}\n]}'


@router.get("/segments")
async def segments_page(request: Request, console: ConsoleDep, staff: MarketingDep) -> Response:
    """The latest value run, value per RFM segment and cluster, and the saved segments."""

    def load(session: Session) -> dict[str, Any]:
        saved = []
        for segment in segments.list_segments(session):
            try:
                count: int | None = segment_rules.count_matching(session, segment.rules)
            except segment_rules.InvalidRules:
                count = None
            saved.append((segment, count))
        ok_run = customer_values.latest_successful_run(session)
        return {
            "run": customer_values.latest_run(session),
            "ok_run": ok_run,
            "report": ok_run.report if ok_run else {},
            "summary": customer_values.segment_summary(session),
            "saved": saved,
        }

    context = await run_in_session(console.session_factory, load)
    context["notice"] = _NOTICES.get(request.query_params.get("done", ""))
    context["describe_centroid"] = describe_centroid
    return render(request, "console/segments.html", context, staff=staff)


@router.post("/segments/recompute")
async def recompute(request: Request, console: ConsoleDep, staff: MarketingDep) -> Response:
    """Recompute RFM, clusters and CLV now (a few seconds), then the rule segments' members."""
    now = utcnow()
    result: ValueRunResult = await _in_thread(
        functools.partial(
            recompute_values, console.session_factory, now=now, triggered_by=staff.email
        )
    )
    if result.status == "ok":
        await _in_thread(functools.partial(refresh_rule_segments, console.session_factory, now=now))

    def log(session: Session) -> object:
        return audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.values_recomputed,
            target=f"value_run:{result.run_id}",
            detail={"status": result.status, "customers": result.customers},
        )

    await run_in_session(console.session_factory, log, commit=True)
    done = "recomputed" if result.status == "ok" else "recompute_failed"
    return redirect("/console/segments", done=done)


@router.get("/segments/new")
async def new_segment(request: Request, staff: MarketingDep) -> Response:
    """An empty segment form with a starting rule."""
    return _form(request, staff, None, {"name": "", "description": "", "rules": _EMPTY_RULES})


@router.post("/segments")
async def create_segment(
    request: Request,
    console: ConsoleDep,
    staff: MarketingDep,
    name: Annotated[str, Form(max_length=1000)] = "",
    description: Annotated[str, Form(max_length=10_000)] = "",
    rules: Annotated[str, Form(max_length=50_000)] = "",
) -> Response:
    """Save a new segment; invalid rules or a taken name re-render the form with the input."""

    def work(session: Session) -> Segment:
        segment = segments.create_segment(
            session, name=name, description=description, rules=rules, created_by=staff.email
        )
        _log_saved(session, staff, segment, created=True)
        return segment

    form = {"name": name, "description": description, "rules": rules}
    return await _save(request, console, staff, None, work, form)


@router.get("/segments/{segment_id}")
async def edit_segment(
    request: Request, segment_id: int, console: ConsoleDep, staff: MarketingDep
) -> Response:
    """The segment's form, with how many contacts match now."""
    segment = await run_in_session(
        console.session_factory, lambda session: segments.get_segment(session, segment_id)
    )
    if segment is None:
        return _missing(request, staff, segment_id)
    rules = json.dumps(segment.rules, indent=2, ensure_ascii=False)
    form = {"name": segment.name, "description": segment.description, "rules": rules}
    return await _form_with_count(request, console, staff, segment, form)


@router.post("/segments/{segment_id}")
async def update_segment(
    request: Request,
    segment_id: int,
    console: ConsoleDep,
    staff: MarketingDep,
    name: Annotated[str, Form(max_length=1000)] = "",
    description: Annotated[str, Form(max_length=10_000)] = "",
    rules: Annotated[str, Form(max_length=50_000)] = "",
) -> Response:
    """Change a segment; invalid input re-renders the form with the input kept."""

    def work(session: Session) -> Segment:
        segment = segments.update_segment(
            session, segment_id, name=name, description=description, rules=rules
        )
        _log_saved(session, staff, segment, created=False)
        return segment

    form = {"name": name, "description": description, "rules": rules}
    return await _save(request, console, staff, segment_id, work, form)


@router.post("/segments/{segment_id}/delete")
async def delete_segment(
    request: Request, segment_id: int, console: ConsoleDep, staff: MarketingDep
) -> Response:
    """Delete a segment; its members leave it."""

    def work(session: Session) -> Segment:
        segment = segments.delete_segment(session, segment_id)
        audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.segment_deleted,
            target=f"segment:{segment_id}",
            detail={"name": segment.name},
        )
        return segment

    try:
        await run_in_session(console.session_factory, work, commit=True)
    except LookupError:
        return _missing(request, staff, segment_id)
    return redirect("/console/segments", done="deleted")


@router.get("/segments/{segment_id}/members")
async def segment_members(
    request: Request, segment_id: int, console: ConsoleDep, staff: MarketingDep
) -> Response:
    """The first contacts the segment matches now, with identities and value, and the total."""

    def load(session: Session) -> dict[str, Any] | None:
        segment = segments.get_segment(session, segment_id)
        if segment is None:
            return None
        try:
            page = segments.members_page(session, segment.rules, limit=MEMBERS_SHOWN)
        except segment_rules.InvalidRules as error:
            return {"segment": segment, "page": None, "error": f"The rules are invalid: {error}."}
        labels = customer_values.rfm_labels(session)
        return {"segment": segment, "page": page, "labels": labels}

    context = await run_in_session(console.session_factory, load)
    if context is None:
        return _missing(request, staff, segment_id)
    context["shown"] = MEMBERS_SHOWN
    return render(request, "console/segment_members.html", context, staff=staff)


def describe_centroid(centroid: dict[str, float], currency: str = "EUR") -> str:
    """A cluster's centre in words: last order, orders, spend, average order."""
    parts = []
    if "recency_days" in centroid:
        parts.append(f"last order {centroid['recency_days']:.0f} days ago")
    if "frequency" in centroid:
        parts.append(f"{centroid['frequency']:.1f} orders")
    if "monetary" in centroid:
        parts.append(f"{centroid['monetary']:,.2f} {currency} spent")
    if "average_order_value" in centroid:
        parts.append(f"{centroid['average_order_value']:,.2f} {currency} per order")
    known = {"recency_days", "frequency", "monetary", "average_order_value"}
    parts += [f"{k.replace('_', ' ')} {v:g}" for k, v in centroid.items() if k not in known]
    return ", ".join(parts)


async def _save(
    request: Request,
    console: ConsoleServices,
    staff: Staff,
    segment_id: int | None,
    work: Callable[[Session], Segment],
    form: dict[str, str],
) -> Response:
    try:
        segment = await run_in_session(console.session_factory, work, commit=True)
    except LookupError:
        return _missing(request, staff, segment_id or 0)
    except (segment_rules.InvalidRules, segments.InvalidSegment) as refused:
        existing = None
        if segment_id is not None:
            existing = await run_in_session(
                console.session_factory, lambda session: segments.get_segment(session, segment_id)
            )
        return _form(
            request, staff, existing, form, error=f"Not saved: {refused}.", status_code=400
        )
    return redirect(f"/console/segments/{segment.id}", done="saved")


async def _form_with_count(
    request: Request,
    console: ConsoleServices,
    staff: Staff,
    segment: Segment,
    form: dict[str, str],
) -> Response:
    def count(session: Session) -> int | None:
        try:
            return segment_rules.count_matching(session, segment.rules)
        except segment_rules.InvalidRules:
            return None

    matching = await run_in_session(console.session_factory, count)
    return _form(request, staff, segment, form, matching=matching)


def _form(
    request: Request,
    staff: Staff,
    segment: Segment | None,
    form: dict[str, str],
    *,
    error: str | None = None,
    matching: int | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "segment": segment,
        "form": form,
        "error": error,
        "matching": matching,
        "fields": segment_rules.FIELDS,
        "notice": _NOTICES.get(request.query_params.get("done", "")),
    }
    return render(
        request, "console/segment_form.html", context, staff=staff, status_code=status_code
    )


def _missing(request: Request, staff: Staff, segment_id: int) -> Response:
    message = f"There is no segment {segment_id}."
    return render(request, "console/error.html", {"message": message}, staff=staff, status_code=404)


def _log_saved(session: Session, staff: Staff, segment: Segment, *, created: bool) -> None:
    audit.record(
        session,
        actor=staff.actor,
        action=AuditAction.segment_saved,
        target=f"segment:{segment.id}",
        detail={"name": segment.name, "created": created},
    )


async def _in_thread(work: Callable[[], T]) -> T:
    """Run a job that opens its own sessions off the event loop; store errors as 503."""
    try:
        return await anyio.to_thread.run_sync(work)
    except SQLAlchemyError as error:
        raise StoreUnavailable(str(error).splitlines()[0]) from error
