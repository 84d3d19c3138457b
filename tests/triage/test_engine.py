"""The rules of DESIGN.md, exhaustively, with no database: under-triage is the bug that must never happen."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.triage.conftest import AGE_FLAG, EMERGENCY, GP, URGENT
from triage.engine import (
    LEVELS,
    RANK,
    Answers,
    Flag,
    Outcome,
    RoutineRef,
    assess,
    assess_stopped,
)

FLAGS = (
    [Flag(slug, "emergency") for slug in EMERGENCY]
    + [Flag(slug, "urgent") for slug in URGENT]
    + [Flag(slug, "gp") for slug in GP]
    + [Flag(AGE_FLAG, "gp", derived=True)]
)
ROUTINES = [
    RoutineRef("cold-pack-cycles", "early"),
    RoutineRef("heat-pack-cycles", "both"),
    RoutineRef("core-strength", "settling"),
    RoutineRef("gentle-stretches", "both"),
]
URGENCY = {flag.slug: flag.urgency for flag in FLAGS}


def answers(**kw) -> Answers:
    """A 35-year-old, first episode, started two days ago: no red flag applies."""
    fields = {"age": 35, "onset_days": 2, "pain_score": 5, "recurrent": False, "red_flags": ()}
    return Answers(**{**fields, **kw})


def test_it_gives_self_care_when_nothing_applies():
    assert assess(answers(), FLAGS, ROUTINES) == Outcome(
        "self_care", "early", (), ("cold-pack-cycles", "heat-pack-cycles", "gentle-stretches")
    )


@pytest.mark.parametrize("slug", EMERGENCY + URGENT + GP)
def test_every_red_flag_alone_gives_its_level(slug):
    outcome = assess(answers(red_flags=(slug,)), FLAGS, ROUTINES)
    assert outcome.disposition == URGENCY[slug]
    assert outcome.red_flags == (slug,)


@pytest.mark.parametrize("slug", EMERGENCY + URGENT)
def test_emergency_and_urgent_outcomes_have_no_phase_and_no_routines(slug):
    outcome = assess(answers(red_flags=(slug,)), FLAGS, ROUTINES)
    assert (outcome.phase, outcome.routines) == (None, ())


@pytest.mark.parametrize(
    ("slugs", "expected"),
    [
        (("fever", "bladder_bowel_control"), "emergency"),
        (("numbness_one_leg", "saddle_numbness"), "emergency"),
        (("numbness_one_leg", "night_pain"), "urgent"),
        (("numbness_one_leg", "major_trauma", "fever"), "emergency"),
    ],
)
def test_the_most_urgent_level_wins(slugs, expected):
    assert assess(answers(red_flags=slugs), FLAGS).disposition == expected


def test_it_lists_the_flags_that_apply_most_urgent_first_then_in_admin_order():
    outcome = assess(
        answers(age=60, red_flags=("numbness_one_leg", "night_pain", "fever", "major_trauma")), FLAGS
    )
    assert outcome.red_flags == ("major_trauma", "fever", "night_pain", "numbness_one_leg", AGE_FLAG)


@pytest.mark.parametrize(
    ("onset_days", "disposition", "phase"),
    [
        (0, "self_care", "early"),
        (3, "self_care", "early"),
        (4, "self_care", "settling"),
        (42, "self_care", "settling"),
        (43, "gp", "settling"),
        (400, "gp", "settling"),
    ],
)
def test_onset_boundaries(onset_days, disposition, phase):
    outcome = assess(answers(onset_days=onset_days), FLAGS)
    assert (outcome.disposition, outcome.phase) == (disposition, phase)


@pytest.mark.parametrize(
    ("age", "recurrent", "applies"),
    [
        (19, False, True),
        (20, False, False),
        (50, False, False),
        (51, False, True),
        (0, False, True),
        (120, False, True),
        (19, True, False),
        (51, True, False),
    ],
)
def test_the_age_flag_is_derived_from_age_and_a_first_episode(age, recurrent, applies):
    outcome = assess(answers(age=age, recurrent=recurrent), FLAGS)
    assert (AGE_FLAG in outcome.red_flags) is applies
    assert outcome.disposition == ("gp" if applies or recurrent else "self_care")


def test_recurrent_alone_gives_gp_with_a_phase():
    outcome = assess(answers(recurrent=True, onset_days=10), FLAGS, ROUTINES)
    assert outcome == Outcome("gp", "settling", (), ("heat-pack-cycles", "core-strength", "gentle-stretches"))


def test_a_gp_flag_keeps_the_phase_and_the_routines():
    outcome = assess(answers(red_flags=("numbness_one_leg",), onset_days=1), FLAGS, ROUTINES)
    assert outcome.phase == "early"
    assert outcome.routines == ("cold-pack-cycles", "heat-pack-cycles", "gentle-stretches")


def test_unpublished_flags_are_ignored():
    published = [flag for flag in FLAGS if flag.slug not in {"fever", AGE_FLAG}]
    outcome = assess(answers(age=70, red_flags=("fever",)), published)
    assert outcome.disposition == "self_care"
    assert outcome.red_flags == ()


def test_a_listed_age_slug_applies_even_when_age_alone_would_not_derive_it():
    outcome = assess(answers(red_flags=(AGE_FLAG,)), FLAGS)
    assert (outcome.disposition, outcome.red_flags) == ("gp", (AGE_FLAG,))


def test_a_new_flag_a_reviewer_adds_counts_at_its_level():
    flags = [*FLAGS, Flag("new_sign", "emergency")]
    assert assess(answers(red_flags=("new_sign",)), flags).disposition == "emergency"


def test_a_stopped_check_gives_the_most_urgent_ticked_level():
    assert assess_stopped(["fever", "bladder_bowel_control"], FLAGS) == Outcome(
        "emergency", None, ("bladder_bowel_control", "fever"), ()
    )
    assert assess_stopped(["night_pain"], FLAGS).disposition == "urgent"
    with pytest.raises(ValueError):
        assess_stopped(["numbness_one_leg"], FLAGS)


def test_the_outcome_serialises_in_the_contracts_order():
    outcome = assess(answers(), FLAGS, ROUTINES)
    assert list(outcome.as_dict()) == ["disposition", "phase", "red_flags", "routines"]


# ---- Properties: whatever the answers, never less urgent than a flag demands. ---------------------------

valid_answers = st.builds(
    Answers,
    age=st.integers(0, 120),
    onset_days=st.integers(0, 10_000),
    pain_score=st.integers(0, 10),
    recurrent=st.booleans(),
    red_flags=st.lists(st.sampled_from([flag.slug for flag in FLAGS]), unique=True).map(tuple),
)


@given(valid_answers, st.sampled_from(EMERGENCY))
def test_an_emergency_flag_always_gives_emergency(given_answers, slug):
    with_flag = Answers(**{**given_answers.__dict__, "red_flags": (*given_answers.red_flags, slug)})
    outcome = assess(with_flag, FLAGS, ROUTINES)
    assert outcome.disposition == "emergency"
    assert outcome.red_flags[0] in EMERGENCY


@given(valid_answers, st.sampled_from([flag.slug for flag in FLAGS]))
def test_adding_a_flag_never_lowers_the_level(given_answers, slug):
    before = assess(given_answers, FLAGS, ROUTINES)
    after = assess(
        Answers(**{**given_answers.__dict__, "red_flags": tuple({*given_answers.red_flags, slug})}),
        FLAGS,
        ROUTINES,
    )
    assert RANK[after.disposition] <= RANK[before.disposition]
    assert RANK[after.disposition] <= RANK[URGENCY[slug]]


@given(valid_answers)
def test_every_outcome_is_well_formed(given_answers):
    outcome = assess(given_answers, FLAGS, ROUTINES)
    assert outcome.disposition in LEVELS
    assert (outcome.phase is None) == (outcome.disposition in ("emergency", "urgent"))
    ranks = [RANK[URGENCY[slug]] for slug in outcome.red_flags]
    assert ranks == sorted(ranks)
    assert set(given_answers.red_flags) <= set(outcome.red_flags)
