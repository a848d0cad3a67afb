"""Console routes, one module per resource; `ROUTERS` is what `bot.console.install` includes."""

from bot.console.routes import (
    audit,
    auth,
    corrections,
    email,
    handover,
    inbox,
    live,
    review,
    staff,
    transcripts,
)

ROUTERS = (
    auth.router,
    auth.protected,
    inbox.router,
    transcripts.router,
    handover.router,
    review.router,
    corrections.router,
    email.router,
    staff.router,
    audit.router,
    live.router,
)
