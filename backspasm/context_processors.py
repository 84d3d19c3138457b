from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest

from backspasm.contentversion import per_version
from content.models import ClinicSettings


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


def site(request: HttpRequest) -> dict[str, object]:
    """What every page needs: the emergency number stays in sight on every screen."""
    clinic = clinic_settings()
    return {"emergency_number": clinic.emergency_number, "clinic": clinic}
