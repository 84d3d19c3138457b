"""`manage.py check_clinical_cases`: 0 all pass, 1 with the failures one a line, 2 on bad input."""

from __future__ import annotations

import tomllib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from content.models import RedFlag, Status
from content.starter import STARTER_DIR, load_starter_content
from tests.triage.cases_helpers import make_case
from tests.triage.conftest import DERIVED, EMERGENCY, GP, URGENT
from triage.clinical.models import ClinicalCase
from triage.clinical.starter import CASES_FILE, read_cases

pytestmark = pytest.mark.django_db

V2_SLUGS = {*EMERGENCY, *URGENT, *GP, *DERIVED}


def run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("check_clinical_cases", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def starter_red_flags_are_v2() -> bool:
    with (STARTER_DIR / "red_flags.toml").open("rb") as f:
        return V2_SLUGS <= {flag["slug"] for flag in tomllib.load(f)["flag"]}


def test_it_exits_0_when_every_case_passes(starter_flags):
    make_case(title="Both legs", red_flags=["numbness_both_legs"], expected="emergency")
    make_case(title="Calm", expected="self_care", expected_phase="early")
    assert run() == (0, "All 2 clinical cases pass.\n", "")


def test_it_exits_1_and_prints_each_failure_on_one_line(starter_flags):
    RedFlag.objects.filter(slug="numbness_both_legs").update(urgency="gp")  # before any case guards it
    # Cases are saved even when the check gets them wrong: that is how a clinician reports a problem.
    make_case(title="Both legs", red_flags=["numbness_both_legs"], expected="emergency")
    make_case(title="Fever expected gp", red_flags=["fever"], expected="gp")
    make_case(title="Proposed and wrong", expected="urgent", active=False)  # not run
    code, out, message = run()
    assert code == 1
    assert out.splitlines() == [
        "UNDER-TRIAGE: Case 'Both legs': expected emergency, would get gp",
        "OVER-TRIAGE: Case 'Fever expected gp': expected gp, would get urgent",
    ]
    assert message == "2 of 2 clinical cases fail"


def test_the_starter_cases_file_passes_against_the_design_red_flags(starter_flags):
    assert len(read_cases(CASES_FILE)) >= 40
    code, out, _message = run("--cases", str(CASES_FILE))
    assert (code, out) == (0, f"All {len(read_cases(CASES_FILE))} clinical cases pass.\n")


def test_it_exits_0_on_the_starter_content():
    assert starter_red_flags_are_v2()
    load_starter_content()
    assert ClinicalCase.objects.active().count() >= 40
    code, out, message = run()
    assert (code, message) == (0, ""), out


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[case]\n", "not valid TOML"),
        ("title = 'no cases'\n", "no [[case]] entries"),
        ("[[case]]\nslug = 'x'\n", "title is missing"),
    ],
)
def test_a_bad_cases_file_exits_2_with_one_line(starter_flags, tmp_path, text, problem):
    path = tmp_path / "cases.toml"
    path.write_text(text)
    code, _out, message = run("--cases", str(path))
    assert code == 2
    assert problem in message
    assert "\n" not in message


def test_a_missing_cases_file_exits_2(starter_flags, tmp_path):
    code, _out, message = run("--cases", str(tmp_path / "nope.toml"))
    assert (code, "cannot read it" in message) == (2, True)


def test_a_case_that_ticks_a_flag_that_does_not_exist_exits_2(starter_flags):
    case = make_case(title="Typo", red_flags=["saddle_numbnes"], expected="emergency")
    assert run() == (2, "", f"case {case.slug}: ticks 'saddle_numbnes', which is not a red flag")


def test_no_published_red_flags_or_no_cases_exit_2(starter_flags):
    assert run()[0] == 2  # no cases
    make_case()
    RedFlag.objects.all().update(status=Status.DRAFT)
    code, _out, message = run()
    assert (code, message) == (2, "red flags: none is published; run load_starter_content")


def test_a_database_that_is_not_migrated_exits_2(starter_flags, monkeypatch):
    from django.db import OperationalError

    from triage.management.commands import check_clinical_cases as command

    def broken(self):
        raise OperationalError("no such table: triage_clinicalcase\nat line 1")

    monkeypatch.setattr(command.Command, "_from_database", broken)
    assert run() == (2, "", "database: not ready (no such table: triage_clinicalcase); run migrate")
