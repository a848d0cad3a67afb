"""Build the gateway app: `uvicorn bot.main:create_app --factory`.

Only assembly happens here. The CRM schema is migrated by the launcher before the
gateway starts, never by the gateway itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from automation.settings import AutomationSettings
from bot import console
from bot.campaign_delivery import start_campaigns
from bot.channels import web
from bot.channels.telegram import webhook as telegram_webhook
from bot.channels.telegram.channel import TelegramChannel
from bot.console import ConsoleServices, ConsoleSettings
from bot.deps import Services
from bot.events import InProcessEventHub
from bot.outbound import OutboundChannels
from bot.rasa_client import RasaClient
from bot.router import ConversationRouter
from bot.routes import campaign_clicks, health, media, shop, unsubscribe
from bot.sessions import SessionSigner
from bot.settings import GatewaySettings, TelegramSettings
from bot.webhook_worker import WebhookWorker
from crm_bridge.db import make_engine, make_session_factory
from crm_bridge.enums import Channel
from crm_bridge.settings import StoreSettings, WebhookSettings
from mailer.settings import MailSettings
from mailer.worker import MailWorker

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    settings: GatewaySettings | None = None,
    store_settings: StoreSettings | None = None,
    telegram_settings: TelegramSettings | None = None,
    mail_settings: MailSettings | None = None,
    console_settings: ConsoleSettings | None = None,
    webhook_settings: WebhookSettings | None = None,
    automation_settings: AutomationSettings | None = None,
) -> FastAPI:
    """The gateway app; settings are read from the environment unless given."""
    settings = settings or GatewaySettings()
    store_settings = store_settings or StoreSettings()
    telegram_settings = telegram_settings or TelegramSettings()
    console_settings = console_settings or ConsoleSettings()
    mail_settings = mail_settings or MailSettings.load(store_settings.data_dir)
    webhook_settings = webhook_settings or WebhookSettings()
    automation_settings = automation_settings or AutomationSettings()
    # Resolved now, not in the lifespan, so a placeholder secret fails the start loudly.
    signer = SessionSigner(settings.resolve_session_secret(store_settings.data_dir))
    telegram = TelegramChannel(telegram_settings, data_dir=store_settings.data_dir)
    # Live console updates and pushes to customers from staff (docs/console.md).
    events = InProcessEventHub()
    web_connections = web.WebConnections()
    outbound = OutboundChannels()
    outbound.register(Channel.web, web_connections.deliver)
    outbound.register(Channel.telegram, telegram.deliver)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(store_settings.resolved_database_url())
        session_factory = make_session_factory(engine)
        # trust_env=False: Rasa is on a private address; never route it through a proxy.
        async with httpx.AsyncClient(trust_env=False) as http:
            rasa = RasaClient(
                http, base_url=settings.rasa_url, timeout_seconds=settings.rasa_timeout_seconds
            )
            router = ConversationRouter(session_factory, rasa, events=events)
            app.state.services = Services(
                settings=settings,
                session_factory=session_factory,
                rasa=rasa,
                router=router,
                signer=signer,
                channel_status=lambda: {"web": "on", "telegram": telegram.status},
            )
            app.state.telegram = telegram
            app.state.console = ConsoleServices(
                settings=console_settings,
                session_factory=session_factory,
                events=events,
                outbound=outbound,
            )
            await telegram.start(router=router, session_factory=session_factory)
            # Email off (no SMTP_HOST): no worker; queued messages are recorded as skipped.
            mailer = MailWorker(session_factory, mail_settings) if mail_settings.enabled else None
            if mailer is not None:
                mailer.start()
            # No LEAD_WEBHOOK_URL: no worker; leads are only kept in the CRM store.
            webhook_worker = (
                WebhookWorker(session_factory, webhook_settings)
                if webhook_settings.enabled
                else None
            )
            if webhook_worker is not None:
                webhook_worker.start()
            # CAMPAIGNS_ENABLED=false: no scheduler; campaigns are kept but nothing is sent.
            campaigns = start_campaigns(
                automation_settings,
                engine=engine,
                session_factory=session_factory,
                outbound=outbound,
                mail_settings=mail_settings,
            )
            app.state.campaigns = campaigns
            try:
                yield
            finally:
                if campaigns is not None:
                    campaigns.shutdown()
                if webhook_worker is not None:
                    await webhook_worker.stop()
                if mailer is not None:
                    await mailer.stop()
                await telegram.stop()
                engine.dispose()

    # No /openapi.json either: the schema would list the staff console's routes to anyone.
    app = FastAPI(
        title="Shop assistant gateway",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.mail_settings = mail_settings
    app.state.automation_settings = automation_settings
    app.state.webhook_settings = webhook_settings
    app.state.web_connections = web_connections
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(health.router)
    app.include_router(shop.router)
    app.include_router(media.router)
    app.include_router(web.router)
    app.include_router(telegram_webhook.router)
    console.install(app)
    app.include_router(unsubscribe.router)
    app.include_router(campaign_clicks.router)
    return app
