"""The routine list and the timer page, through the Django test client (the no-JavaScript page)."""

from __future__ import annotations

import json
import re

import pytest

from content.models import RoutineStep, Status
from tests.factories import make_routine, make_user

pytestmark = pytest.mark.django_db


def routine_data(response) -> dict:
    match = re.search(
        r'<script id="routine-data" type="application/json">(.*?)</script>', response.text, re.S
    )
    assert match, "no routine data for the timer script"
    return json.loads(match.group(1))


def test_the_list_shows_published_routines_only(client):
    make_routine(name="Cold pack cycles", slug="cold-pack-cycles", cycles=3)
    make_routine(name="Secret draft", slug="secret-draft", status=Status.DRAFT)
    response = client.get("/routines/")
    assert response.status_code == 200
    assert 'href="/routines/cold-pack-cycles/"' in response.text
    assert "3 cycles, 4 hours in all" in response.text
    assert "Secret draft" not in response.text


def test_the_list_says_so_when_nothing_is_published(client):
    response = client.get("/routines/")
    assert "No routines are published yet." in response.text


def test_every_page_links_to_the_routines(client):
    assert 'href="/routines/"' in client.get("/").text


def test_it_shows_purpose_steps_cycles_and_safety_notes(client):
    routine = make_routine(
        purpose="Cools a fresh spasm.",
        cycles=3,
        safety_notes="Wrap the pack in a towel.\n\nStop if the skin goes numb.",
    )
    response = client.get(routine.get_absolute_url())
    assert response.status_code == 200
    body = response.text
    assert "Cools a fresh spasm." in body
    assert "The steps repeat 3 times." in body
    assert "<li>Wrap the pack in a towel.</li><li>Stop if the skin goes numb.</li>" in body
    assert body.count('class="step-row') == 5
    assert "Cycle 3 of 3" in body
    assert "1 hour 30 minutes" in body
    # A text field with a 24-hour hint: a phone's time field would show "02:30 PM" beside "14:30".
    assert 'name="start"' in body and 'type="text"' in body and 'type="time"' not in body
    assert "Use the 24-hour clock, for example 14:30." in body


def test_the_timer_is_drawn_ready_to_start_and_hidden_without_javascript(client):
    body = client.get(make_routine(cycles=2).get_absolute_url()).text
    # Drawn by the server as the script would draw it, so nothing moves when the script runs...
    assert '<section id="timer" class="timer" aria-labelledby="timer-heading">' in body
    assert '<div id="timer-state" class="timer-state kind-cold">' in body
    assert '<span id="timer-step">Step 1 of 3</span> <span id="timer-cycle">Cycle 1 of 2</span>' in body
    assert '<span id="timer-left">20:00</span>' in body
    assert '<p id="timer-next" class="timer-next">Next, for 1 hour 30 minutes: Rest</p>' in body
    # ...and hidden by a style sheet that only a browser without JavaScript loads.
    assert re.search(
        r'<noscript><link rel="stylesheet" href="/static/css/timer-noscript.css"></noscript>', body
    )
    assert re.search(r'<script src="/static/js/routine-timer.js" defer nonce="[^"]+"></script>', body)
    assert "style=" not in body


def test_it_gives_the_timer_the_expanded_schedule_as_json(client):
    routine = make_routine(cycles=2)
    data = routine_data(client.get(routine.get_absolute_url()))
    assert data["slug"] == routine.slug
    assert data["cycles"] == 2
    assert [(s["kind"], s["seconds"], s["start"], s["cycle"]) for s in data["steps"]] == [
        ("cold", 1200, 0, 1),
        ("rest", 5400, 1200, 1),
        ("cold", 1200, 6600, 2),
    ]
    # The timer's words come from the JavaScript catalog of the page's language, loaded before the timer.
    assert "strings" not in data
    html = client.get(routine.get_absolute_url()).content.decode()
    assert re.search(r'<script src="/jsi18n/" defer nonce="[^"]+"></script>', html)
    assert html.index('src="/jsi18n/"') < html.index("js/routine-timer.js")


def test_it_describes_exercises_with_their_repetitions_and_hold(client):
    routine = make_routine(steps=[("exercise", 120, "Knee-to-chest stretch")], kind="stretching")
    RoutineStep.objects.filter(routine=routine).update(repetitions=5, hold_seconds=20)
    response = client.get(routine.get_absolute_url())
    assert "5 times, hold each for 20 seconds" in response.text
    assert routine_data(response)["steps"][0]["detail"] == "5 times, hold each for 20 seconds"


def test_starting_at_gives_every_step_its_clock_time_across_midnight(client):
    routine = make_routine(cycles=2)
    response = client.get(routine.get_absolute_url(), {"start": "23:30"})
    assert response.status_code == 200
    rows = re.findall(r'<p class="step-time">(.*?)</p>', response.text, re.S)
    text = [re.sub(r"<[^>]+>", "", row).strip() for row in rows]
    assert text == [
        "23:30 to 23:50",
        "23:50 to 01:20 (next day)",
        "01:20 (next day) to 01:40",
    ]
    assert "Starting at 23:30." in response.text
    assert 'value="23:30"' in response.text


def test_starting_at_accepts_seconds_too(client):
    response = client.get(make_routine().get_absolute_url(), {"start": "08:05:00"})
    assert "<time>08:05</time> to <time>08:25</time>" in response.text


@pytest.mark.parametrize("value", ["25:00", "half past two", "12:60", "1460", "14:30 tomorrow"])
def test_a_bad_start_time_gets_a_clear_error_not_a_crash(client, value):
    response = client.get(make_routine().get_absolute_url(), {"start": value})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert '<a href="#id_start">Enter the time as hours and minutes, for example 14:30.</a>' in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'class="step-time"' not in response.text


def test_an_empty_start_time_asks_for_one(client):
    response = client.get(make_routine().get_absolute_url(), {"start": ""})
    assert response.status_code == 200
    assert "Enter the time you will start, for example 14:30." in response.text


def test_without_a_start_time_there_is_no_error_and_no_clock_times(client):
    response = client.get(make_routine().get_absolute_url())
    assert "There is a problem" not in response.text
    assert 'class="step-time"' not in response.text


def test_the_schedule_is_a_list_a_phone_can_read(client):
    body = client.get(make_routine(cycles=2).get_absolute_url(), {"start": "09:00"}).text
    assert "<table" not in body
    assert body.count('<ol class="schedule-list"') == 2
    assert '<ol class="schedule-list" start="3">' in body  # the numbers run on through the cycles


@pytest.mark.parametrize(
    ("start", "warned"),
    [("09:00", False), ("19:00", False), ("20:45", True), ("03:00", True), ("05:50", True), ("06:00", False)],
)
def test_a_schedule_with_a_pack_on_at_night_says_not_to_sleep_with_it(client, start, warned):
    """Cold 20 min, rest 90 min, cold 20 min: from 19:00 the packs are on until 21:10, before the night;
    from 20:45 the second pack goes on at 22:35; from 05:50 the first is on until 06:10."""
    routine = make_routine(cycles=2)
    body = client.get(routine.get_absolute_url(), {"start": start}).text
    text = "Never sleep with a cold or heat pack on"
    assert (text in body.split('id="schedule"')[1]) is warned


def test_htmx_gets_just_the_schedule(client):
    routine = make_routine()
    response = client.get(routine.get_absolute_url(), {"start": "14:00"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.text.strip()
    assert body.startswith('<section id="schedule"')
    assert "<html" not in body and 'id="timer"' not in body
    assert "<time>14:00</time> to <time>14:20</time>" in body


def test_htmx_gets_the_error_in_the_schedule_with_200(client):
    response = client.get(make_routine().get_absolute_url(), {"start": "99:99"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "There is a problem" in response.text


def test_a_draft_is_not_found_by_the_public(client):
    routine = make_routine(status=Status.DRAFT)
    assert client.get(routine.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_with_the_banner(client):
    routine = make_routine(status=Status.IN_REVIEW)
    client.force_login(make_user())
    response = client.get(routine.get_absolute_url())
    assert response.status_code == 200
    assert "Only clinic staff can see this page." in response.text


def test_an_unknown_routine_is_not_found(client):
    assert client.get("/routines/no-such-routine/").status_code == 404


def test_the_pages_refuse_post(client):
    routine = make_routine()
    assert client.post("/routines/").status_code == 405
    assert client.post(routine.get_absolute_url()).status_code == 405


def test_the_start_time_is_read_as_a_wall_clock_time_today(client, settings):
    settings.TIME_ZONE = "America/New_York"
    routine = make_routine()
    response = client.get(routine.get_absolute_url(), {"start": "07:00"})
    assert "<time>07:00</time> to <time>07:20</time>" in response.text


def test_a_bad_start_time_puts_error_in_the_page_title(client):
    response = client.get(make_routine(name="Heat pack cycles").get_absolute_url(), {"start": "seven"})
    assert "<title>Error: Heat pack cycles - Back spasm relief</title>" in response.text


def test_the_form_returns_to_the_schedule_without_javascript(client):
    routine = make_routine()
    response = client.get(routine.get_absolute_url())
    assert f'action="{routine.get_absolute_url()}#schedule"' in response.text
    assert f'hx-get="{routine.get_absolute_url()}"' in response.text


def test_a_step_shorter_than_a_minute_shows_only_its_start_time(client):
    routine = make_routine(
        steps=[("exercise", 60, "Bridge"), ("rest", 30, "Rest"), ("exercise", 60, "Plank")]
    )
    response = client.get(routine.get_absolute_url(), {"start": "21:00"})
    rows = re.findall(r'<p class="step-time">(.*?)</p>', response.text, re.S)
    assert [re.sub(r"<[^>]+>", "", row).strip() for row in rows] == [
        "21:00 to 21:01",
        "21:01",
        "21:01 to 21:02",
    ]


def test_htmx_gets_the_night_warning_and_the_alarms_link_with_the_schedule(client):
    routine = make_routine(cycles=2)
    response = client.get(routine.get_absolute_url(), {"start": "21:30"}, HTTP_HX_REQUEST="true")
    body = response.text
    assert body.strip().startswith('<section id="schedule"')
    assert "Never sleep with a cold or heat pack on" in body
    assert f'href="/routines/{routine.slug}/alarms.ics?start=21:30"' in body
