"""What the customer actually wrote, as opposed to a button payload such as `/ask_price`."""

from __future__ import annotations

from rasa_sdk import Tracker

PAYLOAD_PREFIX = "/"


def latest_customer_text(tracker: Tracker) -> str:
    """The newest user text that is not an intent payload.

    After the two-stage fallback the customer confirms with a button (`/ask_price`), and
    Rasa re-issues that payload as the latest message; the product they named is in the
    message before it, which is still among the tracker's events.
    """
    latest = (tracker.latest_message or {}).get("text") or ""
    if latest and not latest.startswith(PAYLOAD_PREFIX):
        return latest
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        text = event.get("text") or ""
        if text and not text.startswith(PAYLOAD_PREFIX):
            return text
    return ""
