"""Console routes, one module per resource; `ROUTERS` is what `bot.console.install` includes."""

from bot.console.routes import (
    analytics,
    audit,
    auth,
    campaigns,
    corrections,
    costs,
    email,
    experiments,
    handover,
    inbox,
    live,
    review,
    segments,
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
    segments.router,
    campaigns.router,
    experiments.router,
    corrections.router,
    email.router,
    staff.router,
    audit.router,
    live.router,
    analytics.router,
    costs.router,
)
