"""The clinical-case runner, directly: pure Python, no database."""

from __future__ import annotations

from triage import engine
from triage.clinical.runner import (
    OVER_TRIAGE,
    PASS,
    UNDER_TRIAGE,
    WRONG_PHASE,
    Case,
    run_cases,
    worst_first,
)

FLAGS = [
    engine.Flag("numbness_both_legs", engine.EMERGENCY),
    engine.Flag("fever", engine.URGENT),
    engine.Flag("numbness_one_leg", engine.GP),
]


def case(title="A case", flags=(), expected=engine.SELF_CARE, phase=None, **answers) -> Case:
    fields = {"age": 35, "onset_days": 2, "pain_score": 5, "recurrent": False, "trajectory": "same"}
    return Case(
        key=title.lower().replace(" ", "-"),
        title=title,
        answers=engine.Answers(**{**fields, **answers}, red_flags=tuple(flags)),
        expected=expected,
        expected_phase=phase,
    )


def test_it_says_pass_under_triage_over_triage_and_wrong_phase():
    results = run_cases(
        [
            case("Both legs", ["numbness_both_legs"], engine.EMERGENCY),
            case("Fever expected emergency", ["fever"], engine.EMERGENCY),
            case("Calm expected urgent", [], engine.URGENT),
            case("One leg expected settling", ["numbness_one_leg"], engine.GP, engine.SETTLING),
            case("One leg expected self care", ["numbness_one_leg"], engine.SELF_CARE),
        ],
        FLAGS,
    )
    verdicts = [result.verdict for result in results]
    assert verdicts == [PASS, UNDER_TRIAGE, UNDER_TRIAGE, WRONG_PHASE, OVER_TRIAGE]


def test_the_message_names_the_case_and_both_outcomes():
    [result] = run_cases(
        [case("Pain and numbness down both legs", ["numbness_both_legs"], engine.EMERGENCY)], []
    )
    assert result.verdict == UNDER_TRIAGE
    assert (
        result.message == "Case 'Pain and numbness down both legs': expected emergency, would get self_care"
    )


def test_it_reports_what_the_engine_said_and_why():
    [result] = run_cases([case(flags=["numbness_one_leg"], expected=engine.GP, trajectory="worse")], FLAGS)
    assert result.passed
    assert result.outcome.red_flags == ("numbness_one_leg",)
    assert result.outcome.reasons == ("getting_worse",)
    assert result.outcome.phase == engine.EARLY


def test_an_unpublished_ticked_flag_is_ignored_as_the_check_would_never_ask_it():
    [result] = run_cases([case(flags=["saddle_numbness"], expected=engine.EMERGENCY)], FLAGS)
    assert result.verdict == UNDER_TRIAGE


def test_failures_come_first_under_triage_first():
    results = run_cases(
        [
            case("Passes"),
            case("Phase", flags=["numbness_one_leg"], expected=engine.GP, phase=engine.SETTLING),
            case("Over", flags=["fever"], expected=engine.GP),
            case("Under", flags=["fever"], expected=engine.EMERGENCY),
        ],
        FLAGS,
    )
    assert [r.case.title for r in worst_first(results)] == ["Under", "Over", "Phase", "Passes"]
