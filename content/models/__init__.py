"""The clinic's knowledge: every word a patient reads comes from here, owned and reviewed by clinicians.

Data flows one way: these models (edited in the admin) -> published querysets -> triage and pages.

One module per responsibility; every name is re-exported here, so `from content.models import X` and the
migrations' `content.models.default_emergency_number` keep working.
"""

from __future__ import annotations

from content.models.base import (
    LIST_TEXT,
    LONG_TEXT,
    REVIEW_INTERVAL,
    SHORT_TEXT,
    URGENCY_RANK,
    ClinicalContent,
    ContentQuerySet,
    Phase,
    PhasedQuerySet,
    PhaseFit,
    Reviewed,
    Status,
    Urgency,
    default_emergency_number,
    dial_string,
)
from content.models.clinic import ClinicSettings
from content.models.handouts import Handout, HandoutSection
from content.models.library import (
    ADULT_DOSE_AGE,
    Cause,
    Guide,
    PreventionTip,
    Remedy,
    RemedyQuerySet,
    Unsuitable,
)
from content.models.red_flags import GUARDED_FIELDS, RedFlag, RedFlagQuerySet, red_flag_states
from content.models.routines import Routine, RoutineStep
from content.models.starter import StarterRecord

# Registered with the app here, defined beside the code that snapshots and applies revisions.
from content.revisions import Revision

__all__ = [
    "ADULT_DOSE_AGE",
    "GUARDED_FIELDS",
    "LIST_TEXT",
    "LONG_TEXT",
    "REVIEW_INTERVAL",
    "SHORT_TEXT",
    "URGENCY_RANK",
    "Cause",
    "ClinicSettings",
    "ClinicalContent",
    "ContentQuerySet",
    "Guide",
    "Handout",
    "HandoutSection",
    "Phase",
    "PhaseFit",
    "PhasedQuerySet",
    "PreventionTip",
    "RedFlag",
    "RedFlagQuerySet",
    "Remedy",
    "RemedyQuerySet",
    "Reviewed",
    "Revision",
    "Routine",
    "RoutineStep",
    "StarterRecord",
    "Status",
    "Unsuitable",
    "Urgency",
    "default_emergency_number",
    "dial_string",
    "red_flag_states",
]
