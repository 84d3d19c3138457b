"""In a real browser with JavaScript on: no public page fetches anything from another host, and none trips
the Content Security Policy (Chromium reports every blocked script, style or connection in the console)."""

from __future__ import annotations

import pytest

from content.starter import load_starter_content
from tests.conftest import assert_only_own_host

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/check/",
    "/library/",
    "/library/causes/muscle-strain/",
    "/library/remedies/heat-pack/",
    "/library/prevention/good-posture/",
    "/library/when-to-get-help/",
    "/library/search/?q=heat",
    "/routines/",
    "/handouts/",
    "/handouts/first-days-of-a-back-spasm/",
    "/library/remedies/no-such-remedy/",  # the 404 page
]


class Console:
    """Every console message and uncaught error of the page, kept for the assertions."""

    def __init__(self, page) -> None:
        self.messages: list[str] = []
        page.on("console", lambda message: self.messages.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    def csp_violations(self) -> list[str]:
        return [text for text in self.messages if "Content Security Policy" in text]

    def errors(self) -> list[str]:
        return [text for text in self.messages if text.startswith("pageerror:")]


@pytest.fixture
def starter(transactional_db) -> None:
    load_starter_content()


def walk_the_check(page) -> None:
    """Through the wizard by clicking, as a person would: htmx swaps each step in."""
    page.goto("/check/")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url("**/check/serious-signs/")
    page.get_by_role("button", name="Continue").click()  # nothing ticked: the error state
    page.wait_for_selector("[data-error-summary]")
    # One-tap answers: the option (or "None of these") is itself the submit button.
    page.get_by_role("button", name="None of these", exact=True).click()
    page.wait_for_url("**/check/age/")
    page.get_by_label("How old are you?").fill("35")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/check/when-it-started/")
    page.get_by_role("button", name="1 to 3 days ago", exact=True).click()
    page.wait_for_url("**/check/happened-before/")
    page.get_by_role("button", name="No, this is the first time or nearly", exact=True).click()
    page.wait_for_url("**/check/pain/")
    page.get_by_role("button", name="6", exact=True).click()
    page.wait_for_url("**/check/better-or-worse/")
    page.get_by_role("button", name="Getting better", exact=True).click()
    page.wait_for_url("**/check/warning-signs/")
    page.get_by_role("button", name="None of these", exact=True).click()
    page.wait_for_url("**/check/other-signs/")
    page.get_by_role("button", name="None of these", exact=True).click()
    page.wait_for_url("**/check/answers/")
    page.get_by_role("button", name="See your result").click()
    page.wait_for_url("**/check/result/")
    page.get_by_role("heading", level=1).wait_for()


def test_no_page_breaks_the_csp_or_calls_another_host(phone, live_server, starter):
    console = Console(phone)
    for url in PAGES:
        phone.goto(url)
        phone.wait_for_load_state("networkidle")

    walk_the_check(phone)
    phone.reload()  # the result page loaded whole, not only swapped in
    phone.wait_for_load_state("networkidle")
    phone.goto("/check/result/print/")
    phone.wait_for_load_state("networkidle")

    phone.goto("/routines/cold-pack-cycles/")
    phone.locator("#timer").wait_for(state="visible")
    phone.get_by_role("button", name="Start", exact=True).click()
    phone.get_by_role("button", name="Pause").wait_for()
    left = phone.locator("#timer-left").inner_text()
    # The clock has ticked over at least once: a condition, not a fixed wait (bounded by the default timeout).
    phone.wait_for_function(
        "left => document.querySelector('#timer-left').textContent !== left", arg=left, polling=100
    )
    phone.wait_for_load_state("networkidle")

    own_pages = {url.split("?")[0] for url in phone.requested}
    assert f"{live_server.url}/routines/cold-pack-cycles/" in own_pages
    assert f"{live_server.url}/check/result/" in own_pages
    assert_only_own_host(phone, live_server.url)
    assert console.csp_violations() == [], console.messages
    assert console.errors() == [], console.messages


def test_the_console_watch_does_see_a_blocked_inline_script(phone, live_server, starter):
    """The harness itself: an injected inline script is refused, and the refusal reaches the console."""
    console = Console(phone)
    phone.goto("/")
    with phone.expect_console_message(lambda message: "Content Security Policy" in message.text):
        phone.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.ran = true';"
            " document.body.append(s); }"
        )
    assert phone.evaluate("window.ran") is None
    assert console.csp_violations(), console.messages
