"""Experiments in the store: creation rules, assignments, conversions counted per goal."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_bridge import experiments, leads, recommendations
from crm_bridge.column_types import utcnow
from crm_bridge.db import make_engine, make_session_factory, upgrade_to_head
from crm_bridge.enums import ExperimentGoal, ExperimentStatus, LeadStatus, SuggestionEventKind
from crm_bridge.experiments import InvalidExperiment
from crm_bridge.models import Conversation, Experiment, ExperimentAssignment
from crm_bridge.transactions import run_transaction
from tests.utils.factories import (
    make_conversation,
    make_experiment,
    make_lead,
    make_product,
)

HOUR = timedelta(hours=1)


def _assign(session: Session, experiment: Experiment, variant_key: str, **kwargs: object) -> int:
    """Assign a new conversation to a variant; returns the conversation id."""
    conversation = make_conversation(session)
    variant = next(
        v for v in experiments.list_variants(session, experiment.id) if v.key == variant_key
    )
    experiments.record_assignment(
        session,
        experiment_id=experiment.id,
        variant_id=variant.id,
        conversation_id=conversation.id,
        **kwargs,  # type: ignore[arg-type]
    )
    return conversation.id


def _click(session: Session, conversation_id: int) -> None:
    """A suggestion shown in the conversation and one of its cards clicked."""
    contact_id = session.get(Conversation, conversation_id).contact_id  # type: ignore[union-attr]
    product = make_product(session)
    recommendations.record_shown(
        session,
        conversation_id=conversation_id,
        contact_id=contact_id,
        model_version="v000001",
        shown=[recommendations.ShownSuggestion(product.id, 1)],
    )
    recommendations.record_follow_up(
        session,
        conversation_id=conversation_id,
        product_id=product.id,
        kind=SuggestionEventKind.clicked,
    )


def _counts(session: Session, experiment: Experiment) -> dict[str, tuple[int, int]]:
    return {
        row.key: (row.assigned, row.converted)
        for row in experiments.variant_counts(session, experiment.id)
    }


def test_create_experiment_stores_a_running_experiment_with_its_variants(
    store_session: Session,
) -> None:
    experiment = experiments.create_experiment(
        store_session,
        key="greeting",
        name="  Warm   or short ",
        goal="suggestion_click",
        variants=[("warm", " Hello, lovely to see you! "), ("short", "Hi!")],
        created_by="mia@shop.test",
    )

    assert experiment.status == ExperimentStatus.running
    assert experiment.goal == ExperimentGoal.suggestion_click
    assert experiment.name == "Warm or short"
    variants = experiments.list_variants(store_session, experiment.id)
    assert [(v.key, v.text) for v in variants] == [
        ("warm", "Hello, lovely to see you!"),
        ("short", "Hi!"),
    ]


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        ([("a", "Hello")], "at least 2 variants"),
        ([("a", "Hello"), ("a", "Hi")], "same key"),
        ([("a", "Hello"), ("b", "   ")], "needs a text"),
        ([("a", "Hello"), ("B C", "Hi")], "not a short lower-case name"),
        ([("a", "Hello"), ("b", "x" * 1001)], "longer than 1000 characters"),
    ],
)
def test_create_experiment_refuses_bad_variants(
    store_session: Session, variants: list[tuple[str, str]], message: str
) -> None:
    with pytest.raises(InvalidExperiment, match=message):
        experiments.create_experiment(
            store_session,
            key="greeting",
            name="Greeting test",
            goal="suggestion_click",
            variants=variants,
            created_by="mia@shop.test",
        )
    assert store_session.scalar(select(func.count()).select_from(Experiment)) == 0


def test_create_experiment_refuses_bad_key_name_and_goal(store_session: Session) -> None:
    good = {"key": "greeting", "name": "Test", "goal": "lead_created"}
    variants = [("a", "Hello"), ("b", "Hi")]
    for change, message in (
        ({"key": "Greeting!"}, "not a lower-case name"),
        ({"name": "  "}, "needs a name"),
        ({"name": "x" * 121}, "longer than 120"),
        ({"goal": "sales"}, "unknown goal 'sales'"),
    ):
        with pytest.raises(InvalidExperiment, match=message):
            experiments.create_experiment(
                store_session,
                **{**good, **change},  # type: ignore[arg-type]
                variants=variants,
                created_by="mia@shop.test",
            )


def test_only_one_experiment_runs_per_place(store_session: Session) -> None:
    first = make_experiment(store_session, key="greeting", name="First greeting test")
    make_experiment(store_session, key="suggestion_intro")  # another place is fine

    with pytest.raises(InvalidExperiment, match="'First greeting test' is already running"):
        make_experiment(store_session, key="greeting")

    experiments.stop_experiment(
        store_session, first, winner_key="a", by="mia@shop.test", now=utcnow()
    )
    second = make_experiment(store_session, key="greeting")
    assert experiments.running_or_fixed(store_session, "greeting") == second


def test_running_or_fixed_prefers_running_then_the_latest_fixed_winner(
    store_session: Session,
) -> None:
    assert experiments.running_or_fixed(store_session, "greeting") is None
    old = make_experiment(store_session)
    assert experiments.running_or_fixed(store_session, "greeting") == old

    now = utcnow()
    experiments.stop_experiment(store_session, old, winner_key="b", by="mia@shop.test", now=now)
    newer = make_experiment(store_session)
    experiments.stop_experiment(
        store_session, newer, winner_key="a", by="mia@shop.test", now=now + HOUR
    )

    fixed = experiments.running_or_fixed(store_session, "greeting")
    assert fixed == newer
    assert experiments.winner(store_session, newer).text == "Hello! Variant A here."  # type: ignore[union-attr]
    assert experiments.running_or_fixed(store_session, "suggestion_intro") is None


def test_stop_experiment_fixes_the_winner_once(store_session: Session) -> None:
    experiment = make_experiment(store_session)
    now = utcnow()

    with pytest.raises(InvalidExperiment, match="no variant 'z'"):
        experiments.stop_experiment(store_session, experiment, winner_key="z", by="m", now=now)
    assert experiment.status == ExperimentStatus.running

    experiments.stop_experiment(
        store_session, experiment, winner_key="b", by="mia@shop.test", now=now
    )

    assert (experiment.status, experiment.winner_key) == (ExperimentStatus.stopped, "b")
    assert (experiment.stopped_at, experiment.stopped_by) == (now, "mia@shop.test")
    with pytest.raises(InvalidExperiment, match="already stopped"):
        experiments.stop_experiment(store_session, experiment, winner_key="a", by="m", now=now)


def test_record_assignment_is_once_per_conversation(store_session: Session) -> None:
    experiment = make_experiment(store_session)
    a, b = experiments.list_variants(store_session, experiment.id)
    conversation = make_conversation(store_session)

    first = experiments.record_assignment(
        store_session, experiment_id=experiment.id, variant_id=a.id, conversation_id=conversation.id
    )
    again = experiments.record_assignment(
        store_session, experiment_id=experiment.id, variant_id=b.id, conversation_id=conversation.id
    )

    assert again.id == first.id and again.variant_id == a.id
    found = experiments.assignment_for(
        store_session, experiment_id=experiment.id, conversation_id=conversation.id
    )
    assert found is not None and found.id == first.id
    assert _counts(store_session, experiment) == {"a": (1, 0), "b": (0, 0)}


def test_record_assignment_refuses_a_variant_of_another_experiment(store_session: Session) -> None:
    greeting = make_experiment(store_session)
    intro = make_experiment(store_session, key="suggestion_intro")
    foreign = experiments.list_variants(store_session, intro.id)[0]

    with pytest.raises(ValueError, match="not part of experiment"):
        experiments.record_assignment(
            store_session,
            experiment_id=greeting.id,
            variant_id=foreign.id,
            conversation_id=make_conversation(store_session).id,
        )


def test_suggestion_clicks_after_the_assignment_count_as_conversions(
    store_session: Session,
) -> None:
    experiment = make_experiment(store_session, goal="suggestion_click")
    clicked_a = _assign(store_session, experiment, "a")
    _assign(store_session, experiment, "a")
    clicked_b = _assign(store_session, experiment, "b")
    twice_b = _assign(store_session, experiment, "b")
    # Assigned an hour from now: its click happened before the assignment.
    early_b = _assign(store_session, experiment, "b", now=utcnow() + HOUR)
    shown_only = _assign(store_session, experiment, "b")
    for conversation_id in (clicked_a, clicked_b, twice_b, twice_b, early_b):
        _click(store_session, conversation_id)
    recommendations.record_shown(
        store_session,
        conversation_id=shown_only,
        contact_id=None,
        model_version="v000001",
        shown=[recommendations.ShownSuggestion(make_product(store_session).id, 1)],
    )
    # A lead is not a click.
    make_lead(store_session, conversation=store_session.get(Conversation, shown_only))

    assert _counts(store_session, experiment) == {"a": (2, 1), "b": (4, 2)}
    rows = experiments.variant_counts(store_session, experiment.id)
    assert rows[0].conversion_rate == 0.5 and rows[0].text == "Hello! Variant A here."


def test_finished_leads_after_the_assignment_count_as_conversions(
    store_session: Session,
) -> None:
    experiment = make_experiment(store_session, goal="lead_created")
    converted = _assign(store_session, experiment, "a")
    drafted = _assign(store_session, experiment, "a")
    abandoned = _assign(store_session, experiment, "b")
    clicked = _assign(store_session, experiment, "b")
    two_leads = _assign(store_session, experiment, "b")
    before = _assign(store_session, experiment, "b", now=utcnow() + HOUR)

    def lead(conversation_id: int, status: LeadStatus) -> None:
        made = make_lead(
            store_session, conversation=store_session.get(Conversation, conversation_id)
        )
        made.status = status
        store_session.flush()

    lead(converted, LeadStatus.qualified)
    lead(drafted, LeadStatus.draft)
    lead(abandoned, LeadStatus.abandoned)
    lead(two_leads, LeadStatus.new)
    lead(two_leads, LeadStatus.converted)
    lead(before, LeadStatus.qualified)
    _click(store_session, clicked)

    assert _counts(store_session, experiment) == {"a": (2, 1), "b": (4, 1)}


def test_a_resumed_lead_finished_after_the_assignment_counts(store_session: Session) -> None:
    """A form started in an earlier conversation and finished in this one converts it."""
    experiment = make_experiment(store_session, goal="lead_created")
    conversation_id = _assign(store_session, experiment, "a")
    lead = make_lead(store_session, conversation=store_session.get(Conversation, conversation_id))
    lead.created_at = utcnow() - 24 * HOUR
    lead.status = LeadStatus.qualified
    lead.qualified_at = utcnow() + timedelta(minutes=5)
    store_session.flush()

    assert _counts(store_session, experiment) == {"a": (1, 1), "b": (0, 0)}
    assert leads.get_lead(store_session, lead.id) is not None


def test_variant_counts_of_an_unknown_experiment_is_a_lookup_error(
    store_session: Session,
) -> None:
    with pytest.raises(LookupError, match="no experiment with id 999"):
        experiments.variant_counts(store_session, 999)


def test_list_experiments_shows_running_ones_first(store_session: Session) -> None:
    stopped = make_experiment(store_session)
    experiments.stop_experiment(store_session, stopped, winner_key="a", by="m", now=utcnow())
    running = make_experiment(store_session, key="suggestion_intro")

    assert experiments.list_experiments(store_session) == [running, stopped]


def test_concurrent_first_greetings_record_one_assignment(blank_store_url: str) -> None:
    """Two workers assigning the same conversations at once end with one row each."""
    upgrade_to_head(blank_store_url)
    engine = make_engine(blank_store_url)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            experiment = make_experiment(session)
            variant_ids = [v.id for v in experiments.list_variants(session, experiment.id)]
            conversation_ids = [make_conversation(session).id for _ in range(8)]
            session.commit()
        results: dict[int, list[int]] = {i: [] for i in range(2)}
        barrier = threading.Barrier(2)

        def worker(index: int) -> None:
            for conversation_id in conversation_ids:
                barrier.wait()
                row = run_transaction(
                    factory,
                    lambda session, cid=conversation_id: (
                        experiments.record_assignment(
                            session,
                            experiment_id=experiment.id,
                            variant_id=variant_ids[index],
                            conversation_id=cid,
                        ).variant_id
                    ),
                    attempts=20,
                )
                results[index].append(row)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert results[0] == results[1]  # both workers show each conversation one variant
        with factory() as session:
            rows = session.scalars(select(ExperimentAssignment)).all()
            assert sorted(r.conversation_id for r in rows) == sorted(conversation_ids)
            assert [r.variant_id for r in sorted(rows, key=lambda r: r.conversation_id)] == [
                results[0][conversation_ids.index(r.conversation_id)]
                for r in sorted(rows, key=lambda r: r.conversation_id)
            ]
    finally:
        engine.dispose()
