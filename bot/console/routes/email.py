"""`GET /console/email`: whether email is on, and a preview of any template for a contact.

The preview renders exactly what `mailer` would queue (`mailer.preview.preview_email`),
says whether it would be sent to this contact now (or why not: no consent, suppressed,
email off), and shows the HTML part in a sandboxed frame. Its unsubscribe link is a
dummy the gateway refuses, so clicking it cannot unsubscribe the customer.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.console.deps import ConsoleDep, StaffDep, checked_staff
from bot.console.rendering import render
from bot.store import run_in_session
from mailer.preview import EmailPreview, preview_email
from mailer.rendering import TemplateProblem, available_templates
from mailer.settings import MailSettings

router = APIRouter(prefix="/console", dependencies=[Depends(checked_staff)])


@router.get("/email")
async def email_page(
    request: Request,
    console: ConsoleDep,
    staff: StaffDep,
    template: str = "",
    contact_id: int | None = None,
) -> Response:
    """The email status line, and the preview when a template and a contact are chosen."""
    settings: MailSettings = request.app.state.mail_settings
    templates = available_templates()
    preview: EmailPreview | None = None
    error: str | None = None
    if template and contact_id is not None:
        if template not in templates:
            error = f"There is no template {template!r}."
        else:
            try:
                preview = await run_in_session(
                    console.session_factory,
                    lambda session: preview_email(
                        session, contact_id=contact_id, template=template, settings=settings
                    ),
                )
            except (LookupError, TemplateProblem) as problem:
                error = f"Cannot preview: {problem}"
    return render(
        request,
        "console/email.html",
        {
            "status": settings.describe(),
            "enabled": settings.enabled,
            "templates": templates,
            "template": template,
            "contact_id": contact_id,
            "preview": preview,
            "error": error,
        },
        staff=staff,
    )
