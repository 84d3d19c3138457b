"""Clinical reviewers see how checks end: counts by week and level, as a chart and a table. Read-only."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from triage import charts, engine
from triage.models import Disposition, OutcomeRecord

WEEKS_SHOWN = 12


@admin.register(OutcomeRecord)
class OutcomeRecordAdmin(admin.ModelAdmin):
    list_display = ["day", "disposition", "phase", "flag_list", "reason_list"]
    list_filter = ["disposition", "phase", "day"]
    date_hierarchy = "day"
    change_list_template = "admin/triage/outcomerecord/change_list.html"

    @admin.display(description=_("red flags"))
    def flag_list(self, obj: OutcomeRecord) -> str:
        return ", ".join(obj.red_flags) or "-"

    @admin.display(description=_("reasons"))
    def reason_list(self, obj: OutcomeRecord) -> str:
        return ", ".join(obj.reasons) or "-"

    # Anonymous counts are made by the check alone: nobody adds or edits them by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutcomeRecord | None = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        today = timezone.localdate()
        since = charts.week_start(today) - timedelta(weeks=WEEKS_SHOWN - 1)
        rows = (
            OutcomeRecord.objects.filter(day__gte=since)
            .values_list("day", "disposition")
            .annotate(n=Count("id"))
            .order_by()
        )
        weeks = charts.weekly_counts(rows, today, WEEKS_SHOWN)
        labels = {level: str(label) for level, label in Disposition.choices}
        chart = charts.bar_chart(
            weeks,
            labels,
            gettext("Completed checks per week by outcome, last %(n)d weeks") % {"n": WEEKS_SHOWN},
        )
        context = {
            **(extra_context or {}),
            "outcome_chart": chart,
            "outcome_weeks": list(reversed(weeks)),
            "outcome_levels": [(level, labels[level], charts.COLOURS[level]) for level in engine.LEVELS],
        }
        return super().changelist_view(request, extra_context=context)


from triage.clinical import admin as clinical_admin  # noqa: E402, F401  (registers the clinical cases)
