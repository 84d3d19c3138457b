from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from content.models import HandoutSection, Status
from content.paper import paper_context
from tests.factories import make_handout, make_remedy, make_routine, make_user
from tests.handouts.helpers import CLINIC_PHONE, make_full_handout, set_up_clinic

pytestmark = pytest.mark.django_db


def test_it_lists_published_handouts_only_for_the_public(client):
    make_handout(title="Easing back into movement")
    make_handout(title="Secret draft", status=Status.DRAFT)
    response = client.get("/handouts/")
    assert response.status_code == 200
    assert "Easing back into movement" in response.text
    assert "Secret draft" not in response.text


def test_staff_see_drafts_in_the_list_marked_as_drafts(client):
    make_handout(title="Secret draft", status=Status.DRAFT)
    client.force_login(make_user())
    response = client.get("/handouts/")
    assert "Secret draft" in response.text
    assert "(Draft)" in response.text


def test_the_addresses_are_the_stable_ones_printed_on_paper():
    assert reverse("handouts:list") == "/handouts/"
    assert reverse("handouts:detail", args=["first-days"]) == "/handouts/first-days/"
    assert reverse("handouts:pdf", args=["first-days"]) == "/handouts/first-days.pdf"


def test_the_page_shows_the_clinic_the_sections_and_how_to_get_help(client):
    set_up_clinic()
    handout = make_full_handout()
    response = client.get(handout.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    assert "Riverside Back Clinic" in page
    assert f'href="tel:{CLINIC_PHONE.replace(" ", "")}"' in page  # a tel: link dials digits only
    for heading in [
        "Keep gently moving",
        "Heat on the sore muscle",
        "Cold pack cycles",
        "Lifting with a bent back",
    ]:
        assert heading in page
    assert "When to get help" in page
    assert "Have you lost control of your bladder or bowels?" in page
    assert "Page last reviewed: 14 March 2025" in page
    assert "Next review due: 14 March 2026" in page
    assert f"http://testserver/handouts/{handout.slug}/" in page
    assert '<svg viewBox="0 0 ' in page and 'class="qr-code"' in page
    assert f'href="/handouts/{handout.slug}.pdf"' in page


def test_a_routine_gets_a_tick_box_each_time_a_step_comes_round(client):
    # Three cycles of cold then rest: the last rest is left out, so 3 boxes for cold and 2 for rest.
    handout = make_full_handout()
    page = client.get(handout.get_absolute_url()).text
    cold_row = page[page.index("Cold pack on") : page.index("Rest, nothing on")]
    rest_row = page[page.index("Rest, nothing on") : page.index("Time from start to finish")]
    assert cold_row.count('class="tick"') == 3
    assert rest_row.count('class="tick"') == 2
    assert "Time from start to finish: 4 hours." in page  # 20 + 90 + 20 + 90 + 20 minutes


def test_an_exercise_step_shows_its_hold_repetitions_and_the_rest_after_it(client):
    routine = make_routine(
        steps=[
            ("exercise", 60, "Knee to chest: hug one knee"),
            ("rest", 30, "Rest"),
            ("exercise", 60, "Pelvic tilt"),
        ],
        kind="stretching",
    )
    routine.steps.filter(kind="exercise").update(hold_seconds=20, repetitions=3)
    handout = make_handout(sections=[{"kind": HandoutSection.Kind.ROUTINE, "routine": routine}])
    page = client.get(handout.get_absolute_url()).text
    assert (
        "<strong>Knee to chest</strong>: hug one knee (hold 20 seconds, 3 times, then rest 30 seconds)"
        in page
    )
    assert "<strong>Pelvic tilt</strong> (hold 20 seconds, 3 times)" in page
    assert "<strong>Rest</strong>" not in page  # a short rest between exercises joins the row before it
    assert page.count('class="tick"') == 2


def test_a_page_without_a_review_says_so(client):
    handout = make_handout()
    assert "Not yet reviewed by the clinic." in client.get(handout.get_absolute_url()).text


def test_a_draft_handout_is_not_found_for_the_public(client):
    handout = make_handout(status=Status.DRAFT)
    assert client.get(handout.get_absolute_url()).status_code == 404
    assert client.get(f"/handouts/{handout.slug}.pdf").status_code == 404


def test_a_handout_in_review_is_not_found_for_the_public(client):
    handout = make_handout(status=Status.IN_REVIEW)
    assert client.get(handout.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_with_the_draft_banner(client):
    handout = make_handout(status=Status.DRAFT)
    client.force_login(make_user())
    response = client.get(handout.get_absolute_url())
    assert response.status_code == 200
    assert "Only clinic staff can see this page" in response.text


def test_the_public_never_sees_an_unpublished_item_a_section_pulls_in(client):
    draft = make_remedy(title="Untested remedy", status=Status.DRAFT)
    handout = make_handout(
        sections=[
            {"kind": HandoutSection.Kind.REMEDY, "remedy": draft},
            {"kind": HandoutSection.Kind.TEXT, "heading": "Plain advice", "text": "Rest a little."},
        ]
    )
    page = client.get(handout.get_absolute_url()).text
    assert "Untested remedy" not in page
    assert "Plain advice" in page
    client.force_login(make_user())
    staff_page = client.get(handout.get_absolute_url()).text
    assert "Untested remedy" in staff_page
    assert "the public does not see this section" in staff_page


def test_the_qr_code_points_at_the_handout_when_its_routine_is_not_published(client):
    routine = make_routine(status=Status.DRAFT)
    handout = make_handout(featured_routine=routine)
    page = client.get(handout.get_absolute_url()).text
    assert f"QR code: http://testserver/handouts/{handout.slug}/" in page


def test_the_qr_code_points_at_the_featured_routines_timer(client):
    handout = make_full_handout()
    page = client.get(handout.get_absolute_url()).text
    assert f"QR code: http://testserver/routines/{handout.featured_routine.slug}/" in page
    assert "open the timer for “Cold pack cycles”" in page


def test_the_main_navigation_links_to_the_handouts(client):
    assert 'href="/handouts/"' in client.get("/").text


def test_free_text_from_editors_is_sanitised(client):
    handout = make_handout(
        sections=[
            {"kind": HandoutSection.Kind.TEXT, "heading": "Notes", "text": "Hi <script>alert(1)</script>"}
        ]
    )
    page = client.get(handout.get_absolute_url()).text
    assert "<script>alert(1)" not in page


def test_the_paper_context_serves_another_apps_print_page():
    """The check's "Print this plan" page builds its context with the same helper."""
    set_up_clinic()
    request = RequestFactory().get("/check/result/print/")
    ctx = paper_context(request, "http://testserver/check/", "http://testserver/check/")
    assert ctx["clinic"].phone == CLINIC_PHONE
    assert [group.level for group in ctx["get_help"]] == ["emergency", "urgent"]
    assert [len(group.flags) for group in ctx["get_help"]] == [1, 1]
    assert "object" not in ctx
    assert ctx["qr_svg"].startswith("<svg")


def test_a_safety_line_shared_by_heat_and_cold_prints_once(client):
    routine = make_routine(safety_notes="Wrap it in a towel.\nStop if the skin goes numb.")
    remedy = make_remedy(
        title="Cold pack", cautions="Wrap it in a towel.\nAsk first if you have poor circulation."
    )
    handout = make_handout(
        sections=[
            {"kind": HandoutSection.Kind.ROUTINE, "routine": routine},
            {"kind": HandoutSection.Kind.REMEDY, "remedy": remedy},
        ]
    )
    page = client.get(handout.get_absolute_url()).text
    assert page.count("Wrap it in a towel.") == 1
    assert "Ask first if you have poor circulation." in page
