"""The calendar alarms (.ics): one event per step of `Routine.schedule()`, an alarm at each start, floating times.

Every file is read back twice: with icalendar (which made it) and with `ical`, a second, strict parser
that refuses anything RFC 5545 does not allow.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from content.models import Routine, Status
from content.views.routines import AlarmsForm
from tests.factories import make_routine
from tests.routines.test_starter_routines import STARTER_SLUGS, starter  # noqa: F401

pytestmark = pytest.mark.django_db

DAY = date(2026, 1, 5)


def alarms(client, slug: str, **params) -> tuple[Calendar, str]:
    response = client.get(f"/routines/{slug}/alarms.ics", params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert_strictly_valid(text)
    return Calendar.from_ical(text), text


def assert_strictly_valid(text: str) -> None:
    assert "\r\n" in text and not re.search(r"(?<!\r)\n", text), "lines must end in CRLF"
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n")), "lines must be folded at 75 octets"
    # The strict parser raises on any property or component RFC 5545 does not allow.
    strict = IcsCalendarStream.calendar_from_ics(text)
    assert strict.events
    # icalendar keeps what it could not parse as errors on the component, instead of raising.
    for component in Calendar.from_ical(text).walk():
        assert component.errors == [], (component.name, component.errors)


def events(calendar: Calendar) -> list:
    return sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))


@pytest.mark.parametrize("start", ["14:30", "23:30"])
@pytest.mark.parametrize("slug", STARTER_SLUGS)
def test_every_event_and_alarm_matches_the_schedule(client, starter, slug, start):  # noqa: F811
    routine = Routine.objects.prefetch_related("steps").get(slug=slug)
    hour, minute = map(int, start.split(":"))
    schedule = routine.schedule(datetime(DAY.year, DAY.month, DAY.day, hour, minute))
    calendar, text = alarms(client, slug, start=start, date=DAY.isoformat())

    found = events(calendar)
    assert len(found) == len(schedule) > 0
    for event, item in zip(found, schedule, strict=True):
        start_at, end_at = event.decoded("dtstart"), event.decoded("dtend")
        # Floating times: no zone, so the phone rings at these wall-clock times wherever it is.
        assert start_at.tzinfo is None and end_at.tzinfo is None
        assert "TZID" not in event["dtstart"].params
        assert (start_at, end_at) == (item.starts_at, item.ends_at)
        assert item.step.instruction in str(event["summary"])
        description = str(event["description"])
        assert item.step.instruction in description
        assert all(note in description for note in routine.safety_list)
        rings = [
            (alarm.decoded("trigger"), alarm["trigger"].params.get("RELATED", "START"))
            for alarm in event.walk("VALARM")
        ]
        assert rings[0] == (timedelta(0), "START")
        assert all(str(alarm["action"]) == "DISPLAY" for alarm in event.walk("VALARM"))
    # The end of the last step (the pack comes off) rings too.
    assert [len(event.walk("VALARM")) for event in found] == [1] * (len(found) - 1) + [2]
    assert found[-1].walk("VALARM")[1]["trigger"].params["RELATED"] == "END"
    assert "Z" not in re.findall(r"DTSTART[^:]*:(\S+)", text)[0]


def test_a_start_before_midnight_runs_into_the_next_day(client):
    routine = make_routine(name="Cold pack cycles", slug="cold-pack-cycles", cycles=3)
    calendar, _ = alarms(client, routine.slug, start="23:30", date="2026-12-31")
    starts = [event.decoded("dtstart") for event in events(calendar)]
    assert starts == [
        datetime(2026, 12, 31, 23, 30),
        datetime(2026, 12, 31, 23, 50),
        datetime(2027, 1, 1, 1, 20),
        datetime(2027, 1, 1, 1, 40),
        datetime(2027, 1, 1, 3, 10),
    ]


def test_the_file_has_the_same_clock_times_as_the_no_javascript_schedule(client):
    routine = make_routine(name="Cold pack cycles", slug="cold-pack-cycles", cycles=3)
    page = client.get(routine.get_absolute_url(), {"start": "23:50"}).text
    shown = re.findall(r'<p class="step-time"><time>(\d\d:\d\d)</time>', page)
    calendar, _ = alarms(client, routine.slug, start="23:50")
    assert [f"{event.decoded('dtstart'):%H:%M}" for event in events(calendar)] == shown
    # The page's own link carries the time it shows.
    assert 'href="/routines/cold-pack-cycles/alarms.ics?start=23:50"' in page


def test_the_same_start_gives_the_same_uids_so_adding_twice_updates(client):
    routine = make_routine()
    first, _ = alarms(client, routine.slug, start="09:00", date="2026-02-01")
    again, _ = alarms(client, routine.slug, start="09:00", date="2026-02-01")
    uids = [str(event["uid"]) for event in events(first)]
    assert uids == [str(event["uid"]) for event in events(again)]
    assert len(set(uids)) == len(uids)


def test_seconds_from_a_running_timer_are_kept(client):
    routine = make_routine()
    calendar, _ = alarms(client, routine.slug, start="09:00:25", date="2026-02-01")
    assert events(calendar)[0].decoded("dtstart") == datetime(2026, 2, 1, 9, 0, 25)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 2, 1, 9, 0, 0, tzinfo=UTC), datetime(2026, 2, 1, 9, 1)),
        (datetime(2026, 2, 1, 9, 0, 20, tzinfo=UTC), datetime(2026, 2, 1, 9, 2)),
        (datetime(2026, 2, 1, 23, 59, 30, tzinfo=UTC), datetime(2026, 2, 2, 0, 1)),
    ],
)
def test_without_a_time_the_alarms_start_a_minute_from_now(now, expected):
    form = AlarmsForm({})
    assert form.is_valid()
    assert form.start_at(now) == expected


def test_without_a_time_the_file_starts_within_two_minutes(client):
    routine = make_routine()
    calendar, _ = alarms(client, routine.slug)
    from django.utils import timezone

    now = timezone.localtime().replace(tzinfo=None)
    first = events(calendar)[0].decoded("dtstart")
    assert now + timedelta(seconds=59) <= first <= now + timedelta(minutes=2)


def test_it_downloads_as_a_file_and_is_never_cached(client):
    routine = make_routine(slug="cold-pack-cycles")
    response = client.get("/routines/cold-pack-cycles/alarms.ics", {"start": "10:00"})
    assert response["Content-Disposition"] == 'attachment; filename="cold-pack-cycles-alarms.ics"'
    assert "no-store" in response["Cache-Control"]
    assert routine.get_absolute_url() != "/routines/cold-pack-cycles/alarms.ics"


@pytest.mark.parametrize(
    "params", [{"start": "25:99"}, {"start": "soon"}, {"start": "10:00", "date": "2026-13-40"}]
)
def test_a_bad_time_gets_the_page_back_with_the_problem_and_a_400(client, params):
    routine = make_routine()
    response = client.get(f"/routines/{routine.slug}/alarms.ics", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    if params["start"] != "10:00":
        assert "Enter the time as hours and minutes, for example 14:30." in response.text


def test_drafts_have_no_alarms_for_the_public(client):
    routine = make_routine(status=Status.DRAFT)
    assert client.get(f"/routines/{routine.slug}/alarms.ics").status_code == 404


@pytest.mark.parametrize("typed", ["1430", "14.30", "2:30pm", "2:30 PM", "14:30"])
def test_the_time_can_be_typed_the_way_people_write_it(client, typed):
    routine = make_routine()
    calendar, _ = alarms(client, routine.slug, start=typed, date="2026-02-01")
    assert events(calendar)[0].decoded("dtstart") == datetime(2026, 2, 1, 14, 30)
