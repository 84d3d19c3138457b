"""A routine as calendar alarms: one event per step of `Routine.schedule()`, each ringing as it starts.

A web page cannot ring on a locked phone; the phone's own calendar can. The times are floating (no time
zone): "14:20" rings at 14:20 on the phone's clock, wherever it is, which is what the person picked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.utils.translation import gettext
from icalendar import Alarm, Calendar, Event

from content.schedule import ScheduledStep

PRODID = "-//Back spasm relief//Routine alarms//EN"


def routine_calendar(
    name: str,
    slug: str,
    schedule: Sequence[ScheduledStep],
    safety: Sequence[str],
    describe: Callable[[ScheduledStep], str],
    host: str,
    stamp: datetime,
) -> bytes:
    """The .ics file for a schedule made with a start time; `describe(step)` gives the step's words.

    `stamp` is the moment the file is made (DTSTAMP, in UTC); `host` makes the UIDs unique to this site.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    total = len(schedule)
    safety_text = "\n".join(safety)
    for item in schedule:
        start = floating(item.starts_at)
        end = floating(item.ends_at)
        what = item.step.instruction
        summary = gettext("%(what)s (step %(step)d of %(steps)d)") % {
            "what": what,
            "step": item.number,
            "steps": total,
        }
        description = "\n\n".join(part for part in (describe(item), safety_text) if part)
        event = Event()
        # The same routine, start and step give the same UID: adding the file twice updates the
        # events instead of doubling every alarm.
        event.add("uid", f"{slug}-{start:%Y%m%dT%H%M%S}-{item.number}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")  # an alarm, not a meeting: the time does not show as busy
        event.add_component(alarm(summary, timedelta(0)))
        if item.number == total:
            # The last step's end is when the pack comes off: that must ring too.
            event.add_component(alarm(gettext("%(name)s: finished") % {"name": name}, timedelta(0), end=True))
        calendar.add_component(event)
    return calendar.to_ical()


def alarm(description: str, offset: timedelta, end: bool = False) -> Alarm:
    found = Alarm()
    found.add("action", "DISPLAY")
    found.add("description", description)
    found.add("trigger", offset, parameters={"RELATED": "END"} if end else None)
    return found


def floating(moment: datetime | None) -> datetime:
    """The wall-clock time without a zone: RFC 5545's "floating" form (no TZID, no Z)."""
    if moment is None:
        raise ValueError("a calendar needs a schedule made with a start time")
    return moment.replace(tzinfo=None)
