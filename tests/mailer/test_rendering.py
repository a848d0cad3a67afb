"""Templates: three parts each, variables filled, HTML escaped, missing variables named."""

from __future__ import annotations

import pytest

from mailer.rendering import TemplateProblem, available_templates, render_email

NAUGHTY = "<b>Ann & Co</b>"


def _marketing(**variables: object) -> dict[str, object]:
    return {
        "subject": "Spring sale",
        "body": "First paragraph.\n\nSecond paragraph.",
        "first_name": "Ann",
        "shop_name": "Larkspur Goods",
        "unsubscribe_url": "https://shop.test/unsubscribe/abc",
        **variables,
    }


def test_the_three_templates_are_available() -> None:
    assert {"lead_confirmation", "handover_notification", "marketing"} <= set(available_templates())
    assert "_layout" not in available_templates()


def test_marketing_template_fills_both_parts() -> None:
    rendered = render_email("marketing", _marketing(heading="New lanterns"))

    assert rendered.subject == "Spring sale"
    assert "Hello Ann," in rendered.text
    assert "New lanterns" in rendered.text and "<h1" in rendered.html
    assert "Second paragraph." in rendered.text
    assert "<p>Second paragraph.</p>" in rendered.html
    assert "https://shop.test/unsubscribe/abc" in rendered.text
    assert 'href="https://shop.test/unsubscribe/abc"' in rendered.html


def test_html_part_escapes_variables_and_text_part_keeps_them() -> None:
    rendered = render_email("marketing", _marketing(first_name=NAUGHTY, body=NAUGHTY))

    assert "&lt;b&gt;Ann &amp; Co&lt;/b&gt;" in rendered.html
    assert NAUGHTY not in rendered.html
    assert f"Hello {NAUGHTY}," in rendered.text


def test_subject_is_one_line() -> None:
    rendered = render_email("marketing", _marketing(subject="Spring\r\nBcc: everyone@x.test"))
    assert rendered.subject == "Spring Bcc: everyone@x.test"


def test_a_missing_variable_is_named() -> None:
    variables = _marketing()
    del variables["body"]
    with pytest.raises(TemplateProblem, match="'body' is undefined"):
        render_email("marketing", variables)


def test_an_unknown_template_is_refused_with_the_known_ones() -> None:
    with pytest.raises(TemplateProblem, match=r"unknown email template 'sale'.*marketing"):
        render_email("sale", {})


def test_template_names_cannot_reach_outside_the_folder() -> None:
    with pytest.raises(TemplateProblem, match="unknown email template"):
        render_email("../settings", {})
