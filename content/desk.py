"""What the admin home tells staff: what waits for review, what is due a review, and what is not set up yet.

Plain functions over querysets, so the admin home's template only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from content.languages import translated_names
from content.models import Cause, ClinicSettings, Handout, PreventionTip, RedFlag, Remedy, Routine, Status
from content.revisions import Revision

REVIEWED_MODELS = (Remedy, Cause, PreventionTip, RedFlag, Routine, Handout)
DUE_WITHIN = timedelta(days=30)
PLACEHOLDER = "(placeholder)"


@dataclass(frozen=True)
class Entry:
    kind: str  # "Remedy", "Red flag"...
    title: str
    what: str  # "New item" or "Revision 12"
    submitted_by: str
    submitted_at: datetime | None
    url: str


@dataclass(frozen=True)
class DueEntry:
    kind: str
    title: str
    due: date | None  # None: never reviewed
    url: str


def _change_url(obj: Model) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else gettext("(unknown)")


def waiting_for_review(submitted_by=None) -> list[Entry]:
    """New items in review and submitted revisions, oldest submission first; one person's when given."""
    entries = []
    for model in REVIEWED_MODELS:
        items = model._default_manager.filter(status=Status.IN_REVIEW).select_related("submitted_by")
        if submitted_by is not None:
            items = items.filter(submitted_by=submitted_by)
        for item in items:
            entries.append(
                Entry(
                    kind=str(model._meta.verbose_name).capitalize(),
                    title=str(item),
                    what=gettext("New, not yet published"),
                    submitted_by=_name(item.submitted_by),
                    submitted_at=item.submitted_at,
                    url=_change_url(item),
                )
            )
    revisions = Revision.objects.filter(state=Revision.State.IN_REVIEW).select_related(
        "submitted_by", "content_type"
    )
    if submitted_by is not None:
        revisions = revisions.filter(submitted_by=submitted_by)
    for revision in revisions:
        item = revision.item
        if item is None:
            continue
        entries.append(
            Entry(
                kind=str(item._meta.verbose_name).capitalize(),
                title=str(item),
                what=gettext("Revision %(n)d of the published page") % {"n": revision.pk},
                submitted_by=_name(revision.submitted_by),
                submitted_at=revision.submitted_at,
                url=reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_revision", args=[item.pk]),
            )
        )
    oldest = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    return sorted(entries, key=lambda entry: entry.submitted_at or oldest)


def review_due(today: date | None = None) -> list[DueEntry]:
    """Published items whose review is overdue, due within 30 days, or that were never reviewed."""
    today = today or timezone.localdate()
    entries = []
    for model in REVIEWED_MODELS:
        published = model._default_manager.published()
        for item in published.filter(next_review_due__lte=today + DUE_WITHIN) | published.never_reviewed():
            entries.append(
                DueEntry(
                    kind=str(model._meta.verbose_name).capitalize(),
                    title=str(item),
                    due=item.next_review_due if item.last_reviewed else None,
                    url=_change_url(item),
                )
            )
    return sorted(entries, key=lambda entry: (entry.due is not None, entry.due or today))


def placeholder_fields(clinic: ClinicSettings | None = None) -> list[str]:
    """The clinic settings still holding the starter placeholders, by their label."""
    clinic = clinic or ClinicSettings.objects.filter(pk=1).first() or ClinicSettings()
    shadows = set(translated_names(ClinicSettings))  # `opening_hours` reads `opening_hours_en`: list it once
    return [
        str(field.verbose_name)
        for field in clinic._meta.concrete_fields
        if field.name not in shadows
        and isinstance(getattr(clinic, field.attname), str)
        and PLACEHOLDER in getattr(clinic, field.attname)
    ]


def desk(user, host_url: str) -> dict[str, object]:
    reviewer = user.has_perm("content.publish_content")
    clinic_url = reverse("admin:content_clinicsettings_changelist")
    return {
        "is_reviewer": reviewer,
        "waiting": waiting_for_review(None if reviewer else user),
        "due": review_due() if reviewer else [],
        "placeholders": placeholder_fields(),
        "clinic_url": clinic_url,
        "public_url": settings.PUBLIC_URL,
        "host_url": host_url,
    }
