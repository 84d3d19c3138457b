"""Fuzzing `manage.py triage`: any input either gives the engine's outcome as valid contract JSON, or
exits with status 2 and one short line naming the problem; never a traceback."""

from __future__ import annotations

import io
import json
import os
import sys

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from triage import engine, published

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
HUGE_NUMBER = st.integers(1, 10**6).map(lambda n: 10**5000 + n)


@pytest.fixture
def starter(db):
    call_command("load_starter_content", stdout=io.StringIO())
    return published.as_flags(published.red_flag_rows()), published.as_routines(published.routine_rows())


def to_json(data: object) -> str:
    """JSON text for `data`, even with a 5,000-digit number in it (as a hand-made file could have)."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return json.dumps(data)
    finally:
        sys.set_int_max_str_digits(limit)


def run(text: str, tmp_path, *, from_stdin: bool) -> tuple[dict | None, CommandError | None]:
    """The command's output as JSON, or the CommandError it ended with (anything else fails the test)."""
    out = io.StringIO()
    try:
        if from_stdin:
            call_command("triage", "-", stdout=out, stdin=io.StringIO(text))
        else:
            path = tmp_path / "answers.json"
            path.write_text(text, encoding="utf-8")
            call_command("triage", str(path), stdout=out)
    except CommandError as error:
        return None, error
    return json.loads(out.getvalue()), None


def assert_one_line_exit_2(error: CommandError) -> None:
    message = str(error)
    assert error.returncode == 2
    assert message and "\n" not in message and "Traceback" not in message
    assert len(message) < 400, "the message must stay one short line"


def assert_valid_outcome(output: dict, flags, routines) -> None:
    """The contract's output: the keys in order, a known level, a phase and routines only for home care."""
    assert list(output) == ["disposition", "phase", "red_flags", "reasons", "routines"]
    assert output["disposition"] in engine.LEVELS
    home_care = output["disposition"] in (engine.GP, engine.SELF_CARE)
    assert (output["phase"] in (engine.EARLY, engine.SETTLING)) if home_care else output["phase"] is None
    assert set(output["red_flags"]) <= {flag.slug for flag in flags}
    assert output["reasons"] == [reason for reason in engine.REASONS if reason in output["reasons"]]
    assert set(output["routines"]) <= {routine.slug for routine in routines}
    assert home_care or output["routines"] == []


def answers_like(flags) -> st.SearchStrategy[dict]:
    """Mostly-right answers with some fields wrong, missing or extra: reaches every validation branch."""
    slugs = st.sampled_from([flag.slug for flag in flags] + [engine.AGE_FLAG])
    wrong = JSON | HUGE_NUMBER | st.floats(allow_nan=True, allow_infinity=True)
    fields = {
        "age": st.integers(-5, 130) | wrong,
        "onset_days": st.integers(-5, 10**9) | wrong,
        "pain_score": st.integers(-2, 12) | wrong,
        "recurrent": st.booleans() | wrong,
        "trajectory": st.sampled_from(engine.TRAJECTORIES) | st.just("sideways") | wrong,
        "red_flags": st.lists(slugs | TEXT | JSON, max_size=5) | wrong,
    }
    return st.fixed_dictionaries({}, optional=fields).flatmap(
        lambda found: st.dictionaries(TEXT, JSON, max_size=2).map(lambda extra: {**extra, **found})
    )


def valid_answers(flags) -> st.SearchStrategy[dict]:
    slugs = st.sampled_from([flag.slug for flag in flags] + [engine.AGE_FLAG])
    return st.fixed_dictionaries(
        {
            "age": st.integers(engine.MIN_AGE, engine.MAX_AGE),
            "onset_days": st.integers(0, 10**12),
            "pain_score": st.integers(engine.MIN_PAIN, engine.MAX_PAIN),
            "recurrent": st.booleans(),
            "trajectory": st.sampled_from(engine.TRAJECTORIES),
            "red_flags": st.lists(slugs, max_size=6),  # duplicates too
        }
    )


def test_it_answers_any_json_with_an_outcome_or_one_line(starter, tmp_path):
    flags, routines = starter

    @FUZZ
    @given(JSON | st.builds(dict), st.booleans())
    def check(data, from_stdin):
        output, error = run(to_json(data), tmp_path, from_stdin=from_stdin)
        if error:
            assert_one_line_exit_2(error)
        else:
            assert_valid_outcome(output, flags, routines)

    check()


def test_it_names_the_field_for_tampered_answers(starter, tmp_path):
    flags, routines = starter

    @FUZZ
    @given(answers_like(flags), st.booleans())
    def check(data, from_stdin):
        text = to_json(data)
        output, error = run(text, tmp_path, from_stdin=from_stdin)
        try:
            json.loads(text)
        except ValueError:  # a number over Python's 4,300-digit limit cannot even be read
            assert_one_line_exit_2(error)
            assert str(error) == "input: not valid JSON (too large or too deeply nested)"
            return
        try:
            expected = engine.assess(engine.validate(data, flags), flags, routines).as_dict()
        except engine.InvalidAnswers as problem:
            assert output is None, f"accepted bad answers: {data!r}"
            assert_one_line_exit_2(error)
            assert str(error).startswith(problem.field)
        else:
            assert error is None, f"refused good answers: {data!r}: {error}"
            assert output == expected

    check()


@example(text="")
@example(text="[" * 100_000)  # nesting too deep for the parser
@example(text="9" * 50_000)  # a number too long to convert
@example(text='{"age": ' + "1" * 10_000 + "}")
@example(text="NaN")
@example(text="\ufeff{}")  # a byte-order mark
@example(text='{"age": 1e999}')
@example(text='{"age": 45, "age": "45"}')
@example(text="\x00")
@FUZZ
@given(text=TEXT | st.binary(max_size=40).map(lambda raw: raw.decode("latin-1")))
def test_it_answers_any_text_with_one_line(text, starter, tmp_path):
    output, error = run(text, tmp_path, from_stdin=True)
    if error:
        assert_one_line_exit_2(error)
    else:
        assert_valid_outcome(output, *starter)


@FUZZ
@given(raw=st.binary(max_size=40))
def test_it_answers_any_file_bytes_with_one_line(raw, starter, tmp_path):
    path = tmp_path / "answers.json"
    path.write_bytes(raw)
    out = io.StringIO()
    try:
        call_command("triage", str(path), stdout=out)
    except CommandError as error:
        assert_one_line_exit_2(error)
    else:
        assert_valid_outcome(json.loads(out.getvalue()), *starter)


def test_it_gives_the_engines_outcome_for_any_valid_answers(starter, tmp_path):
    flags, routines = starter
    emergency = {flag.slug for flag in flags if flag.urgency == engine.EMERGENCY}

    @FUZZ
    @given(valid_answers(flags), st.booleans())
    def check(data, from_stdin):
        output, error = run(to_json(data), tmp_path, from_stdin=from_stdin)
        assert error is None, f"refused valid answers {data!r}: {error}"
        assert_valid_outcome(output, flags, routines)
        answers = engine.validate(data, flags)
        assert output == engine.assess(answers, flags, routines).as_dict()
        if emergency & set(data["red_flags"]):
            assert output["disposition"] == engine.EMERGENCY  # never under-triaged

    check()
