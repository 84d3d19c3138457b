"""What every piece of clinical content shares: caps on text, the choices, the querysets and the review
fields."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.markdown import render_markdown_fields

# How long a clinical review stays valid before the page is due another look.
REVIEW_INTERVAL = timedelta(days=365)


def default_emergency_number() -> str:
    """A new clinic settings row starts with the deployment's EMERGENCY_NUMBER (911 unless set)."""
    return settings.EMERGENCY_NUMBER


# Caps on what editors may type (the admin's forms enforce them). Besides keeping pages readable, they bound
# the work of printing a handout: an unbounded draft of 350 KB took WeasyPrint 6.6 s to lay out.
LONG_TEXT = 8_000  # Markdown bodies: about three printed pages
LIST_TEXT = 3_000  # one-a-line lists: steps, cautions, sources
SHORT_TEXT = 1_000  # the clinic's details and outcome wording


def dial_string(number: str) -> str:
    """What a phone dials: the digits, with a leading + kept; words and punctuation dropped."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"+{digits}" if number.strip().startswith("+") else digits


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Phase(models.TextChoices):
    EARLY = "early", _("Early (first 3 days)")
    SETTLING = "settling", _("Settling (after the first 3 days)")


class PhaseFit(models.TextChoices):
    EARLY = "early", _("Early phase only")
    SETTLING = "settling", _("Settling phase only")
    BOTH = "both", _("Both phases")


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency: call the emergency number now")
    URGENT = "urgent", _("Urgent: be seen today")
    GP = "gp", _("GP: book an appointment")


URGENCY_RANK = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.GP: 2}


class ContentQuerySet(models.QuerySet):
    def published(self) -> ContentQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def review_overdue(self, today: date | None = None) -> ContentQuerySet:
        return self.filter(next_review_due__lt=today or timezone.localdate())

    def never_reviewed(self) -> ContentQuerySet:
        return self.filter(last_reviewed__isnull=True)


class PhasedQuerySet(ContentQuerySet):
    def for_phase(self, phase: str) -> PhasedQuerySet:
        return self.filter(phases__in=[phase, PhaseFit.BOTH])


class Reviewed(models.Model):
    """Status, review dates, sources and ordering: what every piece of clinical content carries."""

    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Only a clinical reviewer can publish. Patients see published items only."),
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("Set by a clinical reviewer with the “Mark reviewed” action."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Leave blank to use one year after the last review."),
    )
    sources = models.TextField(
        _("sources"),
        max_length=LIST_TEXT,
        blank=True,
        help_text=_("The references this text rests on, one a line. They are shown on the page."),
    )
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # Bumped on every save; the admin refuses a save made from an older version (no lost updates).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Who sent it for review, and when: the admin home's review queue lists the oldest first.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True, editable=False)
    # The Spanish text is reviewed on its own (content/languages.py): by whom and when, and a digest of the
    # English it was written or confirmed against. When the English changes, the Spanish is out of date
    # until a Spanish editor updates it or a reviewer confirms it.
    last_reviewed_es = models.DateField(_("Spanish last reviewed"), null=True, blank=True, editable=False)
    reviewed_by_es = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Spanish reviewed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    english_digest_es = models.CharField(
        _("English the Spanish was written against"), max_length=64, blank=True, editable=False
    )

    # Related names of the child rows that are part of the item's content (see content/revisions.py).
    revision_children: tuple[str, ...] = ()

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = self.last_reviewed + REVIEW_INTERVAL
        if self.pk:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    def mark_reviewed(self, user, today: date | None = None) -> None:
        self.last_reviewed = today or timezone.localdate()
        self.reviewed_by = user
        self.next_review_due = self.last_reviewed + REVIEW_INTERVAL


class ClinicalContent(Reviewed):
    """A page of clinical text: a title, a short summary and a Markdown body stored sanitised."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_(
            "The page address. Printed handouts and QR codes use it: do not change it once published."
        ),
    )
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two plain sentences."))
    body = models.TextField(
        _("body"), max_length=LONG_TEXT, blank=True, help_text=_("Markdown. Raw HTML is removed on save.")
    )
    body_html = models.TextField(editable=False, blank=True)

    class Meta:
        abstract = True
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        render_markdown_fields(self)
        super().save(*args, **kwargs)
