"""The admin of every piece of clinical content: permissions, the form, revisions, the revision preview.

Rules that keep patients safe, and where they live:
- what patients see changes only through content/workflow.py (publish, approve, unpublish), run by the
  actions in content/admin/actions.py for someone with `content.publish_content`;
- saving a published item never touches the live row: it saves the item's open revision (content/revisions.py);
- a save made from a form older than the row (or the revision) is refused (no lost update);
- red flags are never deleted, and published pages are not deleted (printed QR codes point at them).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from content import languages, workflow
from content.admin.actions import WorkflowActions, remember_seen
from content.admin.base import (
    REVIEW_PERMISSION,
    SPANISH_FIELDSET,
    ReadableHistory,
    ReviewDueFilter,
    ReviewedForm,
    SpanishFilter,
    may_publish,
    short_date,
    text_formfield_kwargs,
)
from content.revisions import Revision, build, diff, with_open_revision

REVISION_SAVED = _(
    "Saved as a revision. Patients keep seeing the published version until a clinical reviewer approves "
    "this revision. Use “Submit for review” when it is ready."
)


class ReviewedAdmin(WorkflowActions, TranslationAdmin, SimpleHistoryAdmin):
    form = ReviewedForm
    list_filter = ("status", ReviewDueFilter)
    list_per_page = 50
    save_on_top = True
    history_list_display = ["status", "version"]

    # Permissions -------------------------------------------------------------------------------

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return may_publish(request)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_published:
            return False  # printed handouts and QR codes point at it: unpublish instead
        return super().has_delete_permission(request, obj)

    # The form --------------------------------------------------------------------------------------

    # One-line fields that hold a sentence or two: give them room to read back what was written.
    sentence_fields = ("summary", "evidence", "purpose", "question", "explanation")

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        kwargs = {**text_formfield_kwargs(db_field), **kwargs}
        if getattr(db_field, "translated_field", db_field).name in self.sentence_fields:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # a fresh class on every call, so this never leaks between requests
        return form

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and SPANISH_FIELDSET not in fieldsets:
            fieldsets.append(SPANISH_FIELDSET)
        if obj is not None and self.has_change_permission(request, obj):
            name, options = fieldsets[0]
            if "seen_version" not in options["fields"]:
                fieldsets[0] = (name, {**options, "fields": [*options["fields"], "seen_version"]})
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # The status changes only through the workflow's buttons, so its rules always run.
        fields = ["status", "last_reviewed", "reviewed_by", "created", "updated", *self.readonly_fields]
        fields += ["spanish_state", "last_reviewed_es", "reviewed_by_es"]
        if not self.has_review_permission(request):
            fields.append("next_review_due")
        if obj is not None and obj.is_published:
            fields.append("slug")  # page addresses and red-flag codes stay stable once public
        return fields

    # Only new pages get their slug typed for them. Not `prepopulated_fields`: simple-history's revert
    # form reads that attribute directly, and a published page's slug is read-only there.
    slug_from: str | None = None

    def get_prepopulated_fields(self, request: HttpRequest, obj=None):
        if obj is None and self.slug_from:
            source = self.slug_from
            if source in languages.translated_names(self.model):
                source = f"{source}_{languages.ENGLISH}"  # the address follows the English title
            return {"slug": (source,)}
        return {}

    # Revisions -------------------------------------------------------------------------------------

    def get_object(self, request: HttpRequest, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and obj.is_published and getattr(request, "_content_editing", False):
            revision = workflow.open_revision(obj)
            if revision is not None:
                obj = build(obj, revision.data)  # the form (and its inlines) show the revision
                obj._revision = revision
        return obj

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        request._content_editing = True
        obj = self.get_object(request, unquote(object_id))
        revision = getattr(obj, "_revision", None)
        if request.method == "GET" and obj is not None:
            if may_publish(request):
                remember_seen(request, revision or obj, revision.version if revision else obj.version)
            if obj.is_published:
                self.message_user(request, self._revision_note(obj, revision), messages.INFO)
        extra_context = {**(extra_context or {}), "revision": revision}
        return super().change_view(request, object_id, form_url, extra_context)

    def _revision_note(self, obj, revision) -> str:
        preview = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_revision", args=[obj.pk])
        if revision is None:
            return gettext(
                "This is published. Saving makes a revision: patients keep seeing the published text "
                "until a reviewer approves it."
            )
        return format_html(
            '{} <a href="{}">{}</a>',
            gettext("You are editing revision %(n)d (%(state)s), not yet live.")
            % {"n": revision.pk, "state": revision.get_state_display()},
            preview,
            gettext("Preview it and see what changes"),
        )

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if change:
            # The database's status, not the form's copy: a history revert starts from an old copy, and
            # the status changes only through the workflow.
            obj.status = type(obj)._default_manager.filter(pk=obj.pk).values_list("status", flat=True).get()
        if change and obj.is_published:
            request._pending_revision = (obj, form)  # saved with its children in save_related
            return
        if change:
            request._pending_save = (obj, form)  # saved in save_related, if anything changed at all
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        if getattr(request, "_pending_save", None) is not None:
            obj, _form = request._pending_save
            del request._pending_save
            if not form.has_changed() and not any(formset.has_changed() for formset in formsets):
                # An untouched form records nothing: no history entry, no new version.
                request._nothing_changed = True
                for formset in formsets:
                    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
                return None
            super().save_model(request, obj, form, change)
            if may_publish(request):
                remember_seen(request, obj, obj.version)  # a reviewer has read what they just wrote
        pending = getattr(request, "_pending_revision", None)
        if pending is None:
            super().save_related(request, form, formsets, change)
            if spanish_edited(form, formsets):
                self._spanish_written(form.instance)
            return None
        children = {formset.fk.remote_field.get_accessor_name(): formset.kept_rows() for formset in formsets}
        for formset in formsets:
            # Nothing of the live item's children was saved; the change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        self._save_revision(request, children)

    def _save_revision(self, request: HttpRequest, children) -> None:
        obj, form = request._pending_revision
        del request._pending_revision
        try:
            revision = workflow.revise(
                obj, request.user, obj, children, form.cleaned_data.get("seen_version")
            )
            request._revision_saved = revision is not None
            request._nothing_changed = revision is None
            if revision is not None and may_publish(request):
                remember_seen(request, revision, revision.version)
        except workflow.PublishRefused as refused:
            request._revision_refused = refused
            return
        if revision is not None:
            self.revision_saved(request, obj, revision)

    def revision_saved(self, request: HttpRequest, obj, revision: Revision) -> None:
        """Called once a save of a published item has made (or updated) its open revision."""

    def response_change(self, request: HttpRequest, obj) -> HttpResponse:
        if getattr(request, "_pending_save", None) is not None:  # a history revert: no save_related
            obj, form = request._pending_save
            del request._pending_save
            super().save_model(request, obj, form, True)
        if getattr(request, "_pending_revision", None) is not None:
            self._save_revision(request, None)  # a history revert: no inline formsets
        refused = getattr(request, "_revision_refused", None)
        if refused is not None:
            for message in refused.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.path)
        if getattr(request, "_nothing_changed", False):
            self.message_user(request, gettext("Nothing was changed, so nothing was saved."), messages.INFO)
            return HttpResponseRedirect(
                reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
            )
        if getattr(request, "_revision_saved", False):
            self.message_user(request, REVISION_SAVED, messages.SUCCESS)
            return HttpResponseRedirect(
                reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
            )
        return super().response_change(request, obj)

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        # simple-history saves a revert without checking change permission; check it, and lock as
        # the change form does. Reverting a published item makes a revision, like any other edit.
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

    # The revision preview: the public page, as the revision would make it ---------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.revision_view)
        return [
            path("<path:object_id>/revision/", view, name="{}_{}_revision".format(*info)),
            *super().get_urls(),
        ]

    def public_page(self, request: HttpRequest, obj) -> tuple[str, dict]:
        """The public template of this kind of item and its context for `obj` (overridden per model)."""
        raise NotImplementedError

    def revision_view(self, request: HttpRequest, object_id) -> HttpResponse:
        live = self.get_object(request, unquote(object_id))
        if live is None or not self.has_view_permission(request, live):
            raise Http404
        revision = workflow.open_revision(live)
        if revision is None:
            self.message_user(request, gettext("This item has no open revision."), messages.INFO)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[live.pk])
            )
        proposed = build(live, revision.data)
        if may_publish(request):
            remember_seen(request, revision, revision.version)
        template, context = self.public_page(request, proposed)
        context["revision_preview"] = {
            "revision": revision,
            "changes": diff(live, proposed),
            "missing": workflow.missing_for_publishing(proposed),
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[live.pk]
            ),
            "may_approve": may_publish(request),
            "may_submit": revision.state == revision.State.DRAFT
            and self.has_change_permission(request, live),
        }
        return render(request, template, context)

    # Columns ---------------------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest):
        # The children come along: the Spanish column reads them (its digest covers a routine's steps).
        queryset = super().get_queryset(request).prefetch_related(*self.model.revision_children)
        return with_open_revision(queryset)

    def get_search_fields(self, request: HttpRequest):
        # Every language's column: `title` alone would search only the language the admin is shown in.
        names = super().get_search_fields(request)
        return [column for name in names for column in languages.language_columns(self.model, name)]

    def get_list_filter(self, request: HttpRequest):
        return [*super().get_list_filter(request), SpanishFilter]

    def get_list_display(self, request: HttpRequest):
        columns = list(super().get_list_display(request))
        if "status" in columns and "open_revision" not in columns:
            columns.insert(columns.index("status") + 1, "open_revision")
        if "spanish_state" not in columns:
            columns.append("spanish_state")
        return columns

    def _spanish_written(self, obj) -> None:
        """The Spanish was just edited, against the English the item holds now (children included)."""
        obj = type(obj)._default_manager.get(pk=obj.pk)
        languages.spanish_written(obj)
        # The digest only: not a new version, and the history already has the edit itself.
        type(obj)._default_manager.filter(pk=obj.pk).update(english_digest_es=obj.english_digest_es)

    @admin.display(description=_("Spanish"))
    def spanish_state(self, obj) -> str:
        if obj is None or obj.pk is None:
            return ""
        if not languages.has_spanish(obj):
            return gettext("Not translated")
        if languages.spanish_out_of_date(obj):
            return format_html("<strong>{}</strong>", gettext("Spanish out of date"))
        if not obj.last_reviewed_es:
            return gettext("Not yet reviewed by the clinic")
        return gettext("Reviewed %(date)s") % {"date": short_date(obj.last_reviewed_es)}

    @admin.display(description=_("revision"))
    def open_revision(self, obj) -> str:
        state = getattr(obj, "open_revision_state", None)
        return Revision.State(state).label if state else ""

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


def spanish_edited(form, formsets) -> bool:
    """Whether a save changed any Spanish text, of the item or of its children."""
    spanish = f"_{languages.SPANISH}"
    if any(name.endswith(spanish) for name in form.changed_data):
        return True
    return any(
        name.endswith(spanish)
        for formset in formsets
        for child in formset.forms
        for name in child.changed_data
    )
