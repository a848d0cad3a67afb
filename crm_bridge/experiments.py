"""Experiments on assistant messages: variants, per-conversation assignments, conversions.

An experiment tests versions of one message at one place of the conversation (its `key`,
e.g. `greeting`); each conversation is assigned one variant once. Conversions are not
stored: `variant_counts` counts them from what the CRM store already records, by goal —
a clicked suggestion or a finished lead in the assigned conversation after the
assignment — so the figures can never drift from the transcripts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_bridge.column_types import utcnow
from crm_bridge.enums import ExperimentGoal, ExperimentStatus, LeadStatus, SuggestionEventKind
from crm_bridge.models import (
    Experiment,
    ExperimentAssignment,
    ExperimentVariant,
    Lead,
    SuggestionEvent,
)

MIN_VARIANTS = 2
MAX_NAME_LENGTH = 120
MAX_TEXT_LENGTH = 1000
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_VARIANT_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# Leads still being filled in or given up do not count as created.
UNFINISHED_LEADS = (LeadStatus.draft, LeadStatus.abandoned)


class InvalidExperiment(ValueError):
    """An experiment that cannot be created or stopped as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class VariantCounts:
    """One variant's text with how many conversations saw it and how many converted."""

    variant_id: int
    key: str
    text: str
    assigned: int
    converted: int

    @property
    def conversion_rate(self) -> float:
        return self.converted / self.assigned if self.assigned else 0.0


def create_experiment(
    session: Session,
    *,
    key: str,
    name: str,
    goal: ExperimentGoal | str,
    variants: Sequence[tuple[str, str]],
    created_by: str,
) -> Experiment:
    """Start a running experiment with `variants` as (variant key, text) pairs.

    Raises `InvalidExperiment` for fewer than two variants, repeated or malformed variant
    keys, empty or over-long texts, an unknown goal, or when an experiment on `key` is
    already running (two at one place would split the same conversations between them).
    """
    key, name = key.strip(), " ".join(name.split())
    if not _KEY.match(key):
        raise InvalidExperiment(f"the place {key!r} is not a lower-case name such as 'greeting'")
    if not name:
        raise InvalidExperiment("an experiment needs a name")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidExperiment(f"the name is longer than {MAX_NAME_LENGTH} characters")
    try:
        goal = ExperimentGoal(goal)
    except ValueError:
        raise InvalidExperiment(f"unknown goal {goal!r}") from None
    cleaned = _checked_variants(variants)
    running = _running(session, key)
    if running is not None:
        raise InvalidExperiment(
            f"the experiment {running.name!r} is already running on {key!r}; stop it first"
        )
    experiment = Experiment(
        key=key, name=name, goal=goal, status=ExperimentStatus.running, created_by=created_by
    )
    session.add(experiment)
    session.flush()
    session.add_all(
        ExperimentVariant(experiment_id=experiment.id, key=variant_key, text=text)
        for variant_key, text in cleaned
    )
    session.flush()
    return experiment


def _checked_variants(variants: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = [(variant_key.strip(), text.strip()) for variant_key, text in variants]
    if len(cleaned) < MIN_VARIANTS:
        raise InvalidExperiment(f"an experiment needs at least {MIN_VARIANTS} variants")
    keys = [variant_key for variant_key, _ in cleaned]
    bad = [variant_key for variant_key in keys if not _VARIANT_KEY.match(variant_key)]
    if bad:
        raise InvalidExperiment(f"the variant key {bad[0]!r} is not a short lower-case name")
    if len(set(keys)) != len(keys):
        raise InvalidExperiment("two variants have the same key")
    if any(not text for _, text in cleaned):
        raise InvalidExperiment("every variant needs a text")
    if any(len(text) > MAX_TEXT_LENGTH for _, text in cleaned):
        raise InvalidExperiment(f"a variant text is longer than {MAX_TEXT_LENGTH} characters")
    return cleaned


def get_experiment(session: Session, experiment_id: int) -> Experiment | None:
    """The experiment with this id, or None."""
    return session.get(Experiment, experiment_id)


def list_experiments(session: Session) -> list[Experiment]:
    """Every experiment, running ones first, then newest first."""
    statement = sa.select(Experiment).order_by(
        (Experiment.status == ExperimentStatus.running).desc(),
        Experiment.created_at.desc(),
        Experiment.id.desc(),
    )
    return list(session.scalars(statement))


def list_variants(session: Session, experiment_id: int) -> list[ExperimentVariant]:
    """The experiment's variants in the order they were entered."""
    statement = (
        sa.select(ExperimentVariant)
        .where(ExperimentVariant.experiment_id == experiment_id)
        .order_by(ExperimentVariant.id)
    )
    return list(session.scalars(statement))


def _running(session: Session, key: str) -> Experiment | None:
    statement = (
        sa.select(Experiment)
        .where(Experiment.key == key, Experiment.status == ExperimentStatus.running)
        .order_by(Experiment.created_at.desc(), Experiment.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def running_or_fixed(session: Session, key: str) -> Experiment | None:
    """The running experiment at `key`, else the latest stopped one with a winner, else None.

    A stopped experiment's winner keeps being shown to everyone until a new experiment
    starts at the same place.
    """
    running = _running(session, key)
    if running is not None:
        return running
    statement = (
        sa.select(Experiment)
        .where(
            Experiment.key == key,
            Experiment.status == ExperimentStatus.stopped,
            Experiment.winner_key.is_not(None),
        )
        .order_by(Experiment.stopped_at.desc(), Experiment.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def _converted(goal: ExperimentGoal) -> sa.ColumnElement[bool]:
    """Whether the assignment's conversation reached the goal after the assignment."""
    assignment = ExperimentAssignment
    if goal == ExperimentGoal.suggestion_click:
        return sa.exists().where(
            SuggestionEvent.conversation_id == assignment.conversation_id,
            SuggestionEvent.kind == SuggestionEventKind.clicked,
            SuggestionEvent.created_at >= assignment.assigned_at,
        )
    # A lead resumed from an earlier conversation counts when it is finished here.
    return sa.exists().where(
        Lead.conversation_id == assignment.conversation_id,
        Lead.status.not_in(UNFINISHED_LEADS),
        sa.func.coalesce(Lead.qualified_at, Lead.created_at) >= assignment.assigned_at,
    )


def variant_counts(session: Session, experiment_id: int) -> list[VariantCounts]:
    """Assigned conversations and conversions per variant (in entry order), in one query."""
    experiment = session.get(Experiment, experiment_id)
    if experiment is None:
        raise LookupError(f"no experiment with id {experiment_id}")
    converted = sa.case((_converted(experiment.goal), 1), else_=0)
    statement = (
        sa.select(
            ExperimentVariant.id,
            ExperimentVariant.key,
            ExperimentVariant.text,
            sa.func.count(ExperimentAssignment.id),
            sa.func.coalesce(sa.func.sum(converted), 0),
        )
        .outerjoin(ExperimentAssignment, ExperimentAssignment.variant_id == ExperimentVariant.id)
        .where(ExperimentVariant.experiment_id == experiment_id)
        .group_by(ExperimentVariant.id, ExperimentVariant.key, ExperimentVariant.text)
        .order_by(ExperimentVariant.id)
    )
    return [
        VariantCounts(variant_id, key, text, int(assigned), int(conversions))
        for variant_id, key, text, assigned, conversions in session.execute(statement)
    ]


def assignment_for(
    session: Session, *, experiment_id: int, conversation_id: int
) -> ExperimentAssignment | None:
    """The conversation's assignment in this experiment, or None."""
    statement = sa.select(ExperimentAssignment).where(
        ExperimentAssignment.experiment_id == experiment_id,
        ExperimentAssignment.conversation_id == conversation_id,
    )
    return session.scalars(statement).first()


def record_assignment(
    session: Session,
    *,
    experiment_id: int,
    variant_id: int,
    conversation_id: int,
    now: datetime | None = None,
) -> ExperimentAssignment:
    """Assign the conversation to a variant, once: an existing assignment is returned as is.

    The unique key (experiment, conversation) decides a race between two action-server
    workers greeting the same conversation; the loser's insert is undone in a savepoint
    and it returns the winner's row, so the customer sees one variant.
    """
    variant = session.get(ExperimentVariant, variant_id)
    if variant is None or variant.experiment_id != experiment_id:
        raise ValueError(f"variant {variant_id} is not part of experiment {experiment_id}")
    existing = assignment_for(session, experiment_id=experiment_id, conversation_id=conversation_id)
    if existing is not None:
        return existing
    row = ExperimentAssignment(
        experiment_id=experiment_id,
        variant_id=variant_id,
        conversation_id=conversation_id,
        assigned_at=now or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = assignment_for(
            session, experiment_id=experiment_id, conversation_id=conversation_id
        )
        if existing is None:  # not the duplicate: e.g. an unknown conversation
            raise
        return existing
    return row


def stop_experiment(
    session: Session, experiment: Experiment, *, winner_key: str, by: str, now: datetime
) -> Experiment:
    """Stop a running experiment and fix `winner_key` as the variant everyone sees."""
    if experiment.status != ExperimentStatus.running:
        raise InvalidExperiment(f"the experiment {experiment.name!r} is already stopped")
    keys = {variant.key for variant in list_variants(session, experiment.id)}
    if winner_key not in keys:
        raise InvalidExperiment(f"the experiment has no variant {winner_key!r}")
    experiment.status = ExperimentStatus.stopped
    experiment.winner_key = winner_key
    experiment.stopped_at = now
    experiment.stopped_by = by
    session.flush()
    return experiment


def winner(session: Session, experiment: Experiment) -> ExperimentVariant | None:
    """The fixed winning variant of a stopped experiment, or None."""
    if experiment.winner_key is None:
        return None
    statement = sa.select(ExperimentVariant).where(
        ExperimentVariant.experiment_id == experiment.id,
        ExperimentVariant.key == experiment.winner_key,
    )
    return session.scalars(statement).first()
