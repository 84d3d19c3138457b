"""Red flags in the admin: the questions the check asks first. Never deleted.

Every change to what the check reads of a red flag is checked against the clinical test cases
(content/guards.py, content/admin/red_flag_guard.py): refused before anything is saved, with the failing
cases listed, unless a superuser overrides with a written reason.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from content import workflow
from content.admin.base import (
    LIST_AND_FORM,
    RECORD_FIELDSET,
    REVIEW_FIELDSET,
    ReviewDueFilter,
)
from content.admin.red_flag_guard import RedFlagForm, form_override, run_checked_batch
from content.admin.reviewed import ReviewedAdmin
from content.guards import active_override
from content.languages import english_name
from content.models import RedFlag, StarterRecord
from content.revisions import Revision, with_open_revision
from content.views import library

# The starter fields a reviewer compares by eye; the rest (sources, clinical reason) are shown too if changed.
STARTER_TEXT_FIELDS = ("question", "explanation", "help_statement", "urgency", "clinical_reason", "sources")


def _starter_offer(obj: RedFlag | None) -> StarterRecord | None:
    if obj is None:
        return None
    return StarterRecord.objects.filter(
        kind=StarterRecord.kind_of(RedFlag), slug=obj.slug, offered__isnull=False
    ).first()


@admin.register(RedFlag)
class RedFlagAdmin(ReviewedAdmin):
    form = RedFlagForm
    list_display = (
        "slug",
        "question",
        "urgency",
        "asked_or_derived",
        "status",
        "review_state",
        "starter_update",
        "order",
    )
    list_display_links = ("slug", "question")
    list_filter = ("status", "urgency", "derived", ReviewDueFilter)
    search_fields = ("slug", "question", "explanation", "help_statement", "clinical_reason")
    readonly_fields = ("derived", "how_it_is_used", "starter_text")
    actions = [*ReviewedAdmin.actions, "keep_our_wording"]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "slug",
                    "question",
                    "explanation",
                    "help_statement",
                    "urgency",
                    "status",
                    "how_it_is_used",
                    "starter_text",
                ),
                "description": _(
                    "The check asks the published emergency signs first, then a few facts, then the urgent "
                    "signs and the rest; it stops as soon as no later answer could make the outcome more "
                    "urgent. Ask about one new thing a question, in the second person. To retire a red "
                    "flag, unpublish it: red flags are never deleted."
                ),
            },
        ),
        (_("For staff only"), {"fields": ("clinical_reason",)}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]

    def public_page(self, request, obj):
        # The "When to get help" page with this flag as the revision would make it, among the published ones.
        flags = [obj if flag.pk == obj.pk else flag for flag in RedFlag.objects.published().by_urgency()]
        return "content/library_help.html", library.help_context(flags)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # As ModelAdmin.get_queryset, with the urgency rank annotated before the ordering uses it.
        flags = RedFlag._default_manager.by_urgency().order_by(*self.get_ordering(request))
        flags = flags.annotate(starter_changed=StarterRecord.changed_since_edited(RedFlag))
        return with_open_revision(flags)

    @admin.display(description=_("starter text"), boolean=False)
    def starter_update(self, obj: RedFlag) -> str:
        if getattr(obj, "starter_changed", False):
            return format_html("<strong>{}</strong>", gettext("Starter text changed since you edited this"))
        return ""

    @admin.display(description=_("newer starter text"))
    def starter_text(self, obj: RedFlag | None) -> str:
        """The starter wording staff have not taken yet, field by field, so a reviewer can decide."""
        record = _starter_offer(obj)
        if record is None:
            return gettext("None: this red flag has no newer starter text waiting.")
        rows = [
            (RedFlag._meta.get_field(name).verbose_name, value)
            for name, value in record.offered.items()
            # The starter text is English: compared with the English, whatever language the admin is in.
            if name in STARTER_TEXT_FIELDS and value != getattr(obj, english_name(RedFlag, name))
        ]
        return format_html(
            "<p>{}</p><dl>{}</dl>",
            gettext(
                "The starter text changed after you edited this red flag. Copy what you want into the "
                "fields above, or use the “Keep our wording” action to dismiss this."
            ),
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )

    @admin.action(
        description=_("Keep our wording (dismiss the newer starter text)"),
        permissions=["publish"],
        location=LIST_AND_FORM,
    )
    def keep_our_wording(self, request: HttpRequest, queryset: QuerySet) -> None:
        """The reviewer has read the newer starter text and keeps the clinic's: stop offering it."""
        records = StarterRecord.objects.filter(
            kind=StarterRecord.kind_of(RedFlag),
            slug__in=queryset.values_list("slug", flat=True),
            offered__isnull=False,
        )
        kept = 0
        for record in records:
            record.written, record.offered = record.offered, None
            record.save()
            kept += 1
        self.message_user(
            request,
            ngettext(
                "%(n)d red flag keeps the clinic's wording.",
                "%(n)d red flags keep the clinic's wording.",
                kept,
            )
            % {"n": kept},
            messages.SUCCESS,
        )

    # The clinical-case guard ----------------------------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and obj is not None:
            fieldsets = [*fieldsets, (_("Override the clinical cases"), {"fields": ("override_reason",)})]
        return fieldsets

    def save_model(self, request: HttpRequest, obj: RedFlag, form, change: bool) -> None:
        with form_override(request, form):
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # A changed row is saved here (see ReviewedAdmin.save_related), so the override must cover it.
        with form_override(request, form):
            super().save_related(request, form, formsets, change)

    def revision_saved(self, request: HttpRequest, obj: RedFlag, revision: Revision) -> None:
        """Under a superuser's override, the change they saved goes live at once.

        The override is a decision on this change, made by someone who may publish, with the reason written
        down: waiting for another reviewer to approve it would only have them approve a change the cases
        refuse, with no way to give the reason again. So the revision is approved here, stamped reviewed by
        the superuser, and the reason goes into the history with the cases that fail.
        """
        if active_override() is None:
            return
        try:
            workflow.approve(revision, request.user, revision.version)
        except workflow.PublishRefused as refused:  # incomplete, say: the revision is kept
            for message in refused.messages:
                self.message_user(request, message, messages.ERROR)
            return
        request._revision_saved = False  # live now: the usual "changed" answer, not "saved as a revision"
        self.message_user(
            request,
            gettext(
                "Overridden: this change is live now, although clinical cases fail with it. Your reason "
                "is kept in this red flag's history."
            ),
            messages.WARNING,
        )

    def run_batch(
        self, request: HttpRequest, items: list, action: str, apply: Callable[[], tuple[int, list[str]]]
    ) -> tuple[int, list[str]] | None:
        return run_checked_batch(request, items, action, apply, self.message_user)

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
                "whether this is the first episode). The “Get help if” statement is what patients see "
                "of it, on plans, handouts and the “When to get help” page."
            )
        return gettext("Asked as a yes-or-no question in the check.")
