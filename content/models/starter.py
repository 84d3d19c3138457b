"""What the starter-content loader last wrote, so later versions can tell staff edits apart."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
