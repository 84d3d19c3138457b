"""Issue 14's check: "Question N of M" from the path, "Start again" asks first, "Change your answers"."""

from __future__ import annotations

import re

import pytest

from tests.triage.conftest import walk
from triage.steps import SESSION_KEY

pytestmark = pytest.mark.django_db


def progress_line(client, url: str) -> str:
    body = client.get(url).content.decode()
    return re.search(r'<p class="step-progress">(.*?)</p>', body).group(1)


def test_progress_counts_the_questions_on_the_path(client, starter_flags):
    client.post("/check/")
    assert progress_line(client, "/check/serious-signs/") == "Question 1 of 8"
    client.post("/check/serious-signs/", {"none": "on"})
    assert progress_line(client, "/check/age/") == "Question 2 of 8"
    assert progress_line(client, "/check/serious-signs/") == "Question 1 of 8"  # going back


def test_the_total_shrinks_when_the_rules_skip_a_page(client, starter_flags):
    walk(client, urgent=["cancer_history"], confirm=False)
    # After a cancer history only the leg question is left: with the answers so far the path is 8 long,
    # and the leg question (the last) is asked alone.
    assert client.asked[-1] == "other-signs"
    assert progress_line(client, "/check/warning-signs/").endswith(f"of {len(client.asked)}")


def test_start_again_asks_first_and_then_says_what_happened(client, starter_flags):
    walk(client, confirm=False)
    page = client.get("/check/start-again/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Are you sure? Your answers will be deleted" in body
    assert client.session[SESSION_KEY]["answers"]  # asking deletes nothing
    response = client.post("/check/start-again/")
    assert response.status_code == 303 and response["Location"] == "/check/serious-signs/"
    assert client.session[SESSION_KEY]["answers"] == {}
    followed = client.get(response["Location"]).content.decode()
    assert "Your answers have been deleted." in followed


def test_every_page_of_the_check_links_to_the_confirmation_not_a_one_tap_reset(client, starter_flags):
    walk(client, confirm=False)
    for url in ("/check/serious-signs/", "/check/answers/"):
        body = client.get(url).content.decode()
        assert '<a class="button button-secondary" href="/check/start-again/">Start again</a>' in body
        assert 'action="/check/"' not in body


def test_a_result_offers_change_your_answers(client, starter_flags, starter_routines):
    walk(client)
    body = client.get("/check/result/").content.decode()
    assert '<a href="/check/answers/">Change your answers</a>' in body
    walk(client, emergency=["bladder_bowel_control"])
    body = client.get("/check/result/").content.decode()
    assert '<a href="/check/serious-signs/">Change your answers</a>' in body


def test_the_early_plan_leads_with_one_routine_that_is_not_a_stretch(client, starter_flags):
    from tests.factories import make_remedy, make_routine

    make_routine(slug="gentle-stretches", name="Gentle stretches", phases="both", kind="stretching")
    make_routine(slug="cold-pack-cycles", name="Cold pack cycles", phases="early", kind="cold")
    make_remedy(title="Gentle stretches", kind="movement", phases="both")
    walk(client, onset="today")
    body = client.get("/check/result/").content.decode()
    first, more = body.split('<details class="plan-more">')
    assert "Try this first: Cold pack cycles" in first
    assert first.count("Start the timer") == 1 and "/routines/gentle-stretches/" not in first
    assert "/routines/gentle-stretches/" in more
    assert body.count("<h3>Gentle stretches</h3>") == 1  # the routine, not the remedy of the same name again
    assert "Get help if" in first  # the warning signs are never behind the disclosure
