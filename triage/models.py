"""Anonymous outcome statistics: one row per completed check, and nothing that could identify anyone."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from triage import engine


class Disposition(models.TextChoices):
    EMERGENCY = engine.EMERGENCY, _("Emergency")
    URGENT = engine.URGENT, _("Urgent")
    GP = engine.GP, _("GP")
    SELF_CARE = engine.SELF_CARE, _("Self-care")


class OutcomeRecord(models.Model):
    """What a completed check ended with: the day, the level, the phase, the red-flag slugs (derived ones
    included) and the reason slugs (DESIGN.md's reasons to see a doctor without a flag). No answers, no
    times of day, no session or network details."""

    day = models.DateField(_("day"), db_index=True)
    disposition = models.CharField(_("outcome"), max_length=10, choices=Disposition.choices)
    phase = models.CharField(
        _("phase"),
        max_length=10,
        blank=True,
        choices=[(engine.EARLY, _("Early")), (engine.SETTLING, _("Settling"))],
    )
    red_flags = models.JSONField(_("red flags"), default=list, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("check outcome")
        verbose_name_plural = _("check outcomes")

    def __str__(self) -> str:
        return f"{self.day}: {self.get_disposition_display()}"


# The clinical test cases live in their own module; imported here so Django finds the model.
from triage.clinical.models import ClinicalCase  # noqa: E402, F401
