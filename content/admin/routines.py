"""Timed routines and their steps in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from content.admin.base import (
    RECORD_FIELDSET,
    REVIEW_FIELDSET,
    ReviewDueFilter,
    RevisionInlineFormSet,
    duration,
)
from content.admin.reviewed import ReviewedAdmin
from content.models import (
    Routine,
    RoutineStep,
)
from content.views.routines import routine_context


class RoutineStepForm(forms.ModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") != RoutineStep.Kind.EXERCISE:
            for name in ("hold_seconds", "repetitions"):
                if cleaned.get(name):
                    self.add_error(name, gettext("Only exercise steps have a hold and repetitions."))
        return cleaned


class RoutineStepInline(TranslationTabularInline):
    model = RoutineStep
    form = RoutineStepForm
    formset = RevisionInlineFormSet
    fields = ("order", "kind", "duration_seconds", "instruction", "hold_seconds", "repetitions")
    ordering = ("order", "pk")
    extra = 0
    verbose_name_plural = _("steps, in order (lowest order number first)")

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        return 2 if obj is None else 0


@admin.register(Routine)
class RoutineAdmin(ReviewedAdmin):
    list_display = ("name", "kind", "phases", "cycles", "total_time", "status", "review_state", "order")
    list_filter = ("status", "kind", "phases", ReviewDueFilter)
    search_fields = ("name", "slug", "purpose", "safety_notes")
    slug_from = "name"
    readonly_fields = ("timetable",)
    inlines = [RoutineStepInline]
    fieldsets = [
        (
            None,
            {
                "fields": ("name", "slug", "purpose", "kind", "phases", "cycles", "status"),
                "description": _(
                    "The timer runs the steps below in order, and repeats them for the number of cycles. "
                    "Durations are in seconds (20 minutes is 1200)."
                ),
            },
        ),
        (
            _("Safety"),
            {
                "fields": ("safety_notes",),
                "description": _(
                    "Shown with the timer and on printed handouts. For heat and cold: never straight on "
                    "the skin, not on numb or broken skin, never fall asleep with it on."
                ),
            },
        ),
        (_("Timing (as saved)"), {"fields": ("timetable",)}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]

    def public_page(self, request, obj):
        return "content/routine_detail.html", routine_context(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("steps")

    @admin.display(description=_("total time"))
    def total_time(self, obj: Routine) -> str:
        schedule = obj.schedule()
        return duration(schedule[-1].end_offset) if schedule else "-"

    @admin.display(description=_("timetable"))
    def timetable(self, obj: Routine | None) -> str:
        schedule = obj.schedule() if obj is not None and obj.pk else []
        if not schedule:
            return gettext("Add steps and save to see the timetable.")
        rows = format_html_join(
            "",
            "<li>{}: {} {} {} ({})</li>",
            (
                (
                    item.step.instruction,
                    duration(item.start_offset) if item.start_offset else "0",
                    gettext("to"),
                    duration(item.end_offset),
                    gettext("cycle %(n)d") % {"n": item.cycle},
                )
                for item in schedule
            ),
        )
        total = gettext("Total: %(time)s") % {"time": duration(schedule[-1].end_offset)}
        return format_html("<ol>{}</ol><p>{}</p>", rows, total)
