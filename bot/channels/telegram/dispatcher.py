"""What the gateway does with each Telegram update, whichever way it arrived.

Webhook and polling both call `accept` (dedupe by update id) and then `handle`. Updates
of one chat are handled one at a time, in order; different chats run concurrently.
Customer messages, button presses and `/start` go through the router to the assistant;
`/help`, `/stop`, edited messages and content the assistant cannot read get the
gateway's own reply, recorded through the router as well.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator

from sqlalchemy.orm import Session
from telegram import Update

from bot.channels.telegram.rendering import HASHED_PREFIX, Send, callback_data_for, render
from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.updates import Event, EventKind, parse_update, session_key_for
from bot.messages import InboundMessage, OutboundMessage
from bot.router import ContactEffect, ConversationRouter, OnPending
from bot.store import SessionFactory, run_in_session
from crm_bridge import channel_updates, consents, contacts, deliveries
from crm_bridge.enums import Channel, ConsentKind, MessageDirection, SenderType
from crm_bridge.errors import StoreUnavailable

logger = logging.getLogger(__name__)

HELP_REPLY = (
    "I'm the shop's assistant. Ask me about products, prices and stock, shipping, "
    "returns, payment or opening hours, or ask for a person. /stop turns off messages "
    "from us that you did not ask for."
)
STOP_REPLY = (
    "Done: we won't send you messages you did not ask for. You can still write to me any time."
)
STOP_WORDING = "Telegram /stop: no proactive messages"
EDITED_REPLY = "I only read new messages, not edits. Please send your change as a new message."
UNSUPPORTED_REPLY = "Sorry, I can only read text. Please write your question, or use the buttons."
_TYPING_EVERY_SECONDS = 4.5


class UpdateDispatcher:
    """Turns updates into router calls and the router's replies into sends."""

    def __init__(
        self,
        *,
        router: ConversationRouter,
        sender: TelegramSender,
        session_factory: SessionFactory,
        public_url: str | None,
    ) -> None:
        self._router = router
        self._sender = sender
        self._sessions = session_factory
        self._public_url = public_url
        self._chat_locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def accept(self, update_id: int) -> bool:
        """True the first time an update id is seen (Telegram re-delivers on errors).

        Raises `StoreUnavailable` when the store cannot say; the caller then lets
        Telegram retry later.
        """
        return await run_in_session(
            self._sessions,
            lambda s: channel_updates.mark_processed(
                s, channel=Channel.telegram, update_id=update_id
            ),
            commit=True,
        )

    async def handle(self, update: Update) -> None:
        """Answer one update; never raises (a failure is logged and the customer told)."""
        event = parse_update(update)
        if event is None:
            logger.info("Ignored Telegram update %s: nothing to answer", update.update_id)
            return
        async with self._chat_turn(event.chat_id):
            try:
                replies = await self._replies(event)
            except StoreUnavailable:
                replies = [OutboundMessage.trouble()]
            except Exception:  # a bug must not leave the customer without an answer
                logger.exception("Handling Telegram update %s failed", update.update_id)
                replies = [OutboundMessage.trouble()]
            await self.send(event.chat_id, replies)

    @contextlib.asynccontextmanager
    async def _chat_turn(self, chat_id: int) -> AsyncIterator[None]:
        """One update of a chat at a time; the lock is forgotten when nobody holds or waits."""
        lock, users = self._chat_locks.get(chat_id, (asyncio.Lock(), 0))
        self._chat_locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._chat_locks[chat_id]
            if users == 1:
                del self._chat_locks[chat_id]
            else:
                self._chat_locks[chat_id] = (lock, users - 1)

    async def send(self, chat_id: int, replies: list[OutboundMessage]) -> None:
        """Deliver replies to a chat, recording whatever could not be delivered."""
        sends: list[Send] = []
        for reply in replies:
            rendered = render(reply, public_url=self._public_url)
            if not rendered:
                logger.warning("A reply to chat %s had nothing Telegram can show", chat_id)
                await self._record_failure(chat_id, reply.text, "nothing to show on Telegram")
            sends.extend(rendered)
        await self._sender.deliver(chat_id, sends)

    async def _replies(self, event: Event) -> list[OutboundMessage]:
        inbound = event.inbound
        if event.kind is EventKind.press:
            assert event.callback_query_id is not None
            await self._sender.answer_callback(event.callback_query_id)
            inbound = await self._resolve_payload(inbound)
        if event.kind in (EventKind.say, EventKind.press, EventKind.start):
            effect = _first_touch(event) if event.kind is EventKind.start else None
            async with self._typing(event.chat_id) as on_pending:
                return await self._router.handle(inbound, on_pending=on_pending, effect=effect)
        reply, effect = _local_reply(event.kind)
        return await self._router.reply_locally(
            inbound, [OutboundMessage(text=reply, sender=SenderType.system)], effect=effect
        )

    async def _resolve_payload(self, inbound: InboundMessage) -> InboundMessage:
        """Replace a hashed `callback_data` by the payload it stands for (from the transcript)."""
        if not (inbound.payload or "").startswith(HASHED_PREFIX):
            return inbound
        for entry in reversed(await self._router.history(inbound.session_key) or []):
            if entry.direction is not MessageDirection.outgoing:
                continue
            buttons = [(b.title, b.payload) for b in entry.buttons]
            buttons += _custom_buttons(entry.custom)
            for title, payload in buttons:
                if callback_data_for(payload) == inbound.payload:
                    return dataclasses.replace(inbound, text=title, payload=payload)
        logger.warning("Unknown button data %s in %s", inbound.payload, inbound.session_key)
        return dataclasses.replace(inbound, payload=None)

    @contextlib.asynccontextmanager
    async def _typing(self, chat_id: int) -> AsyncIterator[OnPending]:
        """Yield an `on_pending` that keeps "typing..." up until the answer is ready."""
        task: asyncio.Task[None] | None = None

        async def keep_typing() -> None:
            while True:
                await self._sender.typing(chat_id)
                await asyncio.sleep(_TYPING_EVERY_SECONDS)

        async def on_pending() -> None:
            nonlocal task
            task = asyncio.create_task(keep_typing())
            await asyncio.sleep(0)  # let the first chat action go out now

        try:
            yield on_pending
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _record_failure(self, chat_id: int, text: str | None, error: str) -> None:
        def record(session: Session) -> None:
            deliveries.record_failure(
                session,
                channel=Channel.telegram,
                session_key=session_key_for(chat_id),
                text=text,
                error=error,
            )

        try:
            await run_in_session(self._sessions, record, commit=True)
        except StoreUnavailable:
            logger.error("Could not record a failed delivery to chat %s", chat_id)

    async def record_send_failure(self, chat_id: int, send: Send, error: str) -> None:
        """`TelegramSender`'s `on_failure`: keep the undelivered text with the error."""
        text = getattr(send, "text", None) or getattr(send, "caption", None)
        if text is None:
            text = getattr(send, "photo", None)
        await self._record_failure(chat_id, text, error)


def _custom_buttons(custom: dict[str, object] | None) -> list[tuple[str, str]]:
    raw = (custom or {}).get("buttons")
    if not isinstance(raw, list):
        return []
    return [
        (str(b["title"]), str(b["payload"]))
        for b in raw
        if isinstance(b, dict) and b.get("title") and b.get("payload")
    ]


def _first_touch(event: Event) -> ContactEffect | None:
    if event.source is None and event.campaign is None:
        return None

    def effect(session: Session, contact_id: int) -> None:
        contacts.record_first_touch(
            session, contact_id=contact_id, source=event.source, campaign=event.campaign
        )

    return effect


def _opt_out(session: Session, contact_id: int) -> None:
    consents.record_consent(
        session,
        contact_id=contact_id,
        kind=ConsentKind.proactive_messages,
        granted=False,
        wording=STOP_WORDING,
        channel=Channel.telegram,
    )


def _local_reply(kind: EventKind) -> tuple[str, ContactEffect | None]:
    if kind is EventKind.stop:
        return STOP_REPLY, _opt_out
    if kind is EventKind.help:
        return HELP_REPLY, None
    if kind is EventKind.edited:
        return EDITED_REPLY, None
    return UNSUPPORTED_REPLY, None
