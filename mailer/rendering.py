"""Jinja2 email templates: a subject, a plain-text part and an HTML part per template.

A template ``name`` is three files in ``mailer/templates/``: ``name.subject.txt``,
``name.txt`` and ``name.html``. Only the HTML part is autoescaped, so a customer called
``<b>Ann & Co</b>`` reads as such in both parts and never becomes markup. An undefined
variable is an error (StrictUndefined), named in the message, rather than a blank gap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, UndefinedError

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
PARTS = ("subject.txt", "txt", "html")
SUBJECT_MAX_CHARS = 300

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=lambda name: bool(name and name.endswith(".html")),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


class TemplateProblem(ValueError):
    """A template is unknown or cannot be filled with the variables given."""


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    """The three parts of one email, ready to send."""

    subject: str
    text: str
    html: str


def available_templates() -> list[str]:
    """Names of the complete templates (all three parts present), sorted."""
    names = {path.name.split(".", 1)[0] for path in TEMPLATES_DIR.glob("*.html")}
    return sorted(
        name
        for name in names
        if not name.startswith("_")
        and all((TEMPLATES_DIR / f"{name}.{part}").is_file() for part in PARTS)
    )


def render_email(template: str, variables: Mapping[str, Any]) -> RenderedEmail:
    """Fill the three parts of `template`; raise TemplateProblem saying what is missing."""
    if template not in available_templates():
        known = ", ".join(available_templates())
        raise TemplateProblem(f"unknown email template {template!r} (known: {known})")
    try:
        subject, text, html = (
            _environment.get_template(f"{template}.{part}").render(variables) for part in PARTS
        )
    except UndefinedError as error:
        raise TemplateProblem(f"email template {template!r} needs a variable: {error}") from None
    except TemplateNotFound as error:  # a part included by the template is missing
        raise TemplateProblem(f"email template {template!r} is incomplete: {error}") from None
    return RenderedEmail(subject=_one_line(subject), text=text.strip() + "\n", html=html)


def _one_line(subject: str) -> str:
    """Subjects are headers: one line, no runs of white space, at most 300 characters."""
    return re.sub(r"\s+", " ", subject).strip()[:SUBJECT_MAX_CHARS]
