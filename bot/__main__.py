"""`python -m bot`: serve the gateway on GATEWAY_HOST:GATEWAY_PORT (same app as the factory)."""

import uvicorn

from bot.settings import GatewaySettings

if __name__ == "__main__":
    settings = GatewaySettings()
    uvicorn.run(
        "bot.main:create_app", factory=True, host=settings.gateway_host, port=settings.gateway_port
    )
