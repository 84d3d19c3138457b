"""The timed routines: a list, and a timer page that is also a printable schedule without JavaScript."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from backspasm.pagecache import public_page
from content.models import Routine, RoutineStep
from content.preview import get_visible_or_404
from content.schedule import ScheduledStep


class StartForm(forms.Form):
    """ "Starting at [time]": the one field of the schedule form, sent by GET so the result can be bookmarked."""

    start = forms.TimeField(
        label=_("Starting at"),
        help_text=_("For example, 14:30. The schedule then shows the clock time of every step."),
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Enter the time you will start, for example 14:30."),
            "invalid": _("Enter the time as hours and minutes, for example 14:30."),
        },
    )


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
        "strings": {
            "pause": gettext("Pause"),
            "resume": gettext("Resume"),
            "ready": gettext("Press Start when you are ready."),
            "paused": gettext("Paused."),
            "until": gettext("until %(time)s"),
            "next": gettext("Next, for %(duration)s: %(what)s"),
            "nextDone": gettext("Next: the routine is finished."),
            "cycle": gettext("Cycle %(cycle)s of %(cycles)s"),
            "step": gettext("Step %(step)s of %(steps)s"),
            "now": gettext("Now, for %(duration)s until %(time)s: %(what)s"),
            "oneMinute": gettext("One minute left."),
            "done": gettext("Routine finished"),
            "doneNote": gettext("Well done. You can start again whenever you need to."),
            "doneAnnounce": gettext("Routine finished. Well done."),
            "notifyBlocked": gettext(
                "Notifications are blocked for this site. You can allow them in your browser's settings."
            ),
            "notifyUnsupported": gettext("This browser cannot show notifications from this page."),
            "wakeUnsupported": gettext("This browser cannot keep the screen on."),
            "wakeFailed": gettext("The screen could not be kept on (the battery saver may be on)."),
            "notificationBody": gettext("Until %(time)s: %(what)s"),
        },
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
    schedule = routine.schedule(start)
    rows = schedule_rows(schedule, start)
    total = schedule[-1].end_offset if schedule else 0
    context = {
        "object": routine,
        "routine": routine,
        "form": form,
        "start": start,
        "groups": cycle_groups(rows, routine.cycles),
        "columns": 5 if start else 4,
        "total": format_duration(total) if total else "",
        "routine_data": timer_data(routine, schedule),
    }
    return context


def start_today(start: time) -> datetime:
    """Today at the given wall-clock time, in the site's time zone; later steps may fall on tomorrow."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), start))
