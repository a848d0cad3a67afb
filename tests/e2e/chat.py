"""A customer's side of the web chat: a real WebSocket client speaking /ws/chat."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


@dataclass
class Turn:
    """What the gateway sent back for one customer message."""

    frames: list[dict[str, Any]] = field(default_factory=list)

    @property
    def replies(self) -> list[dict[str, Any]]:
        return [frame for frame in self.frames if frame.get("type") == "bot"]

    @property
    def text(self) -> str:
        return "\n".join(reply.get("text") or "" for reply in self.replies)

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [button for reply in self.replies for button in reply.get("buttons") or []]


class Customer:
    """Connects, says hello (optionally resuming a session) and exchanges messages."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session: str | None = None
        self.history: list[dict[str, Any]] = []
        self._ws: ClientConnection | None = None

    async def __aenter__(self) -> Customer:
        await self.connect()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def connect(self) -> None:
        self._ws = await connect(self.url, open_timeout=10)
        await self._ws.send(json.dumps({"type": "hello", "session": self.session}))
        first = await self.receive(timeout=10)
        assert first["type"] == "session", first
        self.session = first["session"]
        self.history = []
        try:
            frame = await self.receive(timeout=1.0)
        except TimeoutError:
            return
        if frame.get("type") == "history":
            self.history = frame["messages"]

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def receive(self, timeout: float) -> dict[str, Any]:
        assert self._ws is not None
        raw = await asyncio.wait_for(self._ws.recv(), timeout)
        frame: dict[str, Any] = json.loads(raw)
        return frame

    async def send_raw(self, raw: str) -> None:
        assert self._ws is not None
        await self._ws.send(raw)

    async def say(self, text: str, *, timeout: float = 30.0) -> Turn:
        await self.send_raw(json.dumps({"type": "message", "text": text}))
        return await self.collect(timeout=timeout)

    async def press(self, title: str, payload: str, *, timeout: float = 30.0) -> Turn:
        await self.send_raw(json.dumps({"type": "button", "title": title, "payload": payload}))
        return await self.collect(timeout=timeout)

    async def collect(self, *, timeout: float, quiet: float = 1.0) -> Turn:
        """Frames until a reply or error has come and then nothing for `quiet` seconds."""
        turn = Turn()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            answered = any(f.get("type") in ("bot", "error") for f in turn.frames)
            wait = quiet if answered else deadline - loop.time()
            if wait <= 0:
                return turn
            try:
                turn.frames.append(await self.receive(timeout=wait))
            except TimeoutError:
                return turn
