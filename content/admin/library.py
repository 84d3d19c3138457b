"""The library pages in the admin: causes, remedies and prevention tips."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from content.admin.base import (
    RECORD_FIELDSET,
    REVIEW_FIELDSET,
    WRITING_TIP,
    ReviewDueFilter,
)
from content.admin.reviewed import ReviewedAdmin
from content.models import (
    Cause,
    Guide,
    PreventionTip,
    Remedy,
)
from content.views import library


class ClinicalContentAdmin(ReviewedAdmin):
    list_display = ("title", "status", "review_state", "order", "updated")
    search_fields = ("title", "slug", "summary", "body")
    slug_from = "title"


@admin.register(Cause)
class CauseAdmin(ClinicalContentAdmin):
    def public_page(self, request, obj):
        return "content/library_cause.html", library.cause_context(obj)

    fieldsets = [
        (None, {"fields": ("title", "slug", "summary", "status"), "description": WRITING_TIP}),
        (_("The page"), {"fields": ("body", "prevention")}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]


@admin.register(Remedy)
class RemedyAdmin(ClinicalContentAdmin):
    def public_page(self, request, obj):
        return "content/library_remedy.html", library.remedy_context(obj)

    list_display = ("title", "kind", "phases", "status", "review_state", "order")
    list_filter = ("status", "kind", "phases", "not_for_pregnancy", "not_for_under_16", ReviewDueFilter)
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
        (
            _("Who it is not for"),
            {
                "fields": ("not_for_pregnancy", "not_for_under_16"),
                "description": _(
                    "A personal plan leaves this out for these people and says whom to ask instead: "
                    "a midwife in pregnancy, a pharmacist for someone under 16."
                ),
            },
        ),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]


@admin.register(Guide)
class GuideAdmin(ClinicalContentAdmin):
    def public_page(self, request, obj):
        return "content/library_guide.html", library.guide_context(obj)

    list_display = ("title", "with_heat_and_cold", "status", "review_state", "order", "updated")
    fieldsets = [
        (
            None,
            {
                "fields": ("title", "slug", "summary", "with_heat_and_cold", "status"),
                "description": WRITING_TIP,
            },
        ),
        (_("The page"), {"fields": ("body",)}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]


@admin.register(PreventionTip)
class PreventionTipAdmin(ClinicalContentAdmin):
    def public_page(self, request, obj):
        return "content/library_prevention.html", library.prevention_context(obj)

    fieldsets = [
        (None, {"fields": ("title", "slug", "summary", "status"), "description": WRITING_TIP}),
        (_("The page"), {"fields": ("body",)}),
        REVIEW_FIELDSET,
        RECORD_FIELDSET,
    ]
