"""A demo experiment, so a fresh installation shows the experiment pages with live data.

One running `greeting` experiment with two greetings competing on suggestion clicks. Seeding
is idempotent: once any experiment exists at `greeting` (running or stopped), nothing is
added, so a marketer's own decision is never undone by the next start.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.experiments import create_experiment
from crm_bridge.models import Experiment

DEMO_KEY = "greeting"
DEMO_NAME = "Demo: plain greeting or an invitation to ask for ideas"
DEMO_VARIANTS = (
    (
        "plain",
        "Hi! I'm the shop's assistant. Ask me about a product's price or stock, browse a "
        "category, or ask about shipping, returns and payment.",
    ),
    (
        "ideas",
        'Hi! Looking for something special? Ask me for ideas ("a gift for my dad under '
        "30 euros\") and I'll pick a few for you. I can also check prices, stock and shipping.",
    ),
)
DEMO_AUTHOR = "demo"


def seed_demo_experiments(session: Session) -> Experiment | None:
    """Start the demo greeting experiment unless one exists at `greeting`; returns it or None."""
    exists = session.scalar(sa.select(sa.func.count()).where(Experiment.key == DEMO_KEY))
    if exists:
        return None
    return create_experiment(
        session,
        key=DEMO_KEY,
        name=DEMO_NAME,
        goal="suggestion_click",
        variants=DEMO_VARIANTS,
        created_by=DEMO_AUTHOR,
    )
