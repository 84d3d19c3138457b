"""The clinic's knowledge: every word a patient reads comes from here, owned and reviewed by clinicians.

Data flows one way: these models (edited in the admin) -> published querysets -> triage and pages.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from content import guards
from content.markdown import render_markdown
from content.schedule import ScheduledStep, build_schedule

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
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class Cause(ClinicalContent):
    prevention = models.TextField(
        _("how to prevent it"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Markdown: what helps stop this setting off a spasm."),
    )
    prevention_html = models.TextField(editable=False, blank=True)
    history = HistoricalRecords()

    class Meta(ClinicalContent.Meta):
        verbose_name = _("cause")
        verbose_name_plural = _("causes")

    def save(self, *args, **kwargs) -> None:
        self.prevention_html = render_markdown(self.prevention)
        super().save(*args, **kwargs)

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
    history = HistoricalRecords()

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

    history = HistoricalRecords()

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
    history = HistoricalRecords()

    class Meta(ClinicalContent.Meta):
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def get_absolute_url(self) -> str:
        return reverse("library:guide", args=[self.slug])


class RedFlagQuerySet(ContentQuerySet):
    def by_urgency(self) -> RedFlagQuerySet:
        rank = Case(
            *(When(urgency=level, then=Value(position)) for level, position in URGENCY_RANK.items()),
            output_field=IntegerField(),
        )
        return self.annotate(urgency_rank=rank).order_by("urgency_rank", "order", "slug")

    def asked(self) -> RedFlagQuerySet:
        return self.filter(derived=False)

    def update(self, **kwargs) -> int:
        # A bulk update of what the check reads (a list action, a script) is checked like a save.
        if GUARDED_FIELDS & set(kwargs) and guards.batch_problems() is None:
            changed = {pk: kwargs for pk in self.values_list("pk", flat=True)}
            guards.enforce(red_flag_states(changed))
        return super().update(**kwargs)

    def delete(self):
        if guards.batch_problems() is None:
            published = self.filter(status=Status.PUBLISHED).values_list("pk", flat=True)
            guards.enforce(red_flag_states({pk: {"status": Status.DRAFT} for pk in published}))
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


# What the check reads of a red flag: a change to any of these is checked against the clinical cases.
GUARDED_FIELDS = {"slug", "urgency", "derived", "status"}


def _as_checked(fields: dict[str, object]) -> tuple[object, ...]:
    published = fields["status"] == Status.PUBLISHED
    return (fields["slug"], fields["urgency"], fields["derived"], published)


def red_flag_states(changed: dict[int | None, dict[str, object]]) -> list[guards.FlagState]:
    """Every red flag as it would be with `changed` ({pk: {field: new value}}; pk None adds a new row)."""
    fields = ("pk", "slug", "urgency", "derived", "status")
    states = []
    rows = list(RedFlag.objects.by_urgency().values(*fields))
    if None in changed:
        rows.append({"pk": None, **changed[None]})
    for row in rows:
        row = {**row, **changed.get(row["pk"], {})} if row["pk"] is not None else row
        states.append(
            guards.FlagState(
                slug=row["slug"],
                urgency=row["urgency"],
                derived=bool(row["derived"]),
                published=row["status"] == Status.PUBLISHED,
            )
        )
    return states


class RedFlag(Reviewed):
    """A sign that a back spasm may be something more serious. The check asks these first."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("A stable code (letters, digits, underscores). The check and its statistics use it."),
    )
    question = models.CharField(
        _("question"),
        max_length=200,
        help_text=_("What the patient sees, in plain words, e.g. “Do you have a fever?”"),
    )
    explanation = models.CharField(
        _("explanation"),
        max_length=300,
        blank=True,
        help_text=_("A short, plain explanation shown under the question."),
    )
    help_statement = models.CharField(
        _("“Get help if” statement"),
        max_length=200,
        blank=True,
        help_text=_(
            "The sign as a plain statement, for the “Get help if” lists on plans, handouts and the "
            "“When to get help” page, e.g. “You have had cancer”. Leave blank to show the question there."
        ),
    )
    clinical_reason = models.TextField(
        _("clinical reason"),
        max_length=LIST_TEXT,
        blank=True,
        help_text=_("For staff only: why this is a red flag. Never shown to patients."),
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, db_index=True)
    derived = models.BooleanField(
        _("derived (not asked)"),
        default=False,
        help_text=_("Worked out from other answers (such as age) instead of being asked as a question."),
    )
    # A long change reason: a superuser's override keeps its whole written reason in the history.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    objects = RedFlagQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")

    def __str__(self) -> str:
        return f"{self.slug} ({self.get_urgency_display()})"

    def save(self, *args, **kwargs) -> None:
        self.check_change()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and self.status == Status.PUBLISHED:
            guards.enforce(red_flag_states({self.pk: {"status": Status.DRAFT}}))
        return super().delete(*args, **kwargs)

    @property
    def statement(self) -> str:
        """What "Get help if" lists show: the statement written for them, or else the question."""
        return self.help_statement or self.question

    def check_change(self) -> None:
        """Refuse (ChangeRefused) a save that would make the check get a clinical case wrong.

        Only a change to what the check reads is checked: rewording a question is never refused. Under a
        superuser's override the change goes through, and the reason is kept in this flag's history.
        """
        if guards.batch_problems() is not None:
            problems = guards.batch_problems()  # checked as a whole before the batch began
        else:
            new = {name: getattr(self, name) for name in GUARDED_FIELDS}
            old = RedFlag.objects.filter(pk=self.pk).values(*GUARDED_FIELDS).first() if self.pk else None
            if old is None and new["status"] != Status.PUBLISHED:
                return  # a new draft changes nothing the check reads
            if old is not None and _as_checked(old) == _as_checked(new):
                return  # reworded, reviewed, or moved between draft and review: the check reads none of it
            problems = guards.enforce(red_flag_states({self.pk if old is not None else None: new}))
        if (override := guards.active_override()) is not None:
            self._change_reason = override.history_note(problems)


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
    history = HistoricalRecords()
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("routine step")
        verbose_name_plural = _("routine steps")

    def __str__(self) -> str:
        return self.instruction


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
    history = HistoricalRecords()
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("handout section")
        verbose_name_plural = _("handout sections")

    def __str__(self) -> str:
        return self.heading or self.get_kind_display()

    def save(self, *args, **kwargs) -> None:
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)


class ClinicSettings(models.Model):
    """One row: the clinic's details and how it words the four outcomes of the check."""

    clinic_name = models.CharField(_("clinic name"), max_length=120, default="Your clinic (placeholder)")
    phone = models.CharField(_("phone"), max_length=40, default="555-0100 (placeholder)")
    address = models.TextField(
        _("address"), max_length=SHORT_TEXT, blank=True, default="1 Example Street, Sample Town (placeholder)"
    )
    opening_hours = models.TextField(
        _("opening hours"),
        max_length=SHORT_TEXT,
        blank=True,
        default="Monday to Friday, 8am to 6pm (placeholder)",
    )
    emergency_number = models.CharField(
        _("emergency number"),
        max_length=20,
        default=default_emergency_number,
        help_text=_("Shown on every page as a call link."),
    )
    same_day_care = models.TextField(
        _("where to go for same-day care"),
        max_length=SHORT_TEXT,
        blank=True,
        default="Call the clinic, or go to the nearest urgent care centre (placeholder).",
    )
    emergency_heading = models.CharField(
        _("emergency: heading"), max_length=120, default="Call the emergency number now"
    )
    emergency_action = models.TextField(
        _("emergency: what to do"),
        max_length=SHORT_TEXT,
        default="Call the emergency number now, or have someone take you to the nearest emergency department. "
        "Do not drive yourself.",
    )
    emergency_timeframe = models.CharField(_("emergency: time frame"), max_length=120, default="Now")
    urgent_heading = models.CharField(
        _("urgent: heading"), max_length=120, default="Get seen by a doctor today"
    )
    urgent_action = models.TextField(
        _("urgent: what to do"),
        max_length=SHORT_TEXT,
        default="Call the clinic or go to an urgent care centre today. If it gets worse before then, call the "
        "emergency number.",
    )
    urgent_timeframe = models.CharField(_("urgent: time frame"), max_length=120, default="Today")
    gp_heading = models.CharField(
        _("GP: heading"), max_length=120, default="Book an appointment with your doctor"
    )
    gp_action = models.TextField(
        _("GP: what to do"),
        max_length=SHORT_TEXT,
        default="Book an appointment in the next few days. Meanwhile, look after your back at home with the plan below.",
    )
    gp_timeframe = models.CharField(_("GP: time frame"), max_length=120, default="In the next few days")
    self_care_heading = models.CharField(
        _("self-care: heading"), max_length=120, default="You can look after this at home"
    )
    self_care_action = models.TextField(
        _("self-care: what to do"),
        max_length=SHORT_TEXT,
        default="Most back spasms ease within days to a few weeks. Follow the plan below, and keep gently moving.",
    )
    self_care_timeframe = models.CharField(
        _("self-care: time frame"),
        max_length=120,
        default="See a doctor if it is not easing after a week or two",
    )
    see_a_doctor_if = models.TextField(
        _("see a doctor if"),
        max_length=SHORT_TEXT,
        blank=True,
        default="The pain is getting worse.\n"
        "It is no better after 2 weeks.\n"
        "Spasms keep coming back.\n"
        "It stops you sleeping or working.",
        help_text=_(
            "One reason a line, shown on the library's “When to get help” page after the warning signs. "
            "Printed sheets list only the warning signs that need care the same day."
        ),
    )
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clinic settings")
        verbose_name_plural = _("clinic settings")
        # App-wide workflow permissions live here, on the one-row model, so they read "content.publish_content".
        permissions = [
            ("publish_content", "Can publish and unpublish clinical content"),
            ("review_content", "Can mark clinical content as reviewed"),
        ]

    def __str__(self) -> str:
        return str(_("Clinic settings"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # one row only
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> ClinicSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def phone_tel(self) -> str:
        """The phone number for a tel: link: digits and a leading + only ("555-0100 (placeholder)" -> "5550100")."""
        return dial_string(self.phone)

    def see_a_doctor_list(self) -> list[str]:
        return [line.strip() for line in self.see_a_doctor_if.splitlines() if line.strip()]

    def care_card(self, level: str) -> dict[str, str]:
        """The clinic's wording for one outcome level: emergency, urgent, gp or self_care."""
        return {
            "level": level,
            "heading": getattr(self, f"{level}_heading"),
            "action": getattr(self, f"{level}_action"),
            "timeframe": getattr(self, f"{level}_timeframe"),
        }


class StarterRecord(models.Model):
    """What `load_starter_content` last wrote into one starter item, so a later version can tell staff edits
    from untouched starter text: the row still equals `written` -> nobody edited it, and the loader may bring
    it up to date; otherwise staff own it, and newer starter text waits in `offered` for a reviewer."""

    kind = models.CharField(_("kind"), max_length=60, help_text=_("The model, e.g. content.redflag."))
    slug = models.CharField(_("slug"), max_length=80)
    written = models.JSONField(_("starter fields last written"), default=dict)
    offered = models.JSONField(
        _("newer starter fields not applied"),
        null=True,
        blank=True,
        help_text=_("Set when the starter text changed after staff edited the item; empty otherwise."),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="one_starter_record_per_item")]
        verbose_name = _("starter record")
        verbose_name_plural = _("starter records")

    def __str__(self) -> str:
        return f"{self.kind} {self.slug}"

    @staticmethod
    def kind_of(model: type[models.Model]) -> str:
        return model._meta.label_lower

    @classmethod
    def changed_since_edited(cls, model: type[models.Model]) -> models.Exists:
        """For annotating a queryset of `model`: the starter text changed since staff edited this row."""
        pending = cls.objects.filter(
            kind=cls.kind_of(model), slug=models.OuterRef("slug"), offered__isnull=False
        )
        return models.Exists(pending)


# Registered with the app here, defined beside the code that snapshots and applies revisions.
from content.revisions import Revision  # noqa: E402, F401
