"""Per-customer purchase summary (frequency, recency, T, monetary value) from transactions.

Conventions of Fader & Hardie and the `lifetimes` library, in days: purchases on the
same calendar day are one purchase (their amounts summed); frequency x is the number of
purchase days after the first; recency t_x is the days from the first purchase day to
the last; T is the days from the first purchase day to the observation end; the
monetary value is the mean of the repeat purchases' amounts, the first one left out
(0 when x = 0). Timestamps are float days (floored to whole days) or dates/datetimes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

Moment = float | date | datetime | np.datetime64


class NotEnoughHistory(ValueError):
    """Too little purchase history to fit the model (or the fit failed): fall back."""


@dataclass(frozen=True, eq=False)
class PurchaseSummary:
    """One entry per customer, sorted by id; times in days."""

    customer_ids: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray  # the literature's name: days from the first purchase to the end
    monetary_value: np.ndarray

    def __len__(self) -> int:
        return len(self.customer_ids)

    @classmethod
    def from_arrays(
        cls,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        monetary_value: ArrayLike | None = None,
        customer_ids: Sequence[Hashable] | None = None,
    ) -> PurchaseSummary:
        """Wrap ready-made columns (ids default to 0..n-1, monetary value to 0), checked."""
        x = np.asarray(frequency, dtype=float)
        t_x, age = np.asarray(recency, dtype=float), np.asarray(T, dtype=float)
        value = np.zeros_like(x) if monetary_value is None else np.asarray(monetary_value, float)
        ids = np.arange(len(x)) if customer_ids is None else np.asarray(customer_ids)
        if not len(ids) == len(x) == len(t_x) == len(age) == len(value):
            raise ValueError("every summary column needs one value per customer")
        if np.any(x < 0) or np.any(t_x < 0) or np.any(t_x > age) or np.any((x == 0) & (t_x > 0)):
            raise ValueError("need frequency >= 0 and 0 <= recency <= T (recency 0 when x = 0)")
        return cls(ids, x, t_x, age, value)

    def subset(self, mask: ArrayLike) -> PurchaseSummary:
        """The customers selected by a boolean mask or index array."""
        keep = np.asarray(mask)
        return PurchaseSummary(
            self.customer_ids[keep],
            self.frequency[keep],
            self.recency[keep],
            self.T[keep],
            self.monetary_value[keep],
        )


def summarise(
    customer_ids: Sequence[Hashable] | np.ndarray,
    times: Sequence[Moment] | np.ndarray,
    amounts: ArrayLike,
    *,
    observation_end: Moment | None = None,
) -> PurchaseSummary:
    """Summarise transactions up to and including the day of ``observation_end``.

    Transactions after that day are ignored; without it the last transaction's day is
    the end. Customers whose first purchase is after the end are left out.
    """
    days = _days(times)
    value = np.asarray(amounts, dtype=float).reshape(-1)
    ids = np.asarray(customer_ids)
    if not len(ids) == len(days) == len(value):
        raise ValueError("customer_ids, times and amounts need the same length")
    end = int(days.max(initial=0)) if observation_end is None else int(_days([observation_end])[0])
    keep = days <= end
    if not keep.any():
        empty = np.zeros(0)
        return PurchaseSummary(ids[:0], empty, empty, empty, empty)
    unique_ids, customer = np.unique(ids[keep], return_inverse=True)
    day, value = days[keep], value[keep]
    # One key per (customer, day): a day's orders become one purchase, amounts summed.
    span = int(day.max() - day.min()) + 1
    key = customer.astype(np.int64) * span + (day - day.min())
    keys, first_of_key = np.unique(key, return_inverse=True)
    day_total = np.bincount(first_of_key, weights=value)
    key_customer, key_day = keys // span, keys % span
    count = np.bincount(key_customer, minlength=len(unique_ids))
    first = np.full(len(unique_ids), np.iinfo(np.int64).max)
    last = np.full(len(unique_ids), np.iinfo(np.int64).min)
    np.minimum.at(first, key_customer, key_day)
    np.maximum.at(last, key_customer, key_day)
    is_first = key_day == first[key_customer]
    repeat_spend = np.bincount(key_customer, weights=np.where(is_first, 0.0, day_total))
    x = (count - 1).astype(float)
    monetary = np.divide(repeat_spend, x, out=np.zeros_like(x), where=x > 0)
    start = day.min()
    return PurchaseSummary(
        customer_ids=unique_ids,
        frequency=x,
        recency=(last - first).astype(float),
        T=(end - start - first).astype(float),
        monetary_value=monetary,
    )


def _days(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Whole days as int64: float days floored, dates as ordinals, datetimes by their date."""
    array = np.asarray(values)
    if np.issubdtype(array.dtype, np.datetime64):
        return array.astype("datetime64[D]").astype(np.int64)
    if array.dtype == object:
        return np.array([_ordinal(v) for v in array.reshape(-1)], dtype=np.int64)
    return np.floor(array.astype(float).reshape(-1)).astype(np.int64)


def _ordinal(value: Any) -> int:
    if isinstance(value, datetime):
        return value.date().toordinal() - _EPOCH
    if isinstance(value, date):
        return value.toordinal() - _EPOCH
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[D]").astype(np.int64))
    return int(np.floor(float(value)))


_EPOCH = date(1970, 1, 1).toordinal()  # so dates and datetime64 days agree
