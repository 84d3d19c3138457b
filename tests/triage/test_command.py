"""`manage.py triage FILE|-`: the contract's JSON out; bad input exits 2 with one line, never a traceback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.triage.conftest import AGE_FLAG

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(path: str, stdin: str = "") -> dict:
    out = io.StringIO()
    call_command("triage", path, stdout=out, stdin=io.StringIO(stdin))
    return json.loads(out.getvalue())


def answers(**kw) -> dict:
    fields = {
        "age": 35,
        "onset_days": 2,
        "pain_score": 5,
        "recurrent": False,
        "trajectory": "better",
        "red_flags": [],
    }
    return {**fields, **kw}


def test_it_prints_the_outcome_for_a_file(tmp_path, starter_flags, starter_routines):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers(age=60)))
    assert run(str(path)) == {
        "disposition": "gp",
        "phase": "early",
        "red_flags": [AGE_FLAG],
        "reasons": [],
        "routines": ["cold-pack-cycles", "gentle-stretches"],
    }


def test_it_reads_standard_input_with_a_dash(starter_flags, starter_routines):
    outcome = run("-", json.dumps(answers(red_flags=["numbness_one_leg", "saddle_numbness"])))
    assert outcome == {
        "disposition": "emergency",
        "phase": None,
        "red_flags": ["saddle_numbness", "numbness_one_leg"],
        "reasons": [],
        "routines": [],
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{not json",
            "input: not valid JSON (Expecting property name enclosed in double quotes at line 1 column 2)",
        ),
        ("", "input: not valid JSON (Expecting value at line 1 column 1)"),
        ("[" * 100_000, "input: not valid JSON (too large or too deeply nested)"),
        (json.dumps(answers(age="old")), "age: must be a whole number, not text"),
        (json.dumps(answers(red_flags=["made_up"])), "red_flags[0]: 'made_up' is not a published red flag"),
        (json.dumps({"age": 3}), "onset_days: is missing"),
        (
            json.dumps(answers(trajectory="sideways")),
            "trajectory: must be one of better, same, worse, not 'sideways'",
        ),
        (json.dumps({k: v for k, v in answers().items() if k != "trajectory"}), "trajectory: is missing"),
        (json.dumps(answers(trajectory=None)), "trajectory: must be one of better, same, worse, not null"),
        (
            json.dumps(answers(extra=1)),
            "extra: is not a known field (expected age, onset_days, pain_score, recurrent, trajectory, red_flags)",
        ),
        (
            json.dumps(answers(red_flags=["fever", "no_such_sign"])),
            "red_flags[1]: 'no_such_sign' is not a published red flag",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_problem(starter_flags, text, message):
    with pytest.raises(CommandError) as caught:
        run("-", text)
    assert caught.value.returncode == 2
    assert str(caught.value) == message


def test_it_prints_v2_derived_flags_and_reasons(starter_flags, starter_routines):
    outcome = run(
        "-",
        json.dumps(
            answers(
                age=66,
                onset_days=1,
                pain_score=9,
                trajectory="worse",
                red_flags=["cancer_history", "numbness_one_leg"],
            )
        ),
    )
    assert outcome == {
        "disposition": "emergency",
        "phase": None,
        "red_flags": [
            "cancer_with_leg_symptoms",
            "sudden_severe_over_60",
            "cancer_history",
            "severe_first_over_50",
            "numbness_one_leg",
            AGE_FLAG,
        ],
        "reasons": ["severe_pain", "getting_worse"],
        "routines": [],
    }


def test_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path / "nothing.json"))
    assert caught.value.returncode == 2
    assert str(caught.value).startswith("FILE: ")


def test_from_the_shell_broken_json_exits_2_without_a_traceback():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "triage", "-"],
        input='{"age": ',
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "CommandError: input: not valid JSON (Expecting value at line 1 column 9)"
    ]
