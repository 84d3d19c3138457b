from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from content.models import ClinicSettings, Remedy, Status
from tests.factories import (
    make_cause,
    make_handout,
    make_prevention_tip,
    make_red_flag,
    make_remedy,
    make_routine,
    make_user,
)

pytestmark = pytest.mark.django_db


def page(client, url: str, **kw) -> str:
    response = client.get(url, **kw)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# The library page -----------------------------------------------------------------------------


def test_it_lists_published_content_grouped_by_kind(client):
    make_remedy(title="Warm bath", kind=Remedy.Kind.HEAT)
    make_remedy(title="Cold pack", kind=Remedy.Kind.COLD)
    make_cause(title="Lifting awkwardly")
    make_prevention_tip(title="Strong core")
    make_routine(name="Cold pack cycles")
    body = page(client, "/library/")
    for text in ("Warm bath", "Cold pack", "Lifting awkwardly", "Strong core", "Cold pack cycles"):
        assert text in body
    # Remedies are grouped under their kind, in the order of the kinds.
    assert body.index("<h3>Cold</h3>") < body.index("Cold pack") < body.index("<h3>Heat</h3>")
    assert body.index("<h3>Heat</h3>") < body.index("Warm bath")
    assert reverse("library:when_to_get_help") in body


def test_it_links_each_item_to_its_page(client):
    remedy = make_remedy()
    routine = make_routine()
    body = page(client, "/library/")
    assert f'href="{remedy.get_absolute_url()}"' in body
    assert f'href="{routine.get_absolute_url()}"' in body


def test_it_hides_drafts_from_the_public(client):
    make_remedy(title="Secret draft remedy", status=Status.DRAFT)
    make_cause(title="Cause in review", status=Status.IN_REVIEW)
    body = page(client, "/library/")
    assert "Secret draft remedy" not in body
    assert "Cause in review" not in body


def test_it_shows_drafts_to_staff_marked_as_drafts(client):
    make_remedy(title="Secret draft remedy", status=Status.DRAFT)
    client.force_login(make_user())
    body = page(client, "/library/")
    assert "Secret draft remedy" in body
    assert "library-draft-tag" in body


def test_the_library_page_costs_the_same_few_queries_however_much_content(
    client, django_assert_max_num_queries
):
    for n in range(15):
        make_remedy(kind=list(Remedy.Kind)[n % len(Remedy.Kind)])
        make_cause()
        make_prevention_tip()
        make_routine()
    page(client, "/library/")  # warms the clinic settings cache
    with django_assert_max_num_queries(4):
        page(client, "/library/")


def test_the_nav_links_to_the_library(client):
    assert 'href="/library/"' in page(client, "/")


# Detail pages ---------------------------------------------------------------------------------


def test_a_remedy_page_shows_steps_cautions_evidence_and_review_dates(client):
    remedy = make_remedy(
        title="Heat pad",
        summary="Warmth relaxes the muscle.",
        steps="Wrap the pad in a towel\nLie down for 20 minutes",
        cautions="Never on numb skin",
        evidence="Heat has moderate evidence for quick relief.",
        body="Some **extra** advice.",
        sources="ACP guideline 2017\nhttps://example.org/heat",
    )
    remedy.mark_reviewed(make_user(), today=date(2026, 3, 1))
    remedy.save()
    body = page(client, remedy.get_absolute_url())
    assert "<h1>Heat pad</h1>" in body
    assert "<li>Wrap the pad in a towel</li>" in body
    assert "Never on numb skin" in body
    assert "Heat has moderate evidence" in body
    assert "<strong>extra</strong>" in body
    assert "Page last reviewed: 1 March 2026" in body
    assert "Next review due: 1 March 2027" in body
    assert "ACP guideline 2017" in body
    assert 'href="https://example.org/heat"' in body
    assert 'href="tel:911"' in body


def test_an_unreviewed_page_says_so(client):
    cause = make_cause()
    assert "Not yet reviewed by the clinic." in page(client, cause.get_absolute_url())


@pytest.mark.parametrize("maker", [make_cause, make_remedy, make_prevention_tip])
def test_a_draft_page_is_not_found_for_the_public(client, maker):
    obj = maker(status=Status.DRAFT)
    assert client.get(obj.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("maker", [make_cause, make_remedy, make_prevention_tip])
def test_staff_preview_a_draft_page_with_the_banner(client, maker):
    obj = maker(status=Status.IN_REVIEW)
    client.force_login(make_user())
    body = page(client, obj.get_absolute_url())
    assert "In review: not published yet. Only clinic staff can see this page." in body


@pytest.mark.parametrize("maker", [make_cause, make_remedy, make_prevention_tip])
def test_a_published_page_has_no_draft_banner(client, maker):
    obj = maker()
    client.force_login(make_user())
    assert "banner-draft" not in page(client, obj.get_absolute_url())


def test_an_unknown_page_is_not_found(client):
    assert client.get("/library/remedies/no-such-thing/").status_code == 404


def test_a_cause_page_shows_how_to_prevent_it(client):
    cause = make_cause(prevention="Bend your *knees*.")
    assert "<em>knees</em>" in page(client, cause.get_absolute_url())


def test_a_page_never_shows_raw_html_from_an_editor(client):
    remedy = make_remedy(body='<script>alert(1)</script><a href="#" onclick="x()">link</a>')
    body = page(client, remedy.get_absolute_url())
    assert "<script>alert" not in body
    assert "onclick" not in body


@pytest.mark.parametrize("maker", [make_cause, make_remedy, make_prevention_tip])
def test_a_detail_page_costs_one_query(client, django_assert_max_num_queries, maker):
    obj = maker()
    page(client, obj.get_absolute_url())
    with django_assert_max_num_queries(1):
        page(client, obj.get_absolute_url())


def test_detail_pages_refuse_post(client):
    remedy = make_remedy()
    assert client.post(remedy.get_absolute_url()).status_code == 405


# When to get help -----------------------------------------------------------------------------


def test_it_lists_red_flags_by_urgency_with_the_clinics_advice(client):
    make_red_flag(question="Have you lost feeling in one leg?", urgency="gp")
    make_red_flag(question="Have you lost bladder control?", urgency="emergency")
    make_red_flag(question="Do you have a fever?", urgency="urgent", explanation="Hot and shivery.")
    ClinicSettings.objects.update_or_create(
        pk=1, defaults={"urgent_heading": "See a doctor today, please", "urgent_action": "Ring us."}
    )
    body = page(client, "/library/when-to-get-help/")
    emergency = body.index("Have you lost bladder control?")
    urgent = body.index("Do you have a fever?")
    gp = body.index("Have you lost feeling in one leg?")
    assert emergency < urgent < gp
    assert body.index("See a doctor today, please") < urgent
    assert "Ring us." in body
    assert "Hot and shivery." in body
    assert 'class="button library-button-emergency" href="tel:911"' in body


def test_it_leaves_out_unpublished_red_flags_for_the_public(client):
    make_red_flag(question="A retired question?", status=Status.DRAFT)
    assert "A retired question?" not in page(client, "/library/when-to-get-help/")


def test_it_never_shows_the_clinical_reason(client):
    make_red_flag(clinical_reason="Cauda equina syndrome risk")
    assert "Cauda equina" not in page(client, "/library/when-to-get-help/")


def test_the_help_page_is_as_old_as_its_least_recently_reviewed_flag(client):
    reviewer = make_user()
    for day in (date(2026, 1, 10), date(2025, 6, 1)):
        flag = make_red_flag(sources="NICE NG59")
        flag.mark_reviewed(reviewer, today=day)
        flag.save()
    body = page(client, "/library/when-to-get-help/")
    assert "Page last reviewed: 1 June 2025" in body
    assert "Next review due: 1 June 2026" in body
    assert body.count("NICE NG59") == 1


def test_the_help_page_says_when_a_flag_was_never_reviewed(client):
    make_red_flag()
    assert "Not yet reviewed by the clinic." in page(client, "/library/when-to-get-help/")


def test_the_help_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(20):
        make_red_flag(urgency=["emergency", "urgent", "gp"][n % 3])
    page(client, "/library/when-to-get-help/")
    with django_assert_max_num_queries(1):
        page(client, "/library/when-to-get-help/")


# Search ---------------------------------------------------------------------------------------


def test_it_finds_published_content_by_title_summary_and_body(client):
    make_remedy(title="Warm bath", summary="Soak.")
    make_cause(title="Posture", summary="How you sit.", body="A slumped **desk** chair.")
    make_prevention_tip(title="Stretch daily", summary="Keep loose at the desk.")
    body = page(client, "/library/search/?q=desk")
    assert "2 results for “desk”" in body
    assert "Posture" in body
    assert "Stretch daily" in body
    assert "Warm bath" not in body


def test_it_needs_every_word_to_match(client):
    make_remedy(title="Warm bath", summary="Soak in warm water.")
    make_remedy(title="Cold pack", summary="Wrapped in a towel.")
    body = page(client, "/library/search/?q=WARM+water")
    assert "Warm bath" in body
    assert "Cold pack" not in body


def test_it_searches_routines_red_flags_and_handouts(client):
    make_routine(name="Heat pack cycles", purpose="Heat on and off.")
    make_red_flag(question="Do you have heat and fever?")
    handout = make_handout(title="Heat at home")
    body = page(client, "/library/search/?q=heat")
    assert "Heat pack cycles" in body
    assert "/library/when-to-get-help/#flag-" in body
    assert f'href="{handout.get_absolute_url()}"' in body


def test_it_lists_title_matches_first(client):
    make_cause(title="Posture", summary="Sitting with heat on.")
    make_remedy(title="Heat pad", summary="Warmth.")
    body = page(client, "/library/search/?q=heat")
    assert body.index("Heat pad") < body.index("Posture")


def test_search_leaves_out_drafts_for_the_public(client):
    make_remedy(title="Draft heat idea", status=Status.DRAFT)
    body = page(client, "/library/search/?q=heat")
    assert "Draft heat idea" not in body
    assert "Nothing found for “heat”" in body


def test_search_treats_wildcards_as_plain_text(client):
    make_remedy(title="Warm bath")
    assert "Nothing found" in page(client, "/library/search/?q=%25")
    assert "Nothing found" in page(client, "/library/search/?q=_")


def test_an_empty_search_is_answered_politely(client, django_assert_max_num_queries):
    page(client, "/library/search/")
    with django_assert_max_num_queries(0):
        body = page(client, "/library/search/?q=+++")
    assert "Type a word or two" in body


def test_an_over_long_search_is_answered_politely(client, django_assert_max_num_queries):
    page(client, "/library/search/")
    with django_assert_max_num_queries(0):
        body = page(client, "/library/search/?q=" + "a" * 101)
    assert "That search is too long" in body


def test_search_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(10):
        make_remedy(title="Heat thing")
        make_cause(title="Heat cause")
    page(client, "/library/search/?q=heat")
    # One query a kind: guides, causes, remedies, prevention tips, handouts, routines, red flags.
    with django_assert_max_num_queries(7):
        page(client, "/library/search/?q=heat+thing+cause+a+b+c+d+e+f+g")


def test_search_returns_only_the_results_for_htmx(client):
    make_remedy(title="Warm bath")
    body = page(client, "/library/search/?q=warm", HTTP_HX_REQUEST="true")
    assert "Warm bath" in body
    assert "<html" not in body
    assert 'id="search-results"' not in body


def test_the_search_form_works_without_javascript_and_with_htmx(client):
    body = page(client, "/library/search/?q=warm")
    assert 'action="/library/search/" method="get"' in body
    assert 'hx-get="/library/search/"' in body
    assert 'value="warm"' in body
