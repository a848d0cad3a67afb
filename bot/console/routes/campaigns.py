"""Campaigns in the console, for marketing staff and admins: list with results, create,
edit, activate / pause / archive, and a detail page with the latest sends."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.console.auth import Staff
from bot.console.campaign_forms import FIELDS, blank_form, form_from_campaign, spec_from_form
from bot.console.deps import ConsoleDep, MarketingDep, marketing_staff
from bot.console.rendering import redirect, render
from bot.console.services import ConsoleServices
from bot.store import run_in_session
from crm_bridge import audit, campaigns
from crm_bridge.campaign_specs import CampaignInvalid, template_variables
from crm_bridge.campaign_stats import CampaignResult, campaign_results
from crm_bridge.enums import AuditAction, CampaignStatus, CampaignTrigger
from crm_bridge.errors import InvalidTransition
from crm_bridge.models import Campaign, Contact

router = APIRouter(prefix="/console", dependencies=[Depends(marketing_staff)])
SENDS_SHOWN = 100
_NOTICES = {
    "created": "Campaign saved as a draft. Activate it to start enrolling contacts.",
    "saved": "Campaign saved.",
    "active": "Campaign active: new events enrol contacts from now on.",
    "paused": "Campaign paused: waiting contacts are held until it is active again.",
    "archived": "Campaign archived: waiting contacts are cancelled.",
}


@router.get("/campaigns")
async def campaign_list(request: Request, console: ConsoleDep, staff: MarketingDep) -> Response:
    """Every campaign with its status and results."""

    def load(session: Session) -> list[CampaignResult]:
        return campaign_results(session)

    results = await run_in_session(console.session_factory, load)
    return render(
        request,
        "console/campaigns.html",
        {"results": results, "notice": _NOTICES.get(request.query_params.get("done", ""))},
        staff=staff,
    )


@router.get("/campaigns/new")
async def new_campaign(request: Request, console: ConsoleDep, staff: MarketingDep) -> Response:
    return await _form_page(request, console, staff, form=blank_form(), campaign_id=None)


@router.post("/campaigns")
async def create_campaign(request: Request, console: ConsoleDep, staff: MarketingDep) -> Response:
    """Save a new campaign as a draft; a bad form comes back with its message and input."""
    form = await _read_form(request)

    def work(session: Session) -> int:
        spec = spec_from_form(form, webhooks_enabled=_webhooks_enabled(request))
        campaign = campaigns.create_campaign(session, spec=spec, created_by=staff.email)
        _audit(session, staff, AuditAction.campaign_saved, campaign, {"created": True})
        return campaign.id

    try:
        campaign_id = await run_in_session(console.session_factory, work, commit=True)
    except CampaignInvalid as invalid:
        return await _form_page(
            request, console, staff, form=form, campaign_id=None, error=str(invalid)
        )
    return redirect(f"/console/campaigns/{campaign_id}", done="created")


@router.get("/campaigns/{campaign_id}")
async def campaign_detail(
    request: Request, campaign_id: int, console: ConsoleDep, staff: MarketingDep
) -> Response:
    """The campaign's definition, results and latest sends."""

    def load(session: Session) -> dict[str, Any]:
        campaign = _campaign(session, campaign_id)
        result = next(r for r in campaign_results(session) if r.campaign_id == campaign_id)
        sends = campaigns.list_sends(session, campaign_id=campaign_id, limit=SENDS_SHOWN)
        contact_ids = {send.contact_id for send in sends if send.contact_id}
        names = {
            contact.id: contact.name or contact.email or f"#{contact.id}"
            for contact in (session.get(Contact, cid) for cid in contact_ids)
            if contact is not None
        }
        return {"campaign": campaign, "result": result, "sends": sends, "names": names}

    try:
        context = await run_in_session(console.session_factory, load)
    except CampaignMissing:
        return _not_found(request, staff, campaign_id)
    context["notice"] = _NOTICES.get(request.query_params.get("done", ""))
    context["error"] = request.query_params.get("error")
    context["transitions"] = sorted(campaigns.ALLOWED_TRANSITIONS[context["campaign"].status])
    return render(request, "console/campaign.html", context, staff=staff)


@router.get("/campaigns/{campaign_id}/edit")
async def edit_campaign(
    request: Request, campaign_id: int, console: ConsoleDep, staff: MarketingDep
) -> Response:
    try:
        campaign = await run_in_session(
            console.session_factory, lambda session: _campaign(session, campaign_id)
        )
    except CampaignMissing:
        return _not_found(request, staff, campaign_id)
    return await _form_page(
        request, console, staff, form=form_from_campaign(campaign), campaign_id=campaign_id
    )


@router.post("/campaigns/{campaign_id}")
async def update_campaign(
    request: Request, campaign_id: int, console: ConsoleDep, staff: MarketingDep
) -> Response:
    """Save changes to a campaign (not an archived one)."""
    form = await _read_form(request)

    def work(session: Session) -> None:
        campaign = _campaign(session, campaign_id)
        spec = spec_from_form(form, webhooks_enabled=_webhooks_enabled(request))
        campaigns.update_campaign(session, campaign, spec=spec)
        _audit(session, staff, AuditAction.campaign_saved, campaign, {"created": False})

    try:
        await run_in_session(console.session_factory, work, commit=True)
    except CampaignMissing:
        return _not_found(request, staff, campaign_id)
    except (CampaignInvalid, InvalidTransition) as invalid:
        return await _form_page(
            request, console, staff, form=form, campaign_id=campaign_id, error=str(invalid)
        )
    return redirect(f"/console/campaigns/{campaign_id}", done="saved")


@router.post("/campaigns/{campaign_id}/status")
async def change_status(
    request: Request, campaign_id: int, console: ConsoleDep, staff: MarketingDep
) -> Response:
    """Activate, pause or archive."""
    wanted = str((await request.form()).get("status", ""))

    def work(session: Session) -> None:
        campaign = _campaign(session, campaign_id)
        before = campaign.status
        try:
            status = CampaignStatus(wanted)
        except ValueError:
            raise InvalidTransition(f"unknown status {wanted!r}") from None
        campaigns.set_status(session, campaign, status)
        _audit(
            session,
            staff,
            AuditAction.campaign_status_changed,
            campaign,
            {"from": str(before), "to": str(status)},
        )

    try:
        await run_in_session(console.session_factory, work, commit=True)
    except CampaignMissing:
        return _not_found(request, staff, campaign_id)
    except InvalidTransition as refused:
        return redirect(f"/console/campaigns/{campaign_id}", error=f"Not changed: {refused}.")
    return redirect(f"/console/campaigns/{campaign_id}", done=wanted)


async def _form_page(
    request: Request,
    console: ConsoleServices,
    staff: Staff,
    *,
    form: dict[str, str],
    campaign_id: int | None,
    error: str | None = None,
) -> Response:
    def load(session: Session) -> dict[str, Any]:
        return {
            "segment_choices": campaigns.segment_choices(session),
            "saved_segments": [(s.id, s.name) for s in campaigns.saved_segments(session)],
        }

    options = await run_in_session(console.session_factory, load)
    return render(
        request,
        "console/campaign_form.html",
        {
            **options,
            "form": form,
            "campaign_id": campaign_id,
            "error": error,
            "triggers": [str(trigger) for trigger in CampaignTrigger],
            "variables": {str(t): sorted(template_variables(t)) for t in CampaignTrigger},
            "webhooks_enabled": _webhooks_enabled(request),
        },
        staff=staff,
        status_code=400 if error else 200,
    )


async def _read_form(request: Request) -> dict[str, str]:
    data = await request.form()
    return {name: str(data.get(name, ""))[:5000] for name in FIELDS}


def _webhooks_enabled(request: Request) -> bool:
    settings = getattr(request.app.state, "webhook_settings", None)
    return bool(settings is not None and settings.lead_webhook_secret and settings.enabled)


class CampaignMissing(LookupError):
    """No campaign with the id of the URL."""


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = campaigns.get_campaign(session, campaign_id)
    if campaign is None:
        raise CampaignMissing(campaign_id)
    return campaign


def _not_found(request: Request, staff: Staff, campaign_id: int) -> Response:
    return render(
        request,
        "console/error.html",
        {"message": f"There is no campaign {campaign_id}."},
        staff=staff,
        status_code=404,
    )


def _audit(
    session: Session,
    staff: Staff,
    action: AuditAction,
    campaign: Campaign,
    detail: dict[str, Any],
) -> None:
    audit.record(
        session,
        actor=staff.actor,
        action=action,
        target=f"campaign:{campaign.id}",
        detail={"name": campaign.name, **detail},
    )
