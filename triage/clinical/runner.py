"""Run clinical test cases through the engine: pure Python, no Django, so every caller shares one answer.

A case is what a clinician says the check must give for one person's answers. `run_cases` runs each case
against a given set of published red flags (what is published now, or what would be after a change) and
says, for each, whether the check gets it right and, if not, which way it is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from triage import engine

PASS = "pass"
UNDER_TRIAGE = "under_triage"  # the check would tell the person to wait longer than they should
OVER_TRIAGE = "over_triage"
WRONG_PHASE = "fail"  # the right level, but the wrong phase (so the wrong plan and routines)
VERDICT_ORDER = {UNDER_TRIAGE: 0, OVER_TRIAGE: 1, WRONG_PHASE: 2, PASS: 3}  # the worst first
VERDICT_LABELS = {
    UNDER_TRIAGE: "Under-triage",
    OVER_TRIAGE: "Over-triage",
    WRONG_PHASE: "Fail (wrong phase)",
    PASS: "Pass",
}
LEVEL_WORDS = {
    engine.EMERGENCY: "emergency",
    engine.URGENT: "urgent",
    engine.GP: "gp",
    engine.SELF_CARE: "self_care",
}


@dataclass(frozen=True)
class Case:
    """One clinical case, as the runner needs it. `expected_phase` None means "any phase"."""

    key: str
    title: str
    answers: engine.Answers
    expected: str
    expected_phase: str | None = None


@dataclass(frozen=True)
class CaseResult:
    case: Case
    outcome: engine.Outcome
    verdict: str

    @property
    def passed(self) -> bool:
        return self.verdict == PASS

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def distance(self) -> int:
        """How far the outcome is from what is expected: two a level, one for a wrong phase."""
        levels = abs(engine.RANK[self.outcome.disposition] - engine.RANK[self.case.expected])
        return 2 * levels + (self.verdict == WRONG_PHASE)

    def expected_words(self) -> str:
        if self.case.expected_phase and self.case.expected in (engine.GP, engine.SELF_CARE):
            return f"{self.case.expected} ({self.case.expected_phase})"
        return self.case.expected

    def outcome_words(self) -> str:
        if self.verdict == WRONG_PHASE:
            return f"{self.outcome.disposition} ({self.outcome.phase})"
        return self.outcome.disposition

    @property
    def message(self) -> str:
        """One line, e.g. "Case 'Pain and numbness down both legs': expected emergency, would get gp"."""
        if self.passed:
            return f"Case '{self.case.title}': gets {self.outcome_words()} as expected"
        return f"Case '{self.case.title}': expected {self.expected_words()}, would get {self.outcome_words()}"


def verdict_for(case: Case, outcome: engine.Outcome) -> str:
    got, wanted = engine.RANK[outcome.disposition], engine.RANK[case.expected]
    if got > wanted:  # a higher rank is less urgent
        return UNDER_TRIAGE
    if got < wanted:
        return OVER_TRIAGE
    if case.expected_phase and outcome.phase is not None and outcome.phase != case.expected_phase:
        return WRONG_PHASE
    return PASS


def run_case(case: Case, flags: Sequence[engine.Flag]) -> CaseResult:
    # A ticked flag that is not published is not asked, so nobody could tick it: assess() ignores it.
    outcome = engine.assess(case.answers, flags)
    return CaseResult(case=case, outcome=outcome, verdict=verdict_for(case, outcome))


def run_cases(cases: Iterable[Case], flags: Sequence[engine.Flag]) -> list[CaseResult]:
    """Every case against `flags` (the published red flags, most urgent first), in the order given."""
    flags = list(flags)
    return [run_case(case, flags) for case in cases]


def worst_first(results: Iterable[CaseResult]) -> list[CaseResult]:
    """Failures first (under-triage, then over-triage, then wrong phase), then passes; stable otherwise."""
    return sorted(results, key=lambda result: VERDICT_ORDER[result.verdict])
