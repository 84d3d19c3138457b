"""What every piece of clinical content shares in the admin: the review form with its no-lost-update
guard, permissions, review columns and the workflow actions.

Rules that keep patients safe live here, in one place:
- only someone with `content.publish_content` makes a page public, and a published page is changed only by them;
- a save made from a form that is older than the row is refused (no lost update);
- red flags are never deleted, and published pages are not deleted (printed QR codes point at them)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from content.models import (
    Status,
)

PUBLISH_PERMISSION = "content.publish_content"
REVIEW_PERMISSION = "content.review_content"
DUE_SOON = timedelta(days=30)
LIST_AND_FORM = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]

admin.site.site_header = _("Back spasm relief: clinic desk")
admin.site.site_title = _("Back spasm relief admin")
admin.site.index_title = _("The clinic's content")

WRITING_TIP = _(
    "Write for someone in pain, reading on a phone: short sentences, everyday words, one idea a line. "
    "Save as a draft while you work; set the status to “In review” (or use the “Submit for review” "
    "action) when it is ready for a clinician."
)
REVIEW_FIELDSET = (
    _("Review and sources"),
    {
        "fields": ("sources", "order", "last_reviewed", "reviewed_by", "next_review_due"),
        "description": _(
            "A clinical reviewer stamps the review date with the “Mark reviewed” action. Patients see "
            "“Page last reviewed” and “Next review due” under the text, and the sources as listed here."
        ),
    },
)
PUBLISHED_IS_LOCKED = _(
    "This is published, so only a clinical reviewer can change it. Ask a reviewer to make the change, "
    "or to unpublish it so you can edit it."
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


class ReviewedForm(forms.ModelForm):
    """Carries the row's version in a hidden field, and enforces who may publish.

    `request` is set by the admin's get_form, so the form knows who is saving.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    request: HttpRequest | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # From the database, not the instance: a history "revert" form starts from an old copy.
            current = self._current_row()
            self.fields["seen_version"].initial = current["version"] if current else None

    def _current_row(self, lock: bool = False) -> dict | None:
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock and connections[rows.db].in_atomic_block:
            # Held until the admin's transaction ends: a second save of the same row waits here,
            # then sees the version the first one wrote.
            rows = rows.select_for_update()
        return rows.values("version", "status").first()

    def clean(self) -> dict:
        cleaned = super().clean()
        current = self._current_row(lock=True) if self.instance.pk else None
        if current is not None:
            if cleaned.get("seen_version") != current["version"]:
                raise ValidationError(
                    gettext(
                        "Someone else changed this %(thing)s and saved it first, after you opened it. "
                        "Nothing from this form has been saved, so their changes are kept. Copy anything "
                        "you need from below, open the page again, and make your changes there."
                    )
                    % {"thing": self._meta.model._meta.verbose_name},
                    code="stale",
                )
            # Saving bumps this, so a revert to an old copy still moves the version forwards.
            self.instance.version = current["version"]
        if self.request is not None and not may_publish(self.request):
            if current is not None and current["status"] == Status.PUBLISHED:
                raise ValidationError(PUBLISHED_IS_LOCKED, code="published")
            if cleaned.get("status") == Status.PUBLISHED:
                self.add_error(
                    "status" if "status" in self.fields else None,
                    ValidationError(
                        gettext(
                            "Only a clinical reviewer can publish. Choose “In review” to send it to a "
                            "reviewer, or “Draft” to keep working on it."
                        ),
                        code="publish",
                    ),
                )
        return cleaned


class ReviewedAdmin(SimpleHistoryAdmin):
    """What every piece of clinical content shares: workflow actions, review columns, history."""

    form = ReviewedForm
    actions = ["submit_for_review", "publish", "unpublish", "mark_reviewed"]
    list_filter = ("status", ReviewDueFilter)
    list_per_page = 50
    save_on_top = True
    history_list_display = ["status", "version"]

    # Permissions -------------------------------------------------------------------------------

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return may_publish(request)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_published and not may_publish(request):
            return False  # a published page is changed by a reviewer only; editors see it read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_published:
            return False  # printed handouts and QR codes point at it: unpublish instead
        return super().has_delete_permission(request, obj)

    # The form --------------------------------------------------------------------------------------

    # One-line fields that hold a sentence or two: give them room to read back what was written.
    sentence_fields = ("summary", "evidence", "purpose", "question", "explanation")

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name in self.sentence_fields:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # a fresh class on every call, so this never leaks between requests
        return form

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            name, options = fieldsets[0]
            if "seen_version" not in options["fields"]:
                fieldsets[0] = (name, {**options, "fields": [*options["fields"], "seen_version"]})
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = ["last_reviewed", "reviewed_by", "created", "updated", *self.readonly_fields]
        if not self.has_review_permission(request):
            fields.append("next_review_due")
        if obj is not None and obj.is_published:
            fields.append("slug")  # page addresses and red-flag codes stay stable once public
        return fields

    # Only new pages get their slug typed for them. Not `prepopulated_fields`: simple-history's revert
    # form reads that attribute directly, and a published page's slug is read-only there.
    slug_from: str | None = None

    def get_prepopulated_fields(self, request: HttpRequest, obj=None):
        return {"slug": (self.slug_from,)} if obj is None and self.slug_from else {}

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        if request.method == "GET" and not may_publish(request):
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and obj.is_published and super().has_change_permission(request, obj):
                self.message_user(request, PUBLISHED_IS_LOCKED, messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        # simple-history saves a revert without checking change permission; check it, and lock as
        # the change form does.
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    # Columns ---------------------------------------------------------------------------------------

    @admin.display(description=_("review"), ordering="next_review_due")
    def review_state(self, obj) -> str:
        if not obj.last_reviewed:
            return gettext("Never reviewed")
        due = obj.next_review_due
        if due and due < timezone.localdate():
            return format_html(
                "<strong>{}</strong>", gettext("Overdue since %(date)s") % {"date": short_date(due)}
            )
        if due:
            return gettext("Due %(date)s") % {"date": short_date(due)}
        return gettext("Reviewed %(date)s") % {"date": short_date(obj.last_reviewed)}

    # Workflow actions ------------------------------------------------------------------------------

    def _save_step(self, request: HttpRequest, obj, reason: str) -> None:
        obj._change_reason = reason  # shown in the object's history
        obj.save()
        self.log_change(request, obj, reason)

    def _report(self, request: HttpRequest, done: str, skipped: str | None) -> None:
        self.message_user(request, done, messages.SUCCESS)
        if skipped:
            self.message_user(request, skipped, messages.WARNING)

    @admin.action(
        description=_("Submit this %(verbose_name)s for review"),
        description_plural=_("Submit selected %(verbose_name_plural)s for review"),
        permissions=["change"],
        location=LIST_AND_FORM,
    )
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        items = list(queryset)
        drafts = [obj for obj in items if obj.status == Status.DRAFT]
        for obj in drafts:
            obj.status = Status.IN_REVIEW
            self._save_step(request, obj, gettext("Submitted for review"))
        skipped = len(items) - len(drafts)
        self._report(
            request,
            ngettext("%(n)d sent for review.", "%(n)d sent for review.", len(drafts)) % {"n": len(drafts)},
            ngettext(
                "%(n)d left as it was: only a draft can be sent for review.",
                "%(n)d left as they were: only drafts can be sent for review.",
                skipped,
            )
            % {"n": skipped}
            if skipped
            else None,
        )

    @admin.action(
        description=_("Publish this %(verbose_name)s"),
        description_plural=_("Publish selected %(verbose_name_plural)s"),
        permissions=["publish"],
        location=LIST_AND_FORM,
    )
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        items = list(queryset)
        unpublished = [obj for obj in items if not obj.is_published]
        for obj in unpublished:
            obj.status = Status.PUBLISHED
            self._save_step(request, obj, gettext("Published"))
        skipped = len(items) - len(unpublished)
        self._report(
            request,
            ngettext(
                "%(n)d published: patients can see it now.",
                "%(n)d published: patients can see them now.",
                len(unpublished),
            )
            % {"n": len(unpublished)},
            ngettext("%(n)d was already published.", "%(n)d were already published.", skipped)
            % {"n": skipped}
            if skipped
            else None,
        )

    @admin.action(
        description=_("Unpublish this %(verbose_name)s (back to draft)"),
        description_plural=_("Unpublish selected %(verbose_name_plural)s (back to draft)"),
        permissions=["publish"],
        location=LIST_AND_FORM,
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        items = list(queryset)
        published = [obj for obj in items if obj.is_published]
        for obj in published:
            obj.status = Status.DRAFT
            self._save_step(request, obj, gettext("Unpublished"))
        skipped = len(items) - len(published)
        self._report(
            request,
            ngettext(
                "%(n)d taken off the site and back to draft.",
                "%(n)d taken off the site and back to draft.",
                len(published),
            )
            % {"n": len(published)},
            ngettext("%(n)d was not published.", "%(n)d were not published.", skipped) % {"n": skipped}
            if skipped
            else None,
        )

    @admin.action(
        description=_("Mark this %(verbose_name)s reviewed today"),
        description_plural=_("Mark selected %(verbose_name_plural)s reviewed today"),
        permissions=["review"],
        location=LIST_AND_FORM,
    )
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet) -> None:
        items = list(queryset)
        today = timezone.localdate()
        for obj in items:
            obj.mark_reviewed(request.user, today)
            self._save_step(request, obj, gettext("Marked reviewed"))
        due = items[0].next_review_due if items else None
        self._report(
            request,
            ngettext(
                "%(n)d marked reviewed today. Next review due %(date)s.",
                "%(n)d marked reviewed today. Next review due %(date)s.",
                len(items),
            )
            % {"n": len(items), "date": short_date(due) if due else "-"},
            None,
        )
