"""Which variant of an assistant message a conversation sees, decided by Thompson sampling.

The action server calls `pick_variant` where a message is under test (`PLACES`). A
conversation keeps the variant it was first given, so a customer who greets twice reads
the same greeting. A running experiment draws a new conversation's variant from the Beta
posteriors of the variants' conversions so far (`marketing.experiments`) and records the
assignment; a stopped experiment shows its fixed winner to everyone.

The winner of a stopped experiment is *not* recorded as an assignment: assignments are the
experiment's sample, and conversations that were never randomised would inflate the
winner's figures after the decision was taken on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from crm_bridge import experiments
from crm_bridge.enums import ExperimentStatus
from crm_bridge.models import ExperimentVariant
from marketing.experiments import ArmCounts, choose_arm

# The places of the conversation the assistant can test, with what a variant there is.
PLACES = {
    "greeting": "Greeting: the whole first reply to a hello (the buttons stay the same)",
    "suggestion_intro": (
        "Suggestion intro: the opening words of the line above product cards; "
        "the customer's budget and recipient are added after them"
    ),
}


@dataclass(frozen=True, slots=True)
class ChosenVariant:
    """The variant to show: which experiment and variant it is, and its text."""

    experiment_id: int
    variant_key: str
    text: str


def _chosen(experiment_id: int, variant: ExperimentVariant) -> ChosenVariant:
    return ChosenVariant(experiment_id=experiment_id, variant_key=variant.key, text=variant.text)


def pick_variant(
    session: Session,
    *,
    key: str,
    conversation_id: int,
    rng: np.random.Generator,
    enrol: bool = True,
) -> ChosenVariant | None:
    """The variant of the message at `key` for this conversation, or None (no experiment).

    `enrol=False` keeps a conversation out of a running experiment (e.g. a VIP whose
    answers differ anyway): it gets None there, but still a fixed winner and any
    variant it was already given.
    """
    experiment = experiments.running_or_fixed(session, key)
    if experiment is None:
        return None
    if experiment.status == ExperimentStatus.stopped:
        winner = experiments.winner(session, experiment)
        return _chosen(experiment.id, winner) if winner is not None else None
    existing = experiments.assignment_for(
        session, experiment_id=experiment.id, conversation_id=conversation_id
    )
    if existing is not None:
        variant = session.get(ExperimentVariant, existing.variant_id)
        return _chosen(experiment.id, variant) if variant is not None else None
    if not enrol:
        return None
    counts = experiments.variant_counts(session, experiment.id)
    arms = [ArmCounts.of(trials=row.assigned, successes=row.converted) for row in counts]
    drawn = counts[choose_arm(arms, rng)]
    row = experiments.record_assignment(
        session,
        experiment_id=experiment.id,
        variant_id=drawn.variant_id,
        conversation_id=conversation_id,
    )
    # Another worker may have assigned this conversation first: show what it recorded.
    variant = session.get(ExperimentVariant, row.variant_id)
    return _chosen(experiment.id, variant) if variant is not None else None
