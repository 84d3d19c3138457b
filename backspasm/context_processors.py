from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from backspasm.contentversion import per_version
from content.models import ClinicSettings, Guide


def clinic_settings() -> ClinicSettings:
    """The clinic's details and wording, kept in memory: no query on most requests.

    Kept per content version (backspasm/contentversion.py), which every save of the settings changes: the
    emergency number on every page is the saved one from the next request on, in every worker.
    Until the clinic saves its settings in the admin, the defaults are used, with the emergency
    number from the EMERGENCY_NUMBER setting; nothing is written to the database on a page view.
    """
    try:
        return per_version("clinic-settings", load_clinic_settings)
    except DatabaseError:
        # No database (or no tables yet): the emergency number must still show.
        return ClinicSettings(emergency_number=settings.EMERGENCY_NUMBER)


def load_clinic_settings() -> ClinicSettings:
    found = ClinicSettings.objects.filter(pk=1).first()
    return found if found is not None else ClinicSettings(emergency_number=settings.EMERGENCY_NUMBER)


def heat_cold_safety() -> list[Guide]:
    """The published guide(s) marked "shown with heat and cold": the one safety text every heat or cold page shows.

    Kept per content version like the clinic settings, so a page that shows it runs no extra query.
    """
    try:
        return per_version("heat-cold-safety", load_heat_cold_safety)
    except DatabaseError:
        return []


def load_heat_cold_safety() -> list[Guide]:
    return list(Guide.objects.published().filter(with_heat_and_cold=True))


def site(request: HttpRequest) -> dict[str, object]:
    """What every page needs: the emergency number stays in sight on every screen.

    `heat_cold_safety` is lazy: only a page that includes templates/content/_heat_cold_safety.html reads it.
    """
    clinic = clinic_settings()
    return {
        "emergency_number": clinic.emergency_number,
        "clinic": clinic,
        "heat_cold_safety": SimpleLazyObject(heat_cold_safety),
    }
