"""Every route of the app, as the security tests probe them: (kind, method, path)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount, WebSocketRoute

_PARAM = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True, slots=True)
class Probe:
    kind: str  # "http", "websocket" or "mount"
    method: str
    template: str

    @property
    def path(self) -> str:
        """The template with each path parameter filled in (`{sku}.svg` -> `1.svg`)."""
        return _PARAM.sub("1", self.template)


def probes(app: FastAPI) -> Iterator[Probe]:
    """One probe per method of every route, websocket route and mount."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path or ""
        if isinstance(route, Mount):
            yield Probe("mount", "GET", path)
        elif isinstance(route, WebSocketRoute) or type(route).__name__ == "APIWebSocketRoute":
            yield Probe("websocket", "WS", path)
        else:
            for method in sorted(context.methods or ()):
                if method != "HEAD":
                    yield Probe("http", method, path)
