"""What console routes need, built once in the gateway's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from bot.console.settings import ConsoleSettings
from bot.events import EventHub
from bot.outbound import OutboundChannels
from bot.store import SessionFactory


@dataclass(frozen=True, slots=True)
class ConsoleServices:
    """Settings, the CRM store, the live event hub and the channels' push paths."""

    settings: ConsoleSettings
    session_factory: SessionFactory
    events: EventHub
    outbound: OutboundChannels
