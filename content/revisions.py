"""Revisions: a proposed change to a published item, kept aside while the published version stays live.

A revision holds a JSON snapshot of the item's content fields and of its children (a routine's steps, a
handout's sections). The snapshot is generic: every editable field of the model is in it except the
workflow's own (status, review stamps, version, timestamps), so a field added to a model later rides along
without any change here. Nothing patients read ever comes from a revision: pages, plans, PDFs and the check
keep reading the item's row, which changes only when a reviewer approves (content/workflow.py).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.fields import TranslationField

from content.languages import translated_names
from content.markdown import render_markdown_fields

# The workflow owns these: a revision never carries them, and approving never takes them from one.
WORKFLOW_FIELDS = frozenset(
    {
        "status",
        "last_reviewed",
        "reviewed_by",
        "next_review_due",
        "created",
        "updated",
        "version",
        "submitted_by",
        "submitted_at",
    }
)


class RevisionQuerySet(models.QuerySet):
    def open(self) -> RevisionQuerySet:
        return self.filter(state__in=[Revision.State.DRAFT, Revision.State.IN_REVIEW])

    def for_item(self, item: models.Model) -> RevisionQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


def with_open_revision(queryset: models.QuerySet) -> models.QuerySet:
    """Annotate each item with `open_revision_state`: its open revision's state, or None (one query in all)."""
    open_revisions = Revision.objects.open().filter(
        content_type=ContentType.objects.get_for_model(queryset.model), object_id=models.OuterRef("pk")
    )
    return queryset.annotate(open_revision_state=models.Subquery(open_revisions.values("state")[:1]))


class Revision(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft revision")
        IN_REVIEW = "in_review", _("Revision in review")
        APPROVED = "approved", _("Approved and published")
        DISCARDED = "discarded", _("Discarded")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("content"), default=dict)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    # Bumped on every save of the content: a reviewer approves the version they read, and no other.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            # One open revision an item: two would each be approved over the other.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state__in=["draft", "in_review"]),
                name="one_open_revision_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.name} #{self.object_id}, revision {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.IN_REVIEW)


# Snapshots -------------------------------------------------------------------------------------------


def content_fields(model: type[models.Model]) -> list[models.Field]:
    # A translated field rides along as its languages' columns (title_en, title_es), not as `title`, which
    # reads and writes whichever language happens to be active.
    skipped = WORKFLOW_FIELDS | set(translated_names(model))
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in skipped
    ]


def child_fields(model: type[models.Model], parent_fk: str) -> list[models.Field]:
    skipped = {parent_fk, *translated_names(model)}
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in skipped
    ]


def _to_json(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _values(obj: models.Model, fields: list[models.Field]) -> dict[str, object]:
    values = {field.attname: _to_json(getattr(obj, field.attname)) for field in fields}
    # A language's column is NULL until someone writes in it, and "" once a form saved it empty: the same.
    return {
        name: "" if value is None and isinstance(field, TranslationField) else value
        for (name, value), field in zip(values.items(), fields, strict=True)
    }


def _set_values(obj: models.Model, fields: list[models.Field], values: dict[str, object]) -> None:
    for field in fields:
        if field.attname in values:
            setattr(obj, field.attname, field.to_python(values[field.attname]))
    # Derived HTML (body_html from body, body_html_es from body_es...) is made on save; a preview needs it now.
    render_markdown_fields(obj)


def child_relations(model: type[models.Model]) -> list[tuple[str, type[models.Model], str]]:
    """(related name, child model, the child's foreign key to the item) for each child list of the model."""
    relations = []
    for name in getattr(model, "revision_children", ()):
        relation = model._meta.get_field(name)
        relations.append((name, relation.related_model, relation.field.name))
    return relations


def snapshot(item: models.Model, children: dict[str, list[models.Model]] | None = None) -> dict:
    """The item's content as JSON; `children` (unsaved edits) replaces what the database holds."""
    data: dict = {"fields": _values(item, content_fields(type(item))), "children": {}}
    for name, child_model, fk in child_relations(type(item)):
        rows = children[name] if children and name in children else list(getattr(item, name).all())
        fields = child_fields(child_model, fk)
        data["children"][name] = [{"id": row.pk, **_values(row, fields)} for row in rows]
    return data


def _prefetched(model: type[models.Model], rows: list[models.Model], parent: dict) -> models.QuerySet:
    # Filtered to the parent all the same: a query made from this queryset must never reach other items' rows.
    queryset = model._default_manager.filter(**parent)
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def build(item: models.Model, data: dict) -> models.Model:
    """A copy of the item, as the revision would make it, in memory (nothing is saved).

    Its children are in place of the database's, so `routine.steps.all()` and `handout.sections.all()` give
    the revision's; `item_children(copy)` gives them as lists.
    """
    model = type(item)
    copy = model._default_manager.get(pk=item.pk)
    _set_values(copy, content_fields(model), data.get("fields", {}))
    copy._prefetched_objects_cache = {}
    copy._revision_children = {}
    for name, child_model, fk in child_relations(model):
        # Fresh rows, never the item's own (perhaps prefetched) children: those must keep showing what is live.
        existing = {row.pk: row for row in child_model._default_manager.filter(**{fk: item.pk})}
        rows = []
        for values in data.get("children", {}).get(name, []):
            row = existing.get(values.get("id")) or child_model(**{f"{fk}_id": item.pk})
            _set_values(row, child_fields(child_model, fk), values)
            rows.append(row)
        copy._prefetched_objects_cache[name] = _prefetched(child_model, rows, {fk: item.pk})
        copy._revision_children[name] = rows
    return copy


def item_children(item: models.Model) -> dict[str, list[models.Model]]:
    """The children of an item built by `build`, or of a row as the database holds them."""
    built = getattr(item, "_revision_children", None)
    if built is not None:
        return built
    return {name: list(getattr(item, name).all()) for name, _model, _fk in child_relations(type(item))}


def save_children(item: models.Model, children: dict[str, list[models.Model]]) -> None:
    """Make the database's children of `item` exactly these: update, add, and remove the rest."""
    for name, child_model, fk in child_relations(type(item)):
        if name not in children:
            continue
        keep = [row.pk for row in children[name] if row.pk]
        # From the child model, not `item.<name>`: a built item's related manager holds the revision's rows.
        child_model._default_manager.filter(**{fk: item.pk}).exclude(pk__in=keep).delete()
        for row in children[name]:
            setattr(row, f"{fk}_id", item.pk)
            row.save()


# What a revision changes -------------------------------------------------------------------------------


def _shown(obj: models.Model, field: models.Field) -> str:
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def _child_line(row: models.Model, fields: list[models.Field]) -> str:
    return " · ".join(text for field in fields if (text := _shown(row, field)))


def diff(live: models.Model, proposed: models.Model) -> list[dict[str, str]]:
    """The fields (and child lists) a revision changes: [{"label", "live", "proposed"}], in form order."""
    changes = []
    for field in content_fields(type(live)):
        before, after = _shown(live, field), _shown(proposed, field)
        if before != after:
            changes.append({"label": str(field.verbose_name), "live": before, "proposed": after})
    proposed_children = item_children(proposed)
    for name, child_model, fk in child_relations(type(live)):
        fields = child_fields(child_model, fk)
        before = "\n".join(_child_line(row, fields) for row in getattr(live, name).all())
        after = "\n".join(_child_line(row, fields) for row in proposed_children.get(name, []))
        if before != after:
            label = str(child_model._meta.verbose_name_plural)
            changes.append({"label": label, "live": before, "proposed": after})
    return changes
