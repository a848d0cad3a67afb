"""The staff console in Debian's chromium against the real stack (Rasa, actions, gateway).

A customer asks for a person in the widget (one browser context); an admin, created with
`python -m bot.console create-admin`, watches the inbox (another context): the waiting
conversation appears without a reload, the admin filters, opens the transcript, takes
over, replies (the reply arrives in the customer's widget), sees the customer's next
message arrive live and shown as text, hands back to the assistant and logs out.
Screenshots go to /tmp/console-*.png for a visual check.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.console.takeover import JOINED_TEXT, LEFT_TEXT
from crm_bridge.models import Message
from launcher.settings import PROJECT_ROOT
from tests.e2e.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
EMAIL, PASSWORD, NAME = "lena@shop.test", "console e2e passphrase", "Lena"
ASK_FOR_HUMAN = "connect me to an agent"
HOSTILE = "<script>window.pwned = 1</script> my order 1234 is late"
SCREENSHOTS = Path("/tmp")
RASA_WAIT_MS = 30_000


def _create_admin(stack: Stack) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONSOLE_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.console",
            "create-admin",
            "--email",
            EMAIL,
            "--name",
            NAME,
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=environment | {"DATABASE_URL": stack.database_url},
        cwd=PROJECT_ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _conversation_of(crm: Session, text: str) -> int:
    crm.rollback()  # a fresh snapshot: the gateway has written since
    conversation_id = crm.scalars(
        sa.select(Message.conversation_id).where(Message.text == text).order_by(Message.id.desc())
    ).first()
    assert conversation_id is not None
    return conversation_id


def test_staff_take_over_a_waiting_conversation_in_the_browser(stack: Stack, crm: Session) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import expect, sync_playwright

    _create_admin(stack)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            staff = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            customer = browser.new_context(viewport={"width": 1000, "height": 800}).new_page()

            # Sign in: the console sends an anonymous visitor to the sign-in page.
            staff.goto(stack.gateway_url + "/console/conversations")
            expect(
                staff.get_by_role("heading", name="Sign in to the staff console")
            ).to_be_visible()
            staff.get_by_label("Email").fill(EMAIL)
            staff.get_by_label("Password").fill(PASSWORD)
            staff.get_by_role("button", name="Sign in").click()
            queue = staff.locator("#queue")
            expect(staff.get_by_role("heading", name="Waiting for a person")).to_be_visible()
            expect(staff.locator("#live-state")).to_have_text("Live")

            # The customer asks for a person; the real assistant queues the conversation.
            customer.goto(stack.gateway_url + "/")
            customer.get_by_role("button", name="Open chat").click()
            customer.get_by_label("Your message").fill(ASK_FOR_HUMAN)
            customer.get_by_label("Your message").press("Enter")
            widget = customer.get_by_role("log")
            expect(widget.locator(".cw-bot").last).to_contain_text(
                "asked a member of our team", timeout=RASA_WAIT_MS
            )
            conversation_id = _conversation_of(crm, ASK_FOR_HUMAN)

            # ... and it appears in the open inbox without a reload.
            row = queue.get_by_role("link", name=f"#{conversation_id}", exact=True)
            expect(row).to_be_visible()
            expect(queue).to_contain_text("waiting")
            staff.screenshot(path=str(SCREENSHOTS / "console-inbox.png"))

            # Filter: waiting conversations that mention the request.
            staff.get_by_label("Status", exact=True).select_option("waiting")
            staff.get_by_label("Search messages").fill(ASK_FOR_HUMAN)
            staff.get_by_role("button", name="Apply filters").click()
            results = staff.locator("#results")
            expect(
                results.get_by_role("link", name=f"#{conversation_id}", exact=True)
            ).to_be_visible()
            expect(results.locator("tbody tr")).to_have_count(1)

            # Open the transcript: the customer's message with its intent.
            results.get_by_role("link", name=f"#{conversation_id}", exact=True).click()
            messages = staff.locator("#messages")
            asked = messages.locator(".msg-customer").filter(has_text=ASK_FOR_HUMAN)
            expect(asked.locator(".intent")).to_have_text("request_human")

            # Take over: the customer is told a person joined.
            staff.get_by_role("button", name="Take over", exact=True).click()
            expect(staff.locator("#conversation-status")).to_have_text("with a person")
            expect(widget.locator(".cw-bot").last).to_have_text(JOINED_TEXT.format(name=NAME))

            # The agent's reply arrives in the customer's widget.
            staff.get_by_label("Reply to the customer").fill("Hello, I'm Lena. How can I help?")
            staff.get_by_role("button", name="Send reply").click()
            expect(widget.locator(".cw-bot").last).to_have_text("Hello, I'm Lena. How can I help?")
            expect(staff.get_by_label("Reply to the customer")).to_have_value("")
            expect(messages.locator(".msg-agent").last).to_contain_text("Hello, I'm Lena.")

            # The customer's answer appears live in the console, as text, inert.
            customer.get_by_label("Your message").fill(HOSTILE)
            customer.get_by_label("Your message").press("Enter")
            expect(messages.locator(".msg-customer .text").last).to_have_text(HOSTILE)
            assert staff.evaluate("window.pwned") is None
            staff.screenshot(path=str(SCREENSHOTS / "console-transcript.png"))

            # Hand back: the customer is told, and the assistant answers again.
            staff.get_by_role("button", name="Return to the assistant").click()
            expect(staff.locator("#conversation-status")).to_have_text("with the assistant")
            expect(widget.locator(".cw-bot").last).to_have_text(LEFT_TEXT.format(name=NAME))
            customer.get_by_label("Your message").fill("what are your opening hours?")
            customer.get_by_label("Your message").press("Enter")
            expect(widget.locator(".cw-bot").last).to_contain_text("9", timeout=RASA_WAIT_MS)
            customer.screenshot(path=str(SCREENSHOTS / "console-customer-widget.png"))

            # Log out: the console is closed again.
            staff.get_by_role("button", name="Log out").click()
            expect(staff.get_by_text("You are signed out.")).to_be_visible()
            staff.goto(stack.gateway_url + "/console/conversations")
            expect(
                staff.get_by_role("heading", name="Sign in to the staff console")
            ).to_be_visible()
        finally:
            browser.close()
