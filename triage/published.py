"""The published content the engine needs, as the engine's plain data. One query each."""

from __future__ import annotations

from content.models import RedFlag, Routine
from content.versions import per_version
from triage import engine


def red_flag_rows() -> list[RedFlag]:
    """Published red flags, most urgent first, in the admin's order within a level.

    Every step of the check needs them: built once per content version (a red flag's save makes a new one).
    """
    fields = ("slug", "question", "explanation", "help_statement", "urgency", "derived", "order")
    return per_version(
        "triage:red-flag-rows", lambda: list(RedFlag.objects.published().by_urgency().only(*fields))
    )


def as_flags(rows: list[RedFlag]) -> list[engine.Flag]:
    return [engine.Flag(slug=row.slug, urgency=row.urgency, derived=row.derived) for row in rows]


def routine_rows() -> list[Routine]:
    return per_version("triage:routine-rows", lambda: list(Routine.objects.published()))


def as_routines(rows: list[Routine]) -> list[engine.RoutineRef]:
    return [engine.RoutineRef(slug=row.slug, phases=row.phases) for row in rows]
