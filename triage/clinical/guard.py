"""The guard triage registers with content: refuse a red-flag change that makes an active case worse.

A change is refused when, against the red flags as they would be after it, an active case fails that
passes now, or an already failing case moves further from what is expected. A case that already fails and
is left exactly as it is does not block unrelated changes (it shows as failing on the cases page), so one
broken case never freezes every other edit, and a fix made in several steps is not refused half-way.
"""

from __future__ import annotations

from content.guards import FlagState
from triage import engine
from triage.clinical.runner import CaseResult, run_cases


def published_flags(states: list[FlagState]) -> list[engine.Flag]:
    return [engine.Flag(slug=s.slug, urgency=s.urgency, derived=s.derived) for s in states if s.published]


def broken_by_change(before: list[CaseResult], after: list[CaseResult]) -> list[CaseResult]:
    return [
        now
        for was, now in zip(before, after, strict=True)
        if not now.passed and (was.passed or now.distance > was.distance)
    ]


def clinical_case_guard(after: list[FlagState], before: list[FlagState]) -> list[str]:
    from triage.clinical.models import ClinicalCase

    cases = [case.as_case() for case in ClinicalCase.objects.active()]
    if not cases:
        return []
    results_before = run_cases(cases, published_flags(before))
    results_after = run_cases(cases, published_flags(after))
    return [result.message for result in broken_by_change(results_before, results_after)]
