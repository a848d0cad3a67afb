"""`POST /telegram/webhook`: updates Telegram pushes to the gateway in webhook mode.

Answers: 404 when the channel is not in webhook mode; 403 without the right
`X-Telegram-Bot-Api-Secret-Token` (nothing recorded); 400 for a body that is not an
update (not JSON, no integer `update_id`, or fields PTB cannot read); 503 when the CRM
store cannot say whether the update is new (Telegram retries later); otherwise 200 at
once, a re-delivered update id being ignored. The answer to the customer is worked out
after the 200, so a slow assistant never makes Telegram re-send the update.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from telegram import Update

from crm_bridge.errors import StoreUnavailable

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel

logger = logging.getLogger(__name__)

router = APIRouter()

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_MAX_BODY_BYTES = 1_000_000


def _answer(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"ok": status == 200, "detail": detail}, status_code=status)


@router.post(WEBHOOK_PATH)
async def telegram_webhook(request: Request) -> JSONResponse:
    """Check, parse and dedupe one update, then answer it in the background."""
    channel: TelegramChannel | None = getattr(request.app.state, "telegram", None)
    if channel is None or not channel.accepts_webhooks:
        return _answer(404, "the Telegram webhook is not enabled")
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), channel.webhook_secret.encode()):
        logger.warning("Refused a Telegram webhook call with a wrong or missing secret token")
        return _answer(403, "wrong secret token")
    body = await request.body()
    data = _update_json(body)
    if data is None:
        logger.warning("Refused a malformed Telegram update (%d bytes)", len(body))
        return _answer(400, "not a Telegram update")
    try:
        update = Update.de_json(data, channel.bot)
    except Exception as error:  # PTB raises whatever a bad field makes it raise
        logger.warning("Refused Telegram update %s: %r", data["update_id"], error)
        return _answer(400, "not a Telegram update")
    try:
        first_time = await channel.dispatcher.accept(update.update_id)
    except StoreUnavailable:
        return _answer(503, "the CRM store is unavailable")
    if not first_time:
        logger.info("Ignored re-delivered Telegram update %s", update.update_id)
        return _answer(200, "duplicate")
    channel.schedule(update)
    return _answer(200, "accepted")


def _update_json(body: bytes) -> dict[str, Any] | None:
    if len(body) > _MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int) or update_id < 0:
        return None
    return data
