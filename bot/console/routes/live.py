"""`/console/live`: a WebSocket that tells open console pages what changed.

Server -> client only: `{"type": "message"|"status", "conversation_id", "status"}` per
event of the hub; the page then re-reads itself. The socket needs a valid session cookie
and, when the browser sends one, an `Origin` of this host (cookies ride along on
cross-site WebSocket handshakes, so the origin is what stops another site listening in).
Every `RECHECK_SECONDS` the session is checked again: a session that ended (logout,
timeout, deactivation) closes the socket with 4401.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect, WebSocketException, status

from bot.console.deps import ConsoleDep, SocketStaffDep, current_staff
from bot.events import Subscription

router = APIRouter(prefix="/console")
RECHECK_SECONDS = 60.0
SESSION_ENDED = 4401


def same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:  # not a browser: it cannot carry a victim's cookie anyway
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host", "")


@router.websocket("/live")
async def live(websocket: WebSocket, console: ConsoleDep, staff: SocketStaffDep) -> None:
    """Forward hub events until the page goes away or the session ends."""
    if not same_origin(websocket):
        raise WebSocketException(status.WS_1008_POLICY_VIOLATION, "wrong origin")
    await websocket.accept()
    async with console.events.subscribe() as subscription, anyio.create_task_group() as tasks:
        tasks.start_soon(_until_closed, websocket, tasks.cancel_scope)
        # A page that went away mid-send: nothing to tell it any more.
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            await _forward(websocket, console, subscription)
        tasks.cancel_scope.cancel()


async def _forward(websocket: WebSocket, console: ConsoleDep, subscription: Subscription) -> None:
    while True:
        with anyio.move_on_after(RECHECK_SECONDS):
            event = await subscription.next()
            await websocket.send_json(event.as_json())
            continue
        try:
            await current_staff(websocket, console)
        except WebSocketException:
            await websocket.close(SESSION_ENDED, "session ended")
            return


async def _until_closed(websocket: WebSocket, scope: anyio.CancelScope) -> None:
    """Client frames are ignored; a disconnect stops the forwarding."""
    with contextlib.suppress(WebSocketDisconnect):
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    scope.cancel()
