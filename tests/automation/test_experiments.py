"""Variant assignment: sticky per conversation, Thompson draws, fixed winners."""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from automation.experiments import PLACES, ChosenVariant, pick_variant
from crm_bridge import experiments, recommendations
from crm_bridge.column_types import utcnow
from crm_bridge.enums import SuggestionEventKind
from crm_bridge.models import Experiment, ExperimentAssignment, ExperimentVariant
from tests.utils.factories import make_conversation, make_experiment, make_product


def _assignments(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ExperimentAssignment)) or 0


def _seed(
    session: Session, experiment: Experiment, variant_key: str, *, conversions: int, of: int
) -> None:
    """`of` conversations assigned to the variant, `conversions` of them with a click."""
    variant = next(
        v for v in experiments.list_variants(session, experiment.id) if v.key == variant_key
    )
    product = make_product(session)
    for index in range(of):
        conversation = make_conversation(session)
        experiments.record_assignment(
            session,
            experiment_id=experiment.id,
            variant_id=variant.id,
            conversation_id=conversation.id,
        )
        if index < conversions:
            recommendations.record_shown(
                session,
                conversation_id=conversation.id,
                contact_id=conversation.contact_id,
                model_version="v1",
                shown=[recommendations.ShownSuggestion(product.id, 1)],
            )
            recommendations.record_follow_up(
                session,
                conversation_id=conversation.id,
                product_id=product.id,
                kind=SuggestionEventKind.clicked,
            )


def test_no_experiment_gives_none(db_session: Session) -> None:
    conversation = make_conversation(db_session)

    chosen = pick_variant(
        db_session, key="greeting", conversation_id=conversation.id, rng=np.random.default_rng(0)
    )

    assert chosen is None
    assert _assignments(db_session) == 0


def test_a_conversation_keeps_its_variant_and_is_recorded_once(db_session: Session) -> None:
    experiment = make_experiment(db_session)
    conversation = make_conversation(db_session)
    rng = np.random.default_rng(1)

    picks = {
        pick_variant(db_session, key="greeting", conversation_id=conversation.id, rng=rng)
        for _ in range(20)
    }

    assert len(picks) == 1
    (chosen,) = picks
    assert isinstance(chosen, ChosenVariant) and chosen.experiment_id == experiment.id
    assigned = experiments.assignment_for(
        db_session, experiment_id=experiment.id, conversation_id=conversation.id
    )
    assert assigned is not None
    variant = db_session.get(ExperimentVariant, assigned.variant_id)
    assert variant is not None and variant.key == chosen.variant_key
    assert _assignments(db_session) == 1


def test_new_conversations_spread_over_variants_without_data(db_session: Session) -> None:
    make_experiment(db_session)
    rng = np.random.default_rng(2)

    keys = [
        pick_variant(
            db_session, key="greeting", conversation_id=make_conversation(db_session).id, rng=rng
        ).variant_key  # type: ignore[union-attr]
        for _ in range(40)
    ]

    assert {"a", "b"} == set(keys)


def test_thompson_draws_favour_the_variant_that_converts(db_session: Session) -> None:
    experiment = make_experiment(db_session, texts=("Hello.", "Hi, want ideas?"))
    _seed(db_session, experiment, "a", conversions=1, of=30)
    _seed(db_session, experiment, "b", conversions=12, of=30)
    rng = np.random.default_rng(3)

    picks = [
        pick_variant(
            db_session, key="greeting", conversation_id=make_conversation(db_session).id, rng=rng
        )
        for _ in range(30)
    ]

    assert sum(p.variant_key == "b" for p in picks if p) >= 28
    assert {p.text for p in picks if p and p.variant_key == "b"} == {"Hi, want ideas?"}
    assert _assignments(db_session) == 90


def test_a_stopped_experiment_shows_its_winner_to_everyone_unrecorded(db_session: Session) -> None:
    experiment = make_experiment(db_session)
    earlier = make_conversation(db_session)
    rng = np.random.default_rng(4)
    first = pick_variant(db_session, key="greeting", conversation_id=earlier.id, rng=rng)
    winner_key = "b" if first.variant_key == "a" else "a"  # type: ignore[union-attr]
    experiments.stop_experiment(db_session, experiment, winner_key=winner_key, by="m", now=utcnow())

    later = pick_variant(
        db_session, key="greeting", conversation_id=make_conversation(db_session).id, rng=rng
    )
    again = pick_variant(db_session, key="greeting", conversation_id=earlier.id, rng=rng)

    assert later is not None and later.variant_key == winner_key
    assert again is not None and again.variant_key == winner_key  # even if assigned otherwise
    assert _assignments(db_session) == 1  # only the assignment made while it ran


def test_not_enrolled_conversations_stay_out_of_a_running_experiment(db_session: Session) -> None:
    experiment = make_experiment(db_session)
    rng = np.random.default_rng(5)
    outsider = make_conversation(db_session)
    insider = make_conversation(db_session)
    given = pick_variant(db_session, key="greeting", conversation_id=insider.id, rng=rng)

    assert (
        pick_variant(db_session, key="greeting", conversation_id=outsider.id, rng=rng, enrol=False)
        is None
    )
    assert (
        pick_variant(db_session, key="greeting", conversation_id=insider.id, rng=rng, enrol=False)
        == given
    )
    assert _assignments(db_session) == 1

    experiments.stop_experiment(db_session, experiment, winner_key="a", by="m", now=utcnow())
    fixed = pick_variant(
        db_session, key="greeting", conversation_id=outsider.id, rng=rng, enrol=False
    )
    assert fixed is not None and fixed.variant_key == "a"


def test_places_are_the_ones_the_assistant_supports() -> None:
    assert set(PLACES) == {"greeting", "suggestion_intro"}


def test_experiments_at_other_places_are_ignored(db_session: Session) -> None:
    make_experiment(db_session, key="suggestion_intro")
    conversation = make_conversation(db_session)

    assert (
        pick_variant(
            db_session,
            key="greeting",
            conversation_id=conversation.id,
            rng=np.random.default_rng(6),
        )
        is None
    )
