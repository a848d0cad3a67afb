"""Pure parsers for the lead form's free-text answers: budgets, timelines, emails, team
size, roles, names and companies.

They never touch the tracker or the store, take the customer's text and return plain
values (or None when the text holds no answer), so they are tested on their own.
Every parser caps its input at `MAX_ANSWER_CHARS` before looking at it, so a pasted
novel costs no more than a sentence.
"""

from actions.lead_parsing.budget import Budget, parse_budget
from actions.lead_parsing.email_address import EmailCheck, EmailKind, check_email
from actions.lead_parsing.people import (
    Authority,
    parse_authority,
    parse_company,
    parse_name,
    parse_team_size,
)
from actions.lead_parsing.timeline import Timeline, parse_timeline

__all__ = [
    "Authority",
    "Budget",
    "EmailCheck",
    "EmailKind",
    "Timeline",
    "check_email",
    "parse_authority",
    "parse_budget",
    "parse_company",
    "parse_name",
    "parse_team_size",
    "parse_timeline",
]
