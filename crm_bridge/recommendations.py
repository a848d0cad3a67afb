"""Suggestion events: what the assistant suggested in a chat and what the customer did next.

`shown` rows are written when cards go out; `clicked` (a card's button was pressed) and
`asked` (the customer asked about a suggested product's price or stock) copy the rank and
model version of the latest `shown` row of the same product in the same conversation, so
every follow-up is attributed to the suggestion that caused it. `bought` rows are derived
from orders by `record_conversions` (an order of a suggested product by the same contact
within a window after it was shown), run before training and reports, so conversions are
counted whether orders arrive by import or by the demo seed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm_bridge.enums import SuggestionEventKind
from crm_bridge.models import Order, OrderItem, SuggestionEvent
from crm_bridge.orders import NOT_PURCHASED

CONVERSION_WINDOW = timedelta(days=30)
FOLLOW_UPS = (SuggestionEventKind.clicked, SuggestionEventKind.asked)


@dataclass(frozen=True)
class ShownSuggestion:
    """One card as shown: the product, its 1-based rank and the reason printed on it."""

    product_id: int
    rank: int
    reason: str | None = None


@dataclass(frozen=True)
class FunnelRow:
    """Counts of each event kind for one model version, with the rates derived from them."""

    model_version: str
    shown: int
    clicked: int
    asked: int
    bought: int

    @property
    def click_through_rate(self) -> float:
        return self.clicked / self.shown if self.shown else 0.0

    @property
    def conversion_rate(self) -> float:
        return self.bought / self.shown if self.shown else 0.0


def record_shown(
    session: Session,
    *,
    conversation_id: int | None,
    contact_id: int | None,
    model_version: str,
    shown: Sequence[ShownSuggestion],
) -> list[SuggestionEvent]:
    """Append one `shown` row per card."""
    rows = [
        SuggestionEvent(
            contact_id=contact_id,
            conversation_id=conversation_id,
            product_id=item.product_id,
            kind=SuggestionEventKind.shown,
            rank=item.rank,
            model_version=model_version,
            reason=item.reason,
        )
        for item in shown
    ]
    session.add_all(rows)
    session.flush()
    return rows


def record_follow_up(
    session: Session, *, conversation_id: int, product_id: int, kind: SuggestionEventKind
) -> SuggestionEvent | None:
    """Append a `clicked` or `asked` row for a product suggested in this conversation.

    Returns None (and writes nothing) when the product was never suggested here: a
    question about a product the customer found by themselves is not a suggestion's effect.
    """
    if kind not in FOLLOW_UPS:
        raise ValueError(f"{kind} is not a follow-up of a shown suggestion")
    shown = latest_shown(session, conversation_id=conversation_id, product_id=product_id)
    if shown is None:
        return None
    row = SuggestionEvent(
        contact_id=shown.contact_id,
        conversation_id=conversation_id,
        product_id=product_id,
        kind=kind,
        rank=shown.rank,
        model_version=shown.model_version,
        reason=shown.reason,
    )
    session.add(row)
    session.flush()
    return row


def latest_shown(
    session: Session, *, conversation_id: int, product_id: int
) -> SuggestionEvent | None:
    """The newest `shown` row of a product in a conversation, or None."""
    statement = (
        sa.select(SuggestionEvent)
        .where(
            SuggestionEvent.conversation_id == conversation_id,
            SuggestionEvent.product_id == product_id,
            SuggestionEvent.kind == SuggestionEventKind.shown,
        )
        .order_by(SuggestionEvent.created_at.desc(), SuggestionEvent.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def record_conversions(session: Session, *, window: timedelta = CONVERSION_WINDOW) -> int:
    """Append a `bought` row for each ordered product suggested to that contact shortly before.

    An order line counts once, for the latest suggestion shown before it within `window`;
    running this again adds only orders that are new since. Returns the rows added.
    """
    statement = (
        sa.select(SuggestionEvent, Order.id, Order.placed_at)
        .join(Order, Order.contact_id == SuggestionEvent.contact_id)
        .join(
            OrderItem,
            sa.and_(
                OrderItem.order_id == Order.id, OrderItem.product_id == SuggestionEvent.product_id
            ),
        )
        .where(
            SuggestionEvent.kind == SuggestionEventKind.shown,
            Order.status.not_in(NOT_PURCHASED),
            Order.placed_at >= SuggestionEvent.created_at,
        )
        .order_by(Order.id, SuggestionEvent.created_at.desc(), SuggestionEvent.id.desc())
    )
    counted = set(
        session.execute(
            sa.select(SuggestionEvent.order_id, SuggestionEvent.product_id).where(
                SuggestionEvent.kind == SuggestionEventKind.bought
            )
        ).tuples()
    )
    added = 0
    for shown, order_id, placed_at in session.execute(statement).tuples():
        key = (order_id, shown.product_id)
        if key in counted or placed_at - shown.created_at > window:
            continue
        counted.add(key)
        session.add(
            SuggestionEvent(
                contact_id=shown.contact_id,
                conversation_id=shown.conversation_id,
                product_id=shown.product_id,
                kind=SuggestionEventKind.bought,
                rank=shown.rank,
                model_version=shown.model_version,
                reason=shown.reason,
                order_id=order_id,
                created_at=placed_at,
            )
        )
        added += 1
    session.flush()
    return added


def list_events(
    session: Session,
    *,
    conversation_id: int | None = None,
    kind: SuggestionEventKind | None = None,
    since: datetime | None = None,
) -> list[SuggestionEvent]:
    """Events, oldest first, optionally of one conversation, one kind, or after a moment."""
    statement = sa.select(SuggestionEvent).order_by(SuggestionEvent.created_at, SuggestionEvent.id)
    if conversation_id is not None:
        statement = statement.where(SuggestionEvent.conversation_id == conversation_id)
    if kind is not None:
        statement = statement.where(SuggestionEvent.kind == kind)
    if since is not None:
        statement = statement.where(SuggestionEvent.created_at > since)
    return list(session.scalars(statement))


def funnel(
    session: Session, *, start: datetime | None = None, end: datetime | None = None
) -> list[FunnelRow]:
    """Shown / clicked / asked / bought counts per model version, oldest version first.

    With ``start`` and/or ``end``, only events in ``[start, end)`` count, each by its own
    time (a `bought` row has the order's time), so a range's rates compare what happened in it.
    """
    statement = (
        sa.select(SuggestionEvent.model_version, SuggestionEvent.kind, sa.func.count())
        .group_by(SuggestionEvent.model_version, SuggestionEvent.kind)
        .order_by(SuggestionEvent.model_version)
    )
    if start is not None:
        statement = statement.where(SuggestionEvent.created_at >= start)
    if end is not None:
        statement = statement.where(SuggestionEvent.created_at < end)
    counts: dict[str, dict[SuggestionEventKind, int]] = {}
    for version, kind, count in session.execute(statement).tuples():
        counts.setdefault(version, {})[SuggestionEventKind(kind)] = count
    return [
        FunnelRow(
            model_version=version,
            **{kind.value: by_kind.get(kind, 0) for kind in SuggestionEventKind},
        )
        for version, by_kind in counts.items()
    ]
