"""The check on a phone (390 x 844), as a person in pain uses it, with JavaScript and without.

On the start page and on every step the primary button is inside the viewport on load (no scrolling);
the taps a plain self-care check takes are counted; the self-care result fits in five screens with the
plan's details collapsed. Walks the starter content (the v2 questions).
"""

from __future__ import annotations

import re
import subprocess

import pytest

from content.models import RedFlag
from content.starter import load_starter_content
from tests.factories import make_red_flag

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN_HEIGHT = 844
# Issue 14: a plain self-care check in at most 12 taps, and its result at most 5 screens tall.
MOST_SELF_CARE_TAPS = 12
MOST_RESULT_HEIGHT = 4220


@pytest.fixture
def starter(db) -> None:
    load_starter_content()
    if not RedFlag.objects.filter(slug="cancer_with_leg_symptoms").exists():
        make_red_flag(
            slug="cancer_with_leg_symptoms", urgency="emergency", derived=True, question="Cancer, leg?"
        )


@pytest.fixture(params=["js", "no_js"])
def page(request, phone, no_js):
    return phone if request.param == "js" else no_js


class Walk:
    """Taps on the page, counted, checking on each new page that its primary button is on the first screen."""

    def __init__(self, page) -> None:
        self.page = page
        self.taps = 0
        self.heights: dict[str, int] = {}

    def tap(self, locator) -> None:
        locator.click()
        self.taps += 1

    def arrive(self, path: str, button: str | None = None) -> None:
        """Wait for `path`, then assert its primary buttons are fully inside the viewport, before any scrolling:
        `button`, else Continue where the step has one, else every one-tap answer."""
        self.page.wait_for_url(f"**{path}")
        self.page.wait_for_function(
            f"() => document.querySelector('h1') && location.pathname.endsWith('{path}')"
        )
        if button is not None:
            buttons = [self.page.get_by_role("button", name=button, exact=True)]
        elif self.page.locator(".action-bar").count():
            buttons = [self.page.get_by_role("button", name="Continue", exact=True)]
        else:
            answers = self.page.locator(".answers .answer")
            buttons = [answers.nth(index) for index in range(answers.count())]
            assert buttons, path
        scroll = self.page.evaluate("window.scrollY")
        # The sticky emergency line covers the top of the screen: the buttons must be below it.
        emergency = self.page.locator(".emergency-line").bounding_box()
        for locator in buttons:
            box = locator.bounding_box()
            assert box is not None, path
            top, bottom = box["y"], box["y"] + box["height"]
            assert top >= emergency["y"] + emergency["height"] and bottom <= SCREEN_HEIGHT, (
                path,
                box,
                scroll,
            )
            assert box["height"] >= 48, (path, box)

    def choose(self, selector: str) -> None:
        self.tap(self.page.locator(selector))

    def answer(self, selector: str, path: str) -> None:
        """A one-tap answer: the option (or "None of these") is itself a submit button."""
        self.tap(self.page.locator(selector))
        self.settle(path)

    def next(self, path: str, button: str = "Continue") -> None:
        self.tap(self.page.get_by_role("button", name=button, exact=True))
        self.settle(path)

    def settle(self, path: str) -> None:
        if path.startswith("/check/result/"):
            self.page.wait_for_url(f"**{path}")
            self.page.wait_for_selector(".care-card h1")
        else:
            self.arrive(path, "See your result" if path == "/check/answers/" else None)


def begin(page) -> Walk:
    walk = Walk(page)
    page.goto("/check/")
    walk.arrive("/check/", "Start now")
    walk.next("/check/serious-signs/", "Start now")
    return walk


def to_warning_signs(walk: Walk) -> None:
    page = walk.page
    walk.answer("#serious-signs-none", "/check/age/")
    walk.choose("#value")
    page.locator("#value").fill("35")
    walk.next("/check/when-it-started/")
    walk.answer("#when-it-started-1", "/check/happened-before/")
    walk.answer("#happened-before-2", "/check/pain/")
    walk.answer("#pain-6", "/check/better-or-worse/")
    walk.answer("#better-or-worse-1", "/check/warning-signs/")


def test_the_self_care_path_keeps_the_button_in_reach_and_counts_its_taps(page, starter):
    walk = begin(page)
    to_warning_signs(walk)
    walk.answer("#warning-signs-none", "/check/other-signs/")
    walk.answer("#other-signs-none", "/check/answers/")
    walk.next("/check/result/", "See your result")
    assert page.locator(".care-card h1").inner_text() == "You can look after this at home"
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"self-care: {walk.taps} taps; result page {height} px tall")
    assert page.locator("details[open]").count() == 0
    assert height <= MOST_RESULT_HEIGHT, height
    # One-tap answers: Start 1, serious signs 1, age 2 (type, Continue), four single choices 1 each,
    # warning and other signs 1 each ("None of these"), See your result 1 = 11.
    assert walk.taps <= MOST_SELF_CARE_TAPS, walk.taps


def test_the_emergency_path_keeps_the_button_in_reach(page, starter):
    walk = begin(page)
    walk.choose("#serious-signs-1")
    walk.next("/check/result/")
    assert page.locator(".care-card-emergency").count() == 1
    assert page.get_by_role("link", name="Change your answers").is_visible()


def test_the_cancer_with_leg_path_keeps_the_button_in_reach(page, starter):
    walk = begin(page)
    to_warning_signs(walk)
    walk.choose("input[value=cancer_history]")
    walk.next("/check/other-signs/")
    assert page.locator("input[name=flags]").count() == 1
    walk.choose("input[value=numbness_one_leg]")
    walk.next("/check/result/")
    assert page.locator(".care-card-emergency").count() == 1
    assert page.get_by_role("link", name="Change your answers").is_visible()


# The plan's heading and the QR caption's words, in each language (Spanish runs about a fifth longer).
PLAN_WORDS = {
    "": ("Your back spasm plan", ("open the timer for “", "list of timed routines")),
    "/es": ("Su plan para el espasmo de espalda", ("abrir el temporizador “", "rutinas con temporizador")),
}


@pytest.mark.parametrize("prefix", ["", "/es"], ids=["english", "spanish"])
@pytest.mark.parametrize(
    "answers",
    [
        {"onset": "today"},  # self-care, early
        {"onset": "4-7-days"},  # self-care, settling
        {"age": 60, "onset": "1-3-days"},  # gp (over 50), early
        {"age": 30, "gp": ["pregnant"], "onset": "4-7-days"},  # gp, with what was left out
    ],
    ids=["self-care-early", "self-care-settling", "gp-over-50", "gp-pregnant"],
)
def test_the_printed_plan_fits_two_pages_on_letter_and_a4(
    answers, prefix, phone, client, live_server, starter, tmp_path
):
    from tests.triage.conftest import walk

    walk(client, prefix=prefix, **answers)
    cookie = client.cookies["sessionid"]
    phone.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    phone.goto(f"{prefix}/check/result/print/")
    heading, captions = PLAN_WORDS[prefix]
    assert phone.locator("h1").inner_text() == heading
    caption = phone.locator(".paper-qr").inner_text()
    assert any(words in caption for words in captions), caption
    for paper in ("Letter", "A4"):
        pdf = tmp_path / f"plan-{paper}.pdf"
        phone.pdf(path=str(pdf), format=paper, print_background=True)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        print(f"{prefix or 'en'} {answers}: {pages} pages on {paper}")
        assert pages <= 2, (paper, pages)
