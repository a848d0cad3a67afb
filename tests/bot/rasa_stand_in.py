"""A stand-in for Rasa in gateway unit tests: a real HTTP server on 127.0.0.1.

It speaks the gateway channel protocol (docs/architecture.md, "Gateway <-> Rasa") with
canned replies, and can be switched to answer slowly, with an empty `messages` list, or
with errors. A closed port stands in for "Rasa down". The end-to-end tests use real Rasa.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.utils.local_http import LocalHttpServer

Reply = dict[str, Any]

CANNED_NLU = {"intent": "greet", "confidence": 0.93, "entities": [{"entity": "colour"}]}


def canned_reply(text: str, metadata: dict[str, Any]) -> Reply:
    """Echo the message; offer a button; a button payload gets its own answer."""
    if text.startswith("/"):
        return {
            "messages": [{"text": f"You picked {text}", "buttons": None, "image": None}],
            "nlu": {"intent": text[1:], "confidence": 1.0, "entities": []},
        }
    return {
        "messages": [
            {
                "text": f"You said: {text}",
                "buttons": [
                    {"title": "Show offers", "payload": "/show_offers"},
                    {"title": "Talk to a person", "payload": "/human_handoff"},
                ],
                "image": None,
                "custom": None,
            }
        ],
        "nlu": CANNED_NLU,
    }


def free_port() -> int:
    """A port nothing listens on (right now): connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class StandInRasa:
    """`mode` is one of "reply", "slow", "empty", "http_error", "garbage"."""

    def __init__(self, port: int = 0, reply: Callable[[str, dict[str, Any]], Reply] = canned_reply):
        self.mode = "reply"
        self.delay_seconds = 5.0
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        self._stopping = threading.Event()
        self._http = LocalHttpServer(self._handler_class(), port)

    @property
    def url(self) -> str:
        return self._http.origin

    def start(self) -> StandInRasa:
        self._http.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._http.stop()

    def _answer(self, body: dict[str, Any]) -> tuple[int, bytes]:
        self.requests.append(body)
        if self.mode == "slow":
            self._stopping.wait(self.delay_seconds)
        if self.mode == "http_error":
            return 500, b'{"error": "boom"}'
        if self.mode == "garbage":
            return 200, b"<html>not json</html>"
        if self.mode == "empty":
            return 200, json.dumps({"messages": [], "nlu": CANNED_NLU}).encode()
        reply = self.reply(body["message"], body.get("metadata") or {})
        return 200, json.dumps(reply).encode()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                ok = self.path == "/webhooks/gateway/health"
                self._send(200 if ok else 404, b'{"status": "ok"}')

            def do_POST(self) -> None:
                if self.path != "/webhooks/gateway/webhook":
                    self._send(404, b"{}")
                    return
                length = int(self.headers.get("Content-Length") or 0)
                status, payload = stand_in._answer(json.loads(self.rfile.read(length)))
                self._send(status, payload)

            def _send(self, status: int, payload: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the gateway gave up waiting (slow mode)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
