"""The one heat and cold safety text: written once, shown wherever heat or cold is offered (issue 15)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from content.models import Guide, Handout, HandoutSection, Remedy, Routine, Status
from tests.factories import make_guide, make_handout, make_remedy, make_routine
from tests.handouts.helpers import pdf_text
from tests.triage.conftest import walk

pytestmark = pytest.mark.django_db

TITLE = "Using heat and cold safely"
RULE = "Never lie or sit on it"  # one of the rules only the shared text has
FALLBACK = "never put it straight on your skin"  # one of the four built-in rules


@pytest.fixture
def starter(db):
    call_command("load_starter_content", verbosity=0)


def body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def times_shown(html: str) -> int:
    return len(re.findall(r'<section class="heat-cold-safety[" ]', html))


def test_every_routine_page_shows_it_once(client, starter):
    routines = list(Routine.objects.published())
    assert len(routines) == 7
    for routine in routines:
        html = body(client, routine.get_absolute_url())
        assert TITLE in html and RULE in html, routine.slug
        assert times_shown(html) == 1, routine.slug


def test_the_heat_and_cold_remedies_show_it_and_the_others_do_not(client, starter):
    for remedy in Remedy.objects.published():
        html = body(client, remedy.get_absolute_url())
        if remedy.kind in (Remedy.Kind.HEAT, Remedy.Kind.COLD):
            assert RULE in html and times_shown(html) == 1, remedy.slug
        else:
            assert times_shown(html) == 0, remedy.slug


def test_every_handout_page_and_pdf_shows_it_once(client, starter):
    handouts = list(Handout.objects.published())
    assert len(handouts) == 3
    for handout in handouts:
        html = body(client, handout.get_absolute_url())
        assert TITLE in html and RULE in html, handout.slug
        assert times_shown(html) == 1, handout.slug
        text = pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)
        assert TITLE in text and RULE in text, handout.slug


def test_the_checks_plan_shows_it(client, starter):
    walk(client, onset="today")
    html = body(client, "/check/result/")
    assert "care-card-self_care" in html
    assert RULE in html and times_shown(html) == 1


def test_an_edit_in_one_place_shows_everywhere(client, starter):
    routine = Routine.objects.get(slug="cold-pack-cycles")
    remedy = Remedy.objects.get(slug="heat-pack")
    handout = Handout.objects.get(slug="first-days-of-a-back-spasm")
    for url in (routine.get_absolute_url(), remedy.get_absolute_url(), handout.get_absolute_url()):
        body(client, url)  # cached now
    safety = Guide.objects.get(with_heat_and_cold=True)
    safety.body += "\n- Keep pets and children away from hot packs."
    safety.save()
    for url in (routine.get_absolute_url(), remedy.get_absolute_url(), handout.get_absolute_url()):
        assert "Keep pets and children away from hot packs." in body(client, url), url
    assert "Keep pets and children away" in pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)


def test_it_keeps_review_fields_and_history_like_other_content(starter):
    safety = Guide.objects.get(with_heat_and_cold=True)
    assert safety.source_list and safety.last_reviewed is None
    safety.title = "Heat and cold: stay safe"
    safety.save()
    assert safety.history.count() == 2


def test_without_a_published_safety_text_the_four_basic_rules_still_show(client):
    make_guide(title="Draft safety", with_heat_and_cold=True, body="- Draft rule.", status=Status.DRAFT)
    routine = make_routine()
    remedy = make_remedy(kind=Remedy.Kind.COLD)
    handout = make_handout(sections=[{"kind": "text", "heading": "Rest", "text": "Rest a little."}])
    for url in (routine.get_absolute_url(), remedy.get_absolute_url(), handout.get_absolute_url()):
        html = body(client, url)
        assert FALLBACK in html and "fall asleep" in html, url
        assert "Draft rule" not in html, url


def test_a_safety_section_places_the_box_on_a_handout(client, starter):
    make_handout(
        slug="placed",
        sections=[
            {"kind": "text", "heading": "First", "text": "First text."},
            {"kind": HandoutSection.Kind.SAFETY},
            {"kind": "text", "heading": "Last", "text": "Last text."},
        ],
    )
    html = body(client, "/handouts/placed/")
    assert times_shown(html) == 1
    assert html.index("First text.") < html.index(TITLE) < html.index("Last text.")


def test_without_a_safety_section_the_box_comes_after_the_last_section(client, starter):
    make_handout(slug="unplaced", sections=[{"kind": "text", "heading": "Only", "text": "Only text."}])
    html = body(client, "/handouts/unplaced/")
    assert times_shown(html) == 1
    assert html.index("Only text.") < html.index(TITLE) < html.index("When to get help")
