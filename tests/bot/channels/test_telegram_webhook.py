"""The Telegram channel in webhook mode against the fake Bot API server and a stand-in Rasa."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.telegram.dispatcher import HELP_REPLY, STOP_REPLY, UNSUPPORTED_REPLY
from crm_bridge import consents, contacts, deliveries
from crm_bridge.enums import Channel, ConsentKind, SenderType
from crm_bridge.models import Conversation
from tests.bot.channels.telegram_fake import (
    FakeBotApi,
    callback_update,
    edited_update,
    new_chat_id,
    sticker_update,
    text_update,
)
from tests.bot.channels.telegram_helpers import (
    PUBLIC_URL,
    SECRET,
    eventually,
    post_update,
    telegram_settings,
)
from tests.bot.helpers import count_messages, messages_of
from tests.bot.rasa_stand_in import StandInRasa


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    yield server
    server.stop()


@pytest.fixture
def telegram(
    make_client: Callable[..., TestClient], rasa: StandInRasa, fake: FakeBotApi
) -> TestClient:
    return make_client(rasa.url, telegram=telegram_settings(fake))


def _key(chat_id: int) -> str:
    return f"telegram-{chat_id}"


def test_webhook_start_registers_the_webhook_with_its_secret(
    telegram: TestClient, fake: FakeBotApi
) -> None:
    assert fake.calls_of("getMe")
    [registered] = fake.calls_of("setWebhook")
    assert registered["url"] == f"{PUBLIC_URL}/telegram/webhook"
    assert registered["secret_token"] == SECRET
    status = telegram.get("/healthz").json()["channels"]["telegram"]
    assert status.startswith("on (webhook") and "@shop_test_bot" in status


def test_webhook_text_is_answered_recorded_with_identity_and_typing(
    telegram: TestClient, fake: FakeBotApi, store: Callable[[], Session]
) -> None:
    chat = new_chat_id()
    assert post_update(telegram, text_update(chat, "hello there")).status_code == 200
    [sent] = fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == str(chat))
    assert sent["text"] == "You said: hello there"
    titles = [row[0]["text"] for row in sent["reply_markup"]["inline_keyboard"]]
    assert titles == ["Show offers", "Talk to a person"]
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/show_offers"
    assert fake.calls_of("sendChatAction")[0]["action"] == "typing"
    recorded = messages_of(store, _key(chat))
    assert [(m.text, m.sender_type) for m in recorded] == [
        ("hello there", SenderType.customer),
        ("You said: hello there", SenderType.bot),
    ]
    with store() as session:
        identity = contacts.get_identity(session, channel=Channel.telegram, external_id=str(chat))
        assert identity is not None
        assert (identity.username, identity.display_name, identity.language) == (
            f"ada{chat}",
            "Ada Lovelace",
            "en",
        )
        conversation = session.scalars(
            select(Conversation).where(Conversation.session_key == _key(chat))
        ).one()
        assert conversation.channel == Channel.telegram


def test_webhook_button_press_sends_payload_and_stops_the_spinner(
    telegram: TestClient, fake: FakeBotApi, rasa: StandInRasa, store: Callable[[], Session]
) -> None:
    chat = new_chat_id()
    keyboard = [[{"text": "Show offers", "callback_data": "/show_offers"}]]
    post_update(telegram, callback_update(chat, "/show_offers", keyboard=keyboard))
    [sent] = fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == str(chat))
    assert sent["text"] == "You picked /show_offers"
    assert len(fake.calls_of("answerCallbackQuery")) == 1
    assert rasa.requests[-1]["message"] == "/show_offers"
    first = messages_of(store, _key(chat))[0]
    assert (first.text, first.payload) == ("Show offers", "/show_offers")


def test_webhook_long_payload_round_trips_through_a_digest(
    make_client: Callable[..., TestClient], fake: FakeBotApi
) -> None:
    long_payload = '/ask_price{"product": "' + "Extra Long Product Name " * 4 + '"}'

    def reply(text: str, metadata: dict[str, Any]) -> dict[str, Any]:
        if text == long_payload:
            return {"messages": [{"text": "Price noted"}]}
        button = {"title": "P", "payload": long_payload}
        return {"messages": [{"text": "Pick", "buttons": [button]}]}

    rasa = StandInRasa(reply=reply).start()
    try:
        client = make_client(rasa.url, telegram=telegram_settings(fake))
        chat = new_chat_id()
        post_update(client, text_update(chat, "price?"))
        [offer] = fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == str(chat))
        data = offer["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        assert data.startswith("h:") and len(data.encode()) <= 64
        post_update(client, callback_update(chat, data))
        fake.wait_for("sendMessage", 2, where=lambda p: p["chat_id"] == str(chat))
        assert rasa.requests[-1]["message"] == long_payload
    finally:
        rasa.stop()


def test_webhook_long_reply_is_split_with_buttons_on_the_last_part(
    make_client: Callable[..., TestClient], fake: FakeBotApi
) -> None:
    paragraphs = [f"Paragraph {i}: " + "words " * 300 for i in range(5)]
    long_text = "\n\n".join(paragraphs)

    def reply(text: str, metadata: dict[str, Any]) -> dict[str, Any]:
        button = {"title": "More", "payload": "/more"}
        return {"messages": [{"text": long_text, "buttons": [button]}]}

    rasa = StandInRasa(reply=reply).start()
    try:
        client = make_client(rasa.url, telegram=telegram_settings(fake))
        chat = new_chat_id()
        post_update(client, text_update(chat, "tell me everything"))
        sent = fake.wait_for("sendMessage", 3, where=lambda p: p["chat_id"] == str(chat))
    finally:
        rasa.stop()
    assert all(len(part["text"]) <= 4096 for part in sent)
    assert " ".join(part["text"] for part in sent).split() == long_text.split()
    assert all(part["text"].endswith("words") for part in sent)
    assert [bool(part.get("reply_markup")) for part in sent] == [False] * (len(sent) - 1) + [True]


def test_webhook_429_is_waited_out_and_retried(
    telegram: TestClient, fake: FakeBotApi, store: Callable[[], Session]
) -> None:
    chat = new_chat_id()
    fake.fail_next("sendMessage", retry_after=1)
    post_update(telegram, text_update(chat, "hi"))
    attempts = fake.wait_for("sendMessage", 2, where=lambda p: p["chat_id"] == str(chat))
    assert [a["text"] for a in attempts] == ["You said: hi", "You said: hi"]
    with store() as session:
        assert deliveries.list_failures(session, session_key=_key(chat)) == []


def test_webhook_other_send_errors_are_recorded_not_dropped(
    telegram: TestClient, fake: FakeBotApi, store: Callable[[], Session]
) -> None:
    chat = new_chat_id()
    fake.fail_next("sendMessage", error_code=403, description="Forbidden: bot was blocked")
    post_update(telegram, text_update(chat, "hi"))
    fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == str(chat))

    def failures() -> list[Any]:
        with store() as session:
            return deliveries.list_failures(session, session_key=_key(chat))

    assert [(f.text, f.error) for f in eventually(failures)] == [
        ("You said: hi", "Forbidden: Forbidden: bot was blocked")
    ]


def test_webhook_start_deep_link_records_source_and_campaign(
    telegram: TestClient, fake: FakeBotApi, rasa: StandInRasa, store: Callable[[], Session]
) -> None:
    chat = new_chat_id()
    post_update(telegram, text_update(chat, "/start instagram__spring"))
    fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == str(chat))
    assert rasa.requests[-1]["message"] == "/greet"
    with store() as session:
        identity = contacts.get_identity(session, channel=Channel.telegram, external_id=str(chat))
        assert identity is not None
        assert (identity.contact.source, identity.contact.campaign) == ("instagram", "spring")


def test_webhook_stop_records_the_opt_out_and_help_explains(
    telegram: TestClient, fake: FakeBotApi, rasa: StandInRasa, store: Callable[[], Session]
) -> None:
    chat = new_chat_id()
    post_update(telegram, text_update(chat, "/help"))
    fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == str(chat))
    post_update(telegram, text_update(chat, "/stop"))
    fake.wait_for("sendMessage", 2, where=lambda p: p["chat_id"] == str(chat))
    assert fake.sent_texts(chat) == [HELP_REPLY, STOP_REPLY]
    assert rasa.requests == []
    with store() as session:
        identity = contacts.get_identity(session, channel=Channel.telegram, external_id=str(chat))
        assert identity is not None
        history = consents.consent_history(
            session, contact_id=identity.contact_id, kind=ConsentKind.proactive_messages
        )
        assert [(c.granted, c.channel) for c in history] == [(False, Channel.telegram)]
    recorded = messages_of(store, _key(chat))
    assert [m.sender_type for m in recorded] == [
        SenderType.customer,
        SenderType.system,
        SenderType.customer,
        SenderType.system,
    ]


def test_webhook_stickers_and_edits_get_a_polite_answer(
    telegram: TestClient, fake: FakeBotApi, rasa: StandInRasa, store: Callable[[], Session]
) -> None:
    chat = new_chat_id()
    post_update(telegram, sticker_update(chat))
    fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == str(chat))
    post_update(telegram, edited_update(chat, "fixed typo"))
    fake.wait_for("sendMessage", 2, where=lambda p: p["chat_id"] == str(chat))
    texts = fake.sent_texts(chat)
    assert texts[0] == UNSUPPORTED_REPLY and "new message" in texts[1]
    assert rasa.requests == []
    incoming = [m.text for m in messages_of(store, _key(chat))][::2]
    assert incoming == ["[sticker]", "(edited) fixed typo"]


@pytest.mark.parametrize("secret", [None, "wrong-secret-0123456789"])
def test_webhook_wrong_or_missing_secret_is_403_and_nothing_recorded(
    telegram: TestClient, fake: FakeBotApi, store: Callable[[], Session], secret: str | None
) -> None:
    response = post_update(telegram, text_update(new_chat_id(), "hi"), secret=secret)
    assert response.status_code == 403
    assert count_messages(store) == 0
    assert fake.calls_of("sendMessage") == []


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"message": {"text": "no update id"}}',
        b'{"update_id": "7"}',
        b'{"update_id": 7, "message": "not an object"}',
    ],
)
def test_webhook_malformed_update_is_400(
    telegram: TestClient, store: Callable[[], Session], body: bytes
) -> None:
    assert post_update(telegram, body).status_code == 400
    assert count_messages(store) == 0


def test_webhook_unknown_update_kind_is_ignored(
    telegram: TestClient, fake: FakeBotApi, store: Callable[[], Session], caplog: Any
) -> None:
    update = {"update_id": 424242, "some_future_kind": {"id": 1}}
    with caplog.at_level("INFO"):
        response = post_update(telegram, update)
        eventually(lambda: "Ignored Telegram update 424242" in caplog.text, timeout=3)
    assert response.status_code == 200
    assert "Ignored Telegram update 424242" in caplog.text
    assert count_messages(store) == 0
    assert fake.calls_of("sendMessage") == []


def test_webhook_duplicate_update_id_is_processed_once(
    telegram: TestClient, fake: FakeBotApi, rasa: StandInRasa
) -> None:
    chat = new_chat_id()
    update = text_update(chat, "once please")
    first = post_update(telegram, update)
    second = post_update(telegram, update)
    assert (first.json()["detail"], second.json()["detail"]) == ("accepted", "duplicate")
    fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == str(chat))
    with pytest.raises(AssertionError):
        fake.wait_for("sendMessage", 2, where=lambda p: p["chat_id"] == str(chat), timeout=1.0)
    assert [r["message"] for r in rasa.requests] == ["once please"]


def test_webhook_route_is_404_when_telegram_is_off(client: TestClient) -> None:
    assert post_update(client, text_update(1, "hi")).status_code == 404


def test_product_card_with_a_photo_goes_out_as_send_photo(
    make_client: Callable[..., TestClient], fake: FakeBotApi
) -> None:
    card = {
        "type": "product_card",
        "name": "Stoneware Mug",
        "price": "14.00 EUR",
        "image": "https://cdn.example.test/mug.jpg",
        "reason": "Goes with your tea",
        "buttons": [{"title": "Buy", "payload": "/buy"}],
    }

    def reply(text: str, metadata: dict[str, Any]) -> dict[str, Any]:
        return {"messages": [{"custom": card}]}

    rasa = StandInRasa(reply=reply).start()
    try:
        client = make_client(rasa.url, telegram=telegram_settings(fake))
        chat = new_chat_id()
        post_update(client, text_update(chat, "suggest something"))
        [photo] = fake.wait_for("sendPhoto", where=lambda p: p["chat_id"] == str(chat))
    finally:
        rasa.stop()
    assert photo["photo"] == "https://cdn.example.test/mug.jpg"
    assert photo["caption"] == "Stoneware Mug - 14.00 EUR\nGoes with your tea"
    assert photo["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/buy"
