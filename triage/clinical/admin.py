"""The clinical cases in the admin: every case's result against what is published, failures first.

Who does what: editors see every case and propose new ones (saved inactive, "proposed"); clinical reviewers
(who may publish content) edit any case and make it active. Only active cases guard red-flag changes; a
proposed case shows its result on the cases page all the same. Saving a case is never refused because the
check gets it wrong: that is exactly what a new case is for, and the page shows it failing at once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from content.models import RedFlag
from triage import engine
from triage.clinical.models import ClinicalCase
from triage.clinical.runner import PASS, UNDER_TRIAGE, CaseResult, run_case, run_cases, worst_first

# The content app's workflow permission: whoever may publish clinical content keeps the cases.
REVIEWER_PERMISSION = "content.publish_content"


def is_reviewer(request: HttpRequest) -> bool:
    return request.user.has_perm(REVIEWER_PERMISSION)


def published_flags() -> list[engine.Flag]:
    rows = RedFlag.objects.published().by_urgency().values_list("slug", "urgency", "derived")
    return [engine.Flag(slug=slug, urgency=urgency, derived=derived) for slug, urgency, derived in rows]


def flag_choices() -> list[tuple[str, str]]:
    """Every asked red flag, most urgent first; an unpublished one says so (the check does not ask it)."""
    choices = []
    for flag in RedFlag.objects.asked().by_urgency():
        label = f"{flag.question} ({flag.slug}, {flag.urgency})"
        if not flag.is_published:
            label += " " + gettext("[not published: the check does not ask it]")
        choices.append((flag.slug, label))
    return choices


class ClinicalCaseForm(forms.ModelForm):
    red_flags = forms.MultipleChoiceField(
        label=_("red flags the person ticks"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick what this person would answer “yes” to. Derived flags are worked out by the check."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["red_flags"].choices = flag_choices()

    def clean_red_flags(self) -> list[str]:
        chosen = set(self.cleaned_data["red_flags"])
        return [slug for slug, _label in self.fields["red_flags"].choices if slug in chosen]


class CaseStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Active")), ("no", _("Proposed (not active)"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(active=self.value() == "yes")
        return queryset


@admin.register(ClinicalCase)
class ClinicalCaseAdmin(SimpleHistoryAdmin):
    form = ClinicalCaseForm
    list_display = ("title", "expected_outcome", "case_status", "reviewed", "updated")
    list_filter = (CaseStatusFilter, "expected")
    search_fields = ("title", "slug", "story", "reasoning", "source")
    prepopulated_fields = {"slug": ("title",)}
    change_list_template = "admin/triage/clinicalcase/change_list.html"
    history_list_display = ["active", "expected"]
    actions = ["make_active", "make_proposed"]
    fieldsets = [
        (
            None,
            {
                "fields": ("title", "slug", "story", "active", "what_the_check_says"),
                "description": _(
                    "A clinical case is one person's answers and the outcome the check must give them. "
                    "Active cases are run on every change to the red flags: a change that would make one "
                    "fail is refused."
                ),
            },
        ),
        (
            _("The answers"),
            {"fields": ("age", "onset_days", "pain_score", "recurrent", "trajectory", "red_flags")},
        ),
        (_("What the check must give"), {"fields": ("expected", "expected_phase", "reasoning", "source")}),
        (_("Record"), {"fields": ("author", "reviewed_by", "last_reviewed", "created", "updated")}),
    ]

    # Permissions -------------------------------------------------------------------------------

    def has_change_permission(self, request: HttpRequest, obj: ClinicalCase | None = None) -> bool:
        if obj is not None and obj.active and not is_reviewer(request):
            return False  # an active case guards what patients see: a clinical reviewer changes it
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ClinicalCase | None = None) -> bool:
        return is_reviewer(request) and super().has_delete_permission(request, obj)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return is_reviewer(request)

    def get_readonly_fields(self, request: HttpRequest, obj: ClinicalCase | None = None):
        fields = ["what_the_check_says", "author", "reviewed_by", "last_reviewed", "created", "updated"]
        if not is_reviewer(request):
            fields.append("active")  # editors propose; a reviewer makes a case active
        return fields

    def save_model(self, request: HttpRequest, obj: ClinicalCase, form, change: bool) -> None:
        if not change:
            obj.author = request.user
        if is_reviewer(request):
            obj.mark_reviewed(request.user)  # a reviewer who saves a case has reviewed it
        else:
            obj.active = False
        super().save_model(request, obj, form, change)

    def response_add(self, request: HttpRequest, obj: ClinicalCase, post_url_continue=None) -> HttpResponse:
        self.report_result(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: ClinicalCase) -> HttpResponse:
        self.report_result(request, obj)
        return super().response_change(request, obj)

    def report_result(self, request: HttpRequest, obj: ClinicalCase) -> None:
        result = run_case(obj.as_case(), published_flags())
        if not result.passed:
            self.message_user(
                request,
                gettext("%(label)s. %(message)s, with the red flags published now.")
                % {"label": result.label, "message": result.message},
                messages.WARNING,
            )

    # The cases page -------------------------------------------------------------------------------

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        cases = list(ClinicalCase.objects.all())
        results = run_cases([case.as_case() for case in cases], published_flags())
        by_key = {case.slug: case for case in cases}
        rows = [(by_key[result.case.key], result) for result in worst_first(results)]
        active = [result for case, result in rows if case.active]
        failing = [result for result in active if not result.passed]
        context = {
            **(extra_context or {}),
            "case_rows": rows,
            "case_summary": ngettext(
                "%(failing)d of %(n)d active case fails against what is published now.",
                "%(failing)d of %(n)d active cases fail against what is published now.",
                len(active),
            )
            % {"failing": len(failing), "n": len(active)},
            "any_failing": bool(failing),
            "UNDER_TRIAGE": UNDER_TRIAGE,
            "PASS": PASS,
        }
        return super().changelist_view(request, extra_context=context)

    # Columns and read-only fields ------------------------------------------------------------------

    @admin.display(description=_("the check must give"), ordering="expected")
    def expected_outcome(self, obj: ClinicalCase) -> str:
        return f"{obj.expected} ({obj.expected_phase})" if obj.expected_phase else obj.expected

    @admin.display(description=_("status"), ordering="active")
    def case_status(self, obj: ClinicalCase) -> str:
        return gettext("Active") if obj.active else gettext("Proposed")

    @admin.display(description=_("last reviewed"), ordering="last_reviewed")
    def reviewed(self, obj: ClinicalCase) -> str:
        if not obj.last_reviewed:
            return gettext("Not yet reviewed")
        who = obj.reviewed_by.get_username() if obj.reviewed_by else "-"
        return f"{obj.last_reviewed:%d %b %Y} ({who})"

    @admin.display(description=_("what the check says now"))
    def what_the_check_says(self, obj: ClinicalCase | None) -> str:
        if obj is None or obj.pk is None:
            return gettext("Save the case to see what the check gives for it.")
        return result_html(run_case(obj.as_case(), published_flags()))

    # Actions -------------------------------------------------------------------------------------------

    @admin.action(
        description=_("Make selected cases active (checked on every red-flag change)"), permissions=["review"]
    )
    def make_active(self, request: HttpRequest, queryset) -> None:
        self._set_active(request, queryset, True, gettext("Made active"))

    @admin.action(description=_("Make selected cases proposed (not checked)"), permissions=["review"])
    def make_proposed(self, request: HttpRequest, queryset) -> None:
        self._set_active(request, queryset, False, gettext("Made proposed"))

    def _set_active(self, request: HttpRequest, queryset, active: bool, reason: str) -> None:
        cases = list(queryset)
        for case in cases:
            case.active = active
            case.mark_reviewed(request.user)
            case._change_reason = reason
            case.save()
            self.log_change(request, case, reason)
        self.message_user(request, f"{reason}: {len(cases)}.", messages.SUCCESS)


def result_html(result: CaseResult) -> str:
    """What the check gives and why: the verdict, the outcome, the red flags and the reasons."""
    outcome = result.outcome
    flags = ", ".join(outcome.red_flags) or gettext("none")
    reasons = ", ".join(outcome.reasons) or gettext("none")
    verdict_class = f"case-verdict case-{result.verdict}"
    items = format_html_join(
        "",
        "<li>{}: {}</li>",
        [
            (gettext("Outcome"), outcome.disposition + (f" ({outcome.phase})" if outcome.phase else "")),
            (gettext("Red flags that apply"), flags),
            (gettext("Reasons to see a doctor"), reasons),
        ],
    )
    return format_html(
        '<p><strong class="{}">{}</strong> {}</p><ul>{}</ul>',
        verdict_class,
        result.label,
        result.message,
        items,
    )
