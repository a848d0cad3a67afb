"""Marketing costs, entered by marketing staff for CAC and ROI: list, add, delete."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.console.auth import Staff
from bot.console.deps import ConsoleDep, MarketingDep, marketing_staff
from bot.console.rendering import redirect, render
from bot.console.services import ConsoleServices
from bot.store import run_in_session
from crm_bridge import audit, marketing_costs
from crm_bridge.enums import AuditAction
from crm_bridge.marketing_costs import InvalidCost
from crm_bridge.models import Campaign, MarketingCost

router = APIRouter(prefix="/console/analytics", dependencies=[Depends(marketing_staff)])
LISTED = 500
_NOTICES = {"added": "Cost saved.", "deleted": "Cost deleted."}


async def _page(
    request: Request,
    console: ConsoleServices,
    staff: Staff,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    def read(session: Session) -> tuple[list[MarketingCost], list[tuple[int, str]]]:
        campaigns = session.execute(
            sa.select(Campaign.id, Campaign.name).order_by(Campaign.name)
        ).tuples()
        return marketing_costs.list_costs(session, limit=LISTED), list(campaigns)

    costs, campaigns = await run_in_session(console.session_factory, read)
    return render(
        request,
        "console/costs.html",
        {
            "costs": costs,
            "campaigns": campaigns,
            "campaign_names": dict(campaigns),
            "error": error,
            "notice": _NOTICES.get(request.query_params.get("done", "")),
            "form": form or {"currency": "EUR"},
            "max_channel": marketing_costs.MAX_CHANNEL,
        },
        staff=staff,
        status_code=status_code,
    )


@router.get("/costs")
async def cost_list(request: Request, console: ConsoleDep, staff: MarketingDep) -> Response:
    """The cost rows, latest period first, and the form to add one."""
    return await _page(request, console, staff)


def parse_day(value: str, label: str) -> date:
    """A YYYY-MM-DD form value, or `InvalidCost` naming the field."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidCost(f"the {label} is not a date (use YYYY-MM-DD)") from None


def parse_amount(value: str) -> Decimal:
    """An amount such as ``1250``, ``1250.50`` or ``1 250,50``; `InvalidCost` otherwise."""
    text = value.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InvalidCost("the amount is not a number (e.g. 1250.50)") from None


def parse_campaign(value: str) -> int | None:
    """The optional campaign select: empty for none."""
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidCost("choose a campaign from the list") from None


@router.post("/costs")
async def add_cost(
    request: Request,
    console: ConsoleDep,
    staff: MarketingDep,
    period_start: Annotated[str, Form(max_length=100)] = "",
    period_end: Annotated[str, Form(max_length=100)] = "",
    amount: Annotated[str, Form(max_length=100)] = "",
    currency: Annotated[str, Form(max_length=100)] = "EUR",
    channel: Annotated[str, Form(max_length=1_000)] = "",
    campaign_id: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Save a cost row (audited as ``cost_entered``); bad input re-renders the form."""
    form = {
        "period_start": period_start,
        "period_end": period_end,
        "amount": amount,
        "currency": currency,
        "channel": channel,
        "campaign_id": campaign_id,
        "note": note,
    }

    def work(session: Session) -> object:
        cost = marketing_costs.add_cost(
            session,
            period_start=parse_day(period_start, "first day"),
            period_end=parse_day(period_end, "last day"),
            amount=parse_amount(amount),
            currency=currency,
            channel=channel,
            campaign_id=parse_campaign(campaign_id),
            note=note,
            entered_by=staff.email,
        )
        return audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.cost_entered,
            target=f"cost:{cost.id}",
            detail=_detail(cost),
        )

    try:
        await run_in_session(console.session_factory, work, commit=True)
    except InvalidCost as refused:
        return await _page(
            request, console, staff, error=f"Not saved: {refused}.", form=form, status_code=400
        )
    return redirect("/console/analytics/costs", done="added")


@router.post("/costs/{cost_id}/delete")
async def delete_cost(
    request: Request, cost_id: int, console: ConsoleDep, staff: MarketingDep
) -> Response:
    """Delete a cost row (audited as ``cost_deleted`` with what it was)."""

    def work(session: Session) -> object:
        cost = marketing_costs.delete_cost(session, cost_id)
        return audit.record(
            session,
            actor=staff.actor,
            action=AuditAction.cost_deleted,
            target=f"cost:{cost_id}",
            detail=_detail(cost),
        )

    try:
        await run_in_session(console.session_factory, work, commit=True)
    except LookupError as missing:
        return await _page(request, console, staff, error=f"{missing}.", status_code=404)
    return redirect("/console/analytics/costs", done="deleted")


def _detail(cost: MarketingCost) -> dict[str, Any]:
    return {
        "period_start": cost.period_start.isoformat(),
        "period_end": cost.period_end.isoformat(),
        "amount": str(cost.amount),
        "currency": cost.currency,
        "channel": cost.channel,
        "campaign_id": cost.campaign_id,
    }
