"""The outcome page: a care card worded by the clinic, why, and for home care the personal plan."""

from __future__ import annotations

import pytest

from content.models import ClinicSettings, Remedy, Status
from tests.factories import make_remedy, make_routine
from tests.triage.conftest import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def result(client) -> str:
    response = client.get("/check/result/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_emergency_shows_only_the_call_action(client, starter_flags, starter_routines):
    walk(client, emergency=["bladder_bowel_control", "saddle_numbness"])
    body = result(client)
    assert 'class="care-card care-card-emergency"' in body
    assert '<h1 id="care-card-heading">Call the emergency number now</h1>' in body
    assert 'class="button button-emergency" href="tel:911"' in body
    assert "emergency department" in body
    region = body[body.index('<div id="check"') :]
    for competing in ("Start the timer", "Print this plan", "Start again", "What to do now"):
        assert competing not in region
    # A mis-tapped sign can be put right (issue 14), but only after the call action.
    change = region.index('<a href="/check/serious-signs/">Change your answers</a>')
    assert region.index('href="tel:911"') < change
    assert "You answered yes to: “Q bladder bowel control?”" in body


def test_the_care_card_uses_the_clinics_wording(client, starter_flags):
    clinic = ClinicSettings.load()
    clinic.urgent_heading = "See a doctor at Elm Street today"
    clinic.same_day_care = "Walk-in clinic, 2 Elm Street."
    clinic.phone = "555-0199"
    clinic.save()
    walk(client, urgent=["fever"])
    body = result(client)
    assert "See a doctor at Elm Street today" in body
    assert "Walk-in clinic, 2 Elm Street." in body
    assert 'href="tel:5550199"' in body
    assert "Start the timer" not in body and "Print this plan" not in body
    assert "Start again" in body


def test_self_care_in_the_early_phase_gets_the_plan(client, starter_flags, starter_routines):
    make_remedy(title="Ice wrapped in a towel", kind=Remedy.Kind.COLD, phases="early")
    make_remedy(title="A warm bath", kind=Remedy.Kind.HEAT, phases="both")
    make_remedy(title="Short walks", kind=Remedy.Kind.MOVEMENT, phases="both")
    make_remedy(title="Core work later", kind=Remedy.Kind.MOVEMENT, phases="settling")
    make_remedy(title="A draft remedy", kind=Remedy.Kind.HEAT, status=Status.DRAFT)
    walk(client, onset="today")
    body = result(client)
    assert "care-card-self_care" in body
    assert "You can look after this at home" in body
    assert "Heat has the stronger evidence" in body and "Cold can numb a fresh spasm" in body
    for shown in ("Ice wrapped in a towel", "A warm bath", "Short walks"):
        assert shown in body
    assert "Core work later" not in body and "A draft remedy" not in body
    assert "never put it straight on your skin" in body
    assert 'href="/routines/cold-pack-cycles/">Start the timer' in body
    assert 'href="/routines/gentle-stretches/">Start the timer' in body
    assert "core-strength" not in body
    assert body.index("Cold pack cycles") < body.index("Gentle stretches")  # the admin's order
    assert "Gentle movement" in body and "What to avoid" in body
    assert 'href="/check/result/print/">Print this plan' in body


def test_the_get_help_list_has_the_urgent_and_emergency_signs_only(client, starter_flags):
    walk(client)
    body = result(client)
    help_list = body[body.index("Get help if") :]
    assert "Q saddle numbness?" in help_list and "Q night pain?" in help_list
    assert "Q numbness one leg?" not in help_list and "Age and first episode?" not in help_list


def test_the_settling_phase_leads_with_heat(client, starter_flags, starter_routines):
    make_routine(slug="draft-routine", name="Draft routine", phases="both", status=Status.DRAFT)
    walk(client, onset="4-7-days")
    body = result(client)
    assert "Heat usually helps most now" in body
    assert "core-strength" in body and "cold-pack-cycles" not in body and "draft-routine" not in body


def test_gp_says_why_in_plain_words(client, starter_flags):
    walk(client, age=17, onset="over-6-weeks", recurrent=False, gp=["numbness_one_leg"])
    body = result(client)
    assert "Book an appointment with your doctor" in body
    assert "You answered yes to: “Q numbness one leg?”" in body
    assert "You are under 20, and this has not happened several times before." in body
    assert "The pain started more than 6 weeks ago." in body
    assert "What is happening" in body


def test_recurrent_gives_gp_and_says_so(client, starter_flags):
    walk(client, recurrent=True)
    body = result(client)
    assert "care-card-gp" in body
    assert "Your back has done this several times in the past year." in body


def test_the_result_for_htmx_is_the_region_with_its_title(client, starter_flags):
    walk(client)
    body = client.get("/check/result/", **HTMX).content.decode()
    assert body.lstrip().startswith("<title>You can look after this at home - Back spasm relief</title>")
    assert "<html" not in body


def test_the_print_page_has_the_plan_but_not_the_answers(client, starter_flags, starter_routines):
    walk(client, age=58, onset="today")
    response = client.get("/check/result/print/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your back spasm plan" in body and 'class="paper"' in body
    assert "Cold pack cycles" in body and "When to get help" in body
    for answer in ("You are over 50", "Why we say this", "You answered yes"):
        assert answer not in body
    assert "/routines/cold-pack-cycles/" in body  # the QR code opens the first timer


def test_the_printed_plan_points_at_the_public_address(client, settings, starter_flags, starter_routines):
    settings.PUBLIC_URL = "https://back.example-clinic.org"
    walk(client, onset="today")
    body = client.get("/check/result/print/").content.decode()
    assert "QR code: https://back.example-clinic.org/routines/cold-pack-cycles/" in body
    assert "https://back.example-clinic.org/check/" in body
    assert "http://testserver/" not in body


def test_there_is_no_plan_to_print_for_an_urgent_outcome(client, starter_flags):
    walk(client, urgent=["fever"])
    assert client.get("/check/result/print/")["Location"] == "/check/result/"


def test_why_we_say_this_names_the_flags_with_their_explanation_and_the_reasons(client, starter_flags):
    flag = next(row for row in starter_flags if row.slug == "numbness_one_leg")
    flag.explanation = "A nerve in your back may be pressed."
    flag.save()
    walk(client, age=45, onset="2-6-weeks", trajectory="same", pain=8, gp=["numbness_one_leg"])
    body = result(client)
    why = body[body.index("Why we say this") : body.index("What is happening")]
    assert "You answered yes to: “Q numbness one leg?”" in why
    assert '<span class="reason-detail">A nerve in your back may be pressed.</span>' in why
    assert "You scored the pain 8 out of 10: that is severe." in why
    assert "The pain started more than 2 weeks ago and is not getting better." in why
    assert why.index("Q numbness one leg?") < why.index("out of 10")  # flags first, then reasons


def test_why_we_say_this_uses_the_clinics_statement_when_there_is_one():
    """A red flag's "Get help if" statement (content), when the row has one, says it best."""
    from types import SimpleNamespace

    from triage.engine import Partial
    from triage.why import flag_item

    row = SimpleNamespace(
        slug="cancer_history",
        question="Have you ever had cancer?",
        explanation="Even long ago.",
        derived=False,
        help_statement="You have had cancer.",
    )
    assert flag_item(row, Partial()) == {"text": "You have had cancer.", "detail": "Even long ago."}
    row.help_statement = ""
    assert flag_item(row, Partial())["text"] == "You answered yes to: “Have you ever had cancer?”"
    derived = SimpleNamespace(
        slug="under_4", question="Under 4?", explanation="", derived=True, help_statement=""
    )
    assert flag_item(derived, Partial(age=2))["text"] == (
        "Back pain in a child under 4 should always be checked by a doctor."
    )


def test_an_early_stop_says_only_what_it_knows(client, starter_flags):
    walk(client, urgent=["cancer_history"])
    body = result(client)
    why = body[body.index("Why we say this") :]
    assert "You answered yes to: “Q cancer history?”" in why
    assert "out of 10" not in why and "Derived" not in why
