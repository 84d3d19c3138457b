from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from content.models import ClinicSettings

CLINIC_CACHE_KEY = "backspasm:clinic-settings"
# Saving the settings clears the cache at once. The timeout only matters with a per-process cache
# (LocMemCache, no REDIS_URL): other workers then pick up a change within a minute.
CLINIC_CACHE_SECONDS = 60


def clinic_settings() -> ClinicSettings:
    """The clinic's details and wording, from the cache: no query on most requests.

    Until the clinic saves its settings in the admin, the defaults are used, with the emergency
    number from the EMERGENCY_NUMBER setting; nothing is written to the database on a page view.
    """
    found = cache.get(CLINIC_CACHE_KEY)
    if found is None:
        try:
            found = ClinicSettings.objects.filter(pk=1).first()
        except DatabaseError:
            # No database (or no tables yet): the emergency number must still show.
            return ClinicSettings(emergency_number=settings.EMERGENCY_NUMBER)
        if found is None:
            found = ClinicSettings(emergency_number=settings.EMERGENCY_NUMBER)
        cache.set(CLINIC_CACHE_KEY, found, CLINIC_CACHE_SECONDS)
    return found


@receiver(post_save, sender=ClinicSettings, dispatch_uid="forget-clinic-settings-on-save")
@receiver(post_delete, sender=ClinicSettings, dispatch_uid="forget-clinic-settings-on-delete")
def forget_clinic_settings(**kwargs) -> None:
    cache.delete(CLINIC_CACHE_KEY)


def site(request: HttpRequest) -> dict[str, object]:
    """What every page needs: the emergency number stays in sight on every screen."""
    clinic = clinic_settings()
    return {"emergency_number": clinic.emergency_number, "clinic": clinic}
