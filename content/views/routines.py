"""The timed routines: a list, and a timer page that is also a printable schedule without JavaScript."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from backspasm.pagecache import public_page
from content.calendar import routine_calendar
from content.languages import prepare_for_language
from content.models import Routine, RoutineStep
from content.preview import get_visible_or_404
from content.schedule import ScheduledStep

# A text field with a 24-hour hint rather than <input type="time">: a phone shows a time field in its own
# locale ("02:30 PM"), which then disagrees with the hint and with the 24-hour schedule. What people type
# instead is accepted too: "1430", "14.30", "2:30pm".
START_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "%H%M", "%I:%M%p", "%I:%M %p", "%I%p", "%I %p"]
# From this hour until NIGHT_ENDS a pack on the skin is a pack someone may fall asleep under.
NIGHT_STARTS, NIGHT_ENDS = 22, 6
PACK_KINDS = {RoutineStep.Kind.COLD, RoutineStep.Kind.HEAT}


class StartForm(forms.Form):
    """ "Starting at [time]": the one field of the schedule form, sent by GET so the result can be bookmarked."""

    start = forms.TimeField(
        label=_("Starting at"),
        help_text=_(
            "Use the 24-hour clock, for example 14:30. The schedule then shows the time of every step."
        ),
        input_formats=START_FORMATS,
        widget=forms.TimeInput(
            attrs={"autocomplete": "off", "size": 6, "spellcheck": "false"}, format="%H:%M"
        ),
        error_messages={
            "required": _("Enter the time you will start, for example 14:30."),
            "invalid": _("Enter the time as hours and minutes, for example 14:30."),
        },
    )


class AlarmsForm(StartForm):
    """The calendar file's start: a time (by default a minute from now) and the phone's own date."""

    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].required = False

    def start_at(self, now: datetime) -> datetime:
        """The routine's start as a floating wall-clock time; `now` is the site's local time."""
        start = self.cleaned_data.get("start")
        day = self.cleaned_data.get("date") or now.date()
        if start is None:
            # A minute from now, to the whole minute: time to open the file before the first alarm.
            soon = now.replace(tzinfo=None) + timedelta(minutes=1)
            return soon.replace(second=0, microsecond=0) + timedelta(minutes=1 if soon.second else 0)
        return datetime.combine(day, start)


def format_duration(seconds: int) -> str:
    """Plain words for a length of time: "20 minutes", "1 hour 30 minutes", "45 seconds"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if secs or not parts:
        parts.append(ngettext("%(n)d second", "%(n)d seconds", secs) % {"n": secs})
    return " ".join(parts)


def exercise_detail(step: RoutineStep) -> str:
    """ "10 times, hold each for 5 seconds" for exercises; empty for everything else."""
    parts = []
    if step.repetitions:
        parts.append(ngettext("%(n)d time", "%(n)d times", step.repetitions) % {"n": step.repetitions})
    if step.hold_seconds:
        parts.append(gettext("hold each for %(time)s") % {"time": format_duration(step.hold_seconds)})
    return ", ".join(parts)


def schedule_rows(schedule: list[ScheduledStep], start: datetime | None) -> list[dict]:
    rows = []
    for item in schedule:
        rows.append(
            {
                "number": item.number,
                "cycle": item.cycle,
                "kind": item.step.kind,
                "instruction": item.step.instruction,
                "detail": exercise_detail(item.step),
                "duration": format_duration(item.duration_seconds),
                "starts_at": item.starts_at,
                "ends_at": item.ends_at,
                # A step that starts or ends after midnight says so: "00:20 (next day)".
                "starts_next_day": bool(start and item.starts_at.date() > start.date()),
                "ends_next_day": bool(start and item.ends_at.date() > start.date()),
                # A 30-second rest would read "21:03 to 21:03": its start time says it all.
                "show_end": bool(start and f"{item.starts_at:%H:%M}" != f"{item.ends_at:%H:%M}"),
            }
        )
    return rows


def cycle_groups(rows: list[dict], cycles: int) -> list[dict]:
    return [
        {"cycle": cycle, "rows": [row for row in rows if row["cycle"] == cycle]}
        for cycle in range(1, cycles + 1)
    ]


def timer_data(routine: Routine, schedule: list[ScheduledStep]) -> dict:
    """Everything the timer script needs, passed with json_script: the expanded schedule and its words."""
    return {
        "slug": routine.slug,
        "name": routine.name,
        "cycles": routine.cycles,
        "night": [NIGHT_STARTS, NIGHT_ENDS],
        "packKinds": sorted(PACK_KINDS),
        "icon": static("img/icon-192.png"),
        "steps": [
            {
                "what": item.step.instruction,
                "kind": item.step.kind,
                "detail": exercise_detail(item.step),
                "cycle": item.cycle,
                "seconds": item.duration_seconds,
                "start": item.start_offset,
                "duration": format_duration(item.duration_seconds),
            }
            for item in schedule
        ],
    }


@public_page
@require_safe
def routine_list(request: HttpRequest) -> HttpResponse:
    routines = Routine.objects.published().prefetch_related("steps")
    items = []
    for routine in routines:
        schedule = routine.schedule()
        total = schedule[-1].end_offset if schedule else 0
        items.append({"routine": routine, "total": format_duration(total) if total else ""})
    return render(request, "content/routine_list.html", {"items": items})


@public_page
@require_safe
def routine_detail(request: HttpRequest, slug: str) -> HttpResponse:
    routine = get_visible_or_404(request, Routine.objects.prefetch_related("steps"), slug=slug)
    context = routine_context(request, routine)
    template = "content/routine_detail.html"
    return render(request, f"{template}#schedule" if request.htmx else template, context)


def routine_context(request: HttpRequest, routine: Routine) -> dict[str, object]:
    form = StartForm(request.GET) if "start" in request.GET else StartForm()
    start = None
    if form.is_bound and form.is_valid():
        start = start_today(form.cleaned_data["start"])
        # Show what was understood, the way the hint and the schedule write it: "2:30pm" comes back "14:30".
        form = StartForm(initial={"start": form.cleaned_data["start"]})
    return detail_context(routine, form, start)


@never_cache
@require_safe
def routine_alarms(request: HttpRequest, slug: str) -> HttpResponse:
    """The routine's steps as calendar events with alarms, from the time asked for (or a minute from now)."""
    routine = get_visible_or_404(request, Routine.objects.prefetch_related("steps"), slug=slug)
    form = AlarmsForm(request.GET)
    if not form.is_valid():
        # The page the link came from, with the problem beside the field.
        context = detail_context(routine, StartForm(request.GET), None)
        return render(request, "content/routine_detail.html", context, status=400)
    start = form.start_at(timezone.localtime())
    schedule = routine.schedule(start)
    body = routine_calendar(
        name=routine.name,
        slug=routine.slug,
        schedule=schedule,
        safety=routine.safety_list,
        describe=describe_step,
        host=request.get_host().split(":")[0],
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{routine.slug}-alarms.ics"'
    return response


def detail_context(routine: Routine, form: StartForm, start: datetime | None) -> dict:
    notice = prepare_for_language(routine)  # first: it may set the text back to English
    schedule = routine.schedule(start)
    rows = schedule_rows(schedule, start)
    total = schedule[-1].end_offset if schedule else 0
    alarms_url = reverse("routines:alarms", args=[routine.slug])
    return {
        "object": routine,
        "routine": routine,
        "form": form,
        "start": start,
        "groups": cycle_groups(rows, routine.cycles),
        "total": format_duration(total) if total else "",
        "alarms_url": f"{alarms_url}?start={start:%H:%M}" if start else alarms_url,
        "into_night": bool(start) and runs_into_night(schedule),
        "routine_data": timer_data(routine, schedule),
        "idle": idle_state(routine, schedule),
        "language_notice": notice,
    }


def clock_text(seconds: int) -> str:
    """Time left as the timer shows it: "20:00", and from an hour "1:30:00" (routine-timer.js timeLeft)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def idle_state(routine: Routine, schedule: list[ScheduledStep]) -> dict | None:
    """The timer before Start, drawn by the server exactly as routine-timer.js would draw it, so that the
    page does not move when the script runs. None when there is nothing to time."""
    if not schedule:
        return None
    first = schedule[0]
    if len(schedule) > 1:
        following = schedule[1]
        after = gettext("Next, for %(duration)s: %(what)s") % {
            "duration": format_duration(following.duration_seconds),
            "what": following.step.instruction,
        }
    else:
        after = gettext("Next: the routine is finished.")
    return {
        "kind": first.step.kind,
        "position": gettext("Step %(step)s of %(steps)s") % {"step": 1, "steps": len(schedule)},
        "cycle": gettext("Cycle %(cycle)s of %(cycles)s") % {"cycle": 1, "cycles": routine.cycles}
        if routine.cycles > 1
        else "",
        "what": first.step.instruction,
        "long": len(first.step.instruction) > 40,
        "detail": exercise_detail(first.step),
        "left": clock_text(first.duration_seconds),
        "next": after,
    }


def describe_step(item: ScheduledStep) -> str:
    """What a calendar event says: the step, how long, and for exercises how many and how long to hold."""
    lines = [
        item.step.instruction,
        gettext("For %(duration)s.") % {"duration": format_duration(item.duration_seconds)},
    ]
    detail = exercise_detail(item.step)
    if detail:
        lines.append(detail[0].upper() + detail[1:] + ".")
    return "\n".join(lines)


def runs_into_night(schedule: list[ScheduledStep]) -> bool:
    """A cold or heat pack on at some time between NIGHT_STARTS and NIGHT_ENDS, when people fall asleep."""

    def at_night(moment: datetime) -> bool:
        hour = timezone.localtime(moment).hour if timezone.is_aware(moment) else moment.hour
        return hour >= NIGHT_STARTS or hour < NIGHT_ENDS

    for item in schedule:
        if item.step.kind not in PACK_KINDS or item.starts_at is None or item.ends_at is None:
            continue
        # Steps last minutes, not hours: looking every 10 minutes of the step is enough.
        moment = item.starts_at
        while moment < item.ends_at:
            if at_night(moment):
                return True
            moment += timedelta(minutes=10)
        if at_night(item.ends_at - timedelta(seconds=1)):
            return True
    return False


def start_today(start: time) -> datetime:
    """Today at the given wall-clock time, in the site's time zone; later steps may fall on tomorrow."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), start))
