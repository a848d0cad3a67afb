"""Generated product pictures."""

from __future__ import annotations

from bot.placeholders import category_hue, initials, product_svg, svg_etag


def test_placeholders_initials_take_the_first_two_words() -> None:
    assert initials("Trail Runner 2") == "TR"
    assert initials("mug") == "M"
    assert initials("  ") == "?"


def test_placeholders_colour_depends_only_on_the_category() -> None:
    assert category_hue("Tea") == category_hue(" tea ")
    assert 0 <= category_hue("Kitchen") < 360
    assert f"hsl({category_hue('Tea')}," in product_svg("Sencha", "Tea")


def test_placeholders_escape_names() -> None:
    svg = product_svg('<Bad & "Name">', "A&B")
    assert "<Bad" not in svg
    assert "&lt;Bad &amp; &quot;Name&quot;&gt;" in svg or "&lt;Bad &amp;" in svg
    assert svg_etag("x", "y") == svg_etag("x", "y") != svg_etag("x", "z")
