"""The wizard through the test client: one question a page, robust to Back, refresh, tampering and tabs."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends import cache, cached_db, db, signed_cookies
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import ClinicSettings, Status
from tests.factories import make_red_flag
from tests.triage.conftest import EMERGENCY, GP, URGENT, answer, walk
from triage.models import OutcomeRecord

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def session_answers(client) -> dict:
    return client.session["check"]["answers"]


def none_of(asked: list[str]) -> dict:
    """A red-flag page's stored answer: the signs it asked, none ticked."""
    return {"asked": list(asked), "ticked": []}


# Every question of a check with no red flag, in the order asked (docs/triage-rules.md, "The questions").
NO_FLAGS = [
    ("serious-signs", {"none": "on"}),
    ("age", {"value": "35"}),
    ("when-it-started", {"value": "today"}),
    ("happened-before", {"value": "no"}),
    ("pain", {"value": "7"}),
    ("better-or-worse", {"value": "better"}),
    ("warning-signs", {"none": "on"}),
    ("other-signs", {"none": "on"}),
]


def answer_until(client, slug: str) -> None:
    """Start, and answer every question before `slug` with no red flag."""
    client.post("/check/")
    for step, data in NO_FLAGS:
        if step == slug:
            return
        answer(client, step, data)


def test_the_start_page_says_what_the_check_is_and_is_not(client, starter_flags):
    body = client.get("/check/").content.decode()
    assert "<h1>Check your back pain</h1>" in body
    assert "not a diagnosis" in body
    assert "kept only until you close your browser" in body
    assert 'href="tel:911"' in body
    assert 'action="/check/"' in body and "Start now" in body


def test_start_asks_the_first_question(client, starter_flags):
    response = client.post("/check/")
    assert response.status_code == 303
    assert response["Location"] == "/check/serious-signs/"
    assert session_answers(client) == {}


def test_it_asks_the_questions_in_order_and_stops_at_check_your_answers(client, starter_flags):
    client.post("/check/")
    steps = NO_FLAGS
    for (slug, data), following in zip(steps, [s for s, _ in steps[1:]] + ["answers"], strict=True):
        page = client.get(f"/check/{slug}/")
        assert page.status_code == 200
        response = answer(client, slug, data)
        assert response.status_code == 303
        assert response["Location"] == f"/check/{following}/"
    assert session_answers(client) == {
        "serious-signs": none_of(EMERGENCY),
        "age": 35,
        "when-it-started": "today",
        "happened-before": False,
        "pain": 7,
        "better-or-worse": "better",
        "warning-signs": none_of(URGENT),
        "other-signs": none_of(GP),
    }


def test_the_questions_come_from_the_published_red_flags(client, starter_flags):
    make_red_flag(slug="new_emergency", urgency="emergency", question="Is a new sign there?")
    make_red_flag(slug="draft_sign", urgency="emergency", question="A draft sign?", status=Status.DRAFT)
    client.post("/check/")
    serious = client.get("/check/serious-signs/").content.decode()
    assert "Is a new sign there?" in serious
    assert "A draft sign?" not in serious
    assert "Q fever?" not in serious
    assert "Derived: under 20 or over 50 first episode?" not in serious  # derived: never asked
    answer_until(client, "warning-signs")
    warning = client.get("/check/warning-signs/").content.decode()
    assert "Q fever?" in warning and "Derived: suspected spinal infection?" not in warning


def test_a_group_with_no_published_flags_is_skipped(client, db):
    make_red_flag(slug="saddle_numbness", urgency="emergency")
    client.post("/check/")
    response = answer(client, "serious-signs", {"none": "on"})
    assert response["Location"] == "/check/age/"
    assert client.get("/check/warning-signs/").status_code == 404
    for step, data in NO_FLAGS[1:6]:
        response = answer(client, step, data)
    assert response["Location"] == "/check/answers/"  # no urgent or gp flag published: no such page


def test_a_serious_sign_ends_the_check_at_once(client, starter_flags):
    client.post("/check/")
    response = answer(client, "serious-signs", {"flags": ["saddle_numbness"]})
    assert response.status_code == 303
    assert response["Location"] == "/check/result/"
    assert "Call the emergency number now" in client.get("/check/result/").content.decode()


def test_a_warning_sign_ends_the_check_too(client, starter_flags):
    response = walk(client, urgent=["night_pain"])
    assert response["Location"] == "/check/result/"
    assert client.asked[-1] == "warning-signs"  # no sign on the last page could change an urgent outcome


def test_after_cancer_history_the_leg_question_is_asked_alone(client, starter_flags):
    answer_until(client, "warning-signs")
    response = answer(client, "warning-signs", {"flags": ["cancer_history"]})
    assert response["Location"] == "/check/other-signs/"
    body = client.get("/check/other-signs/").content.decode()
    assert "Do you have this as well?" in body
    assert 'value="numbness_one_leg"' in body
    assert 'value="pregnant"' not in body  # it cannot change an urgent outcome
    assert 'class="back-link" href="/check/warning-signs/"' in body
    htmx = client.get("/check/other-signs/", **HTMX).content.decode()
    assert htmx.lstrip().startswith("<title>Do you have this as well? - Back spasm relief</title>")
    refused = answer(client, "other-signs", {"flags": ["pregnant"]})
    assert refused.status_code == 400 and "Select from the list" in refused.content.decode()
    response = answer(client, "other-signs", {"flags": ["numbness_one_leg"]})
    assert response["Location"] == "/check/result/"
    body = client.get("/check/result/").content.decode()
    assert "care-card-emergency" in body
    assert "You have had cancer, and you have pain, numbness or tingling going down a leg." in body
    assert session_answers(client)["other-signs"] == {
        "asked": ["numbness_one_leg"],
        "ticked": ["numbness_one_leg"],
    }


def test_after_cancer_history_without_the_leg_sign_it_is_urgent(client, starter_flags):
    response = walk(client, urgent=["cancer_history"], gp=["pregnant"])
    assert response["Location"] == "/check/result/"
    assert client.asked[-2:] == ["warning-signs", "other-signs"]
    body = client.get("/check/result/").content.decode()
    assert "care-card-urgent" in body
    assert "You answered yes to: “Q cancer history?”" in body


def test_a_later_page_with_nothing_left_to_ask_is_skipped(client, starter_flags):
    # Age 2: under 4 is urgent at once, and with no fever ticked yet the warning signs can still raise it
    # (a fever then is a suspected spinal infection); after them nothing on the last page can.
    response = walk(client, age=2, urgent=["night_pain"])
    assert response["Location"] == "/check/result/"
    assert client.asked == [
        "serious-signs",
        "age",
        "when-it-started",
        "happened-before",
        "pain",
        "better-or-worse",
        "warning-signs",
    ]
    answer_until(client, "age")
    answer(client, "age", {"value": "2"})
    for step, data in NO_FLAGS[2:6]:
        response = answer(client, step, data)
    assert response["Location"] == "/check/warning-signs/"
    body = client.get("/check/warning-signs/").content.decode()
    assert 'value="fever"' in body and 'value="night_pain"' not in body  # only what can still raise it
    response = answer(client, "warning-signs", {"none": "on"})
    assert response["Location"] == "/check/result/"
    assert client.get("/check/other-signs/")["Location"] == "/check/result/"
    assert "care-card-urgent" in client.get("/check/result/").content.decode()


def test_an_over_60_emergency_is_known_before_the_warning_signs(client, starter_flags):
    response = walk(client, age=72, onset="today", pain=9, trajectory="worse", urgent=["fever"])
    assert response["Location"] == "/check/result/"
    assert client.asked[-1] == "better-or-worse"
    assert "care-card-emergency" in client.get("/check/result/").content.decode()


def test_htmx_gets_the_step_region_with_its_title_first(client, starter_flags):
    client.post("/check/")
    response = client.get("/check/serious-signs/", **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith("<title>Do you have any of these signs? - Back spasm relief</title>")
    assert "<html" not in body and 'id="check"' in body
    assert 'hx-post="/check/serious-signs/"' in body and 'hx-push-url="true"' in body
    assert 'method="post" action="/check/serious-signs/"' in body  # the same form works without JavaScript
    full = client.get("/check/serious-signs/").content.decode()
    assert "<html" in full and 'hx-history="false"' in full
    assert full.count("<title>") == 1


def test_htmx_posts_redirect_like_plain_ones(client, starter_flags):
    client.post("/check/")
    response = answer(client, "serious-signs", {"none": "on"}, **HTMX)
    assert (response.status_code, response["Location"]) == (303, "/check/age/")


def test_back_shows_the_earlier_answer_again(client, starter_flags):
    walk(client, age=47, confirm=False)
    assert 'value="47"' in client.get("/check/age/").content.decode()
    # One-tap answers: the stored one is marked, in words, on its button.
    body = client.get("/check/when-it-started/").content.decode()
    assert 'class="answer answer-current" name="value" value="1-3-days" id="when-it-started-2"' in body
    assert body.count("Your answer") == 1
    body = client.get("/check/serious-signs/").content.decode()
    assert 'class="answer answer-current" name="none" value="on" id="serious-signs-none"' in body
    assert body.count("Your answer") == 1


def test_a_single_choice_step_answers_in_one_tap(client, starter_flags):
    """Each option is a submit button carrying `value`: no radio, no Continue, the same POST as before."""
    walk(client, age=47, confirm=False)
    body = client.get("/check/pain/").content.decode()
    assert 'type="radio"' not in body and ">Continue<" not in body
    for value in range(11):
        assert f'name="value" value="{value}" id="pain-{value + 1}"' in body
    assert body.count('<button type="submit" class="answer') == 11
    assert "0 - no pain" in body and "10 - the worst pain you can imagine" in body
    # A flags step keeps its checkboxes and Continue; "None of these" is a submit button of its own.
    body = client.get("/check/warning-signs/").content.decode()
    assert 'type="checkbox" name="flags"' in body and ">Continue<" in body
    assert re.search(
        r'<button type="submit" class="answer[^"]*" name="none" value="on" id="warning-signs-none">', body
    )


def test_refresh_and_double_submit_change_nothing(client, starter_flags):
    client.post("/check/")
    first = answer(client, "serious-signs", {"none": "on"})
    second = answer(client, "serious-signs", {"none": "on"})
    assert first["Location"] == second["Location"] == "/check/age/"
    assert client.get("/check/age/").status_code == client.get("/check/age/").status_code == 200
    assert session_answers(client) == {"serious-signs": none_of(EMERGENCY)}
    answer_until(client, "warning-signs")
    first = answer(client, "warning-signs", {"flags": ["fever"]})
    second = answer(client, "warning-signs", {"flags": ["fever"]})
    assert first["Location"] == second["Location"] == "/check/result/"
    assert OutcomeRecord.objects.count() == 1


def test_opening_a_later_step_goes_to_the_first_unanswered_one(client, starter_flags):
    client.post("/check/")
    answer(client, "serious-signs", {"none": "on"})
    assert client.get("/check/pain/")["Location"] == "/check/age/"
    response = answer(client, "pain", {"value": "3"})
    assert (response.status_code, response["Location"]) == (303, "/check/age/")
    assert "pain" not in session_answers(client)
    assert client.get("/check/answers/")["Location"] == "/check/age/"
    assert client.get("/check/result/")["Location"] == "/check/age/"
    assert client.get("/check/result/print/")["Location"] == "/check/age/"


def test_changing_an_earlier_answer_drops_what_it_invalidates(client, starter_flags):
    walk(client, confirm=True)
    response = answer(client, "serious-signs", {"flags": ["major_trauma"]})
    assert response["Location"] == "/check/result/"
    assert session_answers(client) == {"serious-signs": {"asked": EMERGENCY, "ticked": ["major_trauma"]}}
    response = answer(client, "serious-signs", {"none": "on"})
    assert response["Location"] == "/check/age/"
    assert client.get("/check/pain/")["Location"] == "/check/age/"


def test_a_page_that_now_asks_more_signs_is_asked_again(client, starter_flags):
    # Asked alone after cancer history, the leg question's "no" is not an answer to the whole page: when
    # the cancer history is taken back, the other signs are all asked again.
    answer_until(client, "warning-signs")
    answer(client, "warning-signs", {"flags": ["cancer_history"]})
    assert answer(client, "other-signs", {"none": "on"})["Location"] == "/check/result/"
    response = answer(client, "warning-signs", {"none": "on"})
    assert response["Location"] == "/check/other-signs/"
    body = client.get("/check/other-signs/").content.decode()
    assert 'value="numbness_one_leg"' in body and 'value="pregnant"' in body
    assert "other-signs" not in session_answers(client)
    # And the other way: a page asked whole still answers it when fewer signs are left to ask.
    answer(client, "other-signs", {"flags": ["numbness_one_leg"]})
    response = answer(client, "warning-signs", {"flags": ["cancer_history"]})
    assert response["Location"] == "/check/result/"
    assert "care-card-emergency" in client.get("/check/result/").content.decode()


def test_a_newly_published_sign_is_asked_before_an_old_answer_counts(client, starter_flags):
    walk(client, confirm=False)
    make_red_flag(slug="new_gp_sign", urgency="gp", question="A new sign?")
    assert client.get("/check/answers/")["Location"] == "/check/other-signs/"


def test_changing_an_answer_from_check_your_answers_comes_back_to_it(client, starter_flags):
    walk(client, confirm=False)
    body = client.get("/check/answers/").content.decode()
    assert 'href="/check/age/"' in body and "Change" in body
    response = answer(client, "age", {"value": "60"})
    assert response["Location"] == "/check/answers/"


def test_a_change_after_the_result_must_be_confirmed_again(client, starter_flags):
    walk(client)
    answer(client, "age", {"value": "61"})
    assert client.get("/check/result/")["Location"] == "/check/answers/"
    client.post("/check/answers/")
    assert client.get("/check/result/").status_code == 200


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        ("serious-signs", {}, "Select the signs you have, or select “None of these”"),
        ("serious-signs", {"flags": ["not_a_flag"]}, "Select from the list"),
        (
            "serious-signs",
            {"flags": ["fever"]},
            "Select from the list",
        ),  # an urgent flag posted to the wrong step
        ("serious-signs", {"flags": ["saddle_numbness"], "none": "on"}, "not both"),
        ("age", {}, "Enter your age"),
        ("age", {"value": "forty"}, "Enter your age as a whole number, like 45"),
        ("age", {"value": "200"}, "Enter an age from 0 to 120"),
        ("age", {"value": "-3"}, "Enter an age from 0 to 120"),
        ("when-it-started", {"value": "yesterday"}, "Select when the pain started"),
        ("when-it-started", {"value": "1-6-weeks"}, "Select when the pain started"),  # version 1's band
        ("when-it-started", {"value": "42"}, "Select when the pain started"),
        ("better-or-worse", {"value": "sideways"}, "Select whether it is getting better, about the same"),
        ("better-or-worse", {"value": "Worse"}, "Select whether it is getting better, about the same"),
        ("better-or-worse", {}, "Select whether it is getting better, about the same or worse"),
        ("warning-signs", {"flags": ["saddle_numbness"]}, "Select from the list"),
        ("happened-before", {"value": "maybe"}, "Select yes if this has happened several times"),
        ("pain", {"value": "11"}, "Select a number from 0 to 10"),
        ("pain", {}, "Select a number from 0 to 10"),
    ],
)
def test_a_tampered_or_missing_value_comes_back_with_an_error_summary(
    client, starter_flags, slug, data, message
):
    walk(client, confirm=False)
    response = answer(client, slug, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: " in body
    assert 'class="error-summary"' in body and "There is a problem" in body
    assert message in body
    htmx = answer(client, slug, data, **HTMX)
    assert htmx.status_code == 200  # htmx swaps only 2xx responses
    assert htmx.content.decode().lstrip().startswith("<title>Error: ")


def test_a_refused_answer_keeps_the_ticked_signs_and_stores_nothing(client, starter_flags):
    client.post("/check/")
    body = answer(client, "serious-signs", {"flags": ["saddle_numbness"], "none": "on"}).content.decode()
    assert 'value="saddle_numbness" id="serious-signs-2" checked' in body
    assert session_answers(client) == {}


def test_an_unknown_step_is_not_found(client, starter_flags):
    client.post("/check/")
    assert client.get("/check/no-such-step/").status_code == 404


def test_an_expired_session_goes_back_to_the_start_with_a_message(client, starter_flags):
    response = client.get("/check/age/", follow=True)
    assert response.redirect_chain == [("/check/", 302)]
    assert "Please start again" in response.content.decode()
    posted = answer(client, "serious-signs", {"none": "on"})
    assert (posted.status_code, posted["Location"]) == (303, "/check/")
    htmx = answer(client, "serious-signs", {"none": "on"}, **HTMX)
    assert htmx["HX-Redirect"] == "/check/"
    assert client.get("/check/result/")["Location"] == "/check/"


def test_two_tabs_share_one_check_and_the_server_decides(client, starter_flags):
    walk(client, confirm=False)  # tab one is on "Check your answers"
    answer(client, "serious-signs", {"flags": ["bladder_bowel_control"]})  # tab two changes the first answer
    response = answer(client, "pain", {"value": "2"})  # tab one, still showing an old page, posts again
    assert response["Location"] == "/check/result/"
    assert session_answers(client) == {
        "serious-signs": {"asked": EMERGENCY, "ticked": ["bladder_bowel_control"]}
    }


def test_start_again_clears_the_answers(client, starter_flags):
    walk(client)
    response = client.post("/check/")
    assert response["Location"] == "/check/serious-signs/"
    assert session_answers(client) == {}
    assert client.get("/check/result/")["Location"] == "/check/serious-signs/"


def test_every_page_of_the_check_is_never_cached(client, starter_flags):
    pages = ["/check/"]
    client.post("/check/")
    pages.append("/check/serious-signs/")
    walk(client)
    pages += ["/check/age/", "/check/answers/", "/check/result/", "/check/result/print/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    assert "no-store" in client.post("/check/age/", {"value": "40"})["Cache-Control"]


def test_answers_stay_on_the_server(client, starter_flags):
    # Django's database sessions (with a copy in the sessions cache, backspasm/sessions.py), not a cookie.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert settings.SESSION_ENGINE == "backspasm.sessions"
    assert store.__mro__[1] is db.SessionStore
    assert not issubclass(store, (cached_db.SessionStore, cache.SessionStore, signed_cookies.SessionStore))
    response = walk(client, age=63)
    assert response["Location"] == "/check/result/"
    assert set(client.cookies) <= {"sessionid", "csrftoken", "messages"}
    # The cookie is only a random key: the answers themselves are in the database.
    assert client.cookies["sessionid"].value == client.session.session_key
    assert (
        Session.objects.get(session_key=client.session.session_key).get_decoded()["check"]["answers"]["age"]
        == 63
    )
    posted = client.post("/check/age/", {"value": "64"})
    assert "?" not in posted["Location"]
    assert posted.wsgi_request.sensitive_post_parameters == "__ALL__"


@pytest.mark.parametrize("prefix", ["", "/es"], ids=["english", "spanish"])
def test_steps_and_the_outcome_make_few_queries(client, starter_flags, starter_routines, prefix):
    ClinicSettings.load()
    walk(client, prefix=prefix)
    for url in ("/check/result/", "/check/result/print/"):
        client.get(prefix + url)  # the first visit in a content version builds what every later one reuses
    # A page reads the session's copy in the sessions cache and makes no query at all (the published red
    # flags, routines, remedies, the clinic's settings and "When to get help" are kept per content version);
    # a POST writes the session back with one UPDATE, and confirming the answers also writes the anonymous
    # count when what it counts changed. The same in Spanish: one set of kept rows serves both languages.
    for method, url, data, queries in [
        ("get", "/check/", {}, 0),
        ("get", "/check/serious-signs/", {}, 0),
        ("post", "/check/serious-signs/", {"none": "on"}, 1),
        ("get", "/check/age/", {}, 0),
        ("post", "/check/age/", {"value": "35"}, 1),
        ("get", "/check/answers/", {}, 0),
        ("post", "/check/answers/", {}, 1),  # confirmed again, the same outcome: the count is not written
        ("post", "/check/age/", {"value": "70"}, 1),
        ("post", "/check/answers/", {}, 2),  # a new outcome (over 50, first time): the count is updated
        ("get", "/check/result/", {}, 0),
        ("get", "/check/result/print/", {}, 0),
        ("post", "/check/", {}, 1),  # "Start again"
    ]:
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method)(prefix + url, data)
        assert response.status_code in (200, 303), (url, response.status_code)
        assert len(captured) == queries, (method, url, [q["sql"] for q in captured])


@pytest.mark.parametrize("prefix", ["", "/es"], ids=["english", "spanish"])
def test_confirming_the_answers_the_first_time_makes_two_queries(
    client, starter_flags, starter_routines, prefix
):
    walk(client, prefix=prefix, confirm=False)
    client.get(prefix + "/check/answers/")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(prefix + "/check/answers/")
    assert response.status_code == 303
    assert len(captured) == 2, [q["sql"] for q in captured]  # the new count, the session
    assert OutcomeRecord.objects.count() == 1


def test_a_completed_check_is_counted_once(client, starter_flags):
    walk(client, age=70)
    client.get("/check/result/")
    client.get("/check/result/")
    client.post("/check/answers/")  # a double submit
    assert OutcomeRecord.objects.count() == 1
    record = OutcomeRecord.objects.get()
    assert (record.disposition, record.phase, record.red_flags) == (
        "gp",
        "early",
        ["under_20_or_over_50_first_episode"],
    )
    answer(client, "age", {"value": "30"})
    client.post("/check/answers/")
    assert OutcomeRecord.objects.count() == 1
    assert OutcomeRecord.objects.get().disposition == "self_care"
    walk(client, emergency=["saddle_numbness"])
    assert OutcomeRecord.objects.count() == 2
    answer(client, "serious-signs", {"flags": ["saddle_numbness"]})  # a double submit of the stop
    assert OutcomeRecord.objects.count() == 2


def test_an_unfinished_check_is_not_counted(client, starter_flags):
    walk(client, confirm=False)
    assert OutcomeRecord.objects.count() == 0


def test_the_record_holds_nothing_but_the_day_level_phase_flags_and_reasons():
    fields = {field.name for field in OutcomeRecord._meta.get_fields()}
    assert fields == {"id", "day", "disposition", "phase", "red_flags", "reasons"}
