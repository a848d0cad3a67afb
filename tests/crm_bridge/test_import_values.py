"""Cell parsers of the importer, checked on examples and on generated input."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from crm_bridge import import_values as v

PARSERS = [
    v.parse_price,
    v.parse_quantity,
    v.parse_stock,
    v.parse_email,
    v.parse_phone,
    v.parse_currency,
    v.parse_datetime,
    v.parse_identifier,
    v.parse_yes_no,
]


@given(st.decimals(min_value=0, max_value=v.MAX_PRICE, places=2))
def test_price_round_trips(amount: Decimal) -> None:
    assert v.parse_price(f"{amount:f}") == amount
    assert v.parse_price(f"  {amount:f} ") == amount


@given(st.decimals(min_value=Decimal("0.01"), max_value=v.MAX_PRICE, places=2))
def test_negative_prices_are_refused(amount: Decimal) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        v.parse_price(f"-{amount:f}")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("twelve", "must be a number like 12.50"),
        ("12,50", "use a dot for decimals"),
        ("1e3", "must be a number"),
        ("12.345", "at most 2 decimal places"),
        ("100000000", "must be at most"),
        ("1" * 30, "must be at most"),  # found by hypothesis: quantize overflowed
        ("", "is required"),
        ("nan", "must be a number"),
    ],
)
def test_bad_prices_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        v.parse_price(text)


@given(st.integers(min_value=1, max_value=v.MAX_INT))
def test_quantity_round_trips(number: int) -> None:
    assert v.parse_quantity(str(number)) == number


@given(st.integers(max_value=0))
def test_quantity_must_be_positive(number: int) -> None:
    with pytest.raises(ValueError, match="must be a positive whole number"):
        v.parse_quantity(str(number))


@given(st.integers(min_value=0, max_value=v.MAX_INT))
def test_stock_accepts_zero_and_up(number: int) -> None:
    assert v.parse_stock(str(number)) == number


@pytest.mark.parametrize("text", ["-1", "1.5", "three", "", "٣"])
def test_bad_stock_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="whole number, 0 or more"):
        v.parse_stock(text)


@given(st.emails())
@example("0@A.XN--54B7FTA0CC")  # found by hypothesis: punycode top-level domain
def test_valid_emails_are_accepted_and_lower_cased(email: str) -> None:
    assume("." in email.rsplit("@", 1)[1] and len(email) <= 254)  # legal, but not shop addresses
    assert v.parse_email(email) == email.lower()


@pytest.mark.parametrize("text", ["ada", "ada@", "@example.com", "ada@example", "a b@example.com"])
def test_invalid_emails_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a valid email"):
        v.parse_email(text)


@given(st.datetimes(timezones=st.just(UTC)))
def test_iso_datetimes_round_trip(moment: datetime) -> None:
    assert v.parse_datetime(moment.isoformat()) == moment


@given(st.datetimes())
def test_naive_datetimes_are_taken_as_utc(moment: datetime) -> None:
    assert v.parse_datetime(moment.isoformat()) == moment.replace(tzinfo=UTC)


def test_dates_and_offsets() -> None:
    assert v.parse_datetime("2025-03-14") == datetime(2025, 3, 14, tzinfo=UTC)
    assert v.parse_datetime("2025-03-14T10:30:00+01:00") == datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    assert v.parse_datetime("2025-03-14T09:30:00Z").tzinfo == UTC
    east = v.parse_datetime("2025-03-14T09:30:00+05:30")
    assert east == datetime(2025, 3, 14, 9, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))


@pytest.mark.parametrize("text", ["14/03/2025", "2025-02-30", "yesterday", ""])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        v.parse_datetime(text)


@given(st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=3, max_size=3))
def test_currency_codes(code: str) -> None:
    if code.isascii():
        assert v.parse_currency(code) == code.upper()
    else:
        with pytest.raises(ValueError):
            v.parse_currency(code)


def test_identifiers_refuse_inner_spaces() -> None:
    assert v.parse_identifier("  LAN-1 ") == "LAN-1"
    with pytest.raises(ValueError, match="must not contain spaces"):
        v.parse_identifier("LAN 1")


def _any_case(word: str) -> st.SearchStrategy[str]:
    """The word in every mix of upper and lower case, with spaces around it."""
    cases = st.lists(st.booleans(), min_size=len(word), max_size=len(word))
    letters = cases.map(
        lambda upper: "".join(c.upper() if u else c for c, u in zip(word, upper, strict=True))
    )
    return st.builds(lambda pad, text: f"{pad}{text}{pad}", st.sampled_from(["", " "]), letters)


@given(st.sampled_from(["true", "yes", "1"]).flatmap(_any_case))
def test_yes_words_are_true(text: str) -> None:
    assert v.parse_yes_no(text) is True


@given(st.sampled_from(["false", "no", "0", ""]).flatmap(_any_case))
def test_no_words_and_empty_are_false(text: str) -> None:
    assert v.parse_yes_no(text) is False


@given(st.text(max_size=10))
@example("y")
@example("maybe")
@example("2")
@example("tru e")
def test_anything_else_is_not_a_yes_no(text: str) -> None:
    assume(text.strip().lower() not in {"true", "yes", "1", "false", "no", "0", ""})
    with pytest.raises(ValueError, match="must be true or false"):
        v.parse_yes_no(text)


@pytest.mark.parametrize("parse", PARSERS)
@given(text=st.text(max_size=40))
def test_parsers_only_ever_raise_value_error(parse: Callable[[str], object], text: str) -> None:
    try:
        parse(text)
    except ValueError as exc:
        assert str(exc) and "\n" not in str(exc)
