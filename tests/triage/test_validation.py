"""Validation of raw answers (the contract's input): one precise error naming the field."""

from __future__ import annotations

import pytest

from triage.engine import AGE_FLAG, Answers, Flag, InvalidAnswers, validate

FLAGS = [Flag("fever", "urgent"), Flag("saddle_numbness", "emergency"), Flag(AGE_FLAG, "gp", derived=True)]


def raw(**kw) -> dict:
    fields = {
        "age": 35,
        "onset_days": 2,
        "pain_score": 5,
        "recurrent": False,
        "trajectory": "same",
        "red_flags": [],
    }
    return {**fields, **kw}


def test_it_accepts_valid_answers():
    assert validate(raw(red_flags=["fever", AGE_FLAG, "fever"]), FLAGS) == Answers(
        35, 2, 5, False, "same", ("fever", AGE_FLAG)
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "answers: must be an object, not a list"),
        ({k: v for k, v in raw().items() if k != "age"}, "age: is missing"),
        ({k: v for k, v in raw().items() if k != "red_flags"}, "red_flags: is missing"),
        (raw(name="Ann"), "name: is not a known field"),
        (raw(**{"bad key\nx": 1}), "'bad key\\nx': is not a known field"),
        (raw(age=True), "age: must be a whole number, not true/false"),
        (raw(age="35"), "age: must be a whole number, not text"),
        (raw(age=35.0), "age: must be a whole number, not a decimal number"),
        (raw(age=None), "age: must be a whole number, not null"),
        (raw(age=-1), "age: must be from 0 to 120, not -1"),
        (raw(age=121), "age: must be from 0 to 120, not 121"),
        (raw(age=10**5000), "age: must be from 0 to 120, not a longer number"),
        (raw(onset_days=-1), "onset_days: must be 0 or more, not -1"),
        (raw(onset_days=False), "onset_days: must be a whole number, not true/false"),
        (raw(pain_score=11), "pain_score: must be from 0 to 10, not 11"),
        (raw(pain_score=-1), "pain_score: must be from 0 to 10, not -1"),
        (raw(recurrent=1), "recurrent: must be true or false, not a whole number"),
        (raw(recurrent="no"), "recurrent: must be true or false, not text"),
        ({k: v for k, v in raw().items() if k != "trajectory"}, "trajectory: is missing"),
        (raw(trajectory="sideways"), "trajectory: must be one of better, same, worse, not 'sideways'"),
        (raw(trajectory=None), "trajectory: must be one of better, same, worse, not null"),
        (raw(trajectory=["worse"]), "trajectory: must be one of better, same, worse, not a list"),
        (raw(red_flags="fever"), "red_flags: must be a list of red-flag slugs, not text"),
        (raw(red_flags=["fever", 3]), "red_flags[1]: must be a red-flag slug, not a whole number"),
        (raw(red_flags=["nope"]), "red_flags[0]: 'nope' is not a published red flag"),
    ],
)
def test_it_names_the_field_and_the_problem(data, message):
    with pytest.raises(InvalidAnswers) as caught:
        validate(data, FLAGS)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_an_unpublished_flag_is_refused():
    with pytest.raises(InvalidAnswers, match=r"red_flags\[0\]: 'fever'"):
        validate(raw(red_flags=["fever"]), [Flag("saddle_numbness", "emergency")])


def test_the_boundaries_are_accepted():
    assert validate(raw(age=0, onset_days=0, pain_score=0), FLAGS).age == 0
    assert validate(raw(age=120, pain_score=10, onset_days=10**6), FLAGS).pain_score == 10
