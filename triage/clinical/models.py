"""A clinical test case: one person's answers and what the check must tell them, kept by clinicians."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from triage import engine
from triage.clinical.runner import Case


class Expected(models.TextChoices):
    EMERGENCY = engine.EMERGENCY, _("Emergency: call the emergency number now")
    URGENT = engine.URGENT, _("Urgent: be seen today")
    GP = engine.GP, _("GP: book an appointment")
    SELF_CARE = engine.SELF_CARE, _("Self-care at home")


class ExpectedPhase(models.TextChoices):
    EARLY = engine.EARLY, _("Early (first 3 days)")
    SETTLING = engine.SETTLING, _("Settling (after the first 3 days)")


class Trajectory(models.TextChoices):
    BETTER = engine.BETTER, _("Getting better")
    SAME = engine.SAME, _("About the same")
    WORSE = engine.WORSE, _("Getting worse")


class ClinicalCaseQuerySet(models.QuerySet):
    def active(self) -> ClinicalCaseQuerySet:
        return self.filter(active=True)


class ClinicalCase(models.Model):
    """Answers a person could give, and the outcome the check must give them.

    Active cases are run against every change to the red flags; a change that would make one fail is
    refused. Proposed (inactive) cases are shown with their result but never block a change.
    """

    title = models.CharField(
        _("title"), max_length=120, help_text=_("A short name, e.g. “Pain and numbness down both legs”.")
    )
    slug = models.SlugField(
        _("code"),
        max_length=80,
        unique=True,
        help_text=_("A stable code for this case (letters, digits, hyphens). The starter cases use it."),
    )
    story = models.TextField(
        _("story"), help_text=_("A few sentences in the patient's own words, as they might tell it.")
    )
    age = models.PositiveSmallIntegerField(
        _("age"), validators=[MinValueValidator(engine.MIN_AGE), MaxValueValidator(engine.MAX_AGE)]
    )
    onset_days = models.PositiveIntegerField(
        _("days since it started"),
        help_text=_(
            "The check's bands end on: today 0, 1-3 days 3, 4-7 days 7, 1-2 weeks 14, 2-6 weeks 42, "
            "more than 6 weeks 43."
        ),
    )
    pain_score = models.PositiveSmallIntegerField(
        _("pain score (0-10)"),
        validators=[MinValueValidator(engine.MIN_PAIN), MaxValueValidator(engine.MAX_PAIN)],
    )
    recurrent = models.BooleanField(
        _("several times before"),
        default=False,
        help_text=_("Has had back pain like this several times before."),
    )
    trajectory = models.CharField(_("since it started"), max_length=6, choices=Trajectory.choices)
    red_flags = models.JSONField(
        _("red flags the person ticks"),
        default=list,
        blank=True,
        help_text=_(
            "Chosen from the red-flag list. Derived flags are worked out by the check, never ticked."
        ),
    )
    expected = models.CharField(_("the check must give"), max_length=10, choices=Expected.choices)
    expected_phase = models.CharField(
        _("and the phase"),
        max_length=10,
        blank=True,
        choices=ExpectedPhase.choices,
        help_text=_("Only where it matters (GP and self-care). Leave blank for any phase."),
    )
    reasoning = models.TextField(_("why (the clinical reasoning)"))
    source = models.TextField(
        _("source"), help_text=_("The published source this rests on, or “the clinic's own advice”.")
    )
    active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_(
            "Active cases are checked on every change to the red flags. Editors propose cases; a clinical "
            "reviewer makes them active."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ClinicalCaseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("clinical case")
        verbose_name_plural = _("clinical cases")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.expected in (engine.EMERGENCY, engine.URGENT) and self.expected_phase:
            raise ValidationError(
                {"expected_phase": _("Emergency and urgent outcomes have no phase: leave it blank.")}
            )
        if not isinstance(self.red_flags, list) or not all(isinstance(s, str) for s in self.red_flags):
            raise ValidationError({"red_flags": _("A list of red-flag codes.")})

    def as_case(self) -> Case:
        return Case(
            key=self.slug,
            title=self.title,
            answers=engine.Answers(
                age=self.age,
                onset_days=self.onset_days,
                pain_score=self.pain_score,
                recurrent=self.recurrent,
                trajectory=self.trajectory,
                red_flags=tuple(self.red_flags),
            ),
            expected=self.expected,
            expected_phase=self.expected_phase or None,
        )

    def mark_reviewed(self, user) -> None:
        self.reviewed_by = user
        self.last_reviewed = timezone.localdate()
