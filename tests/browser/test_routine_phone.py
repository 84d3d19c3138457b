"""The routine pages on a phone (390 x 844): Start in reach, a schedule that reads, a time field that agrees
with its hint, a plain word about the night, and calendar alarms that match the timer."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from icalendar import Calendar

from content.models import Routine
from tests.browser.test_routine_timer import START, cold_packs, open_timer, start, timer  # noqa: F401
from tests.routines.test_starter_routines import STARTER_SLUGS

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN_HEIGHT = 844


def downloaded_events(download) -> list:
    with open(download.path(), "rb") as file:
        calendar = Calendar.from_ical(file.read())
    return sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))


def test_start_is_on_the_first_screen_of_every_starter_routine(phone):
    call_command("load_starter_content", stdout=io.StringIO())
    for slug in STARTER_SLUGS:
        phone.goto(f"/routines/{slug}/")
        button = phone.get_by_role("button", name="Start", exact=True)
        box = button.bounding_box()
        assert box["y"] + box["height"] <= SCREEN_HEIGHT, (
            f"{slug}: Start ends at {box['y'] + box['height']}px"
        )
        # The safety notes come straight after the controls, before the options.
        safety = phone.get_by_role("heading", name="Stay safe").bounding_box()
        options = phone.locator(".timer-options").bounding_box()
        assert box["y"] < safety["y"] < options["y"], slug


def test_without_javascript_the_schedule_is_a_list_that_reads_on_a_phone(no_js, cold_packs):  # noqa: F811
    no_js.goto(cold_packs.get_absolute_url() + "?start=21:30")
    assert no_js.locator("table").count() == 0
    assert no_js.evaluate("document.documentElement.scrollWidth") <= 390
    widths = [box["width"] for box in (item.bounding_box() for item in no_js.locator(".step-what").all())]
    assert len(widths) == 5 and min(widths) > 280  # whole lines of words, not one word a line
    assert no_js.locator(".step-time").first.inner_text() == "21:30 to 21:50"


def test_the_time_field_and_its_hint_agree_and_typed_times_come_back_in_24_hours(no_js, cold_packs):  # noqa: F811
    no_js.goto(cold_packs.get_absolute_url())
    field = no_js.get_by_label("Starting at")
    assert field.get_attribute("type") == "text"
    assert "Use the 24-hour clock, for example 14:30." in no_js.locator("#id_start_helptext").inner_text()
    field.fill("2:30pm")
    no_js.get_by_role("button", name="Show the times").click()
    no_js.locator(".schedule-start").wait_for()
    assert no_js.get_by_label("Starting at").input_value() == "14:30"
    assert no_js.locator(".schedule-start").inner_text() == "Starting at 14:30."


def test_without_javascript_a_night_schedule_says_not_to_sleep_with_a_pack_on(no_js, cold_packs):  # noqa: F811
    no_js.goto(cold_packs.get_absolute_url() + "?start=21:30")
    warning = no_js.locator(".schedule .night-warning")
    assert warning.is_visible()
    assert "Never sleep with a cold or heat pack on" in warning.inner_text()
    assert "Add the alarms to your phone's calendar" in warning.inner_text()
    no_js.goto(cold_packs.get_absolute_url() + "?start=09:00")
    assert no_js.locator(".schedule .night-warning").count() == 0


def test_the_timer_warns_of_the_night_when_its_packs_would_run_into_it(browser, live_server, cold_packs):  # noqa: F811
    from tests.conftest import PHONE

    context = browser.new_context(base_url=live_server.url, timezone_id="UTC", **PHONE)
    page = context.new_page()
    page.clock.install(time=dt.datetime(2025, 3, 1, 19, 0, tzinfo=dt.UTC))
    page.clock.pause_at(dt.datetime(2025, 3, 1, 19, 0, 1, tzinfo=dt.UTC))
    open_timer(page, cold_packs)
    # From 19:00 the packs are on 19:00, 20:50 and 22:40: the last one is at night.
    assert page.locator("#timer-night").is_visible()
    assert "Never sleep with a cold or heat pack on" in page.locator("#timer-night").inner_text()
    context.close()


def test_the_timer_says_nothing_of_the_night_in_the_afternoon(timer, cold_packs):  # noqa: F811
    open_timer(timer, cold_packs)  # 14:00: the last pack comes off at 18:00
    start(timer)
    assert not timer.locator("#timer-night").is_visible()


def test_the_calendar_alarms_follow_the_running_timer(timer, cold_packs):  # noqa: F811
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.fast_forward("05:00")
    with timer.expect_download() as info:
        timer.get_by_role("link", name="Add the alarms to my phone's calendar").first.click()
    query = parse_qs(urlsplit(info.value.url).query)
    assert query == {"start": ["14:00:00"], "date": ["2025-03-01"]}
    routine = Routine.objects.prefetch_related("steps").get(pk=cold_packs.pk)
    schedule = routine.schedule(dt.datetime(2025, 3, 1, 14, 0))
    events = downloaded_events(info.value)
    assert [event.decoded("dtstart") for event in events] == [item.starts_at for item in schedule]
    # The page tells the truth: it cannot know the file was added, but says what happens once it is.
    added = timer.locator("#timer-alarms-added")
    assert added.is_visible()
    assert "Once it is added, your calendar rings at 14:20" in added.inner_text()
    assert "even when the phone is locked" in added.inner_text()


def test_before_the_start_the_alarms_begin_a_minute_from_now(timer, cold_packs):  # noqa: F811
    open_timer(timer, cold_packs)
    with timer.expect_download() as info:
        timer.locator("#timer-alarms-link").click()
    assert parse_qs(urlsplit(info.value.url).query) == {"start": ["14:01"], "date": ["2025-03-01"]}
    assert downloaded_events(info.value)[0].decoded("dtstart") == dt.datetime(2025, 3, 1, 14, 1)


def test_without_javascript_the_calendar_link_downloads_the_alarms(no_js, cold_packs):  # noqa: F811
    no_js.goto(cold_packs.get_absolute_url() + "?start=23:30")
    link = no_js.get_by_role("link", name=re.compile("Add these alarms to my phone's calendar, from 23:30"))
    with no_js.expect_download() as info:
        link.click()
    starts = [event.decoded("dtstart").time() for event in downloaded_events(info.value)]
    assert [f"{moment:%H:%M}" for moment in starts] == ["23:30", "23:50", "01:20", "01:40", "03:10"]
    assert info.value.suggested_filename == "cold-pack-cycles-alarms.ics"


def test_axe_finds_nothing_in_the_new_states(timer, cold_packs, axe):  # noqa: F811
    open_timer(timer, cold_packs)
    start(timer)
    timer.get_by_role("button", name="Restart", exact=True).click()
    with timer.expect_download():
        timer.locator("#timer-alarms-link").click()
    assert timer.locator("#timer-confirm").is_visible() and timer.locator("#timer-alarms-added").is_visible()
    timer.clock.resume()  # axe waits on timers
    axe(timer)
    timer.goto(cold_packs.get_absolute_url() + "?start=21:30")
    assert timer.locator(".schedule .night-warning").is_visible()
    axe(timer)
    timer.goto("/offline/")
    axe(timer)
