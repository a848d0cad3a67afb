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

from bot.channels import web
from bot.channels.telegram import webhook as telegram_webhook
from bot.channels.telegram.channel import TelegramChannel
from bot.deps import Services
from bot.rasa_client import RasaClient
from bot.router import ConversationRouter
from bot.routes import health, media, shop
from bot.sessions import SessionSigner
from bot.settings import GatewaySettings, TelegramSettings
from crm_bridge.db import make_engine, make_session_factory
from crm_bridge.settings import StoreSettings

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    settings: GatewaySettings | None = None,
    store_settings: StoreSettings | None = None,
    telegram_settings: TelegramSettings | None = None,
) -> FastAPI:
    """The gateway app; settings are read from the environment unless given."""
    settings = settings or GatewaySettings()
    store_settings = store_settings or StoreSettings()
    telegram_settings = telegram_settings or TelegramSettings()
    # Resolved now, not in the lifespan, so a placeholder secret fails the start loudly.
    signer = SessionSigner(settings.resolve_session_secret(store_settings.data_dir))
    telegram = TelegramChannel(telegram_settings, data_dir=store_settings.data_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(store_settings.resolved_database_url())
        session_factory = make_session_factory(engine)
        # trust_env=False: Rasa is on a private address; never route it through a proxy.
        async with httpx.AsyncClient(trust_env=False) as http:
            rasa = RasaClient(
                http, base_url=settings.rasa_url, timeout_seconds=settings.rasa_timeout_seconds
            )
            router = ConversationRouter(session_factory, rasa)
            app.state.services = Services(
                settings=settings,
                session_factory=session_factory,
                rasa=rasa,
                router=router,
                signer=signer,
                channel_status=lambda: {"web": "on", "telegram": telegram.status},
            )
            app.state.telegram = telegram
            await telegram.start(router=router, session_factory=session_factory)
            try:
                yield
            finally:
                await telegram.stop()
                engine.dispose()

    app = FastAPI(title="Shop assistant gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(health.router)
    app.include_router(shop.router)
    app.include_router(media.router)
    app.include_router(web.router)
    app.include_router(telegram_webhook.router)
    return app
