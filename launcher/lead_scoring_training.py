"""Train the lead scorer from the CRM store's closed leads and publish it as a new version.

`python -m launcher train-lead-scorer` reads every converted or lost lead, computes its
features as of the day it was qualified, cross-validates (5 folds, seed 0), fits on all of
them and saves `$DATA_DIR/lead_scoring/v000001/` (`model.joblib` + `metadata.json` with
the metrics). The action server follows the newest version. With fewer than
`MIN_PER_OUTCOME` converted or lost leads there is nothing worth learning:
`NotEnoughLeads` is raised and the assistant keeps scoring with rules.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from crm_bridge import db
from crm_bridge.lead_history import TrainingRow, training_rows
from marketing.lead_scoring import ScorerStore, train_lead_scorer

MIN_PER_OUTCOME = 20


class NotEnoughLeads(Exception):
    """Too few closed leads of one outcome to train and validate a scorer."""


def lead_scoring_root(data_dir: Path) -> Path:
    """Where the versions live: one place for the launcher, the tests and the actions."""
    return data_dir / "lead_scoring"


def train(database_url: str, root: Path) -> str:
    """Fit on every closed lead in the store, save with CV metrics, return the new version."""
    started = time.monotonic()
    with _session(database_url) as session:
        rows = training_rows(session)
    _check_enough(rows)
    result = train_lead_scorer([(row.data, row.created, row.label) for row in rows])
    extra: dict[str, Any] = {
        "first_lead": rows[0].created.isoformat(),
        "last_lead": rows[-1].created.isoformat(),
        "seconds": round(time.monotonic() - started, 2),
    }
    return ScorerStore(root).save(result, trained_at=datetime.now(UTC), extra=extra)


def ensure_trained(database_url: str, root: Path) -> str | None:
    """Train once when no version exists (the launcher's `prepare`); None when one exists."""
    if ScorerStore(root).latest():
        return None
    return train(database_url, root)


def describe(root: Path, version: str) -> str:
    """The version and its validation figures in a few lines, for the command's output."""
    metadata = ScorerStore(root).load(version).metadata
    metrics = metadata["metrics"]
    return (
        f"{version} in {root / version}\n"
        f"  trained on {metadata['rows']} closed leads ({metadata['positives']} converted)\n"
        f"  {metrics['folds']}-fold CV: ROC AUC {metrics['roc_auc']:.3f}, "
        f"average precision {metrics['average_precision']:.3f}, "
        f"Brier {metrics['brier']:.3f}, calibration error {metrics['calibration_error']:.3f}"
    )


def _check_enough(rows: list[TrainingRow]) -> None:
    converted = sum(row.label for row in rows)
    lost = len(rows) - converted
    if min(converted, lost) < MIN_PER_OUTCOME:
        raise NotEnoughLeads(
            f"only {converted} converted and {lost} lost leads in the store; the lead scorer "
            f"needs at least {MIN_PER_OUTCOME} of each, so leads are scored by rules for now"
        )


@contextmanager
def _session(database_url: str) -> Iterator[Session]:
    """A session with its own engine, both closed on exit (commands run once and leave)."""
    engine = db.make_engine(database_url)
    try:
        with db.make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
