"""A deterministic history of demo sales leads, so a fresh install can train a lead scorer.

About 1,000 leads on the demo shop's customers over the 18 months before the shop's
history ends, each with form data in the lead contract (docs/architecture.md) and an
engagement snapshot; past orders in the snapshot are the customer's real demo orders.

Outcomes follow a stated generative process, so a model has something real to find:

    logit = -1.6 + authority + budget + timeline + email + team + request + engagement + noise
    authority   decision maker +1.2, influencer +0.3, user -0.6, unknown -0.3
    budget      no budget -1.0, unknown -0.4, else 0.5 * log10(monthly EUR / 1,000)
    timeline    just looking -1.6, ASAP +0.8, unknown -0.3, else 0.8 - 0.006 * days to start
    email       business +0.5, free mail -0.2, disposable -1.5, none -0.5
    team        0.12 * log2(team size) (unknown 0); request demo +0.3, quote +0.1
    engagement  0.15 per product asked about (max 5), 0.3 per suggestion clicked (max 3),
                +0.35 returning visitor, +0.1 per past order (max 5)
    noise       normal, sd 0.7
    converted with probability 1 / (1 + exp(-logit)), else lost

Closed leads close 5-60 days after they came in; those that would close after the end of
the history are still open (qualified or contacted). About 35-45 % of closed leads convert.
"""

from __future__ import annotations

import copy
import math
import random
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import Channel, LeadStatus
from crm_bridge.models import Lead
from crm_bridge.orders import NOT_PURCHASED

if TYPE_CHECKING:  # demo_shop imports this module to seed the leads
    from crm_bridge.demo_shop import DemoShop

LEADS = 1_000
HISTORY_DAYS = 548  # 18 months
CLOSE_DAYS = (5, 60)
NEEDS = (
    "Corporate gifts for our staff",
    "Welcome packs for new hires",
    "Restocking the shelves of our café",
    "Thank-you gifts for clients",
    "Furnishing a new office",
    "Giveaways for a trade fair",
    "Wedding favours",
    "Products to resell in our shop",
    "Seasonal decoration for our stores",
)
COMPANY_WORDS = (
    ("Northwind", "Blue Harbour", "Oak & Ivy", "Brightside", "Copperleaf", "Fernhill", "Lumen"),
    ("Studio", "Café", "Consulting", "Events", "Hotels", "Design", "Outfitters", "Labs"),
)
ROLES = {
    "decision_maker": ("Owner", "Managing director", "Head of purchasing"),
    "influencer": ("Office manager", "Event coordinator", "Marketing lead"),
    "user": ("Assistant", "Team member", "Intern"),
}
# Reserved .example domains only, so no demo address can ever reach a real person.
FREE_MAIL = ("freemail.example", "webmail.example")
DISPOSABLE = ("throwaway-inbox.example",)
CURRENCIES = {"EUR": 1.0, "GBP": 1.17, "USD": 0.92, "CHF": 1.05}  # EUR per unit, rounded
MONTHS_PER_PERIOD = {"month": 1, "year": 12, "once": 12}
TIMELINE_LABELS = (
    (14, "in two weeks"),
    (45, "next month"),
    (100, "next quarter"),
    (200, "in six months"),
    (10_000, "next year"),
)
INTERCEPT = -1.6
NOISE_SD = 0.7


@dataclass(frozen=True)
class DemoLead:
    """One historical lead as plain data; ``probability`` is the process's true chance."""

    customer_ref: str
    channel: Channel
    status: LeadStatus
    data: dict[str, Any]
    raw_answers: dict[str, list[str]]
    created_at: datetime
    closed_at: datetime | None
    probability: float


def generate_demo_leads(shop: DemoShop, *, end: datetime, seed: int = 42) -> list[DemoLead]:
    """Build the lead history in memory, oldest first; the same inputs give the same leads."""
    rng = random.Random(seed * 7_919 + 1)  # its own stream: the shop's data stay as they were
    purchases: dict[str, list[datetime]] = {}
    for order in shop.orders:
        if order.status not in NOT_PURCHASED:
            purchases.setdefault(order.customer_ref, []).append(order.placed_at)
    for times in purchases.values():
        times.sort()
    customers = [(c.external_ref, c.name) for c in shop.customers]
    leads = [_lead(rng, rng.choice(customers), purchases, end) for _ in range(LEADS)]
    return sorted(leads, key=lambda lead: (lead.created_at, lead.customer_ref))


def seed_demo_leads(
    session: Session, leads: Sequence[DemoLead], contact_ids: Mapping[str, int]
) -> int:
    """Write the leads unless the demo contacts have leads already; return how many were added."""
    ids = sorted(set(contact_ids.values()))
    existing = session.scalar(sa.select(sa.func.count(Lead.id)).where(Lead.contact_id.in_(ids)))
    if existing:
        return 0
    session.add_all(
        Lead(
            contact_id=contact_ids[lead.customer_ref],
            conversation_id=None,
            channel=lead.channel,
            status=lead.status,
            data=copy.deepcopy(lead.data),
            raw_answers=copy.deepcopy(lead.raw_answers),
            score_reasons=[],
            qualified_at=lead.created_at,
            closed_at=lead.closed_at,
            created_at=lead.created_at,
        )
        for lead in leads
    )
    session.flush()
    return len(leads)


def _lead(
    rng: random.Random,
    customer: tuple[str, str],
    purchases: Mapping[str, list[datetime]],
    end: datetime,
) -> DemoLead:
    ref, name = customer
    created = (end - timedelta(days=rng.uniform(0, HISTORY_DAYS))).replace(microsecond=0)
    data, raw = _answers(rng, name, created)
    channel = Channel.web if rng.random() < 0.75 else Channel.telegram
    data["engagement"] = _engagement(rng, bisect_left(purchases.get(ref, []), created), channel)
    probability = 1 / (1 + math.exp(-(true_logit(data, created) + rng.gauss(0, NOISE_SD))))
    converted = rng.random() < probability
    closed = created + timedelta(days=rng.uniform(*CLOSE_DAYS))
    if closed > end:
        status, closed_at = rng.choice([LeadStatus.qualified, LeadStatus.contacted]), None
    else:
        status = LeadStatus.converted if converted else LeadStatus.lost
        closed_at = closed.replace(microsecond=0)
    return DemoLead(ref, channel, status, data, raw, created, closed_at, probability)


def true_logit(data: Mapping[str, Any], created: datetime) -> float:
    """The generative process's log-odds of converting, before noise (see module docstring)."""
    engagement = data["engagement"]
    team_size = data["team_size"]
    logit = INTERCEPT
    logit += {"decision_maker": 1.2, "influencer": 0.3, "user": -0.6, None: -0.3}[data["authority"]]
    logit += _budget_effect(data["budget"]) + _timeline_effect(data["timeline"], created)
    logit += {"business": 0.5, "free_mail": -0.2, "disposable": -1.5, None: -0.5}[
        data["email_kind"]
    ]
    logit += 0.12 * math.log2(team_size) if team_size else 0.0
    logit += {"demo": 0.3, "quote": 0.1, "callback": 0.0}[data["request"]]
    logit += 0.15 * min(engagement["products_asked"], 5)
    logit += 0.3 * min(engagement["suggestions_clicked"], 3)
    logit += 0.35 * engagement["returning_visitor"] + 0.1 * min(engagement["orders"], 5)
    return logit


def _answers(
    rng: random.Random, name: str, created: datetime
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The form's fields in the lead contract, and the raw words of some answers."""
    authority = rng.choices([*ROLES, None], weights=[35, 35, 20, 10])[0]
    team_size = None
    if rng.random() >= 0.15:
        team_size = max(1, min(5_000, round(rng.lognormvariate(2.5, 1.2))))
    company = None if rng.random() < 0.1 else " ".join(rng.choice(w) for w in COMPANY_WORDS)
    kinds = ["business", "free_mail", "disposable", None]
    email_kind = rng.choices(kinds, weights=[60, 30, 5, 5])[0]
    budget, budget_words = _budget(rng, team_size)
    timeline = _timeline(rng, created)
    asked = {"team_size": team_size, "budget": budget, "timeline": timeline}
    data: dict[str, Any] = {
        "request": rng.choices(["quote", "demo", "callback"], weights=[45, 30, 25])[0],
        "need": rng.choice(NEEDS),
        "company": company,
        "team_size": team_size,
        "role": rng.choice(ROLES[authority]) if authority else None,
        "authority": authority,
        "budget": budget,
        "timeline": timeline,
        "name": name,
        "email": _email(rng, name, company, email_kind),
        "email_kind": email_kind,
        "marketing_consent": rng.choices([True, False, None], weights=[55, 35, 10])[0],
        "skipped": [field for field, value in asked.items() if value is None],
    }
    raw = {
        "budget": [budget_words],
        "timeline": [timeline["label"] if timeline else "skip"],
        "team_size": [str(team_size) if team_size else "skip"],
    }
    return data, raw


def _engagement(rng: random.Random, orders: int, channel: Channel) -> dict[str, Any]:
    """What the customer did in the chat before the lead was qualified."""
    return {
        "messages": 3 + _poisson(rng, 6.0),
        "products_asked": _poisson(rng, 1.2),
        "suggestions_clicked": _poisson(rng, 0.6),
        "returning_visitor": orders > 0 or rng.random() < 0.3,
        "channel": channel.value,
        "orders": orders,
    }


def _budget(rng: random.Random, team_size: int | None) -> tuple[dict[str, Any] | None, str]:
    """A budget in the contract (None when skipped) and the words it was given in."""
    roll = rng.random()
    if roll < 0.15:
        return None, "skip"
    if roll < 0.30:
        empty = {"min": None, "max": None, "currency": None, "period": None, "no_budget": True}
        return empty, "no budget yet"
    monthly = 10 ** rng.gauss(2.6 + 0.25 * math.log10(team_size or 10), 0.5)
    currency = rng.choices(list(CURRENCIES), weights=[75, 10, 10, 5])[0]
    period = rng.choices(list(MONTHS_PER_PERIOD), weights=[50, 25, 25])[0]
    high = _round_like_people(monthly * MONTHS_PER_PERIOD[period] / CURRENCIES[currency])
    low = high if rng.random() < 0.6 else _round_like_people(high * 0.7)
    budget = {"min": low, "max": high, "currency": currency, "period": period, "no_budget": False}
    words = f"{low:,.0f}" if low == high else f"between {low:,.0f} and {high:,.0f}"
    return budget, f"{words} {currency}" + ("" if period == "once" else f" a {period}")


def _timeline(rng: random.Random, created: datetime) -> dict[str, Any] | None:
    """A timeline in the contract, or None when skipped."""
    roll = rng.random()
    day = created.date()
    if roll < 0.10:
        return None
    if roll < 0.25:
        return _window("just looking", None, None, just_looking=True)
    if roll < 0.40:
        return _window("ASAP", day, day + timedelta(days=14), asap=True)
    days = rng.randint(7, 300)
    label = next(text for limit, text in TIMELINE_LABELS if days <= limit)
    start = day + timedelta(days=days)
    return _window(label, start, start + timedelta(days=30))


def _window(
    label: str,
    start: date | None,
    end: date | None,
    *,
    asap: bool = False,
    just_looking: bool = False,
) -> dict[str, Any]:
    return {
        "label": label,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "asap": asap,
        "just_looking": just_looking,
    }


def _budget_effect(budget: Mapping[str, Any] | None) -> float:
    if budget is None:
        return -0.4
    if budget["no_budget"]:
        return -1.0
    rate = CURRENCIES[budget["currency"]] / MONTHS_PER_PERIOD[budget["period"]]
    monthly = (budget["min"] + budget["max"]) / 2 * rate
    return 0.5 * math.log10(max(monthly, 1.0) / 1_000)


def _timeline_effect(timeline: Mapping[str, Any] | None, created: datetime) -> float:
    if timeline is None:
        return -0.3
    if timeline["just_looking"]:
        return -1.6
    if timeline["asap"]:
        return 0.8
    days = (date.fromisoformat(timeline["start"]) - created.date()).days
    return 0.8 - 0.006 * days


def _email(rng: random.Random, name: str, company: str | None, kind: str | None) -> str | None:
    local = name.lower().replace(" ", ".").replace("'", "")
    if kind == "business":
        domain = "".join(
            c for c in (company or "own business").lower() if c.isascii() and c.isalnum()
        )
        return f"{local}@{domain}.example"
    if kind == "free_mail":
        return f"{local}{rng.randint(1, 99)}@{rng.choice(FREE_MAIL)}"
    if kind == "disposable":
        return f"x{rng.randint(1000, 9999)}@{rng.choice(DISPOSABLE)}"
    return None


def _round_like_people(amount: float) -> float:
    """5,000 rather than 4,873.12: two significant figures, whole currency units."""
    return float(max(10, round(float(f"{amount:.2g}"))))


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by Knuth's product of uniforms (random has none); fine for small means."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
