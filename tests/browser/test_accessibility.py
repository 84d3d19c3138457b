"""axe-core on every public page, on a phone, with the starter content a new clinic starts from.

The single-area axe tests stay where they are; this sweep is the one place that covers all pages. It runs
in one browser context and reports every page's violations together, so one run shows all there is to fix.
The check is walked in order, as a person would, with each step's error state on the way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from content.models import Cause, Guide, Handout, PreventionTip, RedFlag, Remedy, Routine
from content.starter import load_starter_content
from tests.factories import make_red_flag

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()


@pytest.fixture
def starter(db) -> None:
    load_starter_content()
    # Version 2's derived flag for a cancer history with leg symptoms (added here while the starter file
    # this branch loads may not have it yet; a no-op once it does).
    if not RedFlag.objects.filter(slug="cancer_with_leg_symptoms").exists():
        make_red_flag(
            slug="cancer_with_leg_symptoms", urgency="emergency", derived=True, question="Cancer, leg?"
        )


class Sweep:
    """Runs axe on the page as it is now and keeps each page's report under its name."""

    def __init__(self, page) -> None:
        self.page = page
        self.checked: list[str] = []
        self.failures: dict[str, str] = {}

    def __call__(self, name: str) -> None:
        results = AXE.run(self.page)
        self.checked.append(name)
        if results.violations_count:
            self.failures[name] = results.generate_report()

    def visit(self, name: str, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status < 500, url
        self(name)


def settled(page) -> None:
    """check.js moves focus to the new heading or error summary once htmx has swapped the step in."""
    page.wait_for_function(
        "() => document.activeElement.tagName === 'H1' || document.activeElement.matches('[data-error-summary]')"
    )


def start_check(page) -> None:
    page.goto("/check/")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url("**/check/serious-signs/")


def press_continue(page, then: str) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{then}")
    settled(page)


def answer_with(page, selector: str, then: str) -> None:
    """A one-tap answer: the option (or "None of these") is itself the submit button."""
    page.locator(selector).click()
    page.wait_for_url(f"**{then}")
    settled(page)


def see_an_error(page) -> None:
    if page.locator(".action-bar").count():
        page.get_by_role("button", name="Continue").click()
    else:
        # One-tap answers cannot be sent empty: a tampered value shows the same error state.
        first = page.locator(".answers .answer").first
        first.evaluate("(button) => { button.value = 'tampered'; }")
        first.click()
    page.wait_for_selector("[data-error-summary]")
    settled(page)


def answer_to_the_end(page, *, age: str, sweep: Sweep | None = None, until: str = "/check/answers/") -> None:
    """From the first question to "Check your answers" (or `until`), with no red flags; `sweep` checks every
    step and error."""

    def check(name: str) -> None:
        if sweep is not None:
            sweep(name)

    def error(name: str) -> None:
        if sweep is not None:
            see_an_error(page)
            sweep(f"{name} (error)")

    check("step: serious signs")
    error("step: serious signs")
    answer_with(page, "#serious-signs-none", "/check/age/")
    check("step: age")
    error("step: age")
    page.locator("#value").fill(age)
    press_continue(page, "/check/when-it-started/")
    check("step: when it started")
    error("step: when it started")
    answer_with(page, "#when-it-started-2", "/check/happened-before/")
    check("step: happened before")
    error("step: happened before")
    answer_with(page, "#happened-before-2", "/check/pain/")
    check("step: pain")
    error("step: pain")
    answer_with(page, "#pain-7", "/check/better-or-worse/")
    check("step: better or worse")
    error("step: better or worse")
    answer_with(page, "#better-or-worse-1", "/check/warning-signs/")
    check("step: warning signs")
    error("step: warning signs")
    if until == "/check/warning-signs/":
        return
    answer_with(page, "#warning-signs-none", "/check/other-signs/")
    check("step: other signs")
    error("step: other signs")
    answer_with(page, "#other-signs-none", "/check/answers/")


def see_the_result(page) -> None:
    page.get_by_role("button", name="See your result").click()
    page.wait_for_url("**/check/result/")
    settled(page)


def test_axe_finds_nothing_on_any_public_page(phone, starter):
    page = phone
    sweep = Sweep(page)
    cause, remedy, tip = Cause.objects.first(), Remedy.objects.first(), PreventionTip.objects.first()
    routine, handout = Routine.objects.get(slug="cold-pack-cycles"), Handout.objects.first()

    sweep.visit("home", "/")
    sweep.visit("library", "/library/")
    sweep.visit("cause", cause.get_absolute_url())
    sweep.visit("remedy", remedy.get_absolute_url())
    sweep.visit("prevention tip", tip.get_absolute_url())
    for guide in Guide.objects.all():  # what a spasm feels like, the upper back, heat and cold safety
        sweep.visit(f"guide {guide.slug}", guide.get_absolute_url())
    sweep.visit("search with results", "/library/search/?q=heat")
    sweep.visit("search with no results", "/library/search/?q=xylophone")
    sweep.visit("when to get help", "/library/when-to-get-help/")
    sweep.visit("routines", "/routines/")
    sweep.visit("handouts", "/handouts/")
    sweep.visit("handout", handout.get_absolute_url())
    sweep.visit("page not found", "/no-such-page/")

    # The check, every step and its error state, to a self-care outcome and its printable plan.
    sweep.visit("check start", "/check/")
    start_check(page)
    answer_to_the_end(page, age="35", sweep=sweep)
    sweep("check your answers")
    see_the_result(page)
    sweep("outcome: self care")
    page.locator(".plan-more > summary").click()
    sweep("outcome: self care, the rest of the plan open")
    sweep.visit("print the plan", "/check/result/print/")
    sweep.visit("start again: are you sure?", "/check/start-again/")
    page.get_by_role("button", name="Yes, delete my answers").click()
    page.wait_for_url("**/check/serious-signs/")
    sweep("start again: answers deleted")

    # The other outcome levels.
    start_check(page)
    page.locator("#serious-signs-1").check()
    press_continue(page, "/check/result/")
    sweep("outcome: emergency")

    start_check(page)
    answer_to_the_end(page, age="35", until="/check/warning-signs/")
    page.locator("#warning-signs-1").check()
    press_continue(page, "/check/result/")
    sweep("outcome: urgent")

    # After a cancer history, the leg question asked alone, then the emergency it can lead to.
    start_check(page)
    answer_to_the_end(page, age="35", until="/check/warning-signs/")
    page.locator("input[value=cancer_history]").check()
    press_continue(page, "/check/other-signs/")
    assert page.locator("input[name=flags]").count() == 1
    sweep("step: the leg question alone")
    page.locator("input[value=numbness_one_leg]").check()
    press_continue(page, "/check/result/")
    assert page.locator(".care-card-emergency").count() == 1
    sweep("outcome: emergency after cancer and the leg question")

    start_check(page)
    answer_to_the_end(page, age="70")
    see_the_result(page)
    sweep("outcome: gp")

    # The routine timer, idle and then running, on a fake clock that still moves (axe waits on timers).
    page.clock.install(time=dt.datetime(2025, 3, 1, 14, 0, tzinfo=dt.UTC))
    page.goto(routine.get_absolute_url())
    page.locator("#timer").wait_for(state="visible")
    sweep("routine: idle")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.fast_forward("05:00")
    assert page.locator("#timer").get_attribute("data-status") == "running"
    sweep("routine: running")

    # With the v2 check's states, the three starter guides, and issue 14's disclosure and start-again pages.
    assert len(sweep.checked) == 45, sweep.checked
    assert sweep.failures == {}, "\n\n".join(
        f"== {name}\n{report}" for name, report in sweep.failures.items()
    )
