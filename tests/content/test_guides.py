"""The library's guides (what a spasm feels like, the upper back) and "When to get help" (issue 15)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from content.models import ClinicSettings, Guide, Status
from tests.factories import make_guide, make_red_flag

pytestmark = pytest.mark.django_db

SYMPTOMS = "/library/guides/what-a-back-spasm-feels-like/"


@pytest.fixture
def starter(db):
    call_command("load_starter_content", verbosity=0)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_symptoms_page_says_what_a_spasm_feels_like(client, starter):
    html = page(client, SYMPTOMS)
    assert "<h1>What a back spasm feels like</h1>" in html
    for sign in ("tight knot", "feels hard", "twitching", "comes in waves", "spreads"):
        assert sign in html, sign
    assert "When to get help" in html  # the help box under every library page


def test_the_home_page_and_the_checks_start_page_link_to_it(client, starter):
    for url in ("/", "/check/"):
        assert f'href="{SYMPTOMS}"' in page(client, url), url


def test_the_library_lists_the_guides_first(client, starter):
    html = page(client, "/library/")
    assert html.index('id="guides"') < html.index('id="remedies"')
    for title in (
        "What a back spasm feels like",
        "Spasms in the middle and upper back",
        "Using heat and cold safely",
    ):
        assert title in html


def test_the_upper_back_guide_says_when_it_is_a_warning_sign(client, starter):
    guide = Guide.objects.get(slug="middle-and-upper-back")
    html = page(client, guide.get_absolute_url())
    assert "between the shoulder blades" in html
    assert "See a doctor today" in html and "Call the emergency number at once" in html


def test_search_finds_the_guides(client, starter):
    assert "What a back spasm feels like" in page(client, "/library/search/?q=twitching")
    assert "Spasms in the middle and upper back" in page(client, "/library/search/?q=shoulder+blades")
    assert "Ligament sprain" in page(client, "/library/search/?q=ligament")
    assert "Hamstring stretch" in page(client, "/library/search/?q=hamstring")


def test_a_draft_guide_is_not_found_for_the_public(client):
    guide = make_guide(status=Status.DRAFT)
    assert client.get(guide.get_absolute_url()).status_code == 404


def test_when_to_get_help_lists_getting_worse_in_the_clinics_words(client, starter):
    html = page(client, "/library/when-to-get-help/")
    assert "See a doctor in the next few days if" in html
    assert "The pain is getting worse." in html
    clinic = ClinicSettings.load()
    clinic.see_a_doctor_if = "Your pain is getting worse, or not improving.\nYou feel unwell."
    clinic.save()
    html = page(client, "/library/when-to-get-help/")
    assert "Your pain is getting worse, or not improving." in html and "You feel unwell." in html


def test_when_to_get_help_shows_every_published_flag_whatever_its_slug(client):
    make_red_flag(
        slug="upper_back_pain",
        urgency="urgent",
        question="Is the pain high up, between your shoulder blades?",
    )
    make_red_flag(slug="some_new_flag", urgency="emergency", question="A new emergency question?")
    make_red_flag(slug="unpublished_flag", question="A draft question?", status=Status.DRAFT)
    html = page(client, "/library/when-to-get-help/")
    assert 'id="flag-upper_back_pain"' in html and "between your shoulder blades" in html
    assert "A new emergency question?" in html
    assert "A draft question?" not in html
