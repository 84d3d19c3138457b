"""Red flags in the admin: the questions the check asks first. Never deleted."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.admin.base import (
    RECORD_FIELDSET,
    REVIEW_FIELDSET,
    ReviewDueFilter,
)
from content.admin.reviewed import ReviewedAdmin
from content.models import (
    RedFlag,
)
from content.revisions import with_open_revision
from content.views import library


@admin.register(RedFlag)
class RedFlagAdmin(ReviewedAdmin):
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

    def public_page(self, request, obj):
        # The "When to get help" page with this flag as the revision would make it, among the published ones.
        flags = [obj if flag.pk == obj.pk else flag for flag in RedFlag.objects.published().by_urgency()]
        return "content/library_help.html", library.help_context(flags)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # As ModelAdmin.get_queryset, with the urgency rank annotated before the ordering uses it.
        flags = RedFlag._default_manager.by_urgency().order_by(*self.get_ordering(request))
        return with_open_revision(flags)

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
