"""The published content the engine needs, as the engine's plain data. One query each."""

from __future__ import annotations

from content.models import RedFlag, Routine
from content.versions import per_version
from triage import engine
from triage.path import FlagSet
from triage.steps import Step, build_steps


def red_flag_rows() -> list[RedFlag]:
    """Published red flags, most urgent first, in the admin's order within a level.

    Every step of the check needs them: built once per content version (a red flag's save makes a new one).
    Whole rows, in every language: the same rows serve /check/ and /es/check/, and a deferred column (an
    `.only()` list names one language's) would cost a query per flag on the other language's pages.
    """
    return per_version("triage:red-flag-rows", lambda: list(RedFlag.objects.published().by_urgency()))


def as_flags(rows: list[RedFlag]) -> list[engine.Flag]:
    return [engine.Flag(slug=row.slug, urgency=row.urgency, derived=row.derived) for row in rows]


def routine_rows() -> list[Routine]:
    return per_version("triage:routine-rows", lambda: list(Routine.objects.published()))


def as_routines(rows: list[Routine]) -> list[engine.RoutineRef]:
    return [engine.RoutineRef(slug=row.slug, phases=row.phases) for row in rows]


def flags_and_steps() -> tuple[list[RedFlag], FlagSet, list[Step]]:
    """The published red flags, as rows and as the engine's flags, and the questions built from them: once
    per content version in each worker (the steps hold lazy translations, so they serve every language)."""
    rows = red_flag_rows()

    def build() -> tuple[FlagSet, list[Step]]:
        return FlagSet(as_flags(rows)), build_steps([row for row in rows if not row.derived])

    flags, steps = per_version("triage:flags-and-steps", build)
    return rows, flags, steps
