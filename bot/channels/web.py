"""Web chat channel: the `/ws/chat` WebSocket spoken by `static/widget/chat-widget.js`.

Protocol (docs/architecture.md, "Web chat protocol"): the client sends `hello` first and
gets `session` (a signed token to keep in sessionStorage) and, for an existing
conversation, `history`; then `message` and `button` frames, answered with `typing` and
`bot` frames.

Failure behaviour: a frame that is not JSON (`invalid_json`), of an unknown type
(`unknown_type`), with empty text (`empty_text`) or text over the limit
(`text_too_long`), or a message before `hello` (`not_ready`) gets exactly one error frame;
nothing is recorded for it and the socket stays open. A tampered token gets `bad_session`
and a fresh session. When the CRM store is down the customer gets `unavailable` and the
socket stays open (an unexpected error is logged and answered the same way). Rasa
failures never reach this module: the router turns them into a polite reply.

Staff replies are pushed through `WebConnections`: every socket that said hello is
registered under its session key until it closes, so `deliver` reaches each open tab of
that conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from bot.deps import Services, ServicesDep
from bot.messages import InboundMessage, OutboundMessage, TranscriptEntry
from bot.sessions import InvalidSession, new_web_session_key
from bot.settings import GatewaySettings
from crm_bridge.enums import Channel
from crm_bridge.errors import StoreUnavailable

logger = logging.getLogger(__name__)

router = APIRouter()


class FrameError(Exception):
    """A client frame the server refuses; becomes one `error` frame."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Hello:
    token: str | None


@dataclass(frozen=True, slots=True)
class Said:
    """A `message` (payload None) or a `button` press (text = title)."""

    text: str
    payload: str | None = None


def parse_frame(raw: str | bytes | None, *, max_length: int) -> Hello | Said:
    """Validate one client frame; raise `FrameError` with the protocol's error code."""
    try:
        frame = json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError) as error:
        raise FrameError("invalid_json", "frame is not valid JSON") from error
    if not isinstance(frame, dict):
        raise FrameError("invalid_json", "frame must be a JSON object")
    kind = frame.get("type")
    if kind == "hello":
        token = frame.get("session")
        if token is not None and not isinstance(token, str):
            raise FrameError("bad_session", "session must be a string or null")
        return Hello(token=token or None)
    if kind == "message":
        return Said(text=_checked_text(frame.get("text"), "text", max_length))
    if kind == "button":
        payload = _checked_text(frame.get("payload"), "payload", max_length)
        title = frame.get("title")
        title = _checked_text(title, "title", max_length) if title else payload
        return Said(text=title, payload=payload)
    raise FrameError("unknown_type", f"unknown frame type {kind!r}")


def _checked_text(value: Any, field: str, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FrameError("empty_text", f"{field} must be a non-empty string")
    text = value.strip()
    if len(text) > max_length:
        raise FrameError("text_too_long", f"{field} is longer than {max_length} characters")
    return text


def bot_frame(message: OutboundMessage) -> dict[str, Any]:
    """A reply as the widget expects it; `sender` tells the bot from the gateway itself."""
    return {
        "type": "bot",
        "text": message.text,
        "buttons": [button.as_dict() for button in message.buttons],
        "image": message.image,
        "custom": message.custom,
        "sender": str(message.sender),
    }


def history_frame(entries: list[TranscriptEntry]) -> dict[str, Any]:
    """The transcript so far, oldest first, for the widget to redraw after a reload."""
    return {
        "type": "history",
        "messages": [
            {
                "direction": str(entry.direction),
                "sender": str(entry.sender),
                "text": entry.text,
                "buttons": [button.as_dict() for button in entry.buttons],
                "image": entry.image,
                "custom": entry.custom,
                "created_at": entry.created_at.isoformat() if entry.created_at else None,
            }
            for entry in entries
        ],
    }


class WebConnections:
    """Open chat sockets per conversation session key, for pushes from outside a request."""

    def __init__(self) -> None:
        self._chats: dict[str, set[_WebChat]] = {}

    def add(self, session_key: str, chat: _WebChat) -> None:
        self._chats.setdefault(session_key, set()).add(chat)

    def discard(self, session_key: str, chat: _WebChat) -> None:
        chats = self._chats.get(session_key)
        if chats is not None:
            chats.discard(chat)
            if not chats:
                del self._chats[session_key]

    def count(self, session_key: str) -> int:
        return len(self._chats.get(session_key, ()))

    async def deliver(self, session_key: str, messages: Sequence[OutboundMessage]) -> bool:
        """Send `bot` frames (sender as recorded) to every open socket of the conversation."""
        delivered = False
        for chat in list(self._chats.get(session_key, ())):
            try:
                for message in messages:
                    await chat.send(bot_frame(message))
                delivered = True
            except Exception:  # a socket that died between registration and now
                logger.info("Push to a closed web chat socket of %s", session_key)
                self.discard(session_key, chat)
        return delivered


def connections_of(websocket: WebSocket) -> WebConnections:
    """The registry of the app serving this socket (set up by `create_app`)."""
    connections = getattr(websocket.app.state, "web_connections", None)
    if connections is None:
        connections = websocket.app.state.web_connections = WebConnections()
    return connections


@router.websocket("/ws/chat")
async def chat_socket(websocket: WebSocket, services: ServicesDep) -> None:
    """One web chat connection: accept, then serve frames until the client leaves."""
    await websocket.accept()
    chat = _WebChat(websocket, services, connections_of(websocket))
    try:
        with contextlib.suppress(WebSocketDisconnect):
            await chat.serve()
    finally:
        chat.unregister()


class _WebChat:
    """State of one connection: the session key once `hello` has been received."""

    def __init__(
        self, websocket: WebSocket, services: Services, connections: WebConnections
    ) -> None:
        self._ws = websocket
        self._services = services
        self._connections = connections
        self._session_key: str | None = None
        # Replies of this connection and pushes from staff never interleave mid-frame.
        self._send_lock = asyncio.Lock()

    async def send(self, frame: dict[str, Any]) -> None:
        async with self._send_lock:
            await self._ws.send_json(frame)

    def unregister(self) -> None:
        if self._session_key is not None:
            self._connections.discard(self._session_key, self)

    async def serve(self) -> None:
        while True:
            event = await self._ws.receive()
            if event["type"] == "websocket.disconnect":
                return
            raw = event.get("text") if event.get("text") is not None else event.get("bytes")
            try:
                frame = parse_frame(raw, max_length=GatewaySettings.MAX_MESSAGE_LENGTH)
                if isinstance(frame, Hello):
                    await self._hello(frame)
                elif self._session_key is None:
                    raise FrameError("not_ready", "send hello before any message")
                else:
                    await self._said(self._session_key, frame)
            except FrameError as error:
                logger.info("Refused web chat frame: %s", error.code)
                await self._error(error.code, error.detail)

    async def _hello(self, frame: Hello) -> None:
        signer = self._services.signer
        key, token = None, frame.token
        if token is not None:
            try:
                key = signer.unsign(token)
            except InvalidSession:
                await self._error("bad_session", "session not recognised; starting a new one")
        if key is None:
            key = new_web_session_key()
            token = signer.sign(key)
        self.unregister()
        self._session_key = key
        self._connections.add(key, self)
        await self.send({"type": "session", "session": token})
        try:
            history = await self._services.router.history(key)
        except StoreUnavailable:
            await self._error("unavailable", "chat history is unavailable right now")
            return
        if history is not None:
            await self.send(history_frame(history))

    async def _said(self, session_key: str, frame: Said) -> None:
        inbound = InboundMessage(
            channel=Channel.web,
            external_id=session_key,
            session_key=session_key,
            text=frame.text,
            payload=frame.payload,
        )
        try:
            replies = await self._services.router.handle(inbound, on_pending=self._typing)
        except StoreUnavailable:
            await self._error("unavailable", "the chat is unavailable right now, please retry")
            return
        except Exception:  # a bug must not cost the customer the open chat
            logger.exception("Handling a web chat message of %s failed", session_key)
            await self._error("unavailable", "the chat is unavailable right now, please retry")
            return
        for reply in replies:
            await self.send(bot_frame(reply))

    async def _typing(self) -> None:
        await self.send({"type": "typing"})

    async def _error(self, code: str, detail: str) -> None:
        await self.send({"type": "error", "code": code, "detail": detail})
