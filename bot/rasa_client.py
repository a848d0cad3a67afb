"""The only module that talks to Rasa (the `gateway` channel of `rasa_ext/`).

Every failure to get a usable answer is one exception, `RasaUnavailable`, so the router
has a single place to apologise to the customer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.messages import Button, NluResult, OutboundMessage

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/gateway/webhook"
HEALTH_PATH = "/webhooks/gateway/health"


class RasaUnavailable(Exception):
    """Rasa refused the connection, timed out, answered non-200 or sent a malformed body."""


@dataclass(frozen=True, slots=True)
class RasaReply:
    """The replies to one message and the NLU parse of that message."""

    messages: list[OutboundMessage]
    nlu: NluResult = field(default_factory=NluResult)


class RasaClient:
    """Sends customer messages to Rasa over a shared `httpx.AsyncClient`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        timeout_seconds: float,
        token: str | None = None,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout_seconds
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> RasaReply:
        """Send one message; the whole exchange is bounded by `timeout_seconds`."""
        body = {"sender": sender, "message": text, "metadata": metadata}
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._http.post(
                    self._base_url + WEBHOOK_PATH,
                    json=body,
                    headers=self._headers,
                    timeout=self._timeout,
                )
        except (TimeoutError, httpx.TimeoutException) as error:
            raise RasaUnavailable(f"no answer within {self._timeout:g} s") from error
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"cannot reach Rasa: {error!r}") from error
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        try:
            return parse_reply(response.json())
        except ValueError as error:
            raise RasaUnavailable(f"malformed answer from Rasa: {error}") from error

    async def is_ready(self) -> bool:
        """True when Rasa has a model loaded (its health endpoint answers 200)."""
        try:
            response = await self._http.get(self._base_url + HEALTH_PATH, timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200


def parse_reply(body: Any) -> RasaReply:
    """Turn the webhook's JSON into a `RasaReply`, raising `ValueError` when malformed."""
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
        raise ValueError("expected an object with a 'messages' list")
    messages = [_parse_message(item) for item in body["messages"]]
    return RasaReply(messages=messages, nlu=_parse_nlu(body.get("nlu")))


def _parse_message(item: Any) -> OutboundMessage:
    if not isinstance(item, dict):
        raise ValueError("each message must be an object")
    text, image, custom = item.get("text"), item.get("image"), item.get("custom")
    if text is not None and not isinstance(text, str):
        raise ValueError("'text' must be a string")
    if image is not None and not isinstance(image, str):
        raise ValueError("'image' must be a string")
    if custom is not None and not isinstance(custom, dict):
        raise ValueError("'custom' must be an object")
    return OutboundMessage(
        text=text, buttons=_parse_buttons(item.get("buttons")), image=image, custom=custom
    )


def _parse_buttons(raw: Any) -> tuple[Button, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError("'buttons' must be a list")
    buttons = []
    for button in raw:
        if not isinstance(button, dict):
            raise ValueError("each button must be an object")
        title, payload = button.get("title"), button.get("payload")
        if not isinstance(title, str) or not isinstance(payload, str):
            raise ValueError("a button needs a string 'title' and 'payload'")
        buttons.append(Button(title=title, payload=payload))
    return tuple(buttons)


def _parse_nlu(raw: Any) -> NluResult:
    """Tolerant on purpose: a missing parse must not cost the customer the reply."""
    if not isinstance(raw, dict):
        return NluResult()
    intent = raw.get("intent") if isinstance(raw.get("intent"), str) else None
    confidence = raw.get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        confidence = None
    entities = raw.get("entities")
    entities = [e for e in entities if isinstance(e, dict)] if isinstance(entities, list) else []
    return NluResult(
        intent=intent,
        confidence=float(confidence) if confidence is not None else None,
        entities=entities,
    )
