"""Timed routines (ice and heat cycles, stretches) and their steps."""

from __future__ import annotations

from datetime import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from content.models.base import LIST_TEXT, PhasedQuerySet, PhaseFit, Reviewed
from content.schedule import ScheduledStep, build_schedule


class Routine(Reviewed):
    """A timed routine (ice/heat cycles, stretches) that the timer page runs step by step."""

    class Kind(models.TextChoices):
        COLD = "cold", _("Cold")
        HEAT = "heat", _("Heat")
        ALTERNATING = "alternating", _("Alternating cold and heat")
        STRETCHING = "stretching", _("Stretching")
        STRENGTHENING = "strengthening", _("Strengthening")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("The timer's address. Printed QR codes use it: do not change it once published."),
    )
    purpose = models.CharField(_("purpose"), max_length=300, help_text=_("What it is for, in one sentence."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    phases = models.CharField(_("phases"), max_length=10, choices=PhaseFit.choices, default=PhaseFit.BOTH)
    cycles = models.PositiveSmallIntegerField(
        _("cycles"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("How many times the steps repeat. A rest at the very end of the last cycle is left out."),
    )
    safety_notes = models.TextField(
        _("safety notes"), max_length=LIST_TEXT, blank=True, help_text=_("One note a line.")
    )
    revision_children = ("steps",)

    objects = PhasedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("routine")
        verbose_name_plural = _("routines")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("routines:detail", args=[self.slug])

    @property
    def title(self) -> str:
        return self.name

    @property
    def safety_list(self) -> list[str]:
        return [line.strip() for line in self.safety_notes.splitlines() if line.strip()]

    def schedule(self, start: datetime | None = None) -> list[ScheduledStep]:
        """Every step of every cycle, with offsets and (given a start) clock times. Uses prefetched steps."""
        return build_schedule(list(self.steps.all()), self.cycles, start)


class RoutineStep(models.Model):
    class Kind(models.TextChoices):
        COLD = "cold", _("Cold pack on")
        HEAT = "heat", _("Heat on")
        REST = "rest", _("Rest (nothing on)")
        EXERCISE = "exercise", _("Exercise")

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    duration_seconds = models.PositiveIntegerField(
        _("duration (seconds)"),
        validators=[MinValueValidator(1, _("A step needs a duration of at least one second."))],
        help_text=_("How long this step lasts, in seconds: 20 minutes is 1200."),
    )
    instruction = models.CharField(
        _("instruction"), max_length=200, help_text=_("Short, e.g. “Cold pack on”.")
    )
    hold_seconds = models.PositiveIntegerField(
        _("hold (seconds)"),
        null=True,
        blank=True,
        help_text=_("Exercises only: how long to hold each repetition."),
    )
    repetitions = models.PositiveIntegerField(
        _("repetitions"), null=True, blank=True, help_text=_("Exercises only: how many times.")
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("routine step")
        verbose_name_plural = _("routine steps")

    def __str__(self) -> str:
        return self.instruction
