"""The library's pages: causes, remedies, prevention tips and guides."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from content.models.base import LIST_TEXT, LONG_TEXT, ClinicalContent, PhasedQuerySet, PhaseFit


class Cause(ClinicalContent):
    prevention = models.TextField(
        _("how to prevent it"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Markdown: what helps stop this setting off a spasm."),
    )
    prevention_html = models.TextField(editable=False, blank=True)

    class Meta(ClinicalContent.Meta):
        verbose_name = _("cause")
        verbose_name_plural = _("causes")

    def get_absolute_url(self) -> str:
        return reverse("library:cause", args=[self.slug])


# Adult medicine doses are for 16 and over; younger people ask a pharmacist (DESIGN.md, triage rule 5).
ADULT_DOSE_AGE = 16


class Unsuitable(models.TextChoices):
    """Why a remedy is left out of someone's plan; the plan says whom to ask instead."""

    PREGNANCY = "pregnancy", _("pregnancy")
    UNDER_16 = "under_16", _("under 16")


class RemedyQuerySet(PhasedQuerySet):
    def suitable_for(self, *, pregnant: bool, age: int | None) -> RemedyQuerySet:
        """Leave out the remedies marked unsuitable for this person (the same rule as `Remedy.unsuitable_for`)."""
        query = self
        if pregnant:
            query = query.filter(not_for_pregnancy=False)
        if age is not None and age < ADULT_DOSE_AGE:
            query = query.filter(not_for_under_16=False)
        return query


class Remedy(ClinicalContent):
    class Kind(models.TextChoices):
        COLD = "cold", _("Cold")
        HEAT = "heat", _("Heat")
        MOVEMENT = "movement", _("Movement and stretching")
        REST_POSITION = "rest_position", _("Rest position")
        MEDICINE = "medicine", _("Over-the-counter medicine information")
        MASSAGE = "massage", _("Massage")
        HYDRATION = "hydration", _("Hydration and nutrition")
        PROFESSIONAL = "professional", _("Professional care")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    phases = models.CharField(_("phases"), max_length=10, choices=PhaseFit.choices, default=PhaseFit.BOTH)
    steps = models.TextField(
        _("how to do it"), max_length=LIST_TEXT, blank=True, help_text=_("One step a line, in order.")
    )
    cautions = models.TextField(
        _("cautions"), max_length=LIST_TEXT, blank=True, help_text=_("One caution a line.")
    )
    evidence = models.CharField(
        _("evidence"),
        max_length=300,
        blank=True,
        help_text=_("One honest sentence on how strong the evidence is."),
    )
    not_for_pregnancy = models.BooleanField(
        _("not for pregnancy"),
        default=False,
        help_text=_(
            "Tick to leave this out of the plan of someone who is pregnant or had a baby in the last "
            "6 weeks (for example anti-inflammatory tablets). The plan tells them to ask their midwife."
        ),
    )
    not_for_under_16 = models.BooleanField(
        _("not for under 16s"),
        default=False,
        help_text=_(
            "Tick to leave this out of the plan of someone under 16 (for example adult medicine doses). "
            "The plan tells them to ask a pharmacist."
        ),
    )

    objects = RemedyQuerySet.as_manager()

    class Meta(ClinicalContent.Meta):
        verbose_name = _("remedy")
        verbose_name_plural = _("remedies")

    def get_absolute_url(self) -> str:
        return reverse("library:remedy", args=[self.slug])

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def caution_list(self) -> list[str]:
        return [line.strip() for line in self.cautions.splitlines() if line.strip()]

    def unsuitable_for(self, *, pregnant: bool, age: int | None) -> list[str]:
        """Why this remedy does not suit the person (Unsuitable values); empty when it suits them."""
        reasons = []
        if pregnant and self.not_for_pregnancy:
            reasons.append(Unsuitable.PREGNANCY.value)
        if age is not None and age < ADULT_DOSE_AGE and self.not_for_under_16:
            reasons.append(Unsuitable.UNDER_16.value)
        return reasons


class PreventionTip(ClinicalContent):
    """Advice for stopping the next spasm: posture, lifting, core strength, hydration, stress."""

    class Meta(ClinicalContent.Meta):
        verbose_name = _("prevention tip")
        verbose_name_plural = _("prevention tips")

    def get_absolute_url(self) -> str:
        return reverse("library:prevention", args=[self.slug])


class Guide(ClinicalContent):
    """A library page that is not a cause, remedy or tip: what a spasm feels like, the upper back, safety.

    A guide marked "shown with heat and cold" is the shared heat and cold safety block: written once here,
    it shows on every routine, the check's plan, every handout and the heat and cold remedies.
    """

    with_heat_and_cold = models.BooleanField(
        _("shown with heat and cold"),
        default=False,
        help_text=_(
            "Show this text, as a box, on every routine, the check's plan, every handout and the heat and "
            "cold remedies. Meant for the one heat and cold safety text. Without a published one, those pages "
            "show only four basic rules built into the site."
        ),
    )

    class Meta(ClinicalContent.Meta):
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def get_absolute_url(self) -> str:
        return reverse("library:guide", args=[self.slug])
