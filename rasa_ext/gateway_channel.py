"""Rasa input channel for the gateway: one call returns the replies *and* the NLU parse.

The gateway records every message with its intent and confidence, so it needs the parse
of the message it just sent. Rasa's REST channel returns only the replies; a second call
to `/model/parse` would parse twice and could disagree with what the dialogue used. This
channel handles the message like the REST channel, then reads the parse from the
`UserUttered` event that Rasa stored for exactly this message (matched by message id).

Configured in credentials.yml::

    rasa_ext.gateway_channel.GatewayInput:
      token: "<shared secret>"   # optional; then required as `Authorization: Bearer <token>`

Python 3.10 code: it runs in the Rasa environment, not the app environment.
"""

from __future__ import annotations

import hmac
import json
import logging
import uuid
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

_MESSAGE_KEYS = ("text", "buttons", "image", "custom")
_EMPTY_NLU: dict[str, Any] = {"intent": None, "confidence": None, "entities": []}


class WholeReplyCollector(CollectingOutputChannel):
    """Collects replies without Rasa's habit of cutting a text at every blank line.

    Rasa's collector turns a reply with paragraphs into one message per paragraph. The
    gateway's channels present a reply best themselves (one bubble on the web, parts of
    at most 4,096 characters on Telegram), so the reply travels whole.
    """

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._persist_message(self._message(recipient_id, text=text.strip()))


class BadRequest(ValueError):
    """The request body does not follow the gateway protocol."""


def parse_body(raw: bytes) -> tuple[str, str, dict[str, Any]]:
    """Return (sender, text, metadata) from a webhook body, or raise `BadRequest`."""
    try:
        body = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest("body is not valid JSON") from error
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    sender = body.get("sender")
    text = body.get("message")
    metadata = body.get("metadata")
    if not isinstance(sender, str) or not sender.strip():
        raise BadRequest("'sender' must be a non-empty string")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("'message' must be a non-empty string")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be an object")
    return sender, text, metadata


def outbound_messages(collected: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every collected reply the same four keys, `None` where Rasa left one out."""
    return [{key: message.get(key) for key in _MESSAGE_KEYS} for message in collected]


def nlu_from_parse(parse_data: dict[str, Any] | None) -> dict[str, Any]:
    """Reduce Rasa's parse data to the `nlu` object of the gateway protocol.

    For a retrieval intent the full key (`faq/shipping`) is reported, taken from the
    response selector, so transcripts show which question was understood, not just `faq`.
    """
    if not parse_data:
        return dict(_EMPTY_NLU)
    intent = parse_data.get("intent") or {}
    confidence = intent.get("confidence")
    name = intent.get("name")
    selected = (parse_data.get("response_selector") or {}).get(name) or {}
    full_key = (selected.get("response") or {}).get("intent_response_key")
    return {
        "intent": full_key or name,
        "confidence": float(confidence) if confidence is not None else None,
        "entities": list(parse_data.get("entities") or []),
    }


class GatewayInput(InputChannel):
    """POST `/webhooks/gateway/webhook` and GET `/webhooks/gateway/health`."""

    @classmethod
    def name(cls) -> str:
        return "gateway"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GatewayInput:
        token = (credentials or {}).get("token")
        return cls(token=str(token) if token else None)

    def __init__(self, token: str | None = None) -> None:
        self.token = token

    def is_authorized(self, request: Request) -> bool:
        """Check the bearer token in constant time; everything passes when none is set."""
        if not self.token:
            return True
        header = request.headers.get("Authorization", "")
        scheme, _, supplied = header.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(supplied.strip().encode(), self.token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        gateway = Blueprint("gateway_webhook", __name__)

        @gateway.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is not None and agent.is_ready():
                return response.json({"status": "ok", "model": agent.model_name})
            return response.json({"status": "no model loaded"}, status=503)

        @gateway.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.is_authorized(request):
                return response.json({"error": "unauthorized"}, status=401)
            try:
                sender, text, metadata = parse_body(request.body)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)

            collector = WholeReplyCollector()
            message_id = uuid.uuid4().hex
            message = UserMessage(
                text,
                collector,
                sender,
                input_channel=self.name(),
                message_id=message_id,
                metadata=metadata,
            )
            try:
                await on_new_message(message)
            except CancelledError:
                logger.error("Handling the message of %s timed out.", sender)
            except Exception:
                # Same policy as Rasa's REST channel: answer with what was collected;
                # an empty list tells the gateway to apologise.
                logger.exception("Handling the message of %s failed.", sender)

            nlu = await _nlu_of_message(request, sender, message_id)
            return response.json({"messages": outbound_messages(collector.messages), "nlu": nlu})

        return gateway


async def _nlu_of_message(request: Request, sender: str, message_id: str) -> dict[str, Any]:
    """Find the parse of *this* message in the stored tracker (later messages may follow)."""
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return dict(_EMPTY_NLU)
    try:
        tracker = await agent.tracker_store.retrieve(sender)
    except Exception:
        logger.exception("Could not read the tracker of %s.", sender)
        return dict(_EMPTY_NLU)
    if tracker is None:
        return dict(_EMPTY_NLU)
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            return nlu_from_parse(event.parse_data)
    return dict(_EMPTY_NLU)
