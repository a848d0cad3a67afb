"""The demo experiment: one running greeting test, seeded once."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_bridge import experiments
from crm_bridge.column_types import utcnow
from crm_bridge.demo_experiments import seed_demo_experiments
from crm_bridge.enums import ExperimentGoal, ExperimentStatus
from crm_bridge.models import Experiment


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Experiment)) or 0


def test_seed_starts_one_running_greeting_experiment_once(db_session: Session) -> None:
    first = seed_demo_experiments(db_session)
    again = seed_demo_experiments(db_session)

    assert first is not None and again is None
    assert _count(db_session) == 1
    assert (first.key, first.goal, first.status) == (
        "greeting",
        ExperimentGoal.suggestion_click,
        ExperimentStatus.running,
    )
    texts = [v.text for v in experiments.list_variants(db_session, first.id)]
    assert len(texts) == 2 and len(set(texts)) == 2


def test_seed_leaves_a_stopped_greeting_experiment_alone(db_session: Session) -> None:
    demo = seed_demo_experiments(db_session)
    assert demo is not None
    experiments.stop_experiment(db_session, demo, winner_key="ideas", by="mia", now=utcnow())

    assert seed_demo_experiments(db_session) is None
    assert experiments.running_or_fixed(db_session, "greeting") == demo
    assert _count(db_session) == 1
