"""The check in a real Chromium: htmx steps without reloads, the same journey without JavaScript, axe."""

from __future__ import annotations

import re

import pytest

from tests.conftest import assert_only_own_host
from tests.factories import make_red_flag, make_routine

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def flags(db):
    make_red_flag(
        slug="saddle_numbness",
        urgency="emergency",
        question="Numb between your legs?",
        explanation="Around the genitals, buttocks or inner thighs.",
    )
    make_red_flag(
        slug="bladder_bowel_control", urgency="emergency", question="Lost control of your bladder or bowels?"
    )
    make_red_flag(slug="fever", urgency="urgent", question="Do you have a fever?")
    make_red_flag(slug="cancer_history", urgency="urgent", question="Have you ever had cancer?")
    make_red_flag(
        slug="numbness_one_leg", urgency="gp", question="Pain or numbness below the knee in one leg?"
    )
    make_red_flag(slug="pregnant", urgency="gp", question="Are you pregnant?")
    make_red_flag(slug="under_20_or_over_50_first_episode", urgency="gp", derived=True, question="Age?")
    make_red_flag(slug="cancer_with_leg_symptoms", urgency="emergency", derived=True, question="Cancer, leg?")
    make_routine(slug="cold-pack-cycles", name="Cold pack cycles", phases="early")


def start(page) -> None:
    page.goto("/check/")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url("**/check/serious-signs/")


def continue_to(page, path: str) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{path}")


def tap_to(page, answer: str, path: str) -> None:
    """A one-tap answer: the option (or "None of these") is itself the submit button."""
    page.get_by_role("button", name=answer, exact=True).click()
    page.wait_for_url(f"**{path}")


def answer_until_warning_signs(page, age: str = "35") -> None:
    tap_to(page, "None of these", "/check/age/")
    page.get_by_label("How old are you?").fill(age)
    continue_to(page, "/check/when-it-started/")
    tap_to(page, "1 to 3 days ago", "/check/happened-before/")
    tap_to(page, "No, this is the first time or nearly", "/check/pain/")
    tap_to(page, "7", "/check/better-or-worse/")
    tap_to(page, "Getting better", "/check/warning-signs/")


def answer_everything(page, age: str = "35") -> None:
    answer_until_warning_signs(page, age)
    tap_to(page, "None of these", "/check/other-signs/")
    tap_to(page, "None of these", "/check/answers/")


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_the_htmx_journey_swaps_steps_without_reloading(phone, live_server, flags):
    start(phone)
    phone.wait_for_function("() => window.htmx !== undefined")
    phone.evaluate("window.stillTheSamePage = true")
    answer_everything(phone)
    assert phone.evaluate("window.stillTheSamePage") is True  # no full reload between steps
    assert phone.title() == "Check your answers - Back spasm relief"
    phone.wait_for_function("() => document.activeElement.tagName === 'H1'")  # focus follows the swap
    assert heading(phone) == "Check your answers"
    phone.get_by_role("button", name="See your result").click()
    phone.wait_for_url("**/check/result/")
    assert phone.evaluate("window.stillTheSamePage") is True
    assert heading(phone) == "You can look after this at home"
    assert phone.title() == "You can look after this at home - Back spasm relief"
    phone.wait_for_function("() => document.activeElement.id === 'care-card-heading'")
    assert phone.get_by_role("link", name=re.compile("Start the timer")).first.get_attribute("href") == (
        "/routines/cold-pack-cycles/"
    )

    # Back: htmx keeps no copy of these pages (hx-history="false"), so it fetches the whole page again.
    with phone.expect_request(re.compile(r"/check/answers/$")) as restore:
        phone.go_back()
    phone.wait_for_url("**/check/answers/")
    headers = restore.value.headers
    assert headers.get("hx-history-restore-request") == "true" and "hx-request" not in headers
    phone.wait_for_function(
        "() => document.querySelector('h1') && document.querySelector('h1').textContent.includes('Check your answers')"
    )
    assert phone.locator(".site-header").count() == 1
    assert phone.evaluate("sessionStorage.getItem('htmx-history-cache')") in (None, "[]")
    assert_only_own_host(phone, live_server.url)


def test_an_error_moves_focus_to_the_summary(phone, flags):
    start(phone)
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_selector(".error-summary")
    assert phone.title().startswith("Error: ")
    phone.wait_for_function("() => document.activeElement.classList.contains('error-summary')")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
def test_enter_on_a_sign_never_answers_none_of_these(phone, no_js, flags, javascript):
    """Enter in a form presses its first submit button: on a signs page that must be Continue, so Enter with
    nothing ticked asks again, and Enter with a sign ticked sends the sign."""
    page = phone if javascript else no_js
    start(page)
    page.get_by_label("Numb between your legs?").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.url.endswith("/check/serious-signs/")
    page.get_by_label("Numb between your legs?").check()
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/result/")
    assert heading(page) == "Call the emergency number now"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
def test_none_of_these_with_a_ticked_sign_is_refused(phone, no_js, flags, javascript):
    """A sign ticked and then "None of these" tapped: never dropped, the question is asked again."""
    page = phone if javascript else no_js
    start(page)
    page.get_by_label("Numb between your legs?").check()
    page.get_by_role("button", name="None of these", exact=True).click()
    page.wait_for_selector(".error-summary")
    assert "not both" in page.locator(".error-summary").inner_text()
    assert page.url.endswith("/check/serious-signs/")
    assert page.get_by_label("Numb between your legs?").is_checked()


def test_the_same_journey_works_without_javascript(no_js, live_server, flags):
    start(no_js)
    answer_everything(no_js, age="60")
    no_js.get_by_role("button", name="See your result").click()
    no_js.wait_for_url("**/check/result/")
    assert heading(no_js) == "Book an appointment with your doctor"
    assert no_js.get_by_text("You are over 50").is_visible()
    no_js.get_by_role("link", name="Print this plan").click()
    no_js.wait_for_url("**/check/result/print/")
    assert heading(no_js) == "Your back spasm plan"
    assert_only_own_host(no_js, live_server.url)


def test_an_emergency_answer_ends_the_check_at_once(phone, flags):
    start(phone)
    phone.get_by_label("Lost control of your bladder or bowels?").check()
    continue_to(phone, "/check/result/")
    assert heading(phone) == "Call the emergency number now"
    call = phone.locator(".care-card a[href='tel:911']")
    assert call.is_visible()
    assert phone.get_by_text("Start again").count() == 0  # no button and no link: the call comes first
    assert phone.get_by_role("link", name="Change your answers").is_visible()


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({"emergency": True}, "emergency"),
        ({"urgent": True}, "urgent"),
        ({"age": "70"}, "gp"),
        ({}, "self_care"),
    ],
)
def test_axe_finds_nothing_on_the_check(phone, flags, axe, answers, level, tmp_path):
    phone.goto("/check/")
    axe(phone)
    phone.get_by_role("button", name="Start now").click()
    phone.wait_for_url("**/check/serious-signs/")
    if level == "emergency":
        axe(phone)  # a step
        phone.get_by_role("button", name="Continue").click()
        phone.wait_for_selector(".error-summary")
        axe(phone)  # the error state
        phone.get_by_label("Numb between your legs?").check()
        continue_to(phone, "/check/result/")
    elif level == "urgent":
        answer_until_warning_signs(phone)
        phone.get_by_label("Do you have a fever?").check()
        continue_to(phone, "/check/result/")
    else:
        answer_everything(phone, age=answers.get("age", "35"))
        phone.get_by_role("button", name="See your result").click()
        phone.wait_for_url("**/check/result/")
    phone.wait_for_selector(f".care-card-{level}")
    axe(phone)
    phone.screenshot(path=str(tmp_path / f"check-result-{level}.png"), full_page=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_after_a_cancer_history_the_leg_question_comes_alone_then_the_emergency(
    phone, no_js, flags, axe, javascript
):
    page = phone if javascript else no_js
    start(page)
    answer_until_warning_signs(page)
    page.get_by_label("Have you ever had cancer?").check()
    continue_to(page, "/check/other-signs/")
    # One question, alone: the pregnancy question cannot change an outcome that is already urgent.
    assert heading(page) == "Do you have this as well?"
    assert page.locator("input[name=flags]").count() == 1
    assert page.get_by_label("Pain or numbness below the knee in one leg?").is_visible()
    assert page.get_by_label("Are you pregnant?").count() == 0
    if javascript:
        page.wait_for_function("() => document.activeElement.tagName === 'H1'")
        axe(page)
    page.get_by_label("Pain or numbness below the knee in one leg?").check()
    continue_to(page, "/check/result/")
    assert heading(page) == "Call the emergency number now"
    assert page.locator(".care-card a[href='tel:911']").is_visible()
    assert page.get_by_text(
        "You have had cancer, and you have pain, numbness or tingling going down a leg."
    ).is_visible()
    if javascript:
        axe(page)
