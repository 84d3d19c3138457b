"""The clinic's editing desk. Editors write and send for review; clinical reviewers publish.

Rules that keep patients safe live here, in one place:
- only someone with `content.publish_content` makes a page public, and a published page is changed only by them;
- a save made from a form that is older than the row is refused (no lost update);
- red flags are never deleted, and published pages are not deleted (printed QR codes point at them).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from content import guards
from content.models import (
    Cause,
    ClinicSettings,
    Handout,
    HandoutSection,
    PreventionTip,
    RedFlag,
    Remedy,
    Routine,
    RoutineStep,
    Status,
    red_flag_states,
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

    def status_change(self, request: HttpRequest, items: list, status: str) -> AbstractContextManager | None:
        """A context to publish or unpublish `items` in, or None (after saying why) to change nothing."""
        return nullcontext()

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
        if (change := self.status_change(request, unpublished, Status.PUBLISHED)) is None:
            return
        with change:
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
        if (change := self.status_change(request, published, Status.DRAFT)) is None:
            return
        with change:
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


class ClinicalContentAdmin(ReviewedAdmin):
    list_display = ("title", "status", "review_state", "order", "updated")
    search_fields = ("title", "slug", "summary", "body")
    slug_from = "title"


@admin.register(Cause)
class CauseAdmin(ClinicalContentAdmin):
    fieldsets = [
        (None, {"fields": ("title", "slug", "summary", "status"), "description": WRITING_TIP}),
        (_("The page"), {"fields": ("body", "prevention")}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]


@admin.register(Remedy)
class RemedyAdmin(ClinicalContentAdmin):
    list_display = ("title", "kind", "phases", "status", "review_state", "order")
    list_filter = ("status", "kind", "phases", ReviewDueFilter)
    search_fields = ("title", "slug", "summary", "body", "steps", "cautions")
    fieldsets = [
        (
            None,
            {"fields": ("title", "slug", "summary", "kind", "phases", "status"), "description": WRITING_TIP},
        ),
        (
            _("How to do it"),
            {
                "fields": ("steps", "cautions", "evidence", "body"),
                "description": _(
                    "Steps and cautions: one a line, no numbers or bullets (the page adds them). The body "
                    "is for anything else worth knowing."
                ),
            },
        ),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]


@admin.register(PreventionTip)
class PreventionTipAdmin(ClinicalContentAdmin):
    fieldsets = [
        (None, {"fields": ("title", "slug", "summary", "status"), "description": WRITING_TIP}),
        (_("The page"), {"fields": ("body",)}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]


# The clinical-case guard on red flags (content/guards.py). Kept in these few functions so they move easily.
OVERRIDE_HELP = _(
    "Superusers only. The clinical cases listed above would fail with this change. To make it anyway, "
    "write why (who agreed it and why the cases are wrong or out of date). The reason is kept in this red "
    "flag's history."
)


def refusal_lines(problems: list[str]) -> list[str]:
    """The refusal, as lines for a message or a form error: what happened, then each failing case."""
    return [
        gettext("Refused: nothing was changed. With this change, these clinical cases would fail:"),
        *problems,
        gettext(
            "Fix the change, or ask a clinical reviewer to correct the cases. A superuser can override "
            "from the red flag's own page, with a written reason."
        ),
    ]


def refused_message(problems: list[str]) -> str:
    lines = refusal_lines(problems)
    return format_html(
        "{}<ul>{}</ul>{}",
        lines[0],
        format_html_join("", "<li>{}</li>", ((p,) for p in lines[1:-1])),
        lines[-1],
    )


class RedFlagForm(ReviewedForm):
    """Refuses, as form errors, a change that makes a clinical case fail; a superuser may give a reason."""

    override_reason = forms.CharField(
        label=_("override reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=OVERRIDE_HELP,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        new = {
            name: cleaned.get(name, getattr(self.instance, name)) for name in ("slug", "urgency", "status")
        }
        new["derived"] = self.instance.derived
        if any(value is None for value in new.values()):
            return cleaned  # a field error is already shown
        problems = guards.red_flag_problems(red_flag_states({self.instance.pk: new}))
        reason = (cleaned.get("override_reason") or "").strip()
        superuser = self.request is not None and self.request.user.is_superuser
        if problems and not (superuser and reason):
            self.add_error(None, refusal_lines(problems))
        return cleaned


def save_red_flag(request: HttpRequest, form, save) -> None:
    """Save, under a superuser's override when they wrote a reason (the model refuses otherwise)."""
    reason = (form.cleaned_data.get("override_reason") or "").strip()
    if reason and request.user.is_superuser:
        with guards.override(request.user, reason):
            save()
    else:
        save()


def red_flag_status_change(
    request: HttpRequest, items: list, status: str, report
) -> AbstractContextManager | None:
    """The list and page actions: check the whole batch first; refuse with the failing cases listed."""
    after = red_flag_states({obj.pk: {"status": status} for obj in items})
    try:
        guards.enforce(after)
    except guards.ChangeRefused as refused:
        report(request, refused_message(refused.problems), messages.ERROR)
        return None
    return guards.checked_as_a_whole(after)


@admin.register(RedFlag)
class RedFlagAdmin(ReviewedAdmin):
    form = RedFlagForm
    list_display = ("slug", "question", "urgency", "asked_or_derived", "status", "review_state", "order")
    list_display_links = ("slug", "question")
    list_filter = ("status", "urgency", "derived", ReviewDueFilter)
    search_fields = ("slug", "question", "explanation", "clinical_reason")
    readonly_fields = ("derived", "how_it_is_used")
    fieldsets = [
        (
            None,
            {
                "fields": ("slug", "question", "explanation", "urgency", "status", "how_it_is_used"),
                "description": _(
                    "The check asks the published red flags, most urgent first, and stops at the first "
                    "group with a “yes”. Ask one thing a question, in the second person. To retire a red "
                    "flag, unpublish it: red flags are never deleted."
                ),
            },
        ),
        (_("For staff only"), {"fields": ("clinical_reason",)}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and obj is not None:
            fieldsets = [*fieldsets, (_("Override the clinical cases"), {"fields": ("override_reason",)})]
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # A refused unpublish shows the form again with `obj` already changed by it: ask the database.
        if (
            obj is not None
            and "slug" not in fields
            and RedFlag.objects.published().filter(pk=obj.pk).exists()
        ):
            fields.append("slug")
        return fields

    def save_model(self, request: HttpRequest, obj: RedFlag, form, change: bool) -> None:
        save_red_flag(request, form, lambda: super(RedFlagAdmin, self).save_model(request, obj, form, change))

    def status_change(self, request: HttpRequest, items: list, status: str) -> AbstractContextManager | None:
        return red_flag_status_change(request, items, status, self.message_user)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # As ModelAdmin.get_queryset, with the urgency rank annotated before the ordering uses it.
        return RedFlag._default_manager.by_urgency().order_by(*self.get_ordering(request))

    def get_ordering(self, request: HttpRequest) -> list[str]:
        return ["urgency_rank", "order", "slug"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the check and its statistics refer to red flags by slug, forever

    @admin.display(description=_("asked or derived"), ordering="derived")
    def asked_or_derived(self, obj: RedFlag) -> str:
        return gettext("Derived (not asked)") if obj.derived else gettext("Asked")

    @admin.display(description=_("in the check"))
    def how_it_is_used(self, obj: RedFlag | None) -> str:
        if obj is not None and obj.derived:
            return gettext(
                "Derived, not asked: the check works this out from other answers (such as age and "
                "whether this is the first episode). The question text is used on the “When to get "
                "help” page and in the results."
            )
        return gettext("Asked as a yes-or-no question in the check.")


class RoutineStepForm(forms.ModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") != RoutineStep.Kind.EXERCISE:
            for name in ("hold_seconds", "repetitions"):
                if cleaned.get(name):
                    self.add_error(name, gettext("Only exercise steps have a hold and repetitions."))
        return cleaned


class RoutineStepInline(admin.TabularInline):
    model = RoutineStep
    form = RoutineStepForm
    fields = ("order", "kind", "duration_seconds", "instruction", "hold_seconds", "repetitions")
    ordering = ("order", "pk")
    extra = 0
    verbose_name_plural = _("steps, in order (lowest order number first)")

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        return 2 if obj is None else 0


@admin.register(Routine)
class RoutineAdmin(ReviewedAdmin):
    list_display = ("name", "kind", "phases", "cycles", "total_time", "status", "review_state", "order")
    list_filter = ("status", "kind", "phases", ReviewDueFilter)
    search_fields = ("name", "slug", "purpose", "safety_notes")
    slug_from = "name"
    readonly_fields = ("timetable",)
    inlines = [RoutineStepInline]
    fieldsets = [
        (
            None,
            {
                "fields": ("name", "slug", "purpose", "kind", "phases", "cycles", "status"),
                "description": _(
                    "The timer runs the steps below in order, and repeats them for the number of cycles. "
                    "Durations are in seconds (20 minutes is 1200)."
                ),
            },
        ),
        (
            _("Safety"),
            {
                "fields": ("safety_notes",),
                "description": _(
                    "Shown with the timer and on printed handouts. For heat and cold: never straight on "
                    "the skin, not on numb or broken skin, never fall asleep with it on."
                ),
            },
        ),
        (_("Timing (as saved)"), {"fields": ("timetable",)}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("steps")

    @admin.display(description=_("total time"))
    def total_time(self, obj: Routine) -> str:
        schedule = obj.schedule()
        return duration(schedule[-1].end_offset) if schedule else "-"

    @admin.display(description=_("timetable"))
    def timetable(self, obj: Routine | None) -> str:
        schedule = obj.schedule() if obj is not None and obj.pk else []
        if not schedule:
            return gettext("Add steps and save to see the timetable.")
        rows = format_html_join(
            "",
            "<li>{}: {} {} {} ({})</li>",
            (
                (
                    item.step.instruction,
                    duration(item.start_offset) if item.start_offset else "0",
                    gettext("to"),
                    duration(item.end_offset),
                    gettext("cycle %(n)d") % {"n": item.cycle},
                )
                for item in schedule
            ),
        )
        total = gettext("Total: %(time)s") % {"time": duration(schedule[-1].end_offset)}
        return format_html("<ol>{}</ol><p>{}</p>", rows, total)


class HandoutSectionForm(forms.ModelForm):
    ITEM_FIELDS = {
        HandoutSection.Kind.REMEDY: "remedy",
        HandoutSection.Kind.ROUTINE: "routine",
        HandoutSection.Kind.CAUSE: "cause",
        HandoutSection.Kind.PREVENTION: "prevention",
    }

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        wanted = self.ITEM_FIELDS.get(kind)
        if kind == HandoutSection.Kind.TEXT and not (cleaned.get("text") or "").strip():
            self.add_error("text", gettext("Write the text for this section."))
        if wanted and not cleaned.get(wanted):
            self.add_error(wanted, gettext("Choose the item this section shows."))
        for name in self.ITEM_FIELDS.values():
            if name != wanted and cleaned.get(name):
                self.add_error(name, gettext("This section's kind does not use this: clear it."))
        return cleaned


class HandoutSectionInline(admin.StackedInline):
    model = HandoutSection
    form = HandoutSectionForm
    fields = ("order", "kind", "heading", "text", "remedy", "routine", "cause", "prevention")
    autocomplete_fields = ("remedy", "routine", "cause", "prevention")
    ordering = ("order", "pk")
    extra = 0
    verbose_name_plural = _("sections, in order (lowest order number first)")


@admin.register(Handout)
class HandoutAdmin(ClinicalContentAdmin):
    list_display = ("title", "audience", "featured_routine", "status", "review_state", "order", "view_print")
    list_select_related = ("featured_routine",)
    search_fields = ("title", "slug", "summary", "body", "audience")
    autocomplete_fields = ("featured_routine",)
    inlines = [HandoutSectionInline]
    actions = [*ClinicalContentAdmin.actions, "print_handouts"]
    fieldsets = [
        (
            None,
            {
                "fields": ("title", "slug", "summary", "audience", "featured_routine", "status"),
                "description": _(
                    "A handout is printed and given to a patient. It always ends with “When to get help” "
                    "and the clinic's contact details, so you do not need to add those. A section that "
                    "shows a remedy, routine, cause or tip prints that item's current published text."
                ),
            },
        ),
        (_("Introduction"), {"fields": ("body",)}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]

    @admin.display(description=_("view / print"))
    def view_print(self, obj: Handout) -> str:
        # Staff see drafts on the public page with a draft banner, so this works before publishing too.
        return format_html(
            '<a href="{}">{}</a> | <a href="{}">{}</a>',
            obj.get_absolute_url(),
            gettext("View / print"),
            reverse("handouts:pdf", args=[obj.slug]),
            gettext("PDF"),
        )

    @admin.action(
        description=_("Print this %(verbose_name)s (PDF)"),
        description_plural=_("Print selected %(verbose_name_plural)s (one PDF)"),
        permissions=["view"],
        location=LIST_AND_FORM,
    )
    def print_handouts(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        # Imported here: the admin loads in every process; WeasyPrint is needed only when printing.
        from content.views.handouts import handouts_pdf_response

        return handouts_pdf_response(request, queryset)


class ClinicSettingsForm(forms.ModelForm):
    emergency_number = forms.CharField(
        label=_("emergency number"),
        max_length=20,
        validators=[
            RegexValidator(r"^\+?[0-9][0-9 ]{1,18}$", _("Use digits only, such as 911, 999 or 112."))
        ],
        help_text=_("Shown at the top of every page as a link that dials it. Digits only."),
    )


def care_card_fieldset(level: str, title, description) -> tuple:
    fields = (f"{level}_heading", f"{level}_action", f"{level}_timeframe")
    return (title, {"fields": fields, "description": description})


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(SimpleHistoryAdmin):
    """One row. The list page goes straight to it."""

    form = ClinicSettingsForm
    fieldsets = [
        (
            _("The clinic"),
            {
                "fields": ("clinic_name", "phone", "address", "opening_hours", "same_day_care"),
                "description": _("Printed on every handout and shown with the results of the check."),
            },
        ),
        (_("Emergency"), {"fields": ("emergency_number",)}),
        care_card_fieldset(
            "emergency",
            _("Result: emergency"),
            _("What the check tells someone with an emergency red flag."),
        ),
        care_card_fieldset(
            "urgent", _("Result: urgent"), _("What the check tells someone who should be seen today.")
        ),
        care_card_fieldset(
            "gp",
            _("Result: see a doctor"),
            _("What the check tells someone who should book an appointment in the next few days."),
        ),
        care_card_fieldset(
            "self_care",
            _("Result: self-care"),
            _("What the check tells someone who can look after it at home, above their plan."),
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # there is one row; the list page opens it

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        clinic, _created = ClinicSettings.objects.get_or_create(
            pk=1, defaults={"emergency_number": settings.EMERGENCY_NUMBER}
        )
        return HttpResponseRedirect(reverse("admin:content_clinicsettings_change", args=[clinic.pk]))
