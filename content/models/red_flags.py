"""Red flags, the signs the check asks first, and the guard that keeps the clinical cases passing."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from content import guards
from content.models.base import LIST_TEXT, URGENCY_RANK, ContentQuerySet, Reviewed, Status, Urgency


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
