"""Declared columns and the encoder: numbers, categories, and junk that becomes missing."""

import math

import numpy as np
import pytest

from marketing.tabular import Column, TableEncoder, categorical, numeric
from marketing.tabular.columns import MAX_CATEGORIES

COLUMNS = [numeric("size"), categorical("colour"), numeric("flag", group="extras")]


def test_encoder_reads_numbers_and_codes_categories() -> None:
    rows = [{"size": 3, "colour": "red", "flag": True}, {"size": 1.5, "colour": "blue"}]

    matrix = TableEncoder(COLUMNS).fit(rows).transform(rows)

    assert matrix.shape == (2, 3)
    assert matrix[:, 0].tolist() == [3.0, 1.5]
    assert matrix[:, 1].tolist() == [1.0, 0.0]  # sorted categories: blue 0, red 1
    assert matrix[0, 2] == 1.0 and math.isnan(matrix[1, 2])


@pytest.mark.parametrize(
    "junk", [None, "lots", float("nan"), float("inf"), [1, 2], {"a": 1}, object()]
)
def test_junk_numbers_become_missing(junk: object) -> None:
    encoder = TableEncoder(COLUMNS).fit([{"size": 1, "colour": "red"}])

    assert math.isnan(encoder.transform([{"size": junk, "colour": "red"}])[0, 0])


def test_unknown_and_missing_categories_become_missing() -> None:
    encoder = TableEncoder(COLUMNS).fit([{"colour": "red"}, {"colour": "blue"}])

    matrix = encoder.transform([{"colour": "green"}, {"colour": None}, {"colour": "  "}, {}])

    assert np.isnan(matrix[:, 1]).all()


def test_very_many_categories_keep_the_most_frequent() -> None:
    rows = [{"colour": f"shade{i}"} for i in range(300)] + [{"colour": "red"}] * 5

    encoder = TableEncoder(COLUMNS).fit(rows)

    assert len(encoder.categories_["colour"]) == MAX_CATEGORIES
    assert "red" in encoder.categories_["colour"]


def test_columns_must_be_distinct_and_of_a_known_kind() -> None:
    with pytest.raises(ValueError, match="distinct"):
        TableEncoder([numeric("a"), categorical("a")])
    with pytest.raises(ValueError, match="kind"):
        Column("a", "text")  # type: ignore[arg-type]


def test_group_defaults_to_the_column_name() -> None:
    assert numeric("size").explained_as == "size"
    assert numeric("flag", group="extras").explained_as == "extras"
