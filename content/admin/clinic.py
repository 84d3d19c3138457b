"""The clinic's one row of settings: contact details and how it words the outcomes of the check."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from content.admin.base import ReadableHistory, text_formfield_kwargs
from content.models import (
    ClinicSettings,
)


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
class ClinicSettingsAdmin(TranslationAdmin, SimpleHistoryAdmin):
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
        (
            _("Spanish pages"),
            {
                "fields": ("stale_spanish",),
                "description": _(
                    "What a Spanish page shows when its English was changed after the Spanish was "
                    "written or confirmed."
                ),
            },
        ),
        (
            _("When to get help"),
            {
                "fields": ("see_a_doctor_if",),
                "description": _(
                    "Reasons to book a doctor that are not warning signs, listed after the warning signs."
                ),
            },
        ),
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

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        return super().formfield_for_dbfield(
            db_field, request, **{**text_formfield_kwargs(db_field), **kwargs}
        )

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

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
