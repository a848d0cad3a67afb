"""A fake Telegram Bot API server for tests: a real HTTP server on 127.0.0.1.

python-telegram-bot talks to it through TELEGRAM_API_BASE_URL (`fake.base_url`). It
answers getMe, setWebhook, deleteWebhook, getUpdates (long polling over `push_update`),
sendMessage, sendPhoto, sendChatAction and answerCallbackQuery, records every call with
its parameters, and can be told to fail the next calls of a method (a 429 with
`retry_after`, or any other error). Also builds update JSON as Telegram sends it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from tests.utils.local_http import LocalHttpServer

TOKEN = "123456:TEST-fake-token"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Shop assistant",
    "username": "shop_test_bot",
}
_JSON_FIELDS = {"reply_markup", "allowed_updates"}
_update_ids = itertools.count(1000)
_chat_ids = itertools.count(5_000_000)


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    params: dict[str, Any]


class FakeBotApi:
    """Start with `start()`, stop with `stop()`; thread-safe."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._changed = threading.Condition()
        self._message_ids = itertools.count(1)
        self._http = LocalHttpServer(self._handler_class())

    @property
    def base_url(self) -> str:
        return f"{self._http.origin}/bot"

    def start(self) -> FakeBotApi:
        self._http.start()
        return self

    def stop(self) -> None:
        with self._changed:
            self._changed.notify_all()
        self._http.stop()

    # --- what tests set up -------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates."""
        with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        retry_after: int | None = None,
        error_code: int = 400,
        description: str = "Bad Request: something is wrong",
    ) -> None:
        """The next `times` calls of `method` fail: a 429 when `retry_after` is given."""
        if retry_after is not None:
            error_code = 429
            description = f"Too Many Requests: retry after {retry_after}"
        body: dict[str, Any] = {"ok": False, "error_code": error_code, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        with self._changed:
            self._failures.setdefault(method, []).extend([(error_code, body)] * times)

    # --- what tests read ---------------------------------------------------------------

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        with self._changed:
            return [call.params for call in self.calls if call.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 15.0,
        where: Callable[[dict[str, Any]], bool] = lambda _params: True,
    ) -> list[dict[str, Any]]:
        """Wait until `count` matching calls of `method` arrived; return all matching."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c.params for c in self.calls if c.method == method and where(c.params)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"{count} x {method} not received; calls: {seen}")
                self._changed.wait(left)

    def sent_texts(self, chat_id: int) -> list[str]:
        """Texts and captions sent to a chat, in order."""
        with self._changed:
            return [
                str(c.params.get("text") or c.params.get("caption") or "")
                for c in self.calls
                if c.method in ("sendMessage", "sendPhoto")
                and str(c.params.get("chat_id")) == str(chat_id)
            ]

    # --- the server ----------------------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._poll(params)}
        with self._changed:
            self.calls.append(Call(method, params))
            self._changed.notify_all()
            failures = self._failures.get(method)
            if failures:
                return failures.pop(0)
        result = self._result(method, params)
        if result is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        return 200, {"ok": True, "result": result}

    def _poll(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        with self._changed:
            self.calls.append(Call("getUpdates", params))
            self._changed.notify_all()
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                left = deadline - time.monotonic()
                if self._updates or left <= 0:
                    return list(self._updates)
                self._changed.wait(left)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("setWebhook", "deleteWebhook", "sendChatAction", "answerCallbackQuery"):
            return True
        if method in ("sendMessage", "sendPhoto"):
            message: dict[str, Any] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
            }
            if method == "sendMessage":
                message["text"] = params["text"]
            else:
                message["photo"] = [
                    {"file_id": "photo", "file_unique_id": "p", "width": 1, "height": 1}
                ]
                if params.get("caption"):
                    message["caption"] = params["caption"]
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                prefix = f"/bot{TOKEN}/"
                if not self.path.startswith(prefix):
                    self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                params = _params(self.headers.get("Content-Type", ""), self.rfile.read(length))
                status, body = fake._answer(self.path[len(prefix) :], params)
                self._send(status, body)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _params(content_type: str, raw: bytes) -> dict[str, Any]:
    """Parameters as PTB sends them: form fields, JSON-encoded where the value is JSON."""
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return dict(json.loads(raw))
    params: dict[str, Any] = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
    for name in _JSON_FIELDS & params.keys():
        params[name] = json.loads(params[name])
    return params


# --- updates as Telegram sends them ---------------------------------------------------------


def new_chat_id() -> int:
    return next(_chat_ids)


def user(chat_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": chat_id,
        "is_bot": False,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "username": f"ada{chat_id}",
        "language_code": "en",
    } | fields


def _message(chat_id: int, **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_update_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private"},
        "from": user(chat_id),
        **content,
    }


def text_update(chat_id: int, text: str, *, update_id: int | None = None) -> dict[str, Any]:
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "message": _message(chat_id, text=text),
    }


def sticker_update(chat_id: int) -> dict[str, Any]:
    sticker = {
        "file_id": "s",
        "file_unique_id": "s1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    return {"update_id": next(_update_ids), "message": _message(chat_id, sticker=sticker)}


def edited_update(chat_id: int, text: str) -> dict[str, Any]:
    edited = _message(chat_id, text=text, edit_date=int(time.time()))
    return {"update_id": next(_update_ids), "edited_message": edited}


def callback_update(
    chat_id: int, data: str, *, keyboard: list[list[dict[str, str]]] | None = None
) -> dict[str, Any]:
    message = _message(chat_id, text="Pick one", from_=None)
    message.pop("from_")
    message["from"] = BOT_USER
    if keyboard is not None:
        message["reply_markup"] = {"inline_keyboard": keyboard}
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cb{next(_update_ids)}",
            "from": user(chat_id),
            "chat_instance": "ci",
            "message": message,
            "data": data,
        },
    }
