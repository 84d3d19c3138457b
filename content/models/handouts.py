"""Printable handouts and their sections."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from content.markdown import render_markdown_fields
from content.models.base import LONG_TEXT, ClinicalContent
from content.models.library import Cause, PreventionTip, Remedy
from content.models.routines import Routine


class Handout(ClinicalContent):
    """A page for paper: the clinic hands it to a patient. Ends with "When to get help" and contact details."""

    audience = models.CharField(
        _("who it is for"),
        max_length=200,
        help_text=_("E.g. “Anyone in the first three days of a back spasm”."),
    )
    featured_routine = models.ForeignKey(
        Routine,
        verbose_name=_("routine for the QR code"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The printed QR code opens this routine's timer. Leave blank to point at the handout online."
        ),
    )
    revision_children = ("sections",)

    class Meta(ClinicalContent.Meta):
        verbose_name = _("handout")
        verbose_name_plural = _("handouts")

    def get_absolute_url(self) -> str:
        return reverse("handouts:detail", args=[self.slug])


class HandoutSection(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        REMEDY = "remedy", _("A remedy")
        ROUTINE = "routine", _("A routine, with its schedule")
        CAUSE = "cause", _("A cause")
        PREVENTION = "prevention", _("A prevention tip")
        # Where the sheet prints the clinic's heat and cold safety box; without one, it prints at the end.
        SAFETY = "safety", _("The heat and cold safety box (printed at the end unless placed)")

    handout = models.ForeignKey(Handout, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEXT)
    heading = models.CharField(
        _("heading"), max_length=120, blank=True, help_text=_("Leave blank to use the item's title.")
    )
    text = models.TextField(
        _("text"), max_length=LONG_TEXT, blank=True, help_text=_("Markdown, for free-text sections.")
    )
    text_html = models.TextField(editable=False, blank=True)
    remedy = models.ForeignKey(Remedy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    routine = models.ForeignKey(Routine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cause = models.ForeignKey(Cause, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    prevention = models.ForeignKey(
        PreventionTip, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("handout section")
        verbose_name_plural = _("handout sections")

    def __str__(self) -> str:
        return self.heading or self.get_kind_display()

    def save(self, *args, **kwargs) -> None:
        render_markdown_fields(self)
        super().save(*args, **kwargs)
