"""The gateway's long-lived services, built in the lifespan and declared once for routes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from bot.rasa_client import RasaClient
from bot.router import ConversationRouter
from bot.sessions import SessionSigner
from bot.settings import GatewaySettings
from bot.store import SessionFactory


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a route needs; one instance per running app."""

    settings: GatewaySettings
    session_factory: SessionFactory
    rasa: RasaClient
    router: ConversationRouter
    signer: SessionSigner
    # Channel name -> "on", "off (why)" ...; read by /healthz and printed by `make run`.
    channel_status: Callable[[], dict[str, str]] = field(default=lambda: {"web": "on"})


def get_services(connection: HTTPConnection) -> Services:
    """The services of the app serving this request or WebSocket."""
    return connection.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]
