"""The score used while no model is trained: transparent points, as a sales team would give.

Points per feature group (see `POINTS`), summed and squashed into 0..1 by a logistic curve
centred on `PIVOT` points: an average lead (influencer, about €1,000 a month, starting in
two or three months, business email) lands near 0.4, a strong one above 0.8. The number
orders leads like a probability but is not calibrated against any outcome.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

Features = Mapping[str, Any]

PIVOT = 8.0
SPREAD = 2.5


def _authority(f: Features) -> int:
    return {"decision_maker": 3, "influencer": 1, "user": -1}.get(f.get("authority") or "", 0)


def _budget(f: Features) -> int:
    if f.get("no_budget"):
        return -2
    amount = f.get("budget_monthly_eur")
    if amount is None:
        return 0
    return 3 if amount >= 5_000 else 2 if amount >= 1_000 else 1 if amount >= 200 else 0


def _timeline(f: Features) -> int:
    if f.get("just_looking"):
        return -3
    days = f.get("days_to_start")
    if days is None:
        return 0
    return 3 if days <= 30 else 2 if days <= 90 else 1 if days <= 180 else 0 if days <= 365 else -1


def _email(f: Features) -> int:
    return {"business": 2, "free_mail": 0, "disposable": -3}.get(f.get("email_kind") or "", -1)


def _team(f: Features) -> int:
    size = f.get("team_size")
    return 0 if size is None else 2 if size >= 50 else 1 if size >= 10 else 0


def _at_least(name: str, minimum: int) -> Callable[[Features], int]:
    return lambda f: int((f.get(name) or 0) >= minimum)


POINTS: dict[str, Callable[[Features], int]] = {
    "authority": _authority,
    "budget": _budget,
    "timeline": _timeline,
    "email_kind": _email,
    "team_size": _team,
    "returning_visitor": _at_least("returning_visitor", 1),
    "products_asked": _at_least("products_asked", 2),
    "suggestions_clicked": _at_least("suggestions_clicked", 1),
    "orders": _at_least("orders", 1),
}


def rule_points(features: Features) -> dict[str, int]:
    """The points of each group that gave any, in the order of `POINTS`."""
    found = {group: points(features) for group, points in POINTS.items()}
    return {group: value for group, value in found.items() if value}


def rule_probability(points: int | float) -> float:
    """Total points as a number in (0, 1)."""
    return 1.0 / (1.0 + math.exp(-(points - PIVOT) / SPREAD))
