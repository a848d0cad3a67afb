"""Train the product recommender from the CRM store and publish it as a new model version.

`python -m launcher train-recommender` fits the hybrid on every purchase and chat click,
after scoring a copy fitted on all but the last `HOLDOUT_DAYS` (the metrics saved beside
the model). `--fold-in` instead adds the events since the newest version to it without
refitting, which is how a known customer's new orders and clicks reach the model between
full trainings; a catalogue with products the model has never seen gets a full training,
since only that gives new products their content similarity. Versions live under
`$DATA_DIR/recommender/` (`v000001/model.pkl` + `metrics.json`); the action server
follows the newest one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from crm_bridge import db, recommendations
from crm_bridge.recommender_data import InteractionRow, catalogue_rows, columns
from crm_bridge.recommender_data import interaction_rows as read_interactions
from recommender import HybridRecommender, Interactions, Item, ModelStore, evaluate

HOLDOUT_DAYS = 60
METRICS_K = 10


def recommender_root(data_dir: Path) -> Path:
    """Where the versions live: one place for the launcher, the tests and the actions."""
    return data_dir / "recommender"


def train(database_url: str, root: Path) -> str:
    """Fit on everything in the store, save with hold-out metrics, return the new version."""
    started = time.monotonic()
    with _session(database_url) as session:
        conversions = recommendations.record_conversions(session)
        session.commit()
        catalogue, events = catalogue_rows(session), read_interactions(session)
    items = [Item(**asdict(row)) for row in catalogue]
    metrics: dict[str, Any] = {
        "kind": "full",
        "items": len(items),
        "users": len({row.user_id for row in events}),
        "interactions": len(events),
        "new_conversions": conversions,
        "trained_until": _last_moment(events),
        "holdout": holdout_metrics(items, events),
    }
    model = HybridRecommender().fit(_interactions(events), items)
    metrics["seconds"] = round(time.monotonic() - started, 2)
    return ModelStore(root).save(model, metrics)


def fold_in(database_url: str, root: Path) -> str:
    """Add events since the newest version to it and save the result as a new version.

    Falls back to `train` when there is no version yet or the catalogue has new products.
    """
    store = ModelStore(root)
    latest = store.latest()
    if latest is None:
        return train(database_url, root)
    loaded = store.load(latest)
    since = datetime.fromisoformat(loaded.metrics["trained_until"])
    with _session(database_url) as session:
        recommendations.record_conversions(session)
        session.commit()
        catalogue, events = catalogue_rows(session), read_interactions(session, since=since)
    known = loaded.model.catalogue_.index
    if any(row.id not in known for row in catalogue):
        return train(database_url, root)
    model = loaded.model
    model.update_items([Item(**asdict(row)) for row in catalogue])
    if events:
        model.partial_fit_users(_interactions(events))
    metrics = {
        **loaded.metrics,
        "kind": "fold-in",
        "based_on": latest,
        "folded_in": len(events),
        "trained_until": _last_moment(events) if events else loaded.metrics["trained_until"],
    }
    metrics.pop("saved_at", None)
    return store.save(model, metrics)


def ensure_trained(database_url: str, root: Path) -> str | None:
    """Train once when no version exists (the launcher's `prepare`).

    Returns None when a version exists already or the store has no products to suggest.
    """
    if ModelStore(root).latest():
        return None
    with _session(database_url) as session:
        if not catalogue_rows(session):
            return None
    return train(database_url, root)


def holdout_metrics(
    items: list[Item], events: Sequence[InteractionRow], days: int = HOLDOUT_DAYS
) -> dict[str, float] | None:
    """Precision/recall/NDCG@10 on new purchases of the last `days`, fitted on the rest."""
    if not events:
        return None
    cut = max(row.timestamp for row in events) - timedelta(days=days).total_seconds()
    before = [row for row in events if row.timestamp < cut]
    owned: dict[int, set[int]] = {}
    for row in before:
        if row.purchased:
            owned.setdefault(row.user_id, set()).add(row.item_id)
    relevant: dict[int, set[int]] = {}
    for row in events:
        if row.timestamp < cut or not row.purchased or row.user_id not in owned:
            continue
        if row.item_id not in owned[row.user_id]:
            relevant.setdefault(row.user_id, set()).add(row.item_id)
    if not before or not relevant:
        return None
    model = HybridRecommender().fit(_interactions(before), items)
    result = evaluate(model, relevant, exclude=owned, k=METRICS_K)
    return {**result.as_dict(), "k": METRICS_K, "days": days}


def _interactions(rows: Sequence[InteractionRow]) -> Interactions:
    return Interactions.from_arrays(**columns(rows))  # type: ignore[arg-type]


def _last_moment(events: Sequence[InteractionRow]) -> str:
    last = max((row.timestamp for row in events), default=0.0)
    return datetime.fromtimestamp(last, UTC).isoformat()


@contextmanager
def _session(database_url: str) -> Iterator[Session]:
    """A session with its own engine, both closed on exit (commands run once and leave)."""
    engine = db.make_engine(database_url)
    try:
        with db.make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
