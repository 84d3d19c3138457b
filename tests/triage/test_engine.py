"""The rules of version 2 (docs/triage-rules.md), exhaustively, with no database.

Under-triage is the bug that must never happen: every flag alone and in combination, every boundary the rules
turn on, every trajectory, and properties over random answers.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.triage.conftest import AGE_FLAG, DERIVED, EMERGENCY, GP, URGENT
from triage.engine import (
    LEVELS,
    RANK,
    REASONS,
    RULE_INPUTS,
    TRAJECTORIES,
    Answers,
    Flag,
    Outcome,
    Partial,
    RoutineRef,
    assess,
    assess_settled,
    bounds,
    could_change,
    derived_flags,
    settled,
)

FLAGS = (
    [Flag(slug, "emergency") for slug in EMERGENCY]
    + [Flag(slug, "urgent") for slug in URGENT]
    + [Flag(slug, "gp") for slug in GP]
    + [Flag(slug, urgency, derived=True) for slug, urgency in DERIVED.items()]
)
ASKED = EMERGENCY + URGENT + GP
ROUTINES = [
    RoutineRef("cold-pack-cycles", "early"),
    RoutineRef("heat-pack-cycles", "both"),
    RoutineRef("core-strength", "settling"),
    RoutineRef("gentle-stretches", "both"),
]
URGENCY = {flag.slug: flag.urgency for flag in FLAGS}


def answers(**kw) -> Answers:
    """A 35-year-old, first episode, started two days ago, moderate pain, getting better: nothing applies."""
    fields = {
        "age": 35,
        "onset_days": 2,
        "pain_score": 5,
        "recurrent": False,
        "trajectory": "better",
        "red_flags": (),
    }
    return Answers(**{**fields, **kw})


def level(**kw) -> str:
    return assess(answers(**kw), FLAGS).disposition


def test_it_gives_self_care_when_nothing_applies():
    assert assess(answers(), FLAGS, ROUTINES) == Outcome(
        "self_care", "early", (), (), ("cold-pack-cycles", "heat-pack-cycles", "gentle-stretches")
    )


@pytest.mark.parametrize("slug", ASKED)
def test_every_asked_red_flag_alone_gives_its_level(slug):
    outcome = assess(answers(red_flags=(slug,)), FLAGS, ROUTINES)
    assert outcome.disposition == URGENCY[slug]
    assert outcome.red_flags == (slug,)
    assert outcome.reasons == ()


@pytest.mark.parametrize("slug", EMERGENCY + URGENT)
def test_emergency_and_urgent_outcomes_have_no_phase_and_no_routines(slug):
    outcome = assess(answers(red_flags=(slug,)), FLAGS, ROUTINES)
    assert (outcome.phase, outcome.routines) == (None, ())


@pytest.mark.parametrize(("slug", "urgency"), DERIVED.items())
def test_a_listed_derived_slug_applies_at_its_level(slug, urgency):
    outcome = assess(answers(red_flags=(slug,)), FLAGS)
    assert outcome.disposition == urgency
    assert outcome.red_flags == (slug,)


# ---- Each derived flag, from the answers, at its boundaries -------------------------------------------


@pytest.mark.parametrize(
    ("age", "recurrent", "applies"),
    [(4, False, True), (19, False, True), (20, False, False), (50, False, False), (51, False, True)]
    + [(120, False, True), (19, True, False), (51, True, False)],
)
def test_the_age_flag_is_derived_from_age_and_a_first_episode(age, recurrent, applies):
    outcome = assess(answers(age=age, recurrent=recurrent), FLAGS)
    assert (AGE_FLAG in outcome.red_flags) is applies


@pytest.mark.parametrize(
    ("slugs", "applies"),
    [
        (("cancer_history", "numbness_one_leg"), True),
        (("cancer_history",), False),
        (("numbness_one_leg",), False),
    ],
)
def test_cancer_with_leg_symptoms_is_an_emergency(slugs, applies):
    outcome = assess(answers(red_flags=slugs), FLAGS)
    assert ("cancer_with_leg_symptoms" in outcome.red_flags) is applies
    assert outcome.disposition == ("emergency" if applies else URGENCY[slugs[0]])


@pytest.mark.parametrize(
    ("age", "recurrent", "pain", "applies"),
    [
        (51, False, 8, True),
        (50, False, 8, False),
        (51, False, 7, False),
        (51, True, 8, False),
        (90, False, 10, True),
    ],
)
def test_severe_first_over_50_is_urgent(age, recurrent, pain, applies):
    # Getting better and sudden, so the over-60 rule stays out of it.
    outcome = assess(answers(age=age, recurrent=recurrent, pain_score=pain), FLAGS)
    assert ("severe_first_over_50" in outcome.red_flags) is applies
    if applies:
        assert outcome.disposition == "urgent"


@pytest.mark.parametrize(
    ("age", "recurrent", "pain", "onset", "trajectory", "applies"),
    [
        (60, False, 8, 3, "worse", True),
        (59, False, 8, 3, "worse", False),
        (60, True, 8, 3, "worse", False),
        (60, False, 7, 3, "worse", False),
        (60, False, 8, 4, "worse", False),
        (60, False, 8, 0, "same", False),
        (60, False, 8, 0, "better", False),
        (85, False, 10, 0, "worse", True),
    ],
)
def test_sudden_severe_over_60_is_an_emergency(age, recurrent, pain, onset, trajectory, applies):
    outcome = assess(
        answers(age=age, recurrent=recurrent, pain_score=pain, onset_days=onset, trajectory=trajectory), FLAGS
    )
    assert ("sudden_severe_over_60" in outcome.red_flags) is applies
    assert (outcome.disposition == "emergency") is applies


@pytest.mark.parametrize(("pain", "applies"), [(8, True), (7, False), (10, True), (0, False)])
def test_pregnancy_with_severe_pain_is_urgent(pain, applies):
    outcome = assess(answers(pain_score=pain, red_flags=("pregnant",)), FLAGS)
    assert ("pregnant_severe_pain" in outcome.red_flags) is applies
    assert outcome.disposition == ("urgent" if applies else "gp")


@pytest.mark.parametrize(
    ("age", "slugs", "applies"),
    [
        (35, ("fever", "immune_suppressed_or_injects_drugs"), True),
        (35, ("fever", "recent_infection_or_spine_procedure"), True),
        (3, ("fever",), True),
        (4, ("fever",), False),
        (35, ("fever",), False),
        (35, ("immune_suppressed_or_injects_drugs", "recent_infection_or_spine_procedure"), False),
        (3, (), False),
    ],
)
def test_suspected_spinal_infection_is_an_emergency(age, slugs, applies):
    outcome = assess(answers(age=age, red_flags=slugs), FLAGS)
    assert ("suspected_spinal_infection" in outcome.red_flags) is applies
    if applies:
        assert outcome.disposition == "emergency"


@pytest.mark.parametrize(("age", "applies"), [(0, True), (3, True), (4, False), (35, False)])
def test_under_4_is_urgent(age, applies):
    outcome = assess(answers(age=age), FLAGS)
    assert ("under_4" in outcome.red_flags) is applies
    assert outcome.disposition == ("urgent" if applies else level(age=age))


# ---- Reasons to see a doctor without a flag --------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "reasons"),
    [
        ({"onset_days": 42, "trajectory": "better"}, ()),
        ({"onset_days": 43, "trajectory": "better"}, ("long_standing",)),
        ({"onset_days": 43, "trajectory": "same"}, ("long_standing", "not_improving")),
        ({"recurrent": True}, ("recurrent",)),
        ({"pain_score": 7}, ()),
        ({"pain_score": 8}, ("severe_pain",)),
        ({"trajectory": "worse"}, ("getting_worse",)),
        ({"trajectory": "same"}, ()),
        ({"onset_days": 14, "trajectory": "same"}, ()),
        ({"onset_days": 15, "trajectory": "same"}, ("not_improving",)),
        ({"onset_days": 15, "trajectory": "better"}, ()),
        ({"onset_days": 15, "trajectory": "worse"}, ("getting_worse", "not_improving")),
        (
            {"onset_days": 100, "recurrent": True, "pain_score": 9, "trajectory": "worse"},
            ("long_standing", "recurrent", "severe_pain", "getting_worse", "not_improving"),
        ),
    ],
)
def test_reasons_apply_at_their_boundaries_in_the_contracts_order(kw, reasons):
    outcome = assess(answers(**kw), FLAGS)
    assert outcome.reasons == reasons
    if not outcome.red_flags:
        assert outcome.disposition == ("gp" if reasons else "self_care")


def test_a_reason_keeps_the_phase_and_the_routines():
    outcome = assess(answers(pain_score=8, onset_days=1, recurrent=True), FLAGS, ROUTINES)
    assert (outcome.disposition, outcome.phase) == ("gp", "early")
    assert outcome.routines == ("cold-pack-cycles", "heat-pack-cycles", "gentle-stretches")


@pytest.mark.parametrize(
    ("onset_days", "phase"), [(0, "early"), (3, "early"), (4, "settling"), (42, "settling"), (43, "settling")]
)
def test_the_phase_turns_after_day_3(onset_days, phase):
    assert assess(answers(onset_days=onset_days, recurrent=True), FLAGS).phase == phase


@pytest.mark.parametrize("trajectory", TRAJECTORIES)
def test_every_trajectory_is_understood(trajectory):
    outcome = assess(answers(trajectory=trajectory), FLAGS)
    assert outcome.disposition == ("gp" if trajectory == "worse" else "self_care")


# ---- Combinations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(ASKED, 2)))
def test_every_pair_of_asked_flags_gives_the_more_urgent_level_at_least(first, second):
    outcome = assess(answers(red_flags=(first, second)), FLAGS)
    expected = min(URGENCY[first], URGENCY[second], key=RANK.__getitem__)
    assert RANK[outcome.disposition] <= RANK[expected]
    assert {first, second} <= set(outcome.red_flags)


def test_it_lists_the_flags_most_urgent_first_then_in_admin_order():
    outcome = assess(
        answers(age=60, red_flags=("numbness_one_leg", "night_pain", "fever", "major_trauma")), FLAGS
    )
    assert outcome.red_flags == ("major_trauma", "fever", "night_pain", "numbness_one_leg", AGE_FLAG)


def test_unpublished_flags_and_rules_are_ignored():
    published = [flag for flag in FLAGS if flag.slug not in {"fever", "under_4", AGE_FLAG}]
    outcome = assess(answers(age=2, red_flags=("fever",)), published)
    # suspected_spinal_infection is still published and fever-with-a-young-child derives it.
    assert outcome.red_flags == ("suspected_spinal_infection",)
    assert assess(answers(age=70, red_flags=("fever",)), published).red_flags == ()


def test_a_new_flag_a_reviewer_adds_counts_at_its_level():
    flags = [*FLAGS, Flag("new_sign", "emergency")]
    assert assess(answers(red_flags=("new_sign",)), flags).disposition == "emergency"


def test_a_reviewer_can_change_a_derived_flags_urgency():
    flags = [Flag(f.slug, "emergency" if f.slug == "under_4" else f.urgency, f.derived) for f in FLAGS]
    assert assess(answers(age=2), flags).disposition == "emergency"


def test_the_outcome_serialises_in_the_contracts_order():
    outcome = assess(answers(), FLAGS, ROUTINES)
    assert list(outcome.as_dict()) == ["disposition", "phase", "red_flags", "reasons", "routines"]


# ---- Partial answers: bounds, settling and questions that can still matter ---------------------------


def test_nothing_answered_can_still_end_anywhere():
    assert bounds(Partial(unanswered=frozenset(ASKED)), FLAGS) == ("self_care", "emergency")


def test_an_emergency_flag_settles_the_check_at_once():
    partial = Partial(red_flags=("saddle_numbness",), unanswered=frozenset(URGENT + GP))
    assert settled(partial, FLAGS) == "emergency"
    assert assess_settled(partial, FLAGS) == Outcome("emergency", None, ("saddle_numbness",), ())


def test_sudden_severe_pain_over_60_settles_before_the_urgent_signs():
    partial = Partial(
        age=72,
        onset_days=0,
        pain_score=9,
        recurrent=False,
        trajectory="worse",
        unanswered=frozenset(URGENT + GP),
    )
    outcome = assess_settled(partial, FLAGS)
    assert outcome.disposition == "emergency"
    assert outcome.red_flags[0] == "sudden_severe_over_60"
    assert outcome.reasons == ("severe_pain", "getting_worse")


def test_an_urgent_flag_settles_unless_a_later_question_can_raise_it():
    facts = {"age": 35, "onset_days": 2, "pain_score": 5, "recurrent": False, "trajectory": "better"}
    night = Partial(**facts, red_flags=("night_pain",), unanswered=frozenset(GP))
    assert settled(night, FLAGS) == "urgent"
    cancer = Partial(**facts, red_flags=("cancer_history",), unanswered=frozenset(GP))
    assert settled(cancer, FLAGS) is None
    assert bounds(cancer, FLAGS) == ("urgent", "emergency")
    assert could_change(cancer, "numbness_one_leg", FLAGS)
    assert not could_change(cancer, "pregnant", FLAGS)
    answered = Partial(**facts, red_flags=("cancer_history",), unanswered=frozenset())
    assert settled(answered, FLAGS) == "urgent"


def test_a_gp_or_self_care_outcome_is_never_settled_early():
    facts = {"age": 35, "onset_days": 2, "pain_score": 5, "recurrent": True, "trajectory": "better"}
    partial = Partial(**facts, unanswered=frozenset(GP))
    assert bounds(partial, FLAGS) == ("gp", "gp")  # pregnant with pain 5 is not severe: still gp
    assert settled(partial, FLAGS) is None
    assert settled(Partial(**facts), FLAGS) is None


def test_the_fever_question_still_matters_for_a_young_child():
    partial = Partial(
        age=3,
        onset_days=0,
        pain_score=2,
        recurrent=False,
        trajectory="same",
        unanswered=frozenset(URGENT + GP),
    )
    assert bounds(partial, FLAGS) == ("urgent", "emergency")
    assert could_change(partial, "fever", FLAGS)
    assert not could_change(partial, "night_pain", FLAGS)


@pytest.mark.parametrize("slug", EMERGENCY + URGENT + GP)
def test_settling_never_hides_a_flag_the_person_ticked(slug):
    partial = Partial(red_flags=(slug,), unanswered=frozenset(set(ASKED) - {slug}))
    least, most = bounds(partial, FLAGS)
    assert RANK[least] <= RANK[URGENCY[slug]]
    assert most == "emergency"


# ---- Properties -------------------------------------------------------------------------------------

valid_answers = st.builds(
    Answers,
    age=st.integers(0, 120),
    onset_days=st.integers(0, 10_000),
    pain_score=st.integers(0, 10),
    recurrent=st.booleans(),
    trajectory=st.sampled_from(TRAJECTORIES),
    red_flags=st.lists(st.sampled_from([flag.slug for flag in FLAGS]), unique=True).map(tuple),
)


@given(valid_answers, st.sampled_from(EMERGENCY))
def test_an_emergency_flag_always_gives_emergency(given_answers, slug):
    with_flag = Answers(**{**given_answers.__dict__, "red_flags": (*given_answers.red_flags, slug)})
    outcome = assess(with_flag, FLAGS, ROUTINES)
    assert outcome.disposition == "emergency"
    assert URGENCY[outcome.red_flags[0]] == "emergency"


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
    assert [r for r in REASONS if r in outcome.reasons] == list(outcome.reasons)
    if outcome.reasons:
        assert RANK[outcome.disposition] <= RANK["gp"]


FIELD_NAMES = ("age", "onset_days", "pain_score", "recurrent", "trajectory")


@given(valid_answers, st.sets(st.sampled_from(FIELD_NAMES)), st.sets(st.sampled_from(ASKED)))
def test_every_completion_lies_within_the_bounds(complete, hidden_fields, hidden_flags):
    """Hide some answers: the real outcome must lie between the bounds the engine gives for what is left."""
    asked_ticked = tuple(slug for slug in complete.red_flags if slug in ASKED)
    complete = Answers(**{**complete.__dict__, "red_flags": asked_ticked})
    partial = Partial(
        **{name: None if name in hidden_fields else getattr(complete, name) for name in FIELD_NAMES},
        red_flags=tuple(slug for slug in asked_ticked if slug not in hidden_flags),
        unanswered=frozenset(hidden_flags),
    )
    least, most = bounds(partial, FLAGS)
    real = assess(complete, FLAGS).disposition
    assert RANK[most] <= RANK[real] <= RANK[least]
    if (level := settled(partial, FLAGS)) is not None:
        assert real == level
        assert assess_settled(partial, FLAGS).disposition == level


@given(valid_answers, st.sets(st.sampled_from(ASKED), min_size=1, max_size=4), st.data())
def test_a_question_that_cannot_change_the_outcome_really_cannot(complete, hidden_flags, data):
    """Whatever the hidden answers, a flag `could_change` calls irrelevant never moves the disposition."""
    asked_ticked = tuple(slug for slug in complete.red_flags if slug in ASKED and slug not in hidden_flags)
    partial = Partial(
        **{name: getattr(complete, name) for name in FIELD_NAMES},
        red_flags=asked_ticked,
        unanswered=frozenset(hidden_flags),
    )
    slug = data.draw(st.sampled_from(sorted(hidden_flags)))
    others = data.draw(st.sets(st.sampled_from(sorted(hidden_flags - {slug}) or [slug])))
    others = tuple(other for other in others if other != slug)
    base = Answers(**{**complete.__dict__, "red_flags": (*asked_ticked, *others)})
    ticked = Answers(**{**base.__dict__, "red_flags": (*base.red_flags, slug)})
    if not could_change(partial, slug, FLAGS):
        assert assess(ticked, FLAGS).disposition == assess(base, FLAGS).disposition


@given(valid_answers, st.sampled_from(sorted(set(ASKED) - RULE_INPUTS)))
def test_no_derived_rule_reads_a_flag_outside_rule_inputs(given_answers, slug):
    """could_change relies on RULE_INPUTS naming every asked flag a derived rule reads."""
    without = Answers(
        **{**given_answers.__dict__, "red_flags": tuple(s for s in given_answers.red_flags if s != slug)}
    )
    with_it = Answers(**{**without.__dict__, "red_flags": (*without.red_flags, slug)})
    assert derived_flags(with_it) == derived_flags(without)
