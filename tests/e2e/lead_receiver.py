"""A stand-in external CRM that receives the lead webhook, on a real local HTTP server.

It answers the first post of each delivery with HTTP 503 and later ones with 200, so
every end-to-end lead also exercises the retry path.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.utils.local_http import LocalHttpServer

SECRET = "e2e-webhook-secret"


@dataclass(frozen=True)
class Post:
    """One post as received."""

    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)


class LeadReceiver:
    """Keeps every post; `wait_for_lead` blocks until a lead id was accepted."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self._lock = threading.Lock()
        self._server = LocalHttpServer(self._handler())

    def env(self) -> dict[str, str]:
        """Settings pointing the action server and gateway at this receiver."""
        return {
            "LEAD_WEBHOOK_URL": f"{self._server.origin}/leads",
            "LEAD_WEBHOOK_SECRET": SECRET,
            "WEBHOOK_FIRST_RETRY_SECONDS": "1",
        }

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop()

    def wait_for_lead(self, lead_id: int, timeout: float = 60.0) -> list[Post]:
        """All posts about `lead_id` once one of them was accepted."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                posts = [p for p in self.posts if p.payload["lead"]["id"] == lead_id]
            if any(post.status == 200 for post in posts):
                return posts
            time.sleep(0.2)
        raise TimeoutError(f"lead {lead_id} was not posted within {timeout} s")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                delivery = self.headers["X-Webhook-Id"]
                with receiver._lock:
                    seen = any(p.headers.get("X-Webhook-Id") == delivery for p in receiver.posts)
                    status = 200 if seen else 503
                    receiver.posts.append(Post(dict(self.headers), body, status))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        return Handler
