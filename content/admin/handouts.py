"""Printable handouts and their sections in the admin."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from content.admin.base import (
    LIST_AND_FORM,
    RECORD_FIELDSET,
    REVIEW_FIELDSET,
    RevisionInlineFormSet,
    text_formfield_kwargs,
)
from content.admin.library import ClinicalContentAdmin
from content.models import (
    Handout,
    HandoutSection,
)


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
        for text in ("text_en", "text_es"):
            if kind == HandoutSection.Kind.SAFETY and (cleaned.get(text) or "").strip():
                self.add_error(
                    text, gettext("The safety box prints the clinic's own safety text: clear this.")
                )
        if kind == HandoutSection.Kind.TEXT and not (cleaned.get("text_en") or "").strip():
            self.add_error("text_en", gettext("Write the text for this section."))
        if wanted and not cleaned.get(wanted):
            self.add_error(wanted, gettext("Choose the item this section shows."))
        for name in self.ITEM_FIELDS.values():
            if name != wanted and cleaned.get(name):
                self.add_error(name, gettext("This section's kind does not use this: clear it."))
        return cleaned


class HandoutSectionInline(TranslationStackedInline):
    model = HandoutSection
    form = HandoutSectionForm
    formset = RevisionInlineFormSet

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return super().formfield_for_dbfield(
            db_field, request, **{**text_formfield_kwargs(db_field), **kwargs}
        )

    fields = ("order", "kind", "heading", "text", "remedy", "routine", "cause", "prevention")
    autocomplete_fields = ("remedy", "routine", "cause", "prevention")
    ordering = ("order", "pk")
    extra = 0
    max_num = 20  # two printed pages hold far fewer; the cap bounds the work of printing one
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

    def public_page(self, request, obj):
        from content.views.handouts import handout_context

        return "handouts/detail.html", handout_context(request, obj)

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
    def print_handouts(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        # Imported here: the admin loads in every process; WeasyPrint is needed only when printing.
        from content.pdf import RenderTooSlow
        from content.views.handouts import handouts_pdf_response

        most = settings.MAX_HANDOUTS_PER_PRINT
        if queryset.count() > most:
            self.message_user(
                request,
                gettext("Select at most %(most)d handouts to print at once.") % {"most": most},
                messages.ERROR,
            )
            return None
        try:
            return handouts_pdf_response(request, queryset)
        except RenderTooSlow:
            self.message_user(
                request,
                gettext("Making that PDF took too long. Print fewer handouts at once, or shorten them."),
                messages.ERROR,
            )
            return None
