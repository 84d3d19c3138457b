"""The library pages in a real browser: accessible, self-contained, and working with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from content.models import Remedy, Status
from tests.conftest import assert_only_own_host
from tests.factories import make_cause, make_prevention_tip, make_red_flag, make_remedy, make_routine

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library() -> dict[str, str]:
    """A little of everything, so each page has something to show."""
    heat = make_remedy(
        title="Heat pad",
        summary="Warmth helps the muscle let go.",
        kind=Remedy.Kind.HEAT,
        steps="Wrap the pad in a towel\nLie on it for 20 minutes",
        cautions="Never fall asleep on a heating pad",
        evidence="Heat has moderate evidence of easing pain in the first days.",
        body="## More about heat\n\nA warm bath works too.",
        sources="American College of Physicians, 2017",
    )
    make_remedy(title="Cold pack", summary="Numbs a fresh spasm.", kind=Remedy.Kind.COLD)
    make_remedy(title="Unpublished idea", status=Status.DRAFT)
    cause = make_cause(
        title="Lifting awkwardly", summary="Twisting while lifting.", prevention="Bend your knees."
    )
    make_prevention_tip(title="A strong core", summary="Gentle strength work.")
    make_routine(name="Cold pack cycles", purpose="Cold on, then off, three times.")
    make_red_flag(question="Have you lost control of your bladder?", urgency="emergency")
    make_red_flag(question="Do you have a fever?", urgency="urgent", explanation="Hot and shivery.")
    make_red_flag(question="Is one leg numb below the knee?", urgency="gp")
    return {"remedy": heat.get_absolute_url(), "cause": cause.get_absolute_url()}


def test_the_library_pages_pass_axe_and_load_only_from_their_own_host(phone, live_server, axe, library):
    console = []
    phone.on("console", lambda msg: console.append(msg.text))
    for url in (
        "/library/",
        library["remedy"],
        library["cause"],
        "/library/when-to-get-help/",
        "/library/search/?q=heat",
        "/library/search/?q=nothing-matches-this",
    ):
        response = phone.goto(url)
        assert response.status == 200, url
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        axe(phone)
    assert_only_own_host(phone, live_server.url)
    assert not [m for m in console if "Content Security Policy" in m], console


def test_the_library_page_leads_to_a_remedy(phone, library):
    phone.goto("/library/")
    phone.get_by_role("link", name="Heat pad").click()
    expect(phone.get_by_role("heading", level=1, name="Heat pad")).to_be_visible()
    expect(phone.get_by_text("Never fall asleep on a heating pad")).to_be_visible()
    expect(phone.get_by_text("Not yet reviewed by the clinic.")).to_be_visible()
    assert phone.get_by_text("Unpublished idea").count() == 0


def test_search_updates_the_results_in_place_and_the_address(phone, library):
    phone.goto("/library/search/")
    phone.evaluate("window.stillTheSamePage = true")
    phone.get_by_label("Search the library").fill("heat")
    phone.get_by_role("button", name="Search").click()
    expect(phone.get_by_role("heading", name="1 result for “heat”")).to_be_visible()
    expect(phone.get_by_role("link", name="Heat pad")).to_be_visible()
    assert phone.evaluate("window.stillTheSamePage") is True
    assert phone.url.endswith("/library/search/?q=heat")


def test_search_works_without_javascript(no_js, live_server, library):
    no_js.goto("/library/")
    no_js.get_by_label("Search the library").fill("cold")
    no_js.get_by_role("button", name="Search").click()
    expect(no_js.get_by_role("heading", name="2 results for “cold”")).to_be_visible()
    no_js.get_by_role("link", name="Cold pack cycles").wait_for()
    assert_only_own_host(no_js, live_server.url)


def test_the_help_page_works_without_javascript(no_js, library):
    no_js.goto("/library/when-to-get-help/")
    expect(no_js.get_by_text("Have you lost control of your bladder?")).to_be_visible()
    expect(no_js.get_by_role("link", name="Call 911")).to_be_visible()
