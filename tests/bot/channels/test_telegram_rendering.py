"""Rendering replies for Telegram and reading updates: pure functions, no server."""

from __future__ import annotations

from bot.channels.telegram.rendering import (
    PhotoOut,
    TextOut,
    callback_data_for,
    render,
    split_text,
    utf16_length,
)
from bot.channels.telegram.updates import parse_start_parameter
from bot.messages import Button, OutboundMessage


def test_split_text_keeps_short_text_whole() -> None:
    assert split_text("hello") == ["hello"]


def test_split_text_cuts_at_a_line_break_not_mid_word() -> None:
    text = "a" * 60 + "\n" + "b" * 60
    assert split_text(text, limit=100) == ["a" * 60, "b" * 60]


def test_split_text_hard_cuts_a_single_huge_word() -> None:
    parts = split_text("x" * 250, limit=100)
    assert [len(p) for p in parts] == [100, 100, 50]


def test_split_text_counts_emoji_as_two_units() -> None:
    parts = split_text("😀" * 60, limit=100)
    assert all(utf16_length(p) <= 100 for p in parts) and "".join(parts) == "😀" * 60


def test_render_relative_svg_image_becomes_text_with_a_link() -> None:
    message = OutboundMessage(text="Our mug", image="/media/products/mug.svg")
    assert render(message, public_url="https://shop.test") == [
        TextOut("Our mug\nhttps://shop.test/media/products/mug.svg")
    ]


def test_render_relative_image_without_public_url_is_text_only() -> None:
    assert render(OutboundMessage(text="Our mug", image="/media/mug.png")) == [TextOut("Our mug")]


def test_render_long_caption_sends_photo_then_text() -> None:
    buttons = (Button("Buy", "/buy"),)
    message = OutboundMessage(text="w " * 700, image="https://x.test/a.jpg", buttons=buttons)
    sends = render(message)
    assert sends[0] == PhotoOut("https://x.test/a.jpg")
    assert isinstance(sends[1], TextOut) and sends[1].buttons == buttons


def test_render_buttons_without_text_are_not_dropped() -> None:
    [send] = render(OutboundMessage(buttons=(Button("Yes", "/affirm"),)))
    assert isinstance(send, TextOut) and send.buttons == (Button("Yes", "/affirm"),)


def test_render_product_card_without_image_links_the_product() -> None:
    card = {"type": "product_card", "name": "Mug", "price": 14, "url": "https://s.test/mug"}
    [send] = render(OutboundMessage(custom=card))
    assert send == TextOut("Mug - 14\nhttps://s.test/mug")


def test_callback_data_fits_telegram_limit() -> None:
    assert callback_data_for("/greet") == "/greet"
    long = callback_data_for("/x" + "é" * 40)
    assert long.startswith("h:") and len(long.encode()) <= 64
    assert long == callback_data_for("/x" + "é" * 40)


def test_parse_start_parameter_reads_source_and_campaign() -> None:
    assert parse_start_parameter("instagram__spring24") == ("instagram", "spring24")
    assert parse_start_parameter("flyer") == ("flyer", None)
    assert parse_start_parameter("bad value!") == (None, None)
    assert parse_start_parameter(None) == (None, None)
