"""What every piece of clinical content shares in the admin: settings, the review form with its
no-lost-update guard, the inline formset that edits a revision's children, and readable history."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.forms.models import BaseInlineFormSet, model_to_dict
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from content import languages, workflow
from content.models import Status

PUBLISH_PERMISSION = "content.publish_content"
REVIEW_PERMISSION = "content.review_content"
DUE_SOON = timedelta(days=30)
LIST_AND_FORM = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]

admin.site.site_header = _("Back spasm relief: clinic desk")
admin.site.site_title = _("Back spasm relief admin")
admin.site.index_title = _("The clinic's content")
admin.site.index_template = "admin/clinic_index.html"  # the review queue and set-up warnings first

WRITING_TIP = _(
    "Write for someone in pain, reading on a phone: short sentences, everyday words, one idea a line. "
    "Save as a draft while you work, then use “Submit for review” when it is ready for a clinician. "
    "Once it is published, your saves become a revision: patients keep seeing the published text until a "
    "reviewer approves the revision."
)
REVIEW_FIELDSET = (
    _("Review and sources"),
    {
        "fields": ("sources", "order", "last_reviewed", "reviewed_by", "next_review_due"),
        "description": _(
            "Publishing or approving a revision stamps the review date; “Mark reviewed” stamps it for "
            "unchanged content. Patients see "
            "“Page last reviewed” and “Next review due” under the text, and the sources as listed here."
        ),
    },
)
SPANISH_FIELDSET = (
    _("Spanish review"),
    {
        "fields": ("spanish_state", "last_reviewed_es", "reviewed_by_es"),
        "description": _(
            "Each text field has an English [en] and a Spanish [es] box; an empty Spanish box shows the "
            "English. When the English changes, the Spanish is marked out of date until someone updates "
            "the Spanish, or a reviewer uses “Confirm the Spanish” after checking it still says the same."
        ),
    },
)
RECORD_FIELDSET = (_("Record"), {"fields": ("created", "updated"), "classes": ("collapse",)})


def may_publish(request: HttpRequest) -> bool:
    return request.user.has_perm(PUBLISH_PERMISSION)


def short_date(value) -> str:
    return date_format(value, "j M Y")


def duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(gettext("%(n)d h") % {"n": hours})
    if minutes:
        parts.append(gettext("%(n)d min") % {"n": minutes})
    if secs or not parts:
        parts.append(gettext("%(n)d s") % {"n": secs})
    return " ".join(parts)


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due in the next 30 days")),
            ("never", _("Never reviewed")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_overdue(today)
        if self.value() == "soon":
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=today + DUE_SOON)
        if self.value() == "never":
            return queryset.never_reviewed()
        return queryset


class SpanishFilter(admin.SimpleListFilter):
    """Worked out in Python (the digest covers child rows): a list holds tens of items, not thousands."""

    title = _("Spanish")
    parameter_name = "spanish"

    def lookups(self, request, model_admin):
        return [("out_of_date", _("Spanish out of date")), ("missing", _("Not translated"))]

    def queryset(self, request, queryset):
        if self.value() == "out_of_date":
            wanted = languages.spanish_out_of_date
        elif self.value() == "missing":
            wanted = lambda item: not languages.has_spanish(item)  # noqa: E731
        else:
            return queryset
        return queryset.filter(pk__in=[item.pk for item in queryset if wanted(item)])


class LineEndingsField(forms.CharField):
    """Browsers send text areas with CRLF line endings; the rows hold LF. Without this, saving an untouched
    form would record a change in every multi-line field."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def text_formfield_kwargs(db_field) -> dict:
    # A translated column (title_es) is a subclass made by modeltranslation: judge it by its original.
    original = getattr(db_field, "translated_field", db_field)
    if type(original) in (models.CharField, models.TextField) and not db_field.choices:
        return {"form_class": LineEndingsField}
    return {}


class ReviewedForm(forms.ModelForm):
    """Carries the version the editor started from in a hidden field: the row's, or for a published item
    its open revision's (0 when it has none). A save made from an older version is refused.

    `request` is set by the admin's get_form, so the form knows who is saving.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    request: HttpRequest | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # From the database, not the instance: a history "revert" form starts from an old copy.
            self.fields["seen_version"].initial = self._current_version()

    def _current_version(self, lock: bool = False) -> int | None:
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock and connections[rows.db].in_atomic_block:
            # Held until the admin's transaction ends: a second save of the same row waits here,
            # then sees the version the first one wrote.
            rows = rows.select_for_update()
        current = rows.values("version", "status").first()
        if current is None:
            return None
        if current["status"] == Status.PUBLISHED:
            revision = workflow.open_revision(self.instance)
            return revision.version if revision else 0
        return current["version"]

    def clean(self) -> dict:
        cleaned = super().clean()
        current = self._current_version(lock=True) if self.instance.pk else None
        if current is not None and cleaned.get("seen_version") != current:
            raise ValidationError(
                gettext(
                    "Someone else changed this %(thing)s and saved it first, after you opened it. "
                    "Nothing from this form has been saved, so their changes are kept. Copy anything "
                    "you need from below, open the page again, and make your changes there."
                )
                % {"thing": self._meta.model._meta.verbose_name},
                code="stale",
            )
        if current is not None and not self.instance.is_published:
            # Saving bumps this, so a revert to an old copy still moves the version forwards.
            self.instance.version = current
        return cleaned


class RevisionInlineFormSet(BaseInlineFormSet):
    """Shows (and edits) a revision's children when the item came from `revisions.build`.

    The revision's rows that exist in the database are the formset's rows (in memory, with the revision's
    values); rows the revision adds are extra forms filled in from it, which must be kept even when left
    untouched (an unchanged extra form is normally dropped as empty).
    """

    revision_rows: list | None = None
    revision_new: int = 0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        built = getattr(self.instance, "_revision_children", None)
        name = self.fk.remote_field.get_accessor_name()
        if built is not None and name in built:
            self.revision_rows = [row for row in built[name] if row.pk]
            new = [row for row in built[name] if not row.pk]
            self.revision_new = len(new)
            self.extra = len(new)
            self.initial_extra = [model_to_dict(row, fields=self.form._meta.fields) for row in new]

    def get_queryset(self):
        if self.revision_rows is not None:
            return self.revision_rows
        return super().get_queryset()

    def _construct_form(self, i, **kwargs):
        first_new = self.initial_form_count()
        if self.revision_rows is not None and first_new <= i < first_new + self.revision_new:
            kwargs["empty_permitted"] = False
        return super()._construct_form(i, **kwargs)

    def kept_rows(self) -> list:
        """The children as the form leaves them, unsaved: changed, added, minus those marked for deletion."""
        rows = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.empty_permitted and not form.has_changed():
                continue
            rows.append(form.instance)
        return rows


class ReadableHistory(HistoricalRecordContextHelper):
    """History diffs with plain empty values: "(none)" where simple-history would say "Deleted user (pk=None)"."""

    def prepare_delta_change_value(self, change, value):
        if (isinstance(value, DeletedObject) and value.pk is None) or value is None or value == "":
            return gettext("(none)")
        return super().prepare_delta_change_value(change, value)
