"""Team size, buying authority, names and companies."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.lead_parsing import (
    Authority,
    parse_authority,
    parse_company,
    parse_name,
    parse_team_size,
)


@pytest.mark.parametrize(
    ("text", "size"),
    [("about 20", 20), ("20-50 people", 35), ("just me", 1), ("a dozen", 12),
     ("5k employees", 5000), ("hundreds", 200), ("twenty five of us", 25)],
)  # fmt: skip
def test_parse_team_size(text: str, size: int) -> None:
    assert parse_team_size(text) == size


def test_parse_team_size_finds_nothing_without_a_number() -> None:
    assert parse_team_size("no idea really") is None


@pytest.mark.parametrize(
    ("role", "authority"),
    [
        ("CEO", Authority.decision_maker),
        ("I'm the owner", Authority.decision_maker),
        ("head of purchasing", Authority.decision_maker),
        ("office manager", Authority.influencer),
        ("procurement", Authority.influencer),
        ("designer", Authority.user),
    ],
)
def test_parse_authority_maps_roles(role: str, authority: Authority) -> None:
    assert parse_authority(role) is authority


@pytest.mark.parametrize(
    ("text", "name"),
    [("my name is ann lee", "Ann Lee"), ("I'm Bob from Acme", "Bob"),
     ("Jean-Luc Picard", "Jean-Luc Picard"), ("Zoë O'Neil", "Zoë O'Neil")],
)  # fmt: skip
def test_parse_name(text: str, name: str) -> None:
    assert parse_name(text) == name


@pytest.mark.parametrize("text", ["42", "ann@acme.com", "I want to talk to a real human now"])
def test_parse_name_refuses_what_is_not_a_name(text: str) -> None:
    assert parse_name(text) is None


@pytest.mark.parametrize(
    ("text", "company"),
    [("I work at Acme Ltd", "Acme Ltd"), ("Acme", "Acme"), ("just me", None), ("private", None)],
)
def test_parse_company(text: str, company: str | None) -> None:
    assert parse_company(text) == company


@given(st.text(max_size=300))
def test_people_parsers_never_fail(text: str) -> None:
    size = parse_team_size(text)
    assert size is None or size >= 1
    assert isinstance(parse_authority(text), Authority)
    parse_name(text)
    parse_company(text)
